"""Site rules: a site's article markup described as data, and the one extractor that reads them.

A rule set names CSS selectors (each list tried in order, first non-empty match wins) and the
French labels the site prints. The related sections are found by their headings' *text* ("Aller
plus loin"), then by the links that follow it, so a redesign that keeps the words keeps working;
one that loses everything leaves the title or body empty, and :mod:`tui.extract.page` then falls
back on generic extraction.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from html import escape
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tui.extract.markdown import html_to_markdown, link_target, node_to_markdown
from tui.model import Article, Link, TopicPage, fold
from tui.sanitize import SIMPLE_WEB_URL, clean_line


@dataclass(frozen=True, slots=True)
class SiteRules:
    """Where a site puts each part of an article page, and what it calls them."""

    name: str
    hosts: tuple[str, ...]
    article_path: re.Pattern[str]  # matched against an article URL's path
    feeds: tuple[str, ...] = ()  # feeds the site serves without advertising them
    title: tuple[str, ...] = ("h1",)
    date_line: tuple[str, ...] = ()
    lead: tuple[str, ...] = ()
    body: tuple[str, ...] = ()  # the body's blocks, in document order
    read_also: str = ""  # a body paragraph starting with this is one link to another article
    author_marker: str = ""  # in the date line, before the author's name
    tags_label: str = ""
    related_label: str = ""
    suggested_label: str = ""
    drop_texts: tuple[str, ...] = ()  # a body block containing one of these is chrome
    timezone: str = "UTC"  # of the dates the site prints

    @property
    def section_labels(self) -> tuple[str, ...]:
        """The labels that open the sections after the body."""
        return tuple(label for label in (self.tags_label, self.related_label, self.suggested_label) if label)

    def serves(self, url: str) -> bool:
        return _host(url) in self.hosts

    def is_article_url(self, url: str) -> bool:
        return self.serves(url) and bool(self.article_path.match(urlsplit(url).path))


def extract_with_rules(tree: LexborHTMLParser, url: str, rules: SiteRules) -> Article:
    """What ``rules`` find on the page; any part they miss is left empty for the caller to fill."""
    article = Article(guid=url, url=url, title=_first_text(tree, rules.title)[1])
    date_node, article.date_line = _first_text(tree, rules.date_line)
    if article.date_line:
        article.date, article.rubrique, article.author = parse_date_line(article.date_line, rules)
        article.topic_pages += _linked_pages(date_node, url, "rubrique", [article.rubrique])
    lead_node, lead_text = _first_text(tree, rules.lead)
    if lead_node is not None and fold(lead_text) != fold(article.title):
        article.lead = node_to_markdown(lead_node, url)
    article.body = _body(tree, url, rules, lead_text)
    body = tree.body
    if body is not None:
        found = _find_labels(body, rules.section_labels)
        stops = tuple(fold(label) for label in rules.section_labels)
        if rules.tags_label in found:
            article.tags = _tags(found[rules.tags_label], url, rules.tags_label, stops)
            block = found[rules.tags_label].parent
            while block is not None and block.tag in _INLINE:
                block = block.parent
            article.topic_pages += _linked_pages(block, url, "tag", article.tags)
        if rules.related_label in found:
            article.related = _section_links(found[rules.related_label], url, stops)
        if rules.suggested_label in found:
            article.suggested = _section_links(found[rules.suggested_label], url, stops)
    return article


def _linked_pages(node: LexborNode | None, url: str, kind: str, labels: list[str]) -> list[TopicPage]:
    """Where the site lists each of ``labels``: the links in ``node`` that carry their names."""
    wanted = {fold(label): label for label in labels if label}
    pages: list[TopicPage] = []
    if node is None or not wanted:
        return pages
    for link in node.css("a[href]"):
        label = wanted.pop(fold(clean_line(link.text())), None)
        target = link_target(link.attributes.get("href"), url) if label else ""
        if label and target:
            pages.append(TopicPage(kind, label, target))  # type: ignore[arg-type]
    return pages


# --- the date line ------------------------------------------------------------------------------

_MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}  # fmt: skip
_DATE = re.compile(r"(\d{1,2})(?:er)?\s+([a-z]+)\.?\s+(\d{4})")
_TIME = re.compile(r"(\d{1,2})\s*h\s*(\d{2})?")
_SEGMENTS = re.compile(r"\s+[-–—|]\s+")


def parse_date_line(line: str, rules: SiteRules) -> tuple[datetime | None, str, str]:
    """(date, rubrique, author) from a line like "16 décembre 2023 - 15h00 - Maroc - Ecrit par : S.A".

    The date is aware, in the site's time zone; a missing time means midnight. Any part may be
    missing from the line: it comes back as ``None`` or ``""``.
    """
    day = hour = minute = None
    rubrique = author = ""
    marker = fold(rules.author_marker) if rules.author_marker else None
    for segment in _SEGMENTS.split(clean_line(line)):
        folded = fold(segment)
        if day is None and (match := _DATE.fullmatch(folded)) and match.group(2) in _MONTHS:
            day = (int(match.group(3)), _MONTHS[match.group(2)], int(match.group(1)))
        elif hour is None and (match := _TIME.fullmatch(folded)):
            hour, minute = int(match.group(1)), int(match.group(2) or 0)
        elif marker and folded.startswith(marker):
            name = segment.split(":", 1)[1] if ":" in segment else segment[len(rules.author_marker) :]
            author = clean_line(name, 200)
        elif not rubrique and segment:
            rubrique = clean_line(segment, 200)
    date = None
    if day is not None:
        try:
            date = datetime(*day, hour or 0, minute or 0, tzinfo=ZoneInfo(rules.timezone))
        except ValueError:  # 31 février
            date = None
    return date, rubrique, author


# --- title, lead, body --------------------------------------------------------------------------


def _first_text(tree: LexborHTMLParser, selectors: tuple[str, ...]) -> tuple[LexborNode | None, str]:
    for selector in selectors:
        for node in tree.css(selector):
            text = clean_line(node.text())
            if text:
                return node, text
    return None, ""


def _body(tree: LexborHTMLParser, url: str, rules: SiteRules, lead_text: str) -> str:
    """The body's blocks as Markdown, up to the first related-section label, without share lines."""
    labels = tuple(fold(label) for label in rules.section_labels)
    drops = tuple(fold(x) for x in rules.drop_texts)
    read_also = fold(rules.read_also) if rules.read_also else None
    lead = fold(lead_text)
    blocks: list[str] = []
    for selector in rules.body:
        for node in tree.css(selector):
            text = fold(clean_line(node.text()))
            if not text or text == lead or any(drop in text for drop in drops):
                continue
            if text.startswith(labels):
                break
            rebuilt = (
                _read_also(node, url, rules.read_also) if read_also and text.startswith(read_also) else ""
            )
            blocks.append(rebuilt or node.html or "")
        if blocks:
            break
    return html_to_markdown("".join(blocks), url) if blocks else ""


