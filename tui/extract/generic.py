"""Any news page: the main text found by trafilatura, the rest read from the page's metadata.

Metadata comes, in this order, from Open Graph / article:* / classic ``<meta>`` tags, then from a
schema.org ``NewsArticle`` (JSON-LD), then from the page itself (``<h1>``, ``<time>``, ``<title>``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tui.extract.capped_markdown import capped_html_to_markdown, capped_node_to_markdown
from tui.extract.markdown import link_target
from tui.model import Link, fold
from tui.sanitize import clean_line, clean_text, is_web_url

_JSON_LD_LIMIT = 500_000
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")
_ARTICLE_TYPES = frozenset(
    {"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
     "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "socialmediaposting"}
)  # fmt: skip
_TITLE_KEYS = ("og:title", "twitter:title", "dc.title")
_DATE_KEYS = (
    "article:published_time", "og:article:published_time", "datepublished", "dc.date",
    "dcterms.created", "dcterms.date", "date", "pubdate", "publishdate",
)  # fmt: skip
_AUTHOR_KEYS = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author")
_SECTION_KEYS = ("article:section", "og:article:section", "section")
_DESCRIPTION_KEYS = ("og:description", "description", "twitter:description")
_MAIN_ELEMENTS = ('[itemprop="articleBody"]', "article", "main", '[role="main"]')
# A share line: a short block starting with one of these verbs and naming a network.
_SHARE_VERBS = frozenset({"partager", "partagez", "suivez", "suivez-nous", "share", "follow", "abonnez-vous",
                          "rejoignez-nous", "tweet", "tweeter", "envoyer", "imprimer"})  # fmt: skip
_SHARE_PLACES = ("facebook", "twitter", "whatsapp", "telegram", "linkedin", "instagram", "google news",
                 "tiktok", "youtube", "threads", "bluesky", "e-mail", "email", "messenger")  # fmt: skip
_SHARE_LINE_WORDS = 12
_MARKUP = re.compile(r"[#*_>`\[\]()\\-]+|<[^>\n]*>")
_MAX_RELATED = 40


@dataclass(slots=True)
class PageMetadata:
    """What a page says about itself, every string already cleaned."""

    title: str = ""
    date: datetime | None = None  # aware; a date without offset is taken as UTC
    author: str = ""
    rubrique: str = ""
    tags: list[str] = field(default_factory=list)
    description: str = ""


def main_text(
    tree: LexborHTMLParser, html: str, url: str, *, allow_relative: bool = False
) -> tuple[str, bool]:
    """The page's main content as sanitized Markdown, without menus, comments or footer; and
    whether its HTML was cut to the body's cap before its conversion.

    When trafilatura finds no more than headings (a very short article; markup nested deeper
    than lxml's limit), the page's own main element, if it marks one, is converted whole.
    """
    found = _trafilatura_html(html, url)
    markdown, cut = (
        capped_html_to_markdown(found, url, allow_relative=allow_relative) if found else ("", False)
    )
    markdown = without_repeats_and_share_lines(markdown)
    if any(not block.startswith("#") for block in markdown.split("\n\n") if block):
        return markdown, cut
    for selector in _MAIN_ELEMENTS:
        node = tree.css_first(selector)
        if node is not None:
            whole, whole_cut = capped_node_to_markdown(node, url, allow_relative=allow_relative)
            if whole:
                return whole, whole_cut
    return markdown, cut


def without_repeats_and_share_lines(markdown: str) -> str:
    """``markdown`` without a block that repeats an earlier one (a date line printed twice) and
    without share lines ("Partager sur Facebook", "Suivez-nous sur WhatsApp"): trafilatura keeps
    both, and no site's rules are there to name them."""
    seen: set[str] = set()
    kept = []
    for block in markdown.split("\n\n"):
        key = fold(_MARKUP.sub(" ", block))
        if key and (key in seen or _is_share_line(key)):
            continue
        if len(key) > 3:
            seen.add(key)
        kept.append(block)
    return "\n\n".join(kept)


def _is_share_line(folded: str) -> bool:
    words = folded.split()
    return (
        len(words) <= _SHARE_LINE_WORDS
        and words[0] in _SHARE_VERBS
        and any(place in folded for place in _SHARE_PLACES)
    )


def related_links(tree: LexborHTMLParser, url: str) -> list[Link]:
    """Related articles whose titles sit in headings inside links (``<a><h3>Titre</h3></a>``),
    with the paragraph after each as its summary: trafilatura drops such blocks whole."""
    links: list[Link] = []
    seen = {url}
    for anchor in tree.css("a[href]"):
        heading = anchor.css_first("h2, h3, h4, h5, h6")
        target = link_target(anchor.attributes.get("href"), url) if heading is not None else None
        if heading is None or not target or target in seen or _in_chrome(anchor):
            continue
        title = clean_line(heading.text(), 300)
        if not title:
            continue
        seen.add(target)
        summary = clean_line(anchor.text(), 1000)[len(title) :].strip() if title in anchor.text() else ""
        sibling = anchor.next
        while sibling is not None and not sibling.is_element_node:
            sibling = sibling.next
        if not summary and sibling is not None and sibling.tag == "p":
            summary = clean_line(sibling.text(), 1000)
        links.append(Link(title=title, url=target, summary=summary))
        if len(links) >= _MAX_RELATED:
            break
    return links


def _in_chrome(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in ("nav", "header", "footer"):
            return True
        parent = parent.parent
    return False


def _trafilatura_html(html: str, url: str) -> str:
    import trafilatura  # slow to import: when a page needs it, not whenever tui.extract is imported

    try:
        found = trafilatura.extract(
            _xml_safe(html),
            url=url or None,
            output_format="html",
            include_comments=False,
            include_links=True,
            include_images=True,
            include_tables=True,
            include_formatting=True,
            with_metadata=False,
            deduplicate=False,
        )
    except Exception:  # whatever breaks inside a third-party extractor costs the body, not the article
        return ""
    return found or ""


def _xml_safe(html: str) -> str:
    """``html`` without the characters (raw or as references) that make lxml, and so trafilatura,
    discard a whole page: one ``&#27;`` would otherwise cost the article its text."""
    return _CHAR_REF.sub(_char_ref, clean_text(html))


def _char_ref(match: re.Match[str]) -> str:
    hex_digits, digits = match.groups()
    code = int(hex_digits, 16) if hex_digits else int(digits)
    if 0x80 <= code <= 0x9F:  # what HTML makes of these references: Windows-1252 punctuation
        return bytes([code]).decode("cp1252", "ignore")
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF) or not clean_text(chr(code)):
        return ""
    return match.group()


def read_metadata(tree: LexborHTMLParser) -> PageMetadata:
    """The page's own description of its article."""
    metas: dict[str, list[str]] = {}
    for node in tree.css("meta[content]"):
        attrs = node.attributes
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").strip().lower()
        value = clean_line(attrs.get("content") or "")
        if key and value:
            metas.setdefault(key, []).append(value)

    def first(keys: tuple[str, ...]) -> str:
        return next((metas[key][0] for key in keys if key in metas), "")

    meta = PageMetadata(
        title=first(_TITLE_KEYS),
        author=next((v for k in _AUTHOR_KEYS for v in metas.get(k, []) if not is_web_url(v)), ""),
        rubrique=first(_SECTION_KEYS),
        description=clean_line(first(_DESCRIPTION_KEYS), 1000),
        date=next((d for k in _DATE_KEYS for v in metas.get(k, []) if (d := parse_iso_date(v))), None),
    )
    tags = metas.get("article:tag", []) or metas.get("og:article:tag", [])
    if not tags:
        for key in ("news_keywords", "keywords"):
            if key in metas:
                tags = metas[key][0].split(",")
                break
    meta.tags = _unique(tags)
    _fill_from_json_ld(tree, meta)
    if not meta.title:
        meta.title = _node_text(tree, "h1") or _node_text(tree, "title")
    if meta.date is None:
        dates = (parse_iso_date(node.attributes.get("datetime") or "") for node in tree.css("time[datetime]"))
        meta.date = next((date for date in dates if date), None)
    return meta


def parse_iso_date(value: str) -> datetime | None:
    """An aware datetime from an ISO 8601 string, or None."""
    value = value.strip()
    if not value:
        return None
    try:
        date = datetime.fromisoformat(value)
    except ValueError:
        return None
    return date if date.tzinfo is not None else date.replace(tzinfo=UTC)


def _fill_from_json_ld(tree: LexborHTMLParser, meta: PageMetadata) -> None:
    for node in tree.css('script[type="application/ld+json"]'):
        text = node.text() or ""
        if len(text) > _JSON_LD_LIMIT:
            continue
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            continue
        for item in _json_objects(data):
            kinds = item.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if not any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds):
                continue
            meta.title = meta.title or clean_line(_json_text(item.get("headline")))
            meta.date = meta.date or parse_iso_date(_json_text(item.get("datePublished")))
            meta.author = meta.author or clean_line(_json_text(item.get("author")), 200)
            meta.rubrique = meta.rubrique or clean_line(_json_text(item.get("articleSection")), 200)
            if not meta.tags:
                keywords = item.get("keywords")
                meta.tags = _unique(
                    keywords if isinstance(keywords, list) else _json_text(keywords).split(",")
                )
            return


def _json_objects(data: object) -> list[dict]:
    """Every JSON object in ``data`` (lists and ``@graph`` included), walked without recursion."""
    found: list[dict] = []
    stack: list[object] = [data]
    while stack and len(found) < 200:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            found.append(item)
            if isinstance(item.get("@graph"), list):
                stack.extend(reversed(item["@graph"]))
    return found


def _json_text(value: object) -> str:
    """A string from a JSON-LD value: a string, a {"name": …} object, or the first of a list."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("name", "")
    return value if isinstance(value, str) else ""


def _node_text(tree: LexborHTMLParser, selector: str) -> str:
    node = tree.css_first(selector)
    return clean_line(node.text()) if node is not None else ""


def _unique(values: list) -> list[str]:
    cleaned = (clean_line(value, 200) for value in values if isinstance(value, str))
    return list(dict.fromkeys(value for value in cleaned if value))
