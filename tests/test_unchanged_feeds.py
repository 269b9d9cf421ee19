"""A feed that has not changed since the last refresh costs a hash, not a parse: its articles are
in the store already, so nothing is parsed and no article is written; its status still is, and
pages a stopped refresh left unread are still read. A changed feed is read as always."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import replace
from pathlib import Path

from tui.config import SourceSpec
from tui.feeds.parse import parse_feed
from tui.refresh import refresh_sources
from tui.sources.web import LiveReader
from tui.store import Store


def rss(*items: tuple[str, str], base: str = "http://example.org") -> str:
    entries = "".join(
        f"<item><title>{title}</title><link>{base}/{slug}</link><guid>{base}/{slug}</guid>"
        f"<description>Intro de {title}.</description></item>"
        for slug, title in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Le Journal</title><link>{base}/</link>{entries}</channel></rss>"
    )


class CountingParser:
    """parse_feed, counting its calls (picklable is not needed: small refreshes read in threads)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return parse_feed(*args, **kwargs)


def article_writes(path) -> int:
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT n FROM article_writes").fetchone()[0]
    finally:
        db.close()


def count_article_writes(path) -> None:
    """Triggers in the store file itself count every row inserted into or updated in articles."""
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE article_writes(n INTEGER NOT NULL);
        INSERT INTO article_writes VALUES (0);
        CREATE TRIGGER count_inserts AFTER INSERT ON articles BEGIN
            UPDATE article_writes SET n = n + 1;
        END;
        CREATE TRIGGER count_updates AFTER UPDATE ON articles BEGIN
            UPDATE article_writes SET n = n + 1;
        END;
        """
    )
    db.close()


async def refresh(store: Store, specs: list[SourceSpec], parser: CountingParser):
    async with LiveReader(store, parse=parser) as live:
        return await refresh_sources(store, specs, live=live)


def test_an_unchanged_feed_is_not_parsed_and_writes_no_article(loopback, tmp_path):
    feeds = [f"/feed-{n}.xml" for n in range(3)]
    for n, path in enumerate(feeds):
        loopback.route(
            path, rss((f"a{n}", f"Premier {n}"), (f"b{n}", f"Second {n}")), content_type="application/rss+xml"
        )
    # No page to complete: the feeds' items are read as they are.
    specs = [
        replace(SourceSpec.from_url(loopback.url(path), name=f"Journal {n}"), full_text=False)
        for n, path in enumerate(feeds)
    ]
    path = tmp_path / "s.sqlite3"
    store = Store(path)
    parser = CountingParser()
    outcomes = asyncio.run(refresh(store, specs, parser))
    assert parser.calls == 3
    assert sorted(o.new for o in outcomes) == [2, 2, 2]
    count_article_writes(path)
    # A failing status is cleared by the next refresh: statuses are still written.
    store.set_source_status(specs[0].key, error="earlier failure")

    parser = CountingParser()
    outcomes = asyncio.run(refresh(store, specs, parser))
    assert parser.calls == 0
    assert [o.new for o in outcomes] == [0, 0, 0] and not any(o.error for o in outcomes)
    assert article_writes(path) == 0
    assert all(not state.last_error and state.count == 2 for state in store.sources([s.key for s in specs]))

    # One feed changes: that one is parsed, and its new article stored.
    loopback.route(
        feeds[1],
        rss(("a1", "Premier 1"), ("b1", "Second 1"), ("c1", "Troisième 1")),
        content_type="application/rss+xml",
    )
    parser = CountingParser()
    outcomes = asyncio.run(refresh(store, specs, parser))
    assert parser.calls == 1
    assert {o.key: o.new for o in outcomes} == {specs[0].key: 0, specs[1].key: 1, specs[2].key: 0}
    assert article_writes(path) > 0
    store.close()


def test_the_same_document_read_with_other_settings_is_read_again(loopback, tmp_path):
    loopback.route("/feed.xml", rss(("a", "Premier")), content_type="application/rss+xml")
    spec = replace(SourceSpec.from_url(loopback.url("/feed.xml"), name="Journal"), full_text=False)
    store = Store(tmp_path / "s.sqlite3")
    asyncio.run(refresh(store, [spec], CountingParser()))
    parser = CountingParser()
    asyncio.run(refresh(store, [replace(spec, name="Autre nom")], parser))  # articles carry the name
    assert parser.calls == 1
    store.close()


def test_pages_a_stopped_refresh_left_unread_are_read_though_the_feed_is_unchanged(loopback, tmp_path):
    base = loopback.url("").rstrip("/")
    loopback.route(
        "/feed.xml", rss(("p1", "Premier"), ("p2", "Second"), base=base), content_type="application/rss+xml"
    )
    for slug in ("p1", "p2"):
        loopback.route(
            f"/{slug}",
            f"<html><head><title>{slug}</title></head><body><article><h1>Titre {slug}</h1>"
            + "<p>Le texte complet de l'article, assez long pour être reconnu comme tel. </p>" * 8
            + "</article></body></html>",
            content_type="text/html; charset=utf-8",
        )
    spec = SourceSpec.from_url(loopback.url("/feed.xml"), name="Journal")  # full text from the pages
    path = tmp_path / "s.sqlite3"
    store = Store(path)
    asyncio.run(refresh(store, [spec], CountingParser()))
    assert loopback.hits("/p1") == 1 and loopback.hits("/p2") == 1
    # As if the refresh had stopped before reading the second page.
    db = sqlite3.connect(path)
    db.execute("UPDATE articles SET full_text = 0, body = '' WHERE url LIKE '%/p2'")
    db.commit()
    db.close()

    parser = CountingParser()
    asyncio.run(refresh(store, [spec], parser))
    assert parser.calls == 0
    assert loopback.hits("/p1") == 1 and loopback.hits("/p2") == 2
    stored = store.find(f"{base}/p2")
    assert stored is not None and stored.article.full_text and "texte complet" in stored.article.body
    # Read now: not asked for again.
    asyncio.run(refresh(store, [spec], parser))
    assert loopback.hits("/p2") == 2
    store.close()


class RecordingParser(CountingParser):
    """parse_feed, keeping what each call read: the articles it converted, the ids it did not."""

    def __init__(self) -> None:
        super().__init__()
        self.results: list = []

    def __call__(self, *args, **kwargs):
        result = super().__call__(*args, **kwargs)
        self.results.append(result)
        return result


def rss_with_bodies(*items: tuple[str, str], base: str = "http://example.org") -> str:
    """Items with an HTML body each (what a refresh converts to Markdown)."""
    entries = "".join(
        f"<item><title>{title}</title><link>{base}/{slug}</link><guid>{base}/{slug}</guid>"
        f"<description>Intro de {slug}.</description>"
        f"<content:encoded><![CDATA[<p>{text}</p><p>Suite de <b>{slug}</b>.</p>]]></content:encoded></item>"
        for slug, title, text in ((slug, title, f"Texte de {title}") for slug, title in items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>Le Journal</title><link>{base}/</link>{entries}</channel></rss>"
    )


def listed(path, url: str) -> int:
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT listed FROM articles WHERE url = ?", (url,)).fetchone()[0]
    finally:
        db.close()


def journal_read_once(loopback, tmp_path) -> tuple[SourceSpec, Path, Store]:
    """A feed of two items with their text ("a" Premier, "b" Second), read once into a new
    store: its spec, the store's path and the store."""
    loopback.route(
        "/feed.xml", rss_with_bodies(("a", "Premier"), ("b", "Second")), content_type="application/rss+xml"
    )
    spec = replace(SourceSpec.from_url(loopback.url("/feed.xml"), name="Journal"), full_text=False)
    path = tmp_path / "s.sqlite3"
    store = Store(path)
    asyncio.run(refresh(store, [spec], RecordingParser()))
    return spec, path, store


