"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org) to the pipeline's entries."""

from __future__ import annotations

import json
import re

from tui.feeds.entry import FeedDocument, FeedEntry, FeedParseError
from tui.feeds.normalise import date_from_text


def read_json_feed(data: bytes) -> FeedDocument:
    """The entries of a JSON Feed; raises FeedParseError when ``data`` is not one."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise FeedParseError("not a feed: the document is not valid JSON") from exc
    items = document.get("items") if isinstance(document, dict) else None
    version = document.get("version") if isinstance(document, dict) else None
    if not isinstance(items, list) and not (isinstance(version, str) and "jsonfeed.org" in version):
        raise FeedParseError("not a feed: the JSON document is not a JSON Feed")
    entries = [_entry(item) for item in items or () if isinstance(item, dict)]
    return FeedDocument(
        title=_json_str(document.get("title")),
        link=_json_str(document.get("home_page_url")),
        entries=entries,
        unreadable=len(items or ()) - len(entries),
    )


def _entry(item: dict) -> FeedEntry:
    content_html = _json_str(item.get("content_html"))
    authors = item.get("authors")
    if not isinstance(authors, list):  # JSON Feed 1.0 has a single "author"
        authors = [item.get("author")]
    names = [_json_str(a.get("name")) for a in authors if isinstance(a, dict)]
    tags = item.get("tags")
    item_id = item.get("id")
    return FeedEntry(
        guid=str(item_id) if type(item_id) is int else _json_str(item_id),  # some feeds use numbers
        title=_json_str(item.get("title")),
        link=_json_str(item.get("url")) or _json_str(item.get("external_url")),
        summary=_json_str(item.get("summary")),
        content=content_html or _json_str(item.get("content_text")),
        content_html=bool(content_html),
        date=date_from_text(_json_str(item.get("date_published")))
        or date_from_text(_json_str(item.get("date_modified"))),
        tags=[_json_str(tag) for tag in tags] if isinstance(tags, list) else [],
        author=", ".join(name for name in names if name),
    )


def _json_str(value: object) -> str:
    # "\ud800" is valid JSON but no character: a lone surrogate would break every later encode.
    return _SURROGATE.sub("\ufffd", value) if isinstance(value, str) else ""


_SURROGATE = re.compile("[\ud800-\udfff]")
