"""What every road through the feed pipeline gives, and what the pipeline gives back.

A road (the fast lxml walk, feedparser, the JSON Feed reader) turns a document into a
:class:`FeedDocument` of :class:`FeedEntry`: the dozen raw fields an article is made of, untrusted
and unsanitized. :mod:`tui.feeds.normalise` alone turns them into sanitized Articles, so that
every road gives the same articles for the same entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tui.model import Article


@dataclass(slots=True)
class FeedEntry:
    """One item or entry as the feed wrote it (text still HTML when ``*_html`` says so)."""

    guid: str = ""
    title: str = ""
    title_html: bool = False
    link: str = ""  # as written: relative links are resolved by the normaliser
    summary: str = ""
    summary_html: bool = False
    content: str = ""  # the longest content part (Atom content, content:encoded)
    content_html: bool = False
    date: datetime | None = None  # published, else updated; timezone-aware
    tags: list[str] = field(default_factory=list)
    author: str = ""


@dataclass(slots=True)
class FeedDocument:
    """A feed as one road read it."""

    title: str = ""
    title_html: bool = False
    link: str = ""
    entries: list[FeedEntry] = field(default_factory=list)
    bozo: str = ""  # why the document was malformed, when something was recovered
    unreadable: int = 0  # entries the road could not read at all (JSON Feed items not objects)


@dataclass(slots=True)
class ParsedFeed:
    title: str
    link: str  # the site's link, http(s) or ""
    articles: list[Article] = field(default_factory=list)
    bozo: str = ""  # one sentence when the feed was malformed but something was recovered
    # Ids of the stored articles whose entries came again unchanged (parse_feed's ``stored``):
    # they are not among ``articles``, which were not read again for them.
    unchanged: list[str] = field(default_factory=list)


class FeedParseError(Exception):
    """The document is not a feed we can read. The message is one sentence, fit for the user."""