def test_a_changed_feed_reads_and_writes_only_its_changed_items(loopback, tmp_path):
    spec, path, store = journal_read_once(loopback, tmp_path)
    before = store.find("http://example.org/a")
    assert before is not None and "Texte de Premier" in before.article.body
    count_article_writes(path)

    # A new item, one whose text changed, one as it was.
    loopback.route(
        "/feed.xml",
        rss_with_bodies(("c", "Troisième"), ("b", "Second revu"), ("a", "Premier")),
        content_type="application/rss+xml",
    )
    parser = RecordingParser()
    outcomes = asyncio.run(refresh(store, [spec], parser))
    assert parser.calls == 1 and outcomes[0].new == 1
    (read,) = parser.results
    assert sorted(article.title for article in read.articles) == ["Second revu", "Troisième"]
    assert read.unchanged == [before.article.id]
    assert article_writes(path) == 2  # c inserted, b updated; a not written
    after = store.find("http://example.org/a")
    assert after is not None and after.article == before.article
    assert "Texte de Second revu" in store.find("http://example.org/b").article.body

    # An item the feed dropped, then lists again as it was: listed again, still not read.
    loopback.route(
        "/feed.xml",
        rss_with_bodies(("c", "Troisième"), ("b", "Second revu")),
        content_type="application/rss+xml",
    )
    asyncio.run(refresh(store, [spec], RecordingParser()))
    assert listed(path, "http://example.org/a") == 0
    loopback.route(
        "/feed.xml",
        rss_with_bodies(("c", "Troisième"), ("b", "Second revu"), ("a", "Premier")),
        content_type="application/rss+xml",
    )
    parser = RecordingParser()
    asyncio.run(refresh(store, [spec], parser))
    assert parser.results[0].articles == [] and len(parser.results[0].unchanged) == 3
    assert listed(path, "http://example.org/a") == 1
    store.close()


