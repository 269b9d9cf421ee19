"""The fast road: well-formed RSS 2.0 and Atom 1.0 in UTF-8, read with lxml into the entries
feedparser would give.

feedparser spends nearly all its time in its Python SAX handlers; lxml builds the tree of the
same feed many times sooner (BENCHMARKS.md, "The fast road"). The walk follows feedparser 6's
rules (:mod:`tui.feeds.fast_rules`) where they change an article: which element sets which field
and which one wins when an element repeats, the "title depth" that keeps an item's first title,
a permalink guid standing in for a missing link, the HTML guess for RSS text, the split of an
author into name and e-mail, the merging of tags, the repair of UTF-8 read as Latin-1 and the
Windows-1252 reading of C1 characters.

It reads only documents whose every part it knows that way and returns None for anything else,
and the tolerant road (feedparser) reads them: another encoding, a DOCTYPE, a parser warning, a
namespace declared below the root element, ``xml:base`` below it, markup (XHTML) or base64
content, an element to which feedparser gives a meaning not reproduced here, an unknown element
holding a known one, a date neither ISO 8601 nor RFC 822. Entities are never resolved; no DTD
and nothing from the network is loaded.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import mktime_tz, parsedate_tz
from typing import Any

from tui.feeds.entry import FeedDocument, FeedEntry, picture_of
from tui.feeds.fast_rules import (
    ATOM,
    AUTHOR,
    CATEGORY,
    CONTENT,
    DESCRIPTION,
    ENTITY_IN_LINK,
    GUID,
    HTML_TYPES,
    LINK,
    PERSON_PARTS,
    PUBLISHED,
    SUMMARY,
    TEXT_TYPES,
    TITLE,
    UPDATED,
    add_tag,
    looks_like_html,
    map_content_type,
    repaired,
    save_author,
    sync_author_detail,
    utf8_body,
)
from tui.feeds.fast_xml import ElementReader, Unsupported, parse_xml
from tui.feeds.normalise import date_from_text
from tui.model import MAX_ITEMS_PER_DOCUMENT, newest


def read_well_formed(data: bytes, charset: str = "") -> FeedDocument | None:
    """The entries feedparser would read from ``data`` (served with ``charset``), or None when
    the document is not one this module reads exactly as feedparser does."""
    body = utf8_body(data, charset)
    if body is None:
        return None
    root = parse_xml(body)
    if root is None:
        return None
    try:
        feed, entries = _Walk(root, body).read()
        return FeedDocument(
            title=feed.get("title", ""),
            title_html="html" in feed.get("title_detail", {}).get("type", "text/html"),
            link=feed.get("link", ""),
            entries=[_entry(entry) for entry in entries],
        )
    except Unsupported:
        return None


class _Walk(ElementReader):
    """An RSS channel or an Atom feed and its items, into the dictionaries feedparser builds."""

    def __init__(self, root, body: bytes) -> None:
        super().__init__(root, body)
        self.title_depth = -1
        self.atom = False

    # -- the document as a whole --------------------------------------------------------------

    def read(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        root = self.root
        self._namespaces()
        name = self._name(root)
        self._attrs(root, root=True)  # its xml:base, and what it refuses
        if root.tag == "rss":
            channels = [child for child in root if isinstance(child.tag, str)]
            if len(channels) != 1 or self._name(channels[0]) != "channel":
                raise Unsupported
            channel, depth = channels[0], 3
            self._check_attrs(self._attrs(channel), ("href", "lastmod"))
        elif root.tag == f"{{{ATOM}}}feed" and name == "feed":
            self.atom = True
            channel, depth = root, 2
        else:
            raise Unsupported  # RSS 1.0, Atom 0.3, CDF...: feedparser
        feed: dict[str, Any] = {}
        entries: list[dict[str, Any]] = []
        items = [c for c in channel if isinstance(c.tag, str) and self._name(c) in ("item", "entry")]
        # The newest items only, chosen before each is read (the reading is the costly part).
        kept = (
            {id(item) for item in newest(items, self._item_date)}
            if len(items) > MAX_ITEMS_PER_DOCUMENT
            else None
        )
        for child in channel:
            if not isinstance(child.tag, str):
                continue
            kind = self._name(child)
            if kind in ("item", "entry"):
                if kept is None or id(child) in kept:
                    entries.append(self._entry(child, depth + 1))
            elif kind in TITLE:
                self._title(child, feed, depth)
            elif kind in LINK:
                self._link(child, feed, entry=False)
            elif kind in GUID:
                self._guid(child, feed)
            elif kind == "image":
                self._image(child, depth)
            elif kind in AUTHOR or kind == "contributor":
                self._person_harmless(child)
            elif kind in DESCRIPTION or kind in PUBLISHED or kind in UPDATED or kind in CATEGORY:
                self._harmless(child)  # the feed's own: no article is made of them
            else:
                self._other(child)
        return feed, entries

    def _item_date(self, item) -> float | None:
        """An item's date (published, else updated) in epoch seconds, read cheaply: only to
        choose the newest items of a document that holds too many."""
        published = updated = None
        for child in item:
            if not isinstance(child.tag, str):
                continue
            name = self._name(child)
            if published is None and name in PUBLISHED:
                published = child.text
            elif updated is None and name in UPDATED:
                updated = child.text
        for text in (published, updated):
            if text and (stamp := _epoch_seconds(text.strip())) is not None:
                return stamp
        return None

    # -- the feed and its items ----------------------------------------------------------------

    def _content_type(self, attrs: dict[str, str], default: str) -> str:
        content_type = map_content_type(attrs.get("type", default))
        if content_type not in TEXT_TYPES or "mode" in attrs:
            raise Unsupported  # markup, base64 and the like: feedparser
        return content_type

    def _typed_text(self, element, default: str) -> tuple[str, str]:
        """(value, type) of a title, summary or content element, as feedparser's pop() leaves them."""
        content_type = self._content_type(self._attrs(element), default)
        value = self._text(element)
        if not self.atom and content_type == "text/plain" and looks_like_html(value):
            content_type = "text/html"
        return repaired(value), content_type

    def _title(self, element, context: dict, depth: int) -> None:
        value, content_type = self._typed_text(element, "text/plain")
        if not -1 < self.title_depth <= depth:
            context["title"] = value
            context["title_detail"] = {"type": content_type}
        if value:
            self.title_depth = depth

    def _link(self, element, context: dict, *, entry: bool) -> None:
        attrs = self._attrs(element)
        rel = attrs.setdefault("rel", "alternate")
        attrs.setdefault("type", "application/atom+xml" if rel == "self" else "text/html")
        href = attrs.get("url", attrs.get("uri", attrs.get("href")))
        if href:
            attrs.pop("url", None)
            attrs.pop("uri", None)
            attrs["href"] = href
        if "href" in attrs:
            if len(element):
                raise Unsupported
            href = self._resolve(attrs["href"])
            if entry and attrs["rel"] == "enclosure":
                context.setdefault("enclosures", []).append({**attrs, "href": href})
            if attrs["rel"] == "alternate" and map_content_type(attrs["type"]) in HTML_TYPES:
                context["link"] = href
            return
        value = self._text(element)
        if value:
            value = self._resolve(value)
        value = repaired(value)
        if entry:
            value = value.replace("&amp;", "&")
        context["link"] = ENTITY_IN_LINK.sub(r"&\g<1>", value)

    def _guid(self, element, context: dict) -> None:
        is_link = self._attrs(element).get("ispermalink", "true") == "true"
        value = self._text(element)
        if value and is_link:
            value = self._resolve(value)
        value = repaired(value)
        context["id"] = value
        if is_link and "link" not in context:
            context["link"] = value

    def _image(self, element, depth: int) -> None:
        """The channel's image: its title and link are the image's, but its title moves the
        title depth that decides whether a later channel title counts."""
        if self._attrs(element):
            raise Unsupported
        self.title_depth = -1
        for child in element:
            if not isinstance(child.tag, str):
                continue
            name = self._name(child)
            if name not in ("title", "link", "url", "width", "height", "description") or child.attrib:
                raise Unsupported
            value = self._text(child)
            if name == "title" and repaired(value):
                self.title_depth = depth + 1

    def _entry(self, item, depth: int) -> dict[str, Any]:
        self._check_attrs(self._attrs(item), ("href", "lastmod"))
        entry: dict[str, Any] = {}
        self.title_depth = -1
        has_content = summary_seen = False
        names = self.names
        for child in item:
            tag = child.tag  # lxml builds the string at each access
            if not isinstance(tag, str):
                continue
            name = names.get(tag) or self._tag_name(tag)
            if name in TITLE:
                self._title(child, entry, depth)
            elif name == "media_title":
                title_depth = self.title_depth
                self._title(child, entry, depth)
                self.title_depth = title_depth
            elif name in LINK:
                self._link(child, entry, entry=True)
            elif name in GUID:
                self._guid(child, entry)
            elif name in PUBLISHED or name in UPDATED:
                key = "published" if name in PUBLISHED else "updated"
                self._attrs(child)
                entry[key] = repaired(self._text(child))
            elif name in CATEGORY:
                self._category(child, entry, name)
            elif name in AUTHOR:
                self._author(child, entry)
            elif name in DESCRIPTION or name in SUMMARY:
                if summary_seen and not has_content:
                    raise Unsupported  # feedparser would read this one as content
                value, content_type = self._typed_text(
                    child, "text/html" if name in DESCRIPTION else "text/plain"
                )
                entry["summary"] = value
                entry["summary_detail"] = {"type": content_type}
                summary_seen = True
            elif name in CONTENT:
                attrs = self._attrs(child)
                if "src" in attrs and name == "content":
                    raise Unsupported
                value, content_type = self._typed_text(child, CONTENT[name])
                entry.setdefault("content", []).append({"type": content_type, "value": value})
                entry.setdefault("summary", value)
                has_content = True
            elif name in _PICTURES:  # as feedparser lists them: an enclosure's url is its href
                self._harmless(child)
                attrs = self._attrs(child)
                if name == "enclosure" and "url" in attrs:
                    attrs["href"] = attrs.pop("url")
                elif name == "media_thumbnail" and "url" not in attrs and (text := self._text(child)):
                    attrs["url"] = repaired(self._resolve(text))  # feedparser takes its text for its address
                entry.setdefault(_PICTURES[name], []).append(attrs)
            elif name == "source":
                self._harmless(child)
                self.title_depth = -1
            elif name == "contributor":
                self._person_harmless(child)
            else:
                self._other(child)
        return entry

    def _category(self, element, entry: dict, name: str) -> None:
        attrs = self._attrs(element)
        if name == "media_category":
            attrs.setdefault("scheme", "http://search.yahoo.com/mrss/category_schema")
        tags = entry.setdefault("tags", [])
        add_tag(tags, attrs.get("term"), attrs.get("scheme", attrs.get("domain")), attrs.get("label"))
        value = repaired(self._text(element))
        if not value:
            return
        if tags and not tags[-1]["term"]:
            tags[-1]["term"] = value
        else:
            add_tag(tags, value, None, None)

    def _author(self, element, entry: dict) -> None:
        """feedparser's _start_author, _end_author and sync_author_detail, step by step."""
        self._attrs(element)
        entry.setdefault("authors", []).append({})
        parts = [child for child in element if isinstance(child.tag, str)]
        if parts:
            if (element.text or "").strip() or any((child.tail or "").strip() for child in element):
                raise Unsupported
            seen: set[str] = set()
            for child in parts:
                name = self._name(child)
                if name not in PERSON_PARTS or name in seen or child.attrib:
                    raise Unsupported
                seen.add(name)
                value = self._text(child)
                if name in ("name", "email"):  # read without expecting text: not repaired
                    save_author(entry, name, value)
                else:  # uri, url, homepage: an href, resolved and repaired
                    save_author(entry, "href", repaired(self._resolve(value) if value else value))
            entry["author"] = ""
        else:
            entry["author"] = repaired(self._text(element))
        sync_author_detail(entry)


