"""What the core hands to the UI and the command line: articles, links and topics.

Every string in these objects has already been through :mod:`tui.sanitize`; the parsers and
extractors that build them are responsible for that.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

#: The most articles one document (a feed, a listing page) may bring: beyond it, the rest is
#: dropped, so that a hostile document cannot fill the store in one read.
MAX_ITEMS_PER_DOCUMENT = 1000


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

    @property
    def id(self) -> str:
        return article_id(self.guid or self.url)


def article_id(key: str) -> str:
    """A short id, stable across runs and machines, derived from an article's guid or URL."""
    return hashlib.blake2s(key.strip().encode("utf-8", "surrogatepass"), digest_size=5).hexdigest()


def fold(text: str) -> str:
    """Case- and accent-insensitive key: "Société" and "societe" meet; œ and æ are spelled out."""
    text = text.casefold().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


TopicKind = Literal["all", "unread", "saved", "source", "rubrique", "tag", "search"]


@dataclass(frozen=True, slots=True)
class Topic:
    """What the article list shows: a view, a source, a rubrique, a tag (``key`` is folded) or
    the results of a search (``key`` is the query as typed)."""

    kind: TopicKind = "all"
    key: str = ""
    label: str = ""

    @classmethod
    def of(cls, kind: TopicKind, label: str = "") -> Topic:
        return cls(kind, fold(label) if kind in ("rubrique", "tag") else label, label)


ALL = Topic("all")


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
