"""Site rules: a site's article markup described as data, and the one extractor that reads them.

A rule set names CSS selectors (each list tried in order, first non-empty match wins) and the
French labels the site prints, every wording it has used. The related sections are found by
their headings' *text* ("Aller plus loin", "Nous vous recommandons"), then by the links that
follow it, so a redesign that keeps the words keeps working; one that loses everything leaves
the title or body empty, and :mod:`tui.extract.page` then falls back on generic extraction.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tui.extract.capped_markdown import capped_html_to_markdown, capped_node_to_markdown
from tui.extract.date_line import parse_date_line, split_date_line
from tui.extract.markdown import link_target
from tui.model import Article, Link, TopicPage, fold
from tui.sanitize import SIMPLE_WEB_URL, clean_line


@dataclass(frozen=True, slots=True)
class ListingRules:
    """Where a site's listing pages put their entries, and what its chrome boxes are called."""

    entries: tuple[str, ...] = ()  # selectors of each entry's link, tried in order
    title: tuple[str, ...] = ()  # inside an entry's link
    date: tuple[str, ...] = ()  # inside an entry's link, or its parent block
    image: str = "img"
    chrome_headings: tuple[str, ...] = ()  # a heading starting with one of these opens a box to skip
    # SPIP pages its listings with a query parameter (debut_suite_rubrique=12, debut_articles=10…)
    page_parameter: re.Pattern[str] = re.compile(r"^debut_")
    # A topic's own page, a rubrique's or a tag's: SPIP's slug-only pages ("/maroc.html")
    topic_path: re.Pattern[str] = re.compile(r"^/[a-z0-9]+(?:-[a-z0-9]+)*\.html$")
    next_labels: tuple[str, ...] = ("suivant", "suivante", "page suivante", "next", "›", "»", ">")


@dataclass(frozen=True, slots=True)
class SiteRules:
    """Where a site puts each part of an article page, and what it calls them.

    Labels are lists: every wording the site has used over the years ("Sujets associés" today,
    "Tags" in 2016), matched case- and accent-insensitively ("A lire" is "À lire"), and shown
    as the page printed them.
    """

    name: str
    hosts: tuple[str, ...]
    # An article URL's path matches one of these; the group "id", when there, is the site's own
    # article number: URLs that differ but give the same number are the same article.
    article_paths: tuple[re.Pattern[str], ...]
    id_prefix: str = ""  # canonical ids read "<prefix>:<number>" ("bladi:103006")
    article_globs: tuple[str, ...] = ()  # the article_paths as SQLite GLOBs of "{id}"
    feeds: tuple[str, ...] = ()  # feeds the site serves without advertising them
    title: tuple[str, ...] = ("h1",)
    date_line: tuple[str, ...] = ()
    lead: tuple[str, ...] = ()
    lead_image: tuple[str, ...] = ()  # the article's illustration, above the lead
    body: tuple[str, ...] = ()  # the body's blocks, in document order
    container: tuple[str, ...] = ()  # the article's box: related lists without a heading sit in it
    read_also: tuple[str, ...] = ()  # a body paragraph starting with one links another article
    author_markers: tuple[str, ...] = ()  # in the date line, before the author's name
    tags_labels: tuple[str, ...] = ()
    related_labels: tuple[str, ...] = ()
    suggested_labels: tuple[str, ...] = ()
    drop_texts: tuple[str, ...] = ()  # a body block containing one of these is chrome
    timezone: str = "UTC"  # of the dates the site prints
    listing: ListingRules | None = None  # its rubriques' and tags' pages, read as a topic's sources

    @property
    def section_labels(self) -> tuple[str, ...]:
        """The labels that open the sections after the body."""
        return (*self.tags_labels, *self.related_labels, *self.suggested_labels)

    def serves(self, url: str) -> bool:
        return _host(url) in self.hosts

    def article_number(self, url: str) -> str | None:
        """The site's number for the article at ``url`` ("103006"), or None when ``url`` is not
        one of its article URLs or its form carries no number."""
        match = self._article_match(url)
        number = match.groupdict().get("id") if match is not None else None
        return (number.lstrip("0") or "0") if number else None

    def canonical_id(self, url: str) -> str | None:
        """``<id_prefix>:<number>`` for every URL form of one article, or None."""
        number = self.article_number(url) if self.id_prefix else None
        return f"{self.id_prefix}:{number}" if number else None

    def is_article_url(self, url: str) -> bool:
        return self._article_match(url) is not None

    def _article_match(self, url: str) -> re.Match[str] | None:
        if not self.serves(url):
            return None
        try:
            path = urlsplit(url).path
        except ValueError:
            return None
        return next((m for pattern in self.article_paths if (m := pattern.fullmatch(path))), None)


