"""A site's listing pages (a rubrique's or a tag's page, newest first, paged): the articles they
list and the link to the next page.

Like article pages, listings are read through rules given as data: the selectors of the site's
entries (Bladi.net's 2018 markup: ``div.grid4 > a`` holding ``span.accueildate`` and ``p.big``;
older ``div.grid3 > a > h2``). When no entry selector matches (a redesign), every link of the
page that has the site's article URL form is an entry, so a listing degrades to titles without
dates rather than to nothing. Links off the site's own hosts are never entries, and boxes the
site repeats on every page ("Les plus populaires de la semaine", menus) are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tui.extract.date_line import parse_date_line
from tui.extract.html_tree import parse_html
from tui.extract.markdown import link_target
from tui.extract.site_rules import ListingRules, SiteRules
from tui.model import MAX_ITEMS_PER_DOCUMENT, Article, fold
from tui.sanitize import clean_line, clean_url

_TITLE_LIMIT = 500


@dataclass(frozen=True, slots=True)
class ListingEntry:
    url: str
    title: str
    date: datetime | None = None
    image: str = ""  # the thumbnail's URL, when the entry shows one


@dataclass(frozen=True, slots=True)
class ListingPage:
    entries: list[ListingEntry]
    next_url: str = ""  # "" when this is the last page

    def articles(self, source: str = "") -> list[Article]:
        """The entries as articles to store: identity from the URL, as a feed item's permalink."""
        return [
            Article(guid=entry.url, url=entry.url, title=entry.title, date=entry.date, source=source)
            for entry in self.entries
        ]


# Never entries: page chrome.
_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside", "form"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def read_listing(
    html: str, url: str, site: SiteRules, rules: ListingRules, *, limit: int = MAX_ITEMS_PER_DOCUMENT
) -> ListingPage:
    """The entries of a listing page fetched from ``url`` (at most ``limit``) and its next page."""
    url = clean_url(url)
    tree = parse_html(html)
    body = tree.body
    if body is None:
        return ListingPage([])
    skipped = _chrome_links(body, rules.chrome_headings)
    entries: dict[str, ListingEntry] = {}
    for selector in rules.entries:
        for node in body.css(selector):
            if len(entries) >= limit:
                break
            entry = _structured_entry(node, url, site, rules, skipped)
            if entry is not None and entry.url not in entries:
                entries[entry.url] = entry
        if entries:
            break
    if not entries:
        for node in body.css("a[href]"):
            if len(entries) >= limit:
                break
            target = link_target(node.attributes.get("href"), url)
            if node.mem_id in skipped or not site.is_article_url(target) or target in entries:
                continue
            title = clean_line(node.text(), _TITLE_LIMIT)
            if title:
                entries[target] = ListingEntry(target, title)
    entries.pop(url, None)
    return ListingPage(list(entries.values()), _next_page(tree, url, site, rules))


def _structured_entry(
    node: LexborNode, url: str, site: SiteRules, rules: ListingRules, skipped: set[int]
) -> ListingEntry | None:
    if node.mem_id in skipped:
        return None
    target = link_target(node.attributes.get("href"), url)
    if not target or not site.serves(target):
        return None
    title = ""
    for selector in rules.title:
        found = node.css_first(selector)
        if found is not None and (title := clean_line(found.text(), _TITLE_LIMIT)):
            break
    image_node = node.css_first(rules.image) if rules.image else None
    if not title:
        title = clean_line(node.text(), _TITLE_LIMIT)
        if not title and image_node is not None:
            title = clean_line(image_node.attributes.get("alt") or "", _TITLE_LIMIT)
    if not title:
        return None
    date = None
    for selector in rules.date:
        found = node.css_first(selector) or (node.parent.css_first(selector) if node.parent else None)
        if found is not None:
            date = parse_date_line(found.text(), author_markers=site.author_markers).when(site.timezone)
            if date is not None:
                break
    image = ""
    if image_node is not None:
        image = link_target(image_node.attributes.get("src"), url)
    return ListingEntry(target, title, date, image)


def _chrome_links(body: LexborNode, headings: tuple[str, ...]) -> set[int]:
    """The links inside page chrome (menus, footers…) or in a box headed by a chrome heading,
    up to the next heading: their ``mem_id``."""
    labels = tuple(fold(heading) for heading in headings)
    skipped: set[int] = set()
    for tag in _CHROME_TAGS:
        for box in body.css(tag):
            skipped.update(link.mem_id for link in box.css("a[href]"))
    if not labels:
        return skipped
    in_box = False
    for node in body.traverse():
        tag = node.tag or ""
        if tag in _HEADINGS:
            in_box = fold(clean_line(node.text())[:120]).startswith(labels)
        elif tag == "a" and in_box:
            skipped.add(node.mem_id)
    return skipped


def _next_page(tree: LexborHTMLParser, url: str, site: SiteRules, rules: ListingRules) -> str:
    """The next page's URL: a rel="next" link, a link labelled "suivant", or else the pagination
    link with the smallest offset beyond this page's (SPIP's ``?debut_…=N``); "" if none, or if
    it would lead off the site or back to this page."""
    candidates: list[str] = []
    for node in tree.css('link[rel~="next"][href], a[rel~="next"][href]'):
        candidates.append(link_target(node.attributes.get("href"), url))
    labels = tuple(fold(label) for label in rules.next_labels)
    for node in tree.css("a[href]"):
        text = fold(clean_line(node.text())[:40])
        if text and text in labels:
            candidates.append(link_target(node.attributes.get("href"), url))
    here = _page_offset(url, rules)
    if here is not None:
        best: tuple[int, str] | None = None
        for node in tree.css("a[href]"):
            target = link_target(node.attributes.get("href"), url)
            offset = _page_offset(target, rules) if target else None
            if offset is None or offset[0] != here[0] or offset[1] <= here[1]:
                continue
            if best is None or offset[1] < best[0]:
                best = (offset[1], target)
        if best is not None:
            candidates.append(best[1])
    this_page = url.split("#", 1)[0]
    for candidate in candidates:
        candidate = candidate.split("#", 1)[0]
        if candidate and candidate != this_page and site.serves(candidate):
            return candidate
    return ""


def _page_offset(url: str, rules: ListingRules) -> tuple[str, int] | None:
    """(the page's path, its offset in the listing) of a page of the same listing; the first
    page has no offset parameter: 0."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    offset = 0
    for name, value in parse_qsl(parts.query):
        if rules.page_parameter.search(name):
            if not value.isdigit() or len(value) > 9:
                return None
            offset = int(value)
    return parts.path, offset
