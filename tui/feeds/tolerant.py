"""The tolerant road: feedparser (public API only) reads what the fast road does not accept.

Broken XML, other encodings, RSS 0.9x/1.0, Atom 0.3, XHTML or base64 content, entity references:
feedparser recovers what it can. We ask it not to sanitize HTML (it is slow, and our own
conversion to plain text or Markdown drops scripts anyway), so nothing it returns is trusted:
:mod:`tui.feeds.normalise` sanitizes every field.
"""

from __future__ import annotations

import io
import re
import time
from datetime import UTC, datetime
from typing import Any

from tui.feeds.entry import FeedDocument, FeedEntry, FeedParseError, picture_of
from tui.feeds.normalise import date_from_text
from tui.sanitize import clean_line

_CHARACTER_REFERENCE = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")


def read_tolerant(data: bytes, head: str, charset: str) -> FeedDocument:
    """What feedparser reads of ``data`` (served with ``charset``); raises FeedParseError when it
    finds no feed. ``head`` is the document's start as text (:func:`tui.feeds.sniff.sniff_text`)."""
    import feedparser  # slow to import (BENCHMARKS.md): only when a feed is read, never at start-up

    # Given a header, feedparser reads a document that declares no encoding as latin-1 unless
    # the Content-Type names XML: name XML, with the server's charset if it sent one. No
    # Content-Location: with a base, feedparser resolves every element's xml:base (a third slower);
    # links are resolved against the feed's URL by the normaliser, once each.
    headers = {"content-type": "application/xml" + (f"; charset={charset}" if charset else "")}

    def parse(document: bytes) -> Any:
        # A BytesIO, never the bytes: feedparser opens a bytes argument as a file *name* if one exists.
        return feedparser.parse(
            io.BytesIO(document), response_headers=headers, sanitize_html=False, resolve_relative_uris=False
        )

    # ``data`` comes without a DTD or an entity declaration (tui.feeds.parse, tui.feeds.entities).
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
    title = feed.get("title")
    return FeedDocument(
        title=title if isinstance(title, str) else "",
        title_html=_is_html(feed.get("title_detail")),
        link=_text(feed.get("link")),
        entries=[_entry(entry) for entry in entries],
        bozo=bozo,
    )


def _possible_character(match: re.Match[bytes]) -> bytes:
    hexadecimal, decimal = match.groups()
    digits = hexadecimal or decimal
    code = int(digits, 16 if hexadecimal else 10) if len(digits) <= 8 else -1
    return match.group() if 0 <= code < 0xD800 or 0xDFFF < code <= 0x10FFFF else b"&#xfffd;"


def _entry(entry: Any) -> FeedEntry:
    content_html, content = False, ""
    for part in entry.get("content") or ():  # Atom content, content:encoded: the longest one
        value = part.get("value") or ""
        if len(value) > len(content):
            content, content_html = value, _is_html(part)
    return FeedEntry(
        guid=_text(entry.get("id")),
        title=_text(entry.get("title")),
        title_html=_is_html(entry.get("title_detail")),
        link=_text(entry.get("link")),
        summary=_text(entry.get("summary")),
        summary_html=_is_html(entry.get("summary_detail")),
        content=content,
        content_html=content_html,
        date=_date(entry.get("published"), entry.get("published_parsed"))
        or _date(entry.get("updated"), entry.get("updated_parsed")),
        tags=[_text(tag.get("label") or tag.get("term")) for tag in entry.get("tags") or ()],
        author=_text((entry.get("author_detail") or {}).get("name") or entry.get("author")),
        picture=_text(
            picture_of(
                _dicts(entry.get("media_content")),
                _dicts(entry.get("enclosures")),
                _dicts(entry.get("media_thumbnail")),
            )
        ),
    )


def _dicts(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list):
        return []
    return [{k: v for k, v in item.items() if isinstance(v, str)} for item in value if isinstance(item, dict)]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _is_html(detail: Any) -> bool:
    # feedparser types RSS text as text/html; only Atom's type="text" says text/plain.
    return "html" in ((detail or {}).get("type") or "text/html")


def _date(text: Any, parsed: Any) -> datetime | None:
    """The date as written when Python's readers know it, else feedparser's reading of it."""
    found = date_from_text(text) if isinstance(text, str) else None
    if found is None and isinstance(parsed, time.struct_time | tuple) and parsed:
        try:  # feedparser's reading of the other formats it knows, already in UTC
            return datetime(*parsed[:6]).replace(tzinfo=UTC)
        except (ValueError, TypeError, OverflowError):
            return None
    return found