def extract_with_rules(tree: LexborHTMLParser, url: str, rules: SiteRules) -> Article:
    """What ``rules`` find on the page; any part they miss is left empty for the caller to fill."""
    article = Article(guid=url, url=url, title=_first_text(tree, rules.title)[1])
    line_node, article.date_line = _first_text(tree, rules.date_line)
    if line_node is not None:
        links = tuple(
            (clean_line(a.text()), link_target(a.attributes.get("href"), url) or "")
            for a in line_node.css("a[href]")
        )
        line = parse_date_line(
            article.date_line, author_markers=rules.author_markers, title=article.title, links=links
        )
        article.date = line.when(rules.timezone)
        article.rubrique, article.author = line.rubrique, line.author
        if line.rubrique_url:
            article.topic_pages.append(TopicPage("rubrique", line.rubrique, line.rubrique_url))
    lead_node, lead_text = _first_text(tree, rules.lead)
    if lead_node is not None and fold(lead_text) != fold(article.title):
        article.lead, lead_cut = capped_node_to_markdown(lead_node, url)
        article.cut = article.cut or lead_cut
    article.body, body_cut, listed = _body(tree, url, rules, lead_text)
    article.cut = article.cut or body_cut
    body = tree.body
    if body is not None:
        stops = tuple(fold(label) for label in rules.section_labels)
        if (node := _find_label(body, rules.tags_labels)) is not None:
            article.tags = _tags(node, url, rules.tags_labels, stops)
            article.labels["tags"] = _printed_label(node, rules.tags_labels)
            block = node.parent
            while block is not None and block.tag in _INLINE:
                block = block.parent
            article.topic_pages += _linked_pages(block, url, "tag", article.tags)
        if (node := _find_label(body, rules.related_labels)) is not None:
            article.related = _section_links(node, url, stops)
            if article.related:
                article.labels["related"] = _printed_label(node, rules.related_labels)
        if (node := _find_label(body, rules.suggested_labels)) is not None:
            article.suggested = _section_links(node, url, stops)
            if article.suggested:
                article.labels["suggested"] = _printed_label(node, rules.suggested_labels)
    if not article.related:
        article.related = listed or _unlabelled_list(tree, url, rules)
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


# --- title, lead, body --------------------------------------------------------------------------


def _first_text(tree: LexborHTMLParser, selectors: tuple[str, ...]) -> tuple[LexborNode | None, str]:
    for selector in selectors:
        for node in tree.css(selector):
            text = clean_line(node.text())
            if text:
                return node, text
    return None, ""


def _body(tree: LexborHTMLParser, url: str, rules: SiteRules, lead_text: str) -> tuple[str, bool, list[Link]]:
    """The body's blocks as Markdown, up to the first related-section label, without share lines
    or a repeat of the lead; whether their HTML was cut to the body's cap; and the related articles of a bullet list that ends the body
    without a heading (a layout of 2019)."""
    labels = tuple(fold(label) for label in rules.section_labels)
    drops = tuple(fold(x) for x in rules.drop_texts)
    read_also = tuple(fold(label) for label in rules.read_also)
    lead = fold(lead_text)
    nodes: list[LexborNode] = []
    for selector in rules.body:
        for node in tree.css(selector):
            text = fold(clean_line(node.text()))
            if not text and node.css_first("img") is not None:
                nodes.append(node)  # a picture of the body: kept in place
                continue
            if not text or any(drop in text for drop in drops):
                continue
            if text == lead or (not nodes and lead and _is_lead_again(text, lead)):
                continue
            if text.startswith(labels):
                break
            nodes.append(node)
        if nodes:
            break
    listed: list[Link] = []
    if nodes and nodes[-1].tag in ("ul", "ol"):
        listed = _list_entries(nodes[-1], url, rules)
        if listed:
            nodes.pop()
    blocks = []
    for node in nodes:
        text = fold(clean_line(node.text()))
        rebuilt = _read_also(node, url) if read_also and text.startswith(read_also) else ""
        blocks.append(rebuilt or node.html or "")
    body, cut = capped_html_to_markdown("".join(blocks), url) if blocks else ("", False)
    return body, cut, listed


def _is_lead_again(text: str, lead: str) -> bool:
    """Whether the body's first block is the lead once more, give or take its closing words."""
    shorter, longer = sorted((text, lead), key=len)
    return len(shorter) >= 0.8 * len(longer) and longer.startswith(shorter)


