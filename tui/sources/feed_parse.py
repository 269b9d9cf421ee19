"""Feeds to articles: RSS 0.9x/1.0/2.0 and Atom (through feedparser) and JSON Feed 1.0/1.1.

Well-formed RSS 2.0 and Atom 1.0 in UTF-8 (nearly every feed) are read by lxml instead, ten times
sooner, into the very entries feedparser would give (:mod:`tui.sources.feed_fast`); during a
large refresh, feeds are read in worker processes (:func:`parsing_processes`).

SPIP backends (Bladi.net's ``spip.php?page=backend``) are understood: the rubrique and the keywords
that SPIP appends to every description (``&nbsp;(...) - <a rel="directory">Rubrique</a> / <a
rel="tag">mot</a>, …``) become ``Article.rubrique`` and ``Article.tags`` and leave the summary.

Everything that leaves this module has been through :mod:`tui.sanitize`: feedparser decodes
``&#27;`` in a title into a raw ESC, and we ask it not to sanitize HTML (it is slow, and our own
conversion to plain text or Markdown drops scripts anyway), so nothing it returns is trusted.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import html
import io
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar
from urllib.parse import urljoin

from tui.model import Article, TopicPage, fold
from tui.sanitize import SIMPLE_WEB_URL, clean_line, clean_text, clean_url, is_web_url
from tui.sources.feed_fast import read_feed

TITLE_LIMIT = 500
_NAME_LIMIT = 200  # authors, rubriques, tags
_SUMMARY_FROM_CONTENT_LIMIT = 500  # an intro cut from the full text when the feed gives no summary
_SNIFF_BYTES = 65536

logger = logging.getLogger("bladi_tui.feeds")
T = TypeVar("T")


@dataclass(slots=True)
class ParsedFeed:
    title: str
    link: str  # the site's link, http(s) or ""
    articles: list[Article] = field(default_factory=list)
    bozo: str = ""  # one sentence when the feed was malformed but something was recovered


class FeedParseError(Exception):
    """The document is not a feed we can read. The message is one sentence, fit for the user."""


# ---------------------------------------------------------------------------------------------
# Sniffing


def looks_like_feed(data: bytes, content_type: str = "") -> bool:
    """A cheap guess, without parsing: an RSS, RDF or Atom root element, or a JSON Feed."""
    if not data:
        return False
    head = _sniff_text(data)
    if head.lstrip().startswith("{"):
        return b"jsonfeed.org" in data or "jsonfeed.org" in head or "feed+json" in content_type.lower()
    root = _root_element(head)
    return root is not None and root.rpartition(":")[2].lower() in ("rss", "rdf", "feed")


def _sniff_text(data: bytes) -> str:
    """The start of the document as text, good enough to read its markup (not its words)."""
    head = data[:_SNIFF_BYTES]
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, "replace")
    for pattern, codec in _NUL_PATTERNS:
        if head.startswith(pattern):
            return head.decode(codec, "replace")
    # Markup is ASCII in every encoding we may meet here; latin-1 never fails to decode.
    return head.decode("latin-1")


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM it starts with
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_NUL_PATTERNS = (  # "<" or "<?" in UTF-32 and UTF-16 without a BOM (XML 1.0, appendix F)
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)
_ELEMENT_NAME = re.compile(r"[A-Za-z_][\w.:-]*")
_DOCTYPE_SUBSET = re.compile(rb"<!DOCTYPE\s+([A-Za-z_][\w.:-]*)[^\[>]*\[.*?\]\s*>", re.IGNORECASE | re.DOTALL)


def _root_element(head: str) -> str | None:
    """The name of the first element after the prolog (declaration, comments, doctype), or None."""
    i, n = 0, len(head)
    while i < n:
        if head[i].isspace():
            i += 1
        elif head.startswith("<?", i):
            i = _after(head, "?>", i + 2)
        elif head.startswith("<!--", i):
            i = _after(head, "-->", i + 4)
        elif head[i : i + 9].upper() == "<!DOCTYPE":
            bracket, close = head.find("[", i), head.find(">", i)
            if 0 <= bracket < close:  # an internal subset may hold ">" in its declarations
                close = head.find("]", bracket)
                close = -1 if close < 0 else head.find(">", close)
            i = -1 if close < 0 else close + 1
        elif head[i] == "<":
            match = _ELEMENT_NAME.match(head, i + 1)
            return match.group() if match else None
        else:
            return None
        if i < 0:
            return None
    return None


def _after(text: str, marker: str, start: int) -> int:
    found = text.find(marker, start)
    return -1 if found < 0 else found + len(marker)


# ---------------------------------------------------------------------------------------------
# Parsing


def parse_feed(data: bytes, url: str, *, source: str = "", content_type: str = "") -> ParsedFeed:
    """Read a feed document fetched from ``url`` (the base of its relative links).

    Raises :class:`FeedParseError`, and nothing else, when the document is not a feed we can read.
    """
    try:
        head = _sniff_text(data) if data else ""
        start = head.lstrip()
        if not start:
            raise FeedParseError("empty document")
        if start.startswith("{") or start.startswith("["):
            return _parse_json(data, url, source)
        root = _root_element(head)
        if root is not None and root.lower() in ("html", "head", "body"):
            raise FeedParseError("not a feed: the document is an HTML page")
        return _parse_xml(data, head, url, source, content_type)
    except FeedParseError:
        raise
    except Exception as exc:  # feedparser and malformed input: the contract is one exception type
        raise FeedParseError(f"the feed could not be read ({type(exc).__name__})") from exc


def _parse_xml(data: bytes, head: str, url: str, source: str, content_type: str) -> ParsedFeed:
    charset = _CHARSET.search(content_type)
    # Well-formed RSS 2.0 and Atom 1.0 in UTF-8 (nearly every feed): lxml and the fast path, ten
    # times sooner, the very entries feedparser would give; anything else goes to feedparser.
    fast = read_feed(data, charset.group(1) if charset else "")
    if fast is not None:
        return _parsed(fast.feed, fast.entries, url, source, "")
    return _parse_with_feedparser(data, head, url, source, charset)


def _parse_with_feedparser(
    data: bytes, head: str, url: str, source: str, charset: re.Match[str] | None
) -> ParsedFeed:
    import feedparser  # 60 ms to import: only when a feed is read, never at start-up

    # Given a header, feedparser reads a document that declares no encoding as latin-1 unless
    # the Content-Type names XML: name XML, with the server's charset if it sent one. No
    # Content-Location: with a base, feedparser resolves every element's xml:base (a third slower);
    # links are resolved against the feed's URL below, once each.
    headers = {"content-type": "application/xml" + (f"; charset={charset.group(1)}" if charset else "")}

    def parse(document: bytes) -> Any:
        # A BytesIO, never the bytes: feedparser opens a bytes argument as a file *name* if one exists.
        return feedparser.parse(
            io.BytesIO(document), response_headers=headers, sanitize_html=False, resolve_relative_uris=False
        )

    # A feed never needs entity declarations, and expat expands megabytes of a "billion laughs"
    # before its amplification guard stops it: the internal subset goes before parsing.
    data = _DOCTYPE_SUBSET.sub(rb"<!DOCTYPE \1>", data[:_SNIFF_BYTES], count=1) + data[_SNIFF_BYTES:]
    repaired = b""
    try:
        result = parse(data)
    except (ValueError, OverflowError):
        # feedparser's lenient parser crashes on a reference to a character that cannot exist
        # (&#xd800;, &#x110000;): one such reference must not cost the whole feed.
        repaired = _CHARACTER_REFERENCE.sub(_possible_character, data)
        if repaired == data:
            raise
        result = parse(repaired)
    feed = result.get("feed") or {}
    entries = result.get("entries") or []
    if not result.get("version") and not entries:
        start = head[:4096].lower()
        if "<html" in start or "<!doctype html" in start:
            raise FeedParseError("not a feed: the document is an HTML page")
        raise FeedParseError("not a feed: no RSS, Atom or JSON Feed found in the document")

    bozo = ""
    if result.get("bozo") or repaired:
        reason = "it refers to characters that cannot exist" if repaired else result.get("bozo_exception")
        reason = clean_line(reason or "unknown error", 200).rstrip(".")
        bozo = f"The feed is malformed and was read as far as possible ({reason})."
    return _parsed(feed, entries, url, source, bozo)


def _parsed(feed: Any, entries: Any, url: str, source: str, bozo: str) -> ParsedFeed:
    """The articles of feedparser's entries (or the fast path's, which are the same)."""
    articles: list[Article] = []
    seen: set[str] = set()
    for entry in entries:
        article = _article_from_entry(entry, url, source)
        if article is not None and article.guid not in seen:
            seen.add(article.guid)
            articles.append(article)
    return ParsedFeed(
        title=_title(feed.get("title"), _is_html(feed.get("title_detail"))),
        link=_web_url(feed.get("link"), url),
        articles=articles,
        bozo=bozo,
    )


_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_CHARACTER_REFERENCE = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")


def _possible_character(match: re.Match[bytes]) -> bytes:
    hexadecimal, decimal = match.groups()
    digits = hexadecimal or decimal
    code = int(digits, 16 if hexadecimal else 10) if len(digits) <= 8 else -1
    return match.group() if 0 <= code < 0xD800 or 0xDFFF < code <= 0x10FFFF else b"&#xfffd;"


def _article_from_entry(entry: Any, base: str, source: str) -> Article | None:
    summary = entry.get("summary") or ""
    content_html, content = False, ""
    for part in entry.get("content") or ():  # Atom content, content:encoded: the longest one
        value = part.get("value") or ""
        if len(value) > len(content):
            content, content_html = value, _is_html(part)
    author = (entry.get("author_detail") or {}).get("name") or entry.get("author") or ""
    return _article(
        guid=entry.get("id") or "",
        title=entry.get("title") or "",
        title_html=_is_html(entry.get("title_detail")),
        link=entry.get("link") or "",
        base=base,
        summary=summary,
        summary_html=_is_html(entry.get("summary_detail")),
        content=content,
        content_html=content_html,
        date=_date(entry.get("published"), entry.get("published_parsed"))
        or _date(entry.get("updated"), entry.get("updated_parsed")),
        tags=[tag.get("label") or tag.get("term") for tag in entry.get("tags") or ()],
        author=author,
        source=source,
    )


def _is_html(detail: Any) -> bool:
    # feedparser types RSS text as text/html; only Atom's type="text" says text/plain.
    return "html" in ((detail or {}).get("type") or "text/html")


def _parse_json(data: bytes, url: str, source: str) -> ParsedFeed:
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise FeedParseError("not a feed: the document is not valid JSON") from exc
    items = document.get("items") if isinstance(document, dict) else None
    version = document.get("version") if isinstance(document, dict) else None
    if not isinstance(items, list) and not (isinstance(version, str) and "jsonfeed.org" in version):
        raise FeedParseError("not a feed: the JSON document is not a JSON Feed")

    articles: list[Article] = []
    seen: set[str] = set()
    skipped = 0
    for item in items or ():
        article = _article_from_json_item(item, url, source) if isinstance(item, dict) else None
        if article is None:
            skipped += 1
        elif article.guid not in seen:
            seen.add(article.guid)
            articles.append(article)
    return ParsedFeed(
        title=_title(_json_str(document.get("title")), False),
        link=_web_url(_json_str(document.get("home_page_url")), url),
        articles=articles,
        bozo=f"The feed is malformed: {skipped} of its items could not be read." if skipped else "",
    )


def _article_from_json_item(item: dict, base: str, source: str) -> Article | None:
    content_html = _json_str(item.get("content_html"))
    authors = item.get("authors")
    if not isinstance(authors, list):  # JSON Feed 1.0 has a single "author"
        authors = [item.get("author")]
    names = [_json_str(a.get("name")) for a in authors if isinstance(a, dict)]
    tags = item.get("tags")
    item_id = item.get("id")
    return _article(
        guid=str(item_id) if type(item_id) is int else _json_str(item_id),  # some feeds use numbers
        title=_json_str(item.get("title")),
        title_html=False,
        link=_json_str(item.get("url")) or _json_str(item.get("external_url")),
        base=base,
        summary=_json_str(item.get("summary")),
        summary_html=False,
        content=content_html or _json_str(item.get("content_text")),
        content_html=bool(content_html),
        date=_date(_json_str(item.get("date_published")), None)
        or _date(_json_str(item.get("date_modified")), None),
        tags=[_json_str(tag) for tag in tags] if isinstance(tags, list) else [],
        author=", ".join(name for name in names if name),
        source=source,
    )


def _json_str(value: object) -> str:
    # "\ud800" is valid JSON but no character: a lone surrogate would break every later encode.
    return _SURROGATE.sub("\ufffd", value) if isinstance(value, str) else ""


_SURROGATE = re.compile("[\ud800-\udfff]")


# ---------------------------------------------------------------------------------------------
# One article, from either kind of feed


def _article(
    *,
    guid: str,
    title: str,
    title_html: bool,
    link: str,
    base: str,
    summary: str,
    summary_html: bool,
    content: str,
    content_html: bool,
    date: datetime | None,
    tags: list[str | None],
    author: str,
    source: str,
) -> Article | None:
    # Without a summary of its own (feedparser copies Atom content into it), an entry's intro is
    # cut from its content, which is then the whole article.
    content_only = bool(content) and (not summary or content == summary)
    if content_only:
        summary, summary_html = content, content_html
    rubrique, tail_tags, tail_links = "", [], []
    if summary_html:
        summary_text, rubrique, tail_tags, tail_links = _split_spip_tail(summary)
    else:
        summary_text = clean_text(summary, multiline=False)
    if not rubrique:
        summary_text, rubrique, plain_tags = _split_plain_spip_tail(summary_text)
        tail_tags = tail_tags or plain_tags

    url = _web_url(link, base)
    body = ""
    if content and (content_only or len(content) > len(summary)):
        body = _to_markdown(content, url or base) if content_html else _text_to_markdown(content)
        if content_only:
            summary_text = clean_line(summary_text, _SUMMARY_FROM_CONTENT_LIMIT)

    title = _title(title, title_html) or clean_line(summary_text, 120)
    if not (title or url or body):
        return None
    key = guid or link or title + "\n" + summary
    feed_tags = _tags(tags)
    return Article(
        guid=clean_line(guid) or url or "sha1:" + hashlib.sha1(key.encode("utf-8", "replace")).hexdigest(),
        title=title,
        url=url,
        date=date,
        rubrique=clean_line(rubrique, _NAME_LIMIT) or next(iter(feed_tags), ""),
        tags=feed_tags or _tags(tail_tags),
        author=clean_line(author, _NAME_LIMIT),
        summary=summary_text,
        body=body,
        source=source,
        full_text=bool(body),
        topic_pages=_topic_pages(tail_links, url or base) if tail_links else [],
    )


def _title(value: Any, is_html: bool) -> str:
    text = value if isinstance(value, str) else ""
    if is_html and ("<" in text or "&" in text):
        text = html.unescape(_TAG.sub("", text))
    return clean_line(text, TITLE_LIMIT)


def _tags(values: list[str | None]) -> list[str]:
    tags: list[str] = []
    seen: set[str] = set()
    for value in values:
        tag, key = (
            _tag_and_key(value) if value is None or type(value) is str else _tag_and_key.__wrapped__(value)
        )
        if key and key not in seen:
            seen.add(key)
            tags.append(tag)
    return tags


@functools.lru_cache(maxsize=4096)  # a feed names the same few tags over and over (strings: cached)
def _tag_and_key(value: Any) -> tuple[str, str]:
    tag = clean_line(value, _NAME_LIMIT)
    return tag, fold(tag)


def _web_url(value: Any, base: str) -> str:
    url = clean_url(value) if value else ""
    if not url:
        return ""
    if SIMPLE_WEB_URL.fullmatch(url):
        return url  # what urljoin gives back, and a web URL: most links, without parsing them
    try:
        url = urljoin(base, url) if base else url
    except ValueError:
        return ""
    return url if is_web_url(url) else ""


def _date(text: str | None, parsed: Any) -> datetime | None:
    """An aware datetime (UTC when the feed gives no offset), or None; never raises."""
    if text:
        text = text.strip()
        for read in (datetime.fromisoformat, parsedate_to_datetime):
            try:
                value = read(text)
            except (ValueError, TypeError, IndexError, OverflowError):
                continue
            return value if value.tzinfo else value.replace(tzinfo=UTC)
    if callable(parsed):  # the fast path asks feedparser only for dates no reader above knows
        parsed = parsed()
    if parsed:  # feedparser's reading of the other formats it knows, already in UTC
        try:
            return datetime(*parsed[:6], tzinfo=UTC)
        except (ValueError, TypeError, OverflowError):
            return None
    return None


# ---------------------------------------------------------------------------------------------
# SPIP: the rubrique and keywords appended to every description

# "Intro&nbsp;(...) - <a rel="directory">Rubrique</a> / <a rel="tag">mot</a>, <a rel="tag">mot2</a>"
# at the very end of the description's HTML; the "(...)" is only there when the intro was cut.
# Found by walking back from the end rather than by one regex search, which a description of
# many thousand spaces would make quadratic.
_SPIP_LINK = re.compile(r"""<a\b[^<>]*\brel\s*=\s*["']?(directory|tag)\b[^<>]*>([^<]*)</a>""", re.I)
_SPIP_HREF = re.compile(r"""\bhref\s*=\s*["']?([^"'\s<>]+)""", re.I)
_SPIP_LINK_SEPARATORS = " \t\r\n\xa0/,"
_SPIP_LEAD = re.compile(r"(?:(?:\s|&nbsp;|&\#160;|&\#xa0;)*\((?:\.\.\.|…)\))?\s*-[\s/]*\Z", re.I)
_SPIP_LEAD_WINDOW = 200