def _read_also(node: LexborNode, url: str, label: str) -> str:
    """An "À lire : <title>" paragraph rebuilt in one canonical shape, or "" if it has no link."""
    for link in node.css("a[href]"):
        target = link_target(link.attributes.get("href"), url)
        title = clean_line(link.text())
        if target and title:
            return f'<p>{escape(label)} : <a href="{escape(target)}">{escape(title)}</a></p>'
    return ""


# --- related sections, found by their labels ----------------------------------------------------

# Never part of a related section: reaching one of these ends it.
_CHROME = frozenset({"nav", "footer", "form", "aside", "header"})
_SKIPPED = frozenset({"script", "style", "noscript", "template", "iframe", "svg", "select", "button"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_INLINE = frozenset({"span", "strong", "b", "em", "i", "small", "font", "label", "a", "u", "abbr"})
_BLOCKS = frozenset({"p", "div", "li", "dd", "dt", "section", "article"} | _HEADINGS)
_MAX_ENTRIES = 40


def _find_labels(root: LexborNode, labels: tuple[str, ...]) -> dict[str, LexborNode]:
    """The first text node starting with each label (case- and accent-insensitive), not in a link."""
    wanted = {fold(label): label for label in labels}
    found: dict[str, LexborNode] = {}
    initials = {key[:1] for key in wanted}
    for node in root.traverse(include_text=True):
        if not node.is_text_node:
            continue
        text = (node.text_content or "").strip()
        if not text or fold(text[:1]) not in initials or node.parent is None or node.parent.tag in _SKIPPED:
            continue
        head = fold(text[:120])
        for key, label in wanted.items():
            if label not in found and head.startswith(key) and not _inside(node, "a"):
                found[label] = node
    return found


def _inside(node: LexborNode, tag: str) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == tag:
            return True
        parent = parent.parent
    return False


def _tags(label_node: LexborNode, url: str, label: str, stops: tuple[str, ...]) -> list[str]:
    """Tags after a "Sujets associés :" label: its block's links, else the next block's links,
    else the block's text split on " - "."""
    block = label_node.parent
    while block is not None and block.tag in _INLINE:
        block = block.parent
    if block is None:
        return []
    links = _links_after(block, label_node, url, stops)
    if not links and not _text_after(block, label_node):
        sibling = block.next
        while sibling is not None and not sibling.is_element_node:
            sibling = sibling.next
        if sibling is not None:
            links = _links_after(sibling, None, url, stops)
    if links:
        names = [link.title for link in links]
    else:
        text = clean_line(block.text())
        head, colon, rest = text.partition(":")
        text = rest if colon and len(head) <= len(label) + 2 else text[len(label) :]
        names = [clean_line(name, 200) for name in _SEGMENTS.split(text.strip(" -–"))]
    return list(dict.fromkeys(name for name in names if name))


def _text_after(block: LexborNode, label_node: LexborNode) -> bool:
    """Whether ``block`` holds any text besides its label."""
    own = (label_node.text_content or "").strip()
    text = clean_line(block.text())
    rest = text[len(clean_line(own)) :].strip(" :")
    return bool(rest)


def _section_links(label_node: LexborNode, url: str, stops: tuple[str, ...]) -> list[Link]:
    """The entries of a related section: the links after its label, each with the text after it.

    The section lives in the nearest ancestor of the label that holds links; it ends at the next
    known label, at a heading without links (another box), or at page chrome (nav, footer, …).
    """
    container = label_node.parent
    while container is not None and container.css_first("a[href]") is None:
        container = container.parent
    if container is None:
        return []
    return _links_after(container, label_node, url, stops)


def _links_after(
    container: LexborNode, start: LexborNode | None, url: str, stops: tuple[str, ...]
) -> list[Link]:
    entries: list[_Entry] = []
    started = start is None
    start_id = start.mem_id if start is not None else None
    link_id = None  # mem_id of the link being read
    current: _Entry | None = None
    for event, node in _events(container):
        if not started:
            started = event == "text" and node.mem_id == start_id
            continue
        if event == "text":
            text = clean_line(node.text_content or "")
            if not text:
                continue
            if link_id is None and fold(text[:120]).startswith(stops):
                break
            if current is not None:
                reading_title = link_id is not None and not current.title_done
                (current.title if reading_title else current.summary).append(text)
            continue
        tag = node.tag or ""
        if event == "end":
            if node.mem_id == link_id:
                link_id = None
                if current is not None and current.title:
                    current.title_done = True
            elif link_id is not None and tag in _BLOCKS and current is not None and current.title:
                current.title_done = True  # a card: title block, then summary, all in one link
            continue
        if tag in _CHROME:
            break
        if tag in _HEADINGS and link_id is None and node.css_first("a[href]") is None:
            break
        if tag == "img" and link_id is not None and current is not None:
            current.alt = current.alt or clean_line(node.attributes.get("alt") or "", 300)
        if tag == "a" and link_id is None:
            target = link_target(node.attributes.get("href"), url)
            if not target:
                continue
            link_id = node.mem_id
            if current is not None and current.url == target and not current.summary:
                current.title_done = False
                continue
            if len(entries) >= _MAX_ENTRIES:
                break
            current = _Entry(target)
            entries.append(current)
    links = []
    for entry in entries:
        title = clean_line(" ".join(entry.title), 300) or entry.alt
        if title:
            links.append(Link(title=title, url=entry.url, summary=clean_line(" ".join(entry.summary), 1000)))
    return links


class _Entry:
    __slots__ = ("url", "title", "summary", "alt", "title_done")

    def __init__(self, url: str) -> None:
        self.url = url
        self.title: list[str] = []
        self.summary: list[str] = []
        self.alt = ""
        self.title_done = False


def _events(root: LexborNode) -> Iterator[tuple[str, LexborNode]]:
    """("start", element), ("text", node), ("end", element) in document order, without recursion."""
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            yield "end", node
        elif node.is_text_node:
            yield "text", node
        elif node.is_element_node and node.tag not in _SKIPPED:
            yield "start", node
            stack.append((node, True))
            children = list(node.iter(include_text=True))
            children.reverse()
            stack.extend((child, False) for child in children)


def _host(url: str) -> str:
    # Asked of every new article of a refresh (which rules serve it): a feed's plain links are
    # read with one match, ten times sooner than by splitting them.
    simple = SIMPLE_WEB_URL.fullmatch(url)
    if simple is not None:
        return simple["host"].lower().rstrip(".")
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""