def _read_also(node: LexborNode, url: str) -> str:
    """An "À lire : <title>" paragraph rebuilt in one shape, with the label as the page printed
    it; "" if it has no link."""
    label = clean_line(node.text()).split(":", 1)[0].strip()
    for link in node.css("a[href]"):
        target = link_target(link.attributes.get("href"), url)
        title = clean_line(link.text())
        if target and title:
            return f'<p>{escape(label)} : <a href="{escape(target)}">{escape(title)}</a></p>'
    return ""


def _list_entries(node: LexborNode, url: str, rules: SiteRules) -> list[Link]:
    """A list whose every item is a link to one of the site's articles (with an optional teaser
    after it): related articles, however unlabelled. Any other list gives nothing."""
    entries = []
    for item in node.iter():
        if item.tag != "li":
            continue
        link = item.css_first("a[href]")
        target = link_target(link.attributes.get("href"), url) if link is not None else None
        title = clean_line(link.text(), 300) if link is not None else ""
        text = clean_line(item.text())
        if not target or not title or not rules.is_article_url(target) or not text.startswith(title):
            return []
        summary = clean_line(text[len(title) :].lstrip(" :-–—"), 1000)
        entries.append(Link(title=title, url=target, summary=summary))
        if len(entries) >= _MAX_ENTRIES:
            break
    return entries


def _unlabelled_list(tree: LexborHTMLParser, url: str, rules: SiteRules) -> list[Link]:
    """Related articles as a bare list after the body, inside the article's box."""
    for selector in rules.container:
        box = tree.css_first(selector)
        if box is None:
            continue
        # The first few lists only: a page of lists nested thousands deep would cost a square.
        for node in box.css("ul, ol")[:_MAX_LISTS]:
            if not any(_inside(node, tag) for tag in _CHROME) and (found := _list_entries(node, url, rules)):
                return found
    return []


# --- related sections, found by their labels ----------------------------------------------------

# Never part of a related section: reaching one of these ends it.
_CHROME = frozenset({"nav", "footer", "form", "aside", "header"})
_SKIPPED = frozenset({"script", "style", "noscript", "template", "iframe", "svg", "select", "button"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_INLINE = frozenset({"span", "strong", "b", "em", "i", "small", "font", "label", "a", "u", "abbr"})
_BLOCKS = frozenset({"p", "div", "li", "dd", "dt", "section", "article"} | _HEADINGS)
_MAX_ENTRIES = 40
_MAX_LISTS = 20


def _find_label(root: LexborNode, labels: tuple[str, ...]) -> LexborNode | None:
    """The first text node, in page order, starting with any of ``labels`` (case- and
    accent-insensitive), outside links."""
    wanted = tuple(fold(label) for label in labels)
    if not wanted:
        return None
    initials = {key[:1] for key in wanted}
    for node in root.traverse(include_text=True):
        if not node.is_text_node:
            continue
        text = (node.text_content or "").strip()
        if not text or fold(text[:1]) not in initials or node.parent is None or node.parent.tag in _SKIPPED:
            continue
        if fold(text[:120]).startswith(wanted) and not _inside(node, "a"):
            return node
    return None


def _printed_label(node: LexborNode, labels: tuple[str, ...]) -> str:
    """The label a text node starts with, spelled as the page printed it ("A lire", "Tags")."""
    text = clean_line(node.text_content or "", 200)
    for label in labels:
        printed = text[: len(label)]
        if fold(printed) == fold(label):
            return printed
    return labels[0]


def _inside(node: LexborNode, tag: str) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == tag:
            return True
        parent = parent.parent
    return False


def _tags(label_node: LexborNode, url: str, labels: tuple[str, ...], stops: tuple[str, ...]) -> list[str]:
    """Tags after a "Sujets associés :" or "Tags :" label: its block's links, else the next
    block's links, else the block's text after the label split on " - "."""
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
        names = split_date_line(_after_label(clean_line(block.text()), labels))
    return list(dict.fromkeys(name for name in names if name))


def _after_label(text: str, labels: tuple[str, ...]) -> str:
    """``text`` without the label it starts with ("Tags : A - B" gives "A - B")."""
    head, colon, rest = text.partition(":")
    if colon and fold(head).startswith(tuple(fold(label) for label in labels)):
        return rest.strip()
    words = text.split()
    for label in labels:
        count = len(label.split())
        if fold(" ".join(words[:count])) == fold(label):
            return " ".join(words[count:])
    return text


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
    # read with one match, much sooner than by splitting them (BENCHMARKS.md).
    simple = SIMPLE_WEB_URL.fullmatch(url)
    if simple is not None:
        return simple["host"].lower().rstrip(".")
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""