def _split_spip_tail(summary_html: str) -> tuple[str, str, list[str], list[tuple[str, str, str]]]:
    """(summary as plain text, rubrique, tags, the tail's links as (rel, text, href)) from an
    HTML description, SPIP tail removed."""
    links = list(_SPIP_LINK.finditer(summary_html)) if "rel" in summary_html else []
    tail: list[re.Match[str]] = []
    end = len(summary_html)
    for link in reversed(links):  # the links that end the text, with only "/", "," between them
        if summary_html[link.end() : end].strip(_SPIP_LINK_SEPARATORS):
            break
        tail.append(link)
        end = link.start()
    lead = _SPIP_LEAD.search(summary_html, max(0, end - _SPIP_LEAD_WINDOW), end) if tail else None
    if lead is None:
        return _html_to_text(summary_html), "", [], []
    rubrique, tags, links = "", [], []
    for link in reversed(tail):
        rel, text = link.groups()
        if rel.lower() == "directory":
            rubrique = rubrique or html.unescape(text)
        else:
            tags.append(html.unescape(text))
        href = _SPIP_HREF.search(link.group(0))
        if href is not None:
            links.append((rel.lower(), html.unescape(text), html.unescape(href.group(1))))
    return _html_to_text(summary_html[: lead.start()]), rubrique, tags, links