# An item's picture elements, under the key feedparser lists each in.
_PICTURES = {
    "enclosure": "enclosures",
    "media_content": "media_content",
    "media_thumbnail": "media_thumbnail",
}


def _entry(entry: dict[str, Any]) -> FeedEntry:
    """The fields of the dictionary feedparser would have built for one entry."""
    content, content_html = "", False
    for part in entry.get("content", ()):  # Atom content, content:encoded: the longest one
        if len(part["value"]) > len(content):
            content, content_html = part["value"], "html" in part["type"]
    return FeedEntry(
        guid=entry.get("id", ""),
        title=entry.get("title", ""),
        title_html="html" in entry.get("title_detail", {}).get("type", "text/html"),
        link=entry.get("link", ""),
        summary=entry.get("summary", ""),
        summary_html="html" in entry.get("summary_detail", {}).get("type", "text/html"),
        content=content,
        content_html=content_html,
        date=_date(entry.get("published")) or _date(entry.get("updated")),
        tags=[tag["label"] or tag["term"] or "" for tag in entry.get("tags", ())],
        author=entry.get("author_detail", {}).get("name") or entry.get("author") or "",
        picture=picture_of(
            entry.get("media_content", ()), entry.get("enclosures", ()), entry.get("media_thumbnail", ())
        ),
    )


def _epoch_seconds(text: str) -> float | None:
    """An RFC 822 or ISO 8601 date in epoch seconds (UTC when it names no zone), or None."""
    parsed = parsedate_tz(text)
    if parsed is not None:
        try:
            return float(mktime_tz(parsed))
        except (OverflowError, ValueError):
            return None
    try:
        date = datetime.fromisoformat(text)
        return (date if date.tzinfo else date.replace(tzinfo=UTC)).timestamp()
    except (ValueError, OverflowError, OSError):
        return None


def _date(text: str | None) -> Any:
    """An aware datetime from the text of a date, or None when there is none; a date in another
    format (feedparser knows a dozen) makes feedparser read the document."""
    if not text:
        return None
    found = date_from_text(text)
    if found is None and text.strip():
        raise Unsupported
    return found
