"""Where each rubrique and tag lives on its site, and how far its listing pages have been read.

A site says where a topic's articles are listed (a date line's rubrique link, a feed's
``rel="directory"`` and ``rel="tag"`` links, "Sujets associés"): the store keeps one such URL per
topic and source, from whichever of the source's articles said it last. Articles found on those
listing pages are stored under a source of their own (kind ``listing``) beside the one that
gave the URL, so that a refresh of the feed never mistakes them for its own, and the reader
lists them with it (:func:`with_listing_sources`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tui.article_keys import owned
from tui.model import Article, Topic, TopicPage, fold
from tui.sanitize import clean_line, clean_url, is_web_url
from tui.sources.kinds import LISTING_KIND
from tui.store.listing_sources import listing_key, origin_key
from tui.store.listing_sources import with_listing_sources as with_listing_sources  # re-exported


@dataclass(frozen=True, slots=True)
class TopicListing:
    """One source's listing of a topic, and the page its older articles continue on."""

    source_key: str
    url: str
    label: str = ""  # as the site spells it
    next_url: str = ""
    ended: bool = False  # the last page was read: there is nothing older


_RECORD = (
    "INSERT INTO topic_pages(kind, key, source_key, label, url) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT(kind, key, source_key) DO UPDATE SET label = excluded.label, url = excluded.url, "
    "next_url = CASE WHEN topic_pages.url = excluded.url THEN topic_pages.next_url ELSE '' END, "
    "ended = CASE WHEN topic_pages.url = excluded.url THEN topic_pages.ended ELSE 0 END "
    "WHERE topic_pages.url != excluded.url OR topic_pages.label != excluded.label"
)


def record_topic_pages(db: sqlite3.Connection, source_key: str, articles: Iterable[Article]) -> None:
    """Keep the listing URLs ``articles`` give for their topics (inside the caller's transaction)."""
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for article in articles:
        for page in article.topic_pages:
            label = clean_line(page.label, 200)
            url = clean_url(page.url)
            key = fold(label)
            if page.kind in ("rubrique", "tag") and key and is_web_url(url):
                found[page.kind, key] = (label, url)
    if found:
        origin = origin_key(source_key)
        db.executemany(
            _RECORD, [(kind, key, origin, label, url) for (kind, key), (label, url) in found.items()]
        )


def topic_listings(store, topic: Topic, source_keys: Sequence[str] | None = None) -> list[TopicListing]:
    """Each source's listing of ``topic`` (among ``source_keys``, when given)."""
    if topic.kind not in ("rubrique", "tag"):
        return []
    with store._reading() as db:
        rows = db.execute(
            "SELECT source_key, url, label, next_url, ended FROM topic_pages WHERE kind = ? AND key = ? "
            "ORDER BY source_key",
            (topic.kind, topic.key),
        ).fetchall()
    wanted = None if source_keys is None else {origin_key(key) for key in source_keys}
    return [
        TopicListing(key, url, label, next_url, bool(ended))
        for key, url, label, next_url, ended in rows
        if wanted is None or key in wanted
    ]


def find_topic_by_url(store, url: str) -> Topic | None:
    """The topic whose listing is at ``url``, if a site said so."""
    with store._reading() as db:
        row = db.execute(
            "SELECT kind, key, label FROM topic_pages WHERE url = ? LIMIT 1", (clean_url(url),)
        ).fetchone()
    return Topic(row[0], row[1], row[2]) if row else None


def add_topic_page(store, source_key: str, kind: str, label: str, url: str) -> None:
    """Keep a listing URL learnt outside an article (a link followed in the reader)."""
    holder = Article(guid="", title="", topic_pages=[TopicPage(kind, label, url)])  # type: ignore[arg-type]
    store._write(lambda db: record_topic_pages(db, source_key, [holder]))


def set_progress(store, topic: Topic, source_key: str, next_url: str, *, ended: bool) -> None:
    store._write(
        lambda db: db.execute(
            "UPDATE topic_pages SET next_url = ?, ended = ? WHERE kind = ? AND key = ? AND source_key = ?",
            (next_url, int(ended), topic.kind, topic.key, origin_key(source_key)),
        )
    )


def listing_read(store, url: str) -> tuple[float, str] | None:
    """(when, the next page's URL) of the last reading of a listing page, if it was read."""
    with store._reading() as db:
        row = db.execute("SELECT read_at, next_url FROM listing_reads WHERE url = ?", (url,)).fetchone()
    return (row[0], row[1]) if row else None


def note_listing_read(store, url: str, at: float, next_url: str) -> None:
    store._write(
        lambda db: db.execute(
            "INSERT INTO listing_reads(url, read_at, next_url) VALUES (?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET read_at = excluded.read_at, next_url = excluded.next_url",
            (url, at, next_url),
        )
    )


def store_listing_articles(
    store,
    source_key: str,
    source_name: str,
    articles: list[Article],
    *,
    validators: tuple[str, str, str] | None = None,
) -> int:
    """Store the articles of a listing page that the store does not hold yet, under the listing
    source of ``source_key``; returns how many were new. Articles already held (from the feed,
    an earlier page, a followed link) keep everything they have: a listing knows less."""
    key = listing_key(source_key)
    articles = [owned(article, key) for article in articles]  # their ids, as stored
    known = store.known_ids([article.id for article in articles])
    fresh = [article for article in articles if article.id not in known]
    store.ensure_sources([(key, source_name, LISTING_KIND)])
    return store.upsert_articles(key, fresh, validators=validators)