def _topic_pages(links: list[tuple[str, str, str]], base: str) -> list[TopicPage]:
    """Where the site lists the rubrique and tags a SPIP tail links to."""
    pages = []
    for rel, text, href in links:
        try:
            url = clean_url(urljoin(base, href))
        except ValueError:
            continue
        label = clean_line(text, _NAME_LIMIT)
        if label and is_web_url(url):
            pages.append(TopicPage("rubrique" if rel == "directory" else "tag", label, url))
    return pages


def _split_plain_spip_tail(text: str) -> tuple[str, str, list[str]]:
    """The same tail once its links are gone, as a forum quoting an item shows it:
    "(...) - Economie / Contrebande, Sebta, Melilla". Without the "(...)" it is ordinary text."""
    cut = max(text.rfind("(...) - "), text.rfind("(…) - "))
    if cut < 0:
        return text, "", []
    rubrique, _, tags = text[text.index(" - ", cut) + 3 :].partition(" / ")
    if not rubrique.strip() or len(rubrique) > 80 or len(tags) > 500:
        return text, "", []
    return text[:cut].rstrip(), rubrique.strip(), [tag for tag in tags.split(",") if tag.strip()]


# ---------------------------------------------------------------------------------------------
# HTML to plain text and to Markdown

# Elements whose content is never text to read. An unclosed one runs to the end of the document.
_HIDDEN = re.compile(
    r"<(script|style|noscript|template|iframe|object|svg|math|head)\b[^<>]*>.*?(?:</\1\s*>|\Z)"
    r"|<!--.*?(?:-->|\Z)",
    re.I | re.S,
)
_LINE_BREAK = re.compile(r"<br\b[^<>]*>", re.I)
_BLOCK = re.compile(
    r"</?(?:p|div|li|ul|ol|dl|dt|dd|h[1-6]|blockquote|pre|table|tr|hr|section|article|header|footer"
    r"|aside|nav|figure|figcaption|address|details|summary|main)\b[^<>]*>",
    re.I,
)
_CELL = re.compile(r"</?t[dh]\b[^<>]*>", re.I)
# "[^<>]" and not "[^>]": a "<" with no ">" after it must not make every later "<" scan to the end.
_TAG = re.compile(r"<[A-Za-z/!?][^<>]*>")
_BLANK_LINES = re.compile(r"\n\s*\n\s*")


