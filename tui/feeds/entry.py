"""What every road through the feed pipeline gives, and what the pipeline gives back.

A road (the fast lxml walk, feedparser, the JSON Feed reader) turns a document into a
:class:`FeedDocument` of :class:`FeedEntry`: the dozen raw fields an article is made of, untrusted
and unsanitized. :mod:`tui.feeds.normalise` alone turns them into sanitized Articles, so that
every road gives the same articles for the same entries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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
    picture: str = ""  # the item's picture (picture_of), as written: resolved by the normaliser


_IMAGE_PATH = re.compile(r"\.(?:jpe?g|png|gif|webp)$", re.IGNORECASE)
# Enclosure types that say nothing of what the file is (Atom's link defaults to text/html).
_UNSAID_TYPES = ("", "text/html", "application/octet-stream")


def picture_of(
    media_content: Iterable[dict[str, str]],
    enclosures: Iterable[dict[str, str]],
    thumbnails: Iterable[dict[str, str]],
) -> str:
    """The address of an item's picture, from the lists feedparser gives (and the fast road
    builds alike): its first ``media:content`` that is an image, else its first image
    ``enclosure``, else its first ``media:thumbnail``; "" when it has none."""
    for attrs in media_content:
        url = attrs.get("url") or ""
        medium = (attrs.get("medium") or "").lower()
        if url and (medium == "image" or _is_image(url, attrs.get("type") or "", unsaid=not medium)):
            return url
    for attrs in enclosures:
        url = attrs.get("href") or attrs.get("url") or ""
        if url and _is_image(url, attrs.get("type") or "", unsaid=True):
            return url
    return next((attrs.get("url") or "" for attrs in thumbnails if attrs.get("url")), "")


def _is_image(url: str, content_type: str, *, unsaid: bool) -> bool:
    content_type = content_type.lower()
    if content_type.startswith("image/"):
        return content_type != "image/svg+xml"
    return unsaid and content_type in _UNSAID_TYPES and bool(_IMAGE_PATH.search(url.split("?")[0]))


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
