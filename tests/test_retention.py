"""Retention at the scale of a real subscriber, over the loopback server: 100 feeds of 100 items
are all kept with the defaults, and a count cap takes only what no feed lists any more, read
articles first, never a saved one."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from tests.conftest import ROOT
from tui.article_keys import owned
from tui.config import FetchSettings, RetentionSettings, SourceSpec
from tui.model import ALL, Article
from tui.refresh import apply_retention, refresh_sources
from tui.store import Store

FEEDS = 100
START = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def item_guid(feed: int, number: int) -> str:
    return f"https://site{feed}.exemple.ma/article-{number}.html"


def stored_id(specs: list[SourceSpec], feed: int, number: int) -> str:
    """The id an item gets in the store: its guid is a URL on another host than its feed's,
    so it is keyed by its feed (tui/article_keys.py)."""
    return owned(Article(guid=item_guid(feed, number), title=""), specs[feed].key).id


def item_date(feed: int, number: int) -> datetime:
    # Every item of every feed at its own minute: "the oldest" is never a tie.
    return START + timedelta(minutes=number * FEEDS + feed)


def rss(feed: int, numbers) -> bytes:
    items = "".join(
        f"<item><title>Article {number} du site {feed}</title><link>{item_guid(feed, number)}</link>"
        f"<guid>{item_guid(feed, number)}</guid><pubDate>{format_datetime(item_date(feed, number))}</pubDate>"
        f"<description>Intro {number}</description>"
        f"<content:encoded><![CDATA[<p>Le texte complet de l'article {number}.</p>]]></content:encoded></item>"
        for number in numbers
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>Site {feed}</title><link>https://site{feed}.exemple.ma/</link>{items}</channel></rss>"
    ).encode()


def serve(loopback, numbers) -> list[str]:
    for feed in range(FEEDS):
        loopback.route(f"/feed/{feed}.xml", body=rss(feed, numbers), content_type="application/rss+xml")
    return [loopback.url(f"/feed/{feed}.xml") for feed in range(FEEDS)]


def test_a_fetch_of_100_feeds_of_100_items_with_the_defaults_keeps_all_10000(loopback, tmp_path):
    urls = serve(loopback, range(100))
    environment = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "HOME": str(tmp_path)}
    environment.pop("BLADI_TUI_CONFIG", None)  # no config file: the defaults
    fetch = subprocess.run(
        [sys.executable, "-m", "tui", "fetch", "--data-dir", str(tmp_path / "data"), *urls],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=300,
    )
    assert fetch.returncode == 0, fetch.stderr
    assert "10000 new article(s) from 100/100 source(s)" in fetch.stderr
    store = Store(tmp_path / "data" / "bladi-tui.sqlite3")
    try:
        assert sorted(state.count for state in store.sources()) == [100] * FEEDS
        assert store.view_counts()["all"] == (10000, 10000)
    finally:
        store.close()


def test_a_cap_of_5000_takes_the_oldest_unlisted_read_before_unread_never_listed_or_saved(loopback, tmp_path):
    store = Store(tmp_path / "store.sqlite3")
    specs = [
        SourceSpec(name=f"Site {f}", url=url, kind="feed") for f, url in enumerate(serve(loopback, range(40)))
    ]
    retention = RetentionSettings(max_age_days=90, max_articles=5000)

    def refresh() -> None:
        asyncio.run(refresh_sources(store, specs, fetch=FetchSettings()))
        apply_retention(store, retention, specs)

    refresh()
    assert store.view_counts()["all"][0] == 4000  # under the cap: nothing goes
    # The reader reads some of today's news and saves a few articles.
    read = {(f, n) for f in range(FEEDS) for n in range(40) if (f * 7 + n) % 3 == 0}
    saved = {(f, n) for f in range(FEEDS) for n in range(0, 40, 9)}
    by_key = {(f, n): store.find(stored_id(specs, f, n)).rowid for f in range(FEEDS) for n in range(40)}
    store.set_read([by_key[k] for k in read])
    for key in saved:
        store.set_saved(by_key[key], True)

    # The feeds move on: each drops its 20 oldest items and lists 20 new ones.
    serve(loopback, range(20, 60))
    refresh()

    keys = {stored_id(specs, f, n): (f, n) for f in range(FEEDS) for n in range(60)}
    kept = {keys[store.article(rowid).article.id] for rowid in store.topic_rowids(ALL)}
    assert len(kept) == 5000
    listed = {(f, n) for f in range(FEEDS) for n in range(20, 60)}
    assert listed <= kept  # nothing a feed still lists went
    assert saved <= kept  # nor anything saved
    # What went: 1,000 of the articles no feed lists any more, read ones first, oldest first.
    candidates = sorted(
        ((f, n) for f in range(FEEDS) for n in range(20) if (f, n) not in saved),
        key=lambda k: (k not in read, item_date(*k)),
    )
    gone = set(keys.values()) - kept
    assert gone == set(candidates[:1000])
    assert {k for k in candidates if k in read} < gone  # every read one went before any unread one
    store.close()