def test_a_store_from_before_entry_digests_reads_each_entry_once_more(loopback, tmp_path):
    spec, path, store = journal_read_once(loopback, tmp_path)
    store.close()
    # The store as schema 13 left it: no entry digests.
    db = sqlite3.connect(path)
    db.executescript(
        "DROP INDEX articles_by_entry; ALTER TABLE articles DROP COLUMN entry_digest; "
        "UPDATE sources SET body_digest = ''; PRAGMA user_version = 13;"
    )
    db.close()

    store = Store(path)
    parser = RecordingParser()
    asyncio.run(refresh(store, [spec], parser))
    assert sorted(article.title for article in parser.results[0].articles) == ["Premier", "Second"]
    loopback.route(
        "/feed.xml",
        rss_with_bodies(("c", "Troisième"), ("a", "Premier"), ("b", "Second")),
        content_type="application/rss+xml",
    )
    parser = RecordingParser()
    outcomes = asyncio.run(refresh(store, [spec], parser))
    assert [article.title for article in parser.results[0].articles] == ["Troisième"]
    assert len(parser.results[0].unchanged) == 2 and outcomes[0].new == 1
    assert len(store.entry_digests(spec.key)) == 3
    store.close()


def test_an_entry_digest_changes_with_any_field_and_with_its_text_s_characters():
    from datetime import UTC, datetime

    from tui.feeds.entry import FeedEntry
    from tui.feeds.normalise import entry_digest

    entry = FeedEntry(
        guid="https://e.ma/a",
        title="L'été à Fès",
        link="https://e.ma/a",
        summary="Une intro",
        content="<p>Le texte</p>",
        content_html=True,
        date=datetime(2024, 5, 1, 10, tzinfo=UTC),
        tags=["Maroc", "Culture"],
        author="S.A",
    )
    digest = entry_digest(entry, "https://e.ma/feed", "e.ma")
    assert digest == entry_digest(replace(entry), "https://e.ma/feed", "e.ma")
    others = [
        entry_digest(replace(entry, **{name: value}), "https://e.ma/feed", "e.ma")
        for name, value in [
            ("guid", "https://e.ma/b"),
            ("title", "L’été à Fès"),  # a typographic apostrophe: the text is no longer Latin-1
            ("title", "Lâ\x80\x99été à Fès"),  # the Latin-1 reading of that apostrophe's UTF-8
            ("summary", "Une intro."),
            ("content", "<p>Le texte.</p>"),
            ("content_html", False),
            ("date", None),
            ("tags", ["Maroc"]),
            ("author", ""),
        ]
    ]
    others += [entry_digest(entry, "https://e.ma/", "e.ma"), entry_digest(entry, "https://e.ma/feed", "x")]
    assert len({digest, *others}) == len(others) + 1
    # A text beyond Latin-1 is read alike each time too (one digest for one entry).
    typeset = replace(entry, title="L’été")
    assert entry_digest(typeset, "u", "s") == entry_digest(replace(typeset), "u", "s")
