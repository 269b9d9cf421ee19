"""What the core hands to the UI and the command line: articles, links and topics.

Every string in these objects has already been through :mod:`tui.sanitize`; the parsers and
extractors that build them are responsible for that.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Literal, TypeVar

# Re-exported: what the lists show, kept apart so that the reader's first frame does without
# the articles' model (tui.topic).
from tui.topic import ALL as ALL
from tui.topic import Topic as Topic
from tui.topic import TopicKind as TopicKind
from tui.topic import fold as fold

#: The most articles one document (a feed, a listing page) may bring: beyond it, the rest is
#: dropped, so that a hostile document cannot fill the store in one read.
MAX_ITEMS_PER_DOCUMENT = 1000

# What one article may hold, whatever its parser or its site (SECURITY.md lists them): nothing
# longer is stored (the store applies :func:`capped` to every article it writes) or shown (the
# document the reader renders is capped again, for a store written before the caps).
TITLE_LIMIT = 500  # characters
NAME_LIMIT = 200  # an author, a rubrique, one tag
TAGS_LIMIT = 100  # tags per article
LINE_LIMIT = 2000  # the guid, the site's date line, the notice, a related link's title or summary
URL_LIMIT = 8192  # a longer URL is dropped, never cut (a cut URL leads elsewhere)
LINKS_LIMIT = 200  # links per related section
SUMMARY_LIMIT = 50_000  # the feed's intro, and the page's lead
BODY_LIMIT = 2_000_000  # the body's Markdown, and a feed's HTML or text before its conversion

T = TypeVar("T")


def check_deadline(deadline: float | None) -> None:
    """Raise :class:`TimeoutError` once ``deadline`` (:func:`time.monotonic` seconds, the event
    loop's clock) has passed. Loops over a document's items call it now and then: a source's
    time budget (tui.sources.web) then bounds its parsing as well, which runs where it cannot be
    cancelled (a thread, a worker process)."""
    if deadline is not None and time.monotonic() > deadline:
        raise TimeoutError("the time budget is spent")


def newest(
    items: Sequence[T],
    date_of: Callable[[T], datetime | float | None],
    limit: int = MAX_ITEMS_PER_DOCUMENT,
) -> list[T]:
    """The ``limit`` newest of ``items``, in the document's order. ``date_of`` gives an item's
    date (or its epoch seconds); undated items count as the oldest, and between equals the one
    the document gives first is kept. Every road that reads a document (a feed, a listing, a
    JSON Feed) goes through here before the costly work per item."""
    if len(items) <= limit:
        return list(items)

    def key(index: int) -> tuple[float, int]:
        date = date_of(items[index])
        if date is None:
            return (float("-inf"), -index)
        if isinstance(date, float | int):
            return (float(date), -index)
        try:
            stamp = (date if date.tzinfo else date.replace(tzinfo=UTC)).timestamp()
        except (OverflowError, ValueError, OSError):
            stamp = float("-inf")
        return (stamp, -index)

    chosen = heapq.nlargest(limit, range(len(items)), key=key)
    return [items[index] for index in sorted(chosen)]


@dataclass(frozen=True, slots=True)
class Link:
    """A link an article points to: an "À lire" line or an entry of a related section."""

    title: str
    url: str
    summary: str = ""


@dataclass(frozen=True, slots=True)
class TopicPage:
    """Where a site lists a rubrique's or a tag's articles, as the site itself links it (a date
    line's rubrique, a feed's ``rel="directory"``/``rel="tag"``, "Sujets associés")."""

    kind: Literal["rubrique", "tag"]
    label: str
    url: str


@dataclass(slots=True)
class Article:
    """One article, as stored and shown. ``lead`` and ``body`` are sanitized Markdown."""

    guid: str
    title: str
    url: str = ""
    date: datetime | None = None  # always timezone-aware when set
    rubrique: str = ""
    tags: list[str] = field(default_factory=list)
    author: str = ""
    date_line: str = ""  # the site's own date line ("16 décembre 2023 - 15h00 - Maroc - …")
    summary: str = ""  # the feed's intro, plain text
    lead: str = ""
    body: str = ""
    related: list[Link] = field(default_factory=list)  # "Aller plus loin"
    suggested: list[Link] = field(default_factory=list)  # "Ces articles devraient vous intéresser"
    # The section headings as the page printed them ({"tags": "Tags", "related": "Nous vous
    # recommandons"}): labels are content, shown as the site wrote them; a section without one
    # takes the site's current wording.
    labels: dict[str, str] = field(default_factory=dict)
    source: str = ""  # the source's name
    full_text: bool = False  # True once ``body`` holds the whole article
    notice: str = ""  # one line shown above the text, e.g. why only the intro is here
    location: str = ""  # where it was read: a page URL, or a local file's file: URI
    topic_pages: list[TopicPage] = field(default_factory=list)  # kept by the store, not shown
    cut: bool = False  # its text (summary, lead or body) was longer than the caps and was cut
    # A digest of the feed entry it was read from (tui.feeds.normalise.entry_digest), kept by
    # the store: the same entry in a later document is not read again.
    entry_digest: str = ""

    @property
    def id(self) -> str:
        return article_id(self.guid or self.url)


def article_id(key: str) -> str:
    """A short id, stable across runs and machines, derived from an article's guid or URL."""
    # Imported here: hashlib loads OpenSSL's bindings, which the reader's first frame never needs.
    import hashlib

    return hashlib.blake2s(key.strip().encode("utf-8", "surrogatepass"), digest_size=5).hexdigest()


def capped(article: Article) -> Article:
    """``article`` itself when every field is within the caps above; else a copy cut to them,
    marked ``cut`` when its text (not only a name) was cut."""
    if (
        len(article.body) <= BODY_LIMIT
        and len(article.summary) <= SUMMARY_LIMIT
        and len(article.lead) <= SUMMARY_LIMIT
        and len(article.title) <= TITLE_LIMIT
        and len(article.author) <= NAME_LIMIT
        and len(article.rubrique) <= NAME_LIMIT
        and len(article.tags) <= TAGS_LIMIT
        and all(len(tag) <= NAME_LIMIT for tag in article.tags)
        and max(len(article.guid), len(article.date_line), len(article.notice)) <= LINE_LIMIT
        and max(len(article.url), len(article.location)) <= URL_LIMIT
        and len(article.related) <= LINKS_LIMIT
        and len(article.suggested) <= LINKS_LIMIT
        and all(_link_fits(link) for link in (*article.related, *article.suggested))
        and len(article.topic_pages) <= 2 * TAGS_LIMIT
        and all(len(label) <= NAME_LIMIT for label in article.labels.values())
    ):
        return article
    text_cut = (
        len(article.body) > BODY_LIMIT
        or len(article.summary) > SUMMARY_LIMIT
        or len(article.lead) > SUMMARY_LIMIT
    )
    return replace(
        article,
        guid=_cut_line(article.guid, LINE_LIMIT),
        title=_cut_line(article.title, TITLE_LIMIT),
        url=article.url if len(article.url) <= URL_LIMIT else "",
        location=article.location if len(article.location) <= URL_LIMIT else "",
        rubrique=_cut_line(article.rubrique, NAME_LIMIT),
        tags=[_cut_line(tag, NAME_LIMIT) for tag in article.tags[:TAGS_LIMIT]],
        author=_cut_line(article.author, NAME_LIMIT),
        date_line=_cut_line(article.date_line, LINE_LIMIT),
        notice=_cut_line(article.notice, LINE_LIMIT),
        summary=cut_text(article.summary, SUMMARY_LIMIT),
        lead=cut_text(article.lead, SUMMARY_LIMIT),
        body=cut_text(article.body, BODY_LIMIT),
        related=[_fitted(link) for link in article.related[:LINKS_LIMIT] if len(link.url) <= URL_LIMIT],
        suggested=[_fitted(link) for link in article.suggested[:LINKS_LIMIT] if len(link.url) <= URL_LIMIT],
        topic_pages=[
            page
            for page in article.topic_pages[: 2 * TAGS_LIMIT]
            if len(page.url) <= URL_LIMIT and len(page.label) <= NAME_LIMIT
        ],
        labels={key[:NAME_LIMIT]: _cut_line(label, NAME_LIMIT) for key, label in article.labels.items()},
        cut=article.cut or text_cut,
    )


def cut_text(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters: at its last paragraph break before the limit when
    that keeps at least half of it, else at the limit itself."""
    if len(text) <= limit:
        return text
    end = text.rfind("\n\n", limit // 2, limit)
    return text[: end if end > 0 else limit].rstrip()


def _cut_line(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _link_fits(link: Link) -> bool:
    return len(link.url) <= URL_LIMIT and max(len(link.title), len(link.summary)) <= LINE_LIMIT


def _fitted(link: Link) -> Link:
    if _link_fits(link):
        return link
    return Link(_cut_line(link.title, LINE_LIMIT), link.url, _cut_line(link.summary, LINE_LIMIT))


@dataclass(frozen=True, slots=True)
class SourceOutcome:
    """What refreshing one source came to."""

    key: str
    name: str
    new: int = 0
    error: str = ""  # one sentence; "" when the source answered
    reason: str = ""  # why, as tui.reasons encodes it (code and parameters) for the UI to word
    retry_at: float | None = None  # not asked again before this time (epoch seconds) unless on demand
    skipped: bool = False  # not asked this time: still waiting until ``retry_at``
