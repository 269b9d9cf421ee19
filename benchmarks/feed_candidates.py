"""The candidate fast roads, each giving the pipeline's entries (tui.feeds.entry) so that the one
normaliser makes their articles: see feed_roads.py."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from tui.feeds.entry import FeedDocument, FeedEntry
from tui.feeds.fast import read_well_formed
from tui.feeds.normalise import date_from_text
from tui.feeds.sniff import charset_of

HEADER_CONTENT_TYPE = re.compile(rb"Header:\s*Content-type:\s*([^\r\n]+)", re.I)


def corpus_content_type(data: bytes) -> str:
    header = HEADER_CONTENT_TYPE.search(data[:2048])
    return header.group(1).decode("latin-1").strip() if header else ""


def _get(thing: Any, key: str) -> Any:
    if thing is None:
        return None
    return thing.get(key) if isinstance(thing, dict) else getattr(thing, key, None)


def _html(detail: Any) -> bool:
    return "html" in (_get(detail, "type") or "text/html")


def _date(text: Any, parsed: Any) -> datetime | None:
    found = date_from_text(text) if isinstance(text, str) else None
    if found is None and isinstance(parsed, time.struct_time):
        try:
            return datetime(*parsed[:6], tzinfo=UTC)
        except (ValueError, TypeError, OverflowError):
            return None
    return found


def _entry(entry: Any) -> FeedEntry:
    content, content_html = "", False
    for part in _get(entry, "content") or ():
        value = _get(part, "value") or ""
        if len(value) > len(content):
            content, content_html = value, _html(part)
    return FeedEntry(
        guid=_get(entry, "id") or "",
        title=_get(entry, "title") or "",
        title_html=_html(_get(entry, "title_detail")),
        link=_get(entry, "link") or "",
        summary=_get(entry, "summary") or "",
        summary_html=_html(_get(entry, "summary_detail")),
        content=content,
        content_html=content_html,
        date=_date(_get(entry, "published"), _get(entry, "published_parsed"))
        or _date(_get(entry, "updated"), _get(entry, "updated_parsed")),
        tags=[_get(tag, "label") or _get(tag, "term") or "" for tag in _get(entry, "tags") or ()],
        author=_get(_get(entry, "author_detail"), "name") or _get(entry, "author") or "",
    )


def _document(feed: Any, entries: Any) -> FeedDocument:
    return FeedDocument(
        title=_get(feed, "title") or "",
        title_html=_html(_get(feed, "title_detail")),
        link=_get(feed, "link") or "",
        entries=[_entry(entry) for entry in entries or ()],
    )


def _utf8(charset: str) -> bool:
    return charset.lower() in ("", "utf-8", "utf8")


def feedparser_rs_entries(data: bytes) -> Any:
    import feedparser_rs

    return feedparser_rs.parse(data, sanitize_html=False, resolve_relative_uris=False)


def feedparser_rs_alone(data: bytes, charset: str) -> FeedDocument | None:
    """feedparser-rs for every XML document it finds a feed in."""
    result = feedparser_rs_entries(data)
    if not result.version and not result.entries:
        return None  # feedparser refuses it, or finds what feedparser-rs did not
    return _document(result.feed, result.entries)


def feedparser_rs_fast(data: bytes, charset: str) -> FeedDocument | None:
    """feedparser-rs for what it reads without complaint as RSS 2.0 or Atom 1.0 in UTF-8."""
    if not _utf8(charset):
        return None
    result = feedparser_rs_entries(data)
    if result.bozo or result.version not in ("rss20", "atom10") or result.encoding.lower() != "utf-8":
        return None
    return _document(result.feed, result.entries)


def fastfeedparser_entries(data: bytes) -> Any:
    import fastfeedparser

    return fastfeedparser.parse(data)


def fastfeedparser_fast(data: bytes, charset: str) -> FeedDocument | None:
    """fastfeedparser for what it reads without raising."""
    if not _utf8(charset):
        return None
    try:
        result = fastfeedparser_entries(data)
    except ValueError:
        return None
    return _document(result.get("feed"), result.get("entries"))


def fastfeedparser_alone(data: bytes, charset: str) -> FeedDocument | None:
    try:
        result = fastfeedparser_entries(data)
    except ValueError:
        return None
    return _document(result.get("feed"), result.get("entries"))


def tolerant_entries(data: bytes) -> Any:
    import io

    import feedparser

    return feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)


# name -> a fast road (bytes, charset -> entries, or None for feedparser to read the document)
FAST_ROADS: dict[str, Callable[[bytes, str], FeedDocument | None]] = {
    "lxml walk": read_well_formed,
    "feedparser-rs": feedparser_rs_fast,
    "feedparser_rs": feedparser_rs_fast,  # by module name, for the tests
    "feedparser-rs alone": feedparser_rs_alone,
    "fastfeedparser": fastfeedparser_fast,
    "fastfeedparser alone": fastfeedparser_alone,
}

# name -> bytes to the library's own entries (what the road costs before the normaliser)
ENTRIES: dict[str, Callable[[bytes], Any]] = {
    "feedparser": tolerant_entries,
    "lxml walk": read_well_formed,
    "feedparser-rs": feedparser_rs_entries,
    "fastfeedparser": fastfeedparser_entries,
}

__all__ = ["ENTRIES", "FAST_ROADS", "charset_of", "corpus_content_type"]
