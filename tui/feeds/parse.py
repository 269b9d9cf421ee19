"""Feed documents to articles: the pipeline's one entry, :func:`parse_feed`.

A document is sniffed (:mod:`tui.feeds.sniff`), then read by one road into entries: JSON Feed
(:mod:`tui.feeds.jsonfeed`); well-formed RSS 2.0 and Atom 1.0 in UTF-8, nearly every feed, by the
fast lxml walk (:mod:`tui.feeds.fast`); anything else by feedparser (:mod:`tui.feeds.tolerant`).
One normaliser (:mod:`tui.feeds.normalise`) turns the entries into sanitized articles, whichever
road read them. ``tests/feeds/test_differential.py`` holds the fast road to feedparser's articles.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from tui.feeds import text
from tui.feeds.entities import only_xml_entities, readable_markup
from tui.feeds.entry import FeedDocument, FeedEntry, FeedParseError, ParsedFeed
from tui.feeds.fast import read_well_formed
from tui.feeds.jsonfeed import read_json_feed
from tui.feeds.normalise import articles_of, feed_title, web_url
from tui.feeds.sniff import charset_of, root_element, sniff_text
from tui.feeds.tolerant import read_tolerant
from tui.model import check_deadline, newest

__all__ = ["FeedParseError", "ParsedFeed", "parse_feed", "warm_up"]

# The road for well-formed feeds: returns None for a document it does not read exactly as the
# tolerant road would (the differential test holds it to that).
FastRoad = Callable[[bytes, str], FeedDocument | None]


def parse_feed(
    data: bytes,
    url: str,
    *,
    source: str = "",
    content_type: str = "",
    fast: FastRoad | None = read_well_formed,
    deadline: float | None = None,
    stored: Mapping[str, str] | None = None,
) -> ParsedFeed:
    """Read a feed document fetched from ``url`` (the base of its relative links).

    ``fast`` is the road tried first on XML (None: feedparser reads every XML document).
    Whatever the road, only the :data:`~tui.model.MAX_ITEMS_PER_DOCUMENT` newest entries become
    articles. Raises :class:`FeedParseError`, and nothing else, when the document is not a feed
    we can read; :class:`TimeoutError` once ``deadline`` has passed (:func:`tui.model.check_deadline`).
    ``stored``: the digests of the entries the store holds articles from, and their ids
    (:func:`tui.feeds.normalise.articles_of`); those entries are not read again.
    """
    try:
        check_deadline(deadline)
        head = sniff_text(data) if data else ""
        start = head.lstrip()
        if not start:
            raise FeedParseError("empty document")
        if start.startswith(("{", "[")):
            document = read_json_feed(data)
            articles, empty, unchanged = articles_of(
                _newest(document.entries, deadline), url, source, deadline, stored
            )
            skipped = document.unreadable + empty
            bozo = f"The feed is malformed: {skipped} of its items could not be read." if skipped else ""
            return _feed(document, articles, url, bozo, unchanged)
        root = root_element(head)
        if root is not None and root.lower() in ("html", "head", "body"):
            raise FeedParseError("not a feed: the document is an HTML page")
        charset = charset_of(content_type)
        read = fast(data, charset) if fast is not None else None
        if read is None:
            # No entity may be declared, none but XML's expanded (tui.feeds.entities says why);
            # markup must read as ASCII for that: a UTF-16 or UTF-7 document is made UTF-8 first.
            readable, charset = readable_markup(data, charset)
            safe = only_xml_entities(readable)
            # What is left may be a document the fast road reads (a DOCTYPE gone, undeclared
            # entities made text, UTF-8 now): no string per reference then, as feedparser keeps.
            if fast is not None and safe != data:
                read = fast(safe, charset)
        document = read if read is not None else read_tolerant(safe, head, charset)
        articles, _, unchanged = articles_of(
            _newest(document.entries, deadline), url, source, deadline, stored
        )
        return _feed(document, articles, url, document.bozo, unchanged)
    except (FeedParseError, TimeoutError):
        raise
    except Exception as exc:  # feedparser and malformed input: the contract is one exception type
        raise FeedParseError(f"the feed could not be read ({type(exc).__name__})") from exc


def _newest(entries: list[FeedEntry], deadline: float | None) -> list[FeedEntry]:
    check_deadline(deadline)
    return newest(entries, lambda entry: entry.date)


def _feed(document: FeedDocument, articles: list, url: str, bozo: str, unchanged: list[str]) -> ParsedFeed:
    return ParsedFeed(
        title=feed_title(document.title, document.title_html),
        link=web_url(document.link, url),
        articles=articles,
        bozo=bozo,
        unchanged=unchanged,
    )


def warm_up() -> None:
    """Import and build what reading a feed needs, so that the first feed read pays nothing more."""
    text.warm_up()
    read_well_formed(b"<rss/>")