def _html_to_text(fragment: str, *, paragraphs: bool = False) -> str:
    """Plain text of an HTML fragment: hidden elements dropped, tags removed, entities decoded.

    One line, whitespace collapsed; with ``paragraphs``, blocks stay apart as blank-line-separated
    paragraphs.
    """
    if "<" in fragment:
        fragment = _HIDDEN.sub(" ", fragment)
        fragment = _LINE_BREAK.sub("\n", fragment)
        fragment = _BLOCK.sub("\n\n", fragment)
        fragment = _CELL.sub(" ", fragment)
        fragment = _TAG.sub("", fragment)
    if "&" in fragment:
        fragment = html.unescape(fragment)
    if not paragraphs:
        return clean_text(fragment, multiline=False)
    lines = (clean_text(line, multiline=False) for line in clean_text(fragment).split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


# Every ASCII punctuation that Markdown could read as syntax, entities ("&#x202e;") included.
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_\[\]<>#|~&!])")


def _text_to_markdown(text: str) -> str:
    """Plain text as Markdown that shows exactly that text: no link, image or HTML can appear."""
    paragraphs = _BLANK_LINES.sub("\n\n", clean_text(text)).strip()
    return _MARKDOWN_SYNTAX.sub(r"\\\1", paragraphs)


def _fallback_html_to_markdown(fragment: str, base_url: str) -> str:
    """Used while ``tui.extract.markdown`` is unavailable: the text's paragraphs, no links."""
    return _text_to_markdown(_html_to_text(fragment, paragraphs=True))


# Converters whose result has been through clean_text() and strip() already.
_CLEAN_CONVERTERS: set[Callable[[str, str], str]] = set()


@functools.cache
def _markdown_converter() -> Callable[[str, str], str]:
    try:
        from tui.extract.markdown import html_to_markdown
    except ImportError:
        return _fallback_html_to_markdown
    _CLEAN_CONVERTERS.add(html_to_markdown)
    return html_to_markdown


def _to_markdown(fragment: str, base_url: str) -> str:
    convert = _markdown_converter()
    try:
        markdown = convert(fragment, base_url)
    except Exception:  # a converter's failure on one hostile entry must not lose the whole feed
        markdown = _fallback_html_to_markdown(fragment, base_url)
    else:
        if convert in _CLEAN_CONVERTERS:
            return markdown
    return clean_text(markdown).strip()


def warm_up() -> None:
    """Import and build what reading a feed needs, so that the first feed read pays nothing more."""
    _markdown_converter()
    read_feed(b"<rss/>")
