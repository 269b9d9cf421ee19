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
import contextlib
import functools
import hashlib
import html
import io
import json
import logging
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator
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


# ---------------------------------------------------------------------------------------------
# Many feeds at once: read in worker processes

# Converting HTML to Markdown is most of the work of a refresh, and threads keep it to one core
# (the GIL). During a large refresh, feeds are read in worker processes while this one fetches
# and stores (BENCHMARKS.md: 50 feeds of 100 articles, 3.1 s -> 2.2 s on two cores). A small
# document is read here: sending it to a worker would cost more than it saves.
PROCESS_MIN_BYTES = 32_768
# Starting the workers costs about 0.2 s of CPU (a fork server importing the parsers, then
# forking them): they start once a refresh has brought this much text in large documents (one
# feed of a hundred full articles), never for a refresh of small feeds. Measured on two cores:
# 50 feeds of 100 articles 2.2 s (3.1 s in threads), 24 feeds 1.4 s (1.6 s), 30 feeds of 10
# articles 0.9 s either way.
WORKERS_FROM_BYTES = 256_000
_workers: _Workers | None = None  # while a parsing_processes() block is open
_workers_users = 0
_workers_lock = threading.Lock()


def parsing_processes_available() -> int:
    """How many worker processes a large refresh uses here: one per core, at most two; none on
    a single core."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return min(2, cores) if cores > 1 else 0


@contextlib.contextmanager
def parsing_processes(
    workers: int | None = None, *, eager: bool = False, fork: bool = False
) -> Iterator[None]:
    """Within this block, :func:`parse_feed_async` reads large feeds in worker processes.

    The workers start in the background once the block's feeds add up to
    :data:`WORKERS_FROM_BYTES`; until they are up, feeds are read in threads as outside the
    block. With ``eager`` (the caller knows the refresh is large) they start at once instead
    (see :meth:`_Workers.start_now`). With ``fork`` they start at once too, forked from this
    process when it runs a single thread (see :meth:`_Workers.fork_now`): the caller vouches
    that it holds no lock and no SQLite connection yet, as the workers would inherit them.
    Blocks may nest or overlap (the app's refresh and a command's): they share the workers,
    which stop when the last block ends. With ``workers`` 0 (a single core), this does nothing.
    """
    global _workers, _workers_users
    count = parsing_processes_available() if workers is None else workers
    if count < 1:
        yield
        return
    with _workers_lock:
        created = _workers is None
        if created:
            _workers = _Workers(count)
        workers = _workers
        _workers_users += 1
    try:
        if created and fork:
            workers.fork_now()  # not under the lock: the children would start with it taken
        if created and (eager or fork):
            workers.start_now()  # unless just forked
        yield
    finally:
        with _workers_lock:
            _workers_users -= 1
            done = _workers if _workers_users == 0 else None
            if done is not None:
                _workers = None
        if done is not None:
            done.close()


class _Workers:
    def __init__(self, count: int) -> None:
        self.pool: Any = None  # a ProcessPoolExecutor, once its workers are up
        self.received = 0  # bytes of feeds handed to parse_feed_async in the block
        self._count = count
        self._started = self._closed = self._forked = False
        self._lock = threading.Lock()

    def note(self, size: int) -> None:
        """Count a document to read; start the workers once a refresh proves large enough."""
        if size < PROCESS_MIN_BYTES:
            return  # read here anyway
        self.received += size
        if not self._started and self.received >= WORKERS_FROM_BYTES:
            self._started = True
            threading.Thread(
                target=self._start, args=(self._count,), name="feed-workers", daemon=True
            ).start()

    def fork_now(self) -> None:
        """Fork the workers from this process, now, if it runs a single thread (else do nothing).

        A fork server costs about 0.25 s of CPU (a process importing the parsers again) and
        comes up late; a plain fork of a process with one thread costs a few milliseconds, and
        the workers share the parsers already imported here (headless ``fetch`` of 50 feeds:
        1.86 s -> 1.4 s). Only for a caller that holds nothing a child must not inherit: a
        child keeps every descriptor of its parent, so a lock taken before the fork would be
        held by the workers (and by orphans after a kill -9 of the parent), and SQLite forbids
        a connection to cross a fork.
        """
        if not sys.platform.startswith("linux") or threading.active_count() != 1 or self._started:
            return
        import concurrent.futures
        import multiprocessing

        import tui.feed_job  # noqa: F401 - what the workers run, imported once here before the fork

        _markdown_converter()
        self._started = True
        before = set(multiprocessing.active_children())
        pool = None
        try:
            pool = concurrent.futures.ProcessPoolExecutor(
                self._count, mp_context=multiprocessing.get_context("fork"), initializer=_worker_started
            )
            # A fork pool starts all its processes at the first submit, before its manager
            # thread (Python 3.11+): the children are forked from a process with a single thread.
            for _ in range(self._count):
                pool.submit(_warm_up)
        except BaseException as error:
            # No processes here (no semaphores in a sandbox), or not enough of them (a limit on
            # processes, Ctrl-C): those already forked would wait for work forever, and this
            # process for them at exit.
            for child in set(multiprocessing.active_children()) - before:
                child.terminate()
                child.join(5)
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
            self._started = False
            if not isinstance(error, Exception):
                raise
            logger.warning("feed workers could not be forked", exc_info=True)
            return  # the fork server, maybe
        self.pool = pool
        self._forked = True

    def start_now(self) -> None:
        """Start the workers now, in the background, from the fork server, for a refresh known
        to be large (unless they are started already).

        Not by a plain fork of this process (see :meth:`fork_now`), which may hold locks and
        SQLite connections, and whose other threads may hold locks of their own.
        """
        if self._started:
            return
        self._started = True
        threading.Thread(target=self._start, args=(self._count,), name="feed-workers", daemon=True).start()

    def _start(self, count: int) -> None:
        import concurrent.futures
        import multiprocessing

        # Not fork: the app has threads (Textual's, the store's), and a child forked while one
        # of them holds a lock may wait for it forever. A fork server starts once, imports the
        # parsers, and forks the workers.
        pool = None
        try:
            if sys.platform.startswith("linux"):
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(
                    ["tui.feed_job", "tui.sources.feed_parse", "tui.extract.markdown", "lxml.etree"]
                )
            else:
                context = multiprocessing.get_context("spawn")
            pool = concurrent.futures.ProcessPoolExecutor(
                count, mp_context=context, initializer=_worker_started
            )
            # Each submit while no worker is idle starts one; once they are started (not yet
            # warm), feeds may queue for them: starting a process would block the event loop.
            warming = [pool.submit(_warm_up) for _ in range(count)]
        except Exception:  # no workers here (no semaphores in a sandbox, a broken install): threads
            logger.warning("feeds are read in threads: worker processes could not start", exc_info=True)
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
            return
        with self._lock:
            if not self._closed:
                self.pool, pool = pool, None
        if pool is not None:  # the block ended while the workers were starting
            pool.shutdown(wait=False, cancel_futures=True)
        for started in warming:
            try:
                error = started.exception()
            except concurrent.futures.CancelledError:  # the block ended first
                return
            if error is not None:  # workers that cannot read feeds: threads read them
                logger.warning("feeds are read in threads: worker processes fail", exc_info=error)
                self.close()
                return

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pool, self.pool = self.pool, None
        if pool is not None:
            # Without waiting, the pool's threads may still write to its queues while the
            # interpreter exits and closes them (a traceback on stderr, now and then). A forked
            # pool belongs to the headless fetch, at its end: nothing is kept waiting but the
            # fetch itself, after Ctrl-C, for the feed each worker is reading (bounded by the
            # byte cap; the workers ignore SIGINT so that this one answers it).
            pool.shutdown(wait=self._forked, cancel_futures=True)


def _worker_started() -> None:
    """In each worker process, first: what it inherited or imported lives as long as it does, and
    what it builds for a feed is freed by reference counting when the feed is done. So the
    collector is kept off the former (a forked worker would otherwise copy the pages of its
    parent's objects by walking them), and runs every 10,000 allocations instead of 700 over the
    latter (which cost up to 0.1 s a refresh)."""
    import gc
    import logging.handlers
    import signal

    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
    # A forked worker writes to its parent's log file: only the parent may rotate it (two
    # processes rotating one file lose lines and backups).
    for handler in logging.getLogger("bladi_tui").handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            handler.maxBytes = 0
    # Ctrl-C in the terminal reaches the whole process group: the process that started the
    # workers answers it and stops them; a traceback from each worker would only add noise.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A worker whose starter was killed (kill -9) waits on a queue that nobody will ever close:
    # it leaves once its parent (that process, or the fork server, which ends with it) is gone.
    threading.Thread(
        target=_leave_with_parent, args=(os.getppid(),), name="parent-watch", daemon=True
    ).start()


def _leave_with_parent(parent: int) -> None:
    import time

    while os.getppid() == parent:
        time.sleep(0.25)
    os._exit(0)


def _warm_up() -> None:
    _markdown_converter()
    read_feed(b"<rss/>")


async def parse_feed_async(
    data: bytes,
    url: str,
    *,
    source: str = "",
    content_type: str = "",
    parse: Callable[..., ParsedFeed] | None = None,
) -> ParsedFeed:
    """:func:`parse_feed` (or ``parse``, a stand-in with its signature, always in a thread) off
    the event loop: in a worker process inside :func:`parsing_processes` when the document is
    large and the workers are up, in a thread otherwise. Same result."""
    parse = parse_feed if parse is None else parse
    call = functools.partial(parse, data, url, source=source, content_type=content_type)
    return await off_the_loop(call, call if parse is parse_feed else None, size=len(data))


async def off_the_loop(here: Callable[[], T], there: Callable[[], T] | None, *, size: int) -> T:
    """``there()`` in a worker process inside :func:`parsing_processes` when the document it
    reads (``size`` bytes) is large and the workers are up, else ``here()`` in a thread.

    ``there`` does the work of ``here`` in a form a worker can run (picklable, no object of this
    process); None when only ``here`` can do it.
    """
    import asyncio  # here: the worker processes import this module and need no event loop

    workers = _workers
    if workers is not None:
        workers.note(size)
    pool = workers.pool if workers is not None else None
    if pool is not None and there is not None and size >= PROCESS_MIN_BYTES:
        from concurrent.futures import BrokenExecutor

        try:
            future = pool.submit(there)
        except (BrokenExecutor, RuntimeError):  # the workers are stopping, or broke: here
            future = None
        if future is not None:
            try:
                return await asyncio.wrap_future(future)
            except BrokenExecutor:  # a worker died (killed, out of memory): here
                pass
    return await asyncio.to_thread(here)
