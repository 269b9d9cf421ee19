"""No source writes another's articles (tui/article_keys.py).

Feed B publishing an item with feed A's opaque guid, or with the URL of one of A's articles,
gets an article of its own: A's title, body and read/saved marks stay as they were. One Bladi
article read from the feed, a listing (another URL form) and a followed link is one article
with one read state. A store written before keeps its articles, their marks and their old ids.
"""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from tests.bladi_site import PAGES
from tests.hostile.conftest import proxy_environment
from tui.article_keys import article_key, same_site
from tui.config import FetchSettings, SourceSpec
from tui.model import ALL, Article, article_id
from tui.refresh import refresh_sources
from tui.sources.web import load_article_page
from tui.store import Store
from tui.store.topics import store_listing_articles

SETTINGS = FetchSettings(connect_timeout=2.0, read_timeout=5.0, deadline=20.0)
A = "http://site-a.example/a.xml"
B = "http://site-b.example/b.xml"


def feed(title: str, items: list[tuple[str, str, str, str]]) -> str:
    """RSS with full content: (guid, link, title, body) per item, so no page is read."""
    entries = "".join(
        f"<item><guid isPermaLink='false'>{guid}</guid><link>{link}</link><title>{item_title}</title>"
        f"<description>intro</description><content:encoded><![CDATA[<p>{body}</p>]]></content:encoded></item>"
        for guid, link, item_title, body in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{title}</title><link>http://x.example/</link>{entries}</channel></rss>"
    )


A_ITEMS = [
    ("good-0", "http://site-a.example/0.html", "Le vrai titre", "Le vrai texte de A."),
    ("http://site-a.example/1.html", "http://site-a.example/1.html", "Un article de A", "Texte de A, deux."),
]
B_ITEMS = [
    (
        "good-0",
        "http://evil.example/phish",
        "Hameçonnage",
        '<a href="http://evil.example/login">Connectez-vous</a>',
    ),
    ("http://site-a.example/1.html", "http://evil.example/phish2", "Hameçonnage 2", "Faux texte."),
]


def snapshot(store: Store) -> dict[str, tuple]:
    """Every article as (source, title, body, read, saved), by id."""
    result = {}
    for rowid in store.topic_rowids(ALL):
        stored = store.article(rowid)
        article = stored.article
        result[article.id] = (article.source, article.title, article.body, stored.read, stored.saved)
    return result


def refresh(store: Store, *specs: SourceSpec) -> None:
    outcomes = asyncio.run(refresh_sources(store, list(specs), fetch=SETTINGS))
    assert all(outcome.error == "" for outcome in outcomes), outcomes


def test_feed_b_publishing_feed_a_s_guids_never_touches_a_s_articles(loopback, monkeypatch, tmp_path):
    proxy_environment(loopback, monkeypatch.setenv, monkeypatch.delenv)
    loopback.route(A, feed("Site A", A_ITEMS), content_type="application/rss+xml")
    loopback.route(B, feed("Site B", B_ITEMS), content_type="application/rss+xml")
    site_a, site_b = SourceSpec(name="Site A", url=A), SourceSpec(name="Site B", url=B)
    store = Store(tmp_path / "store.sqlite3")

    refresh(store, site_a)
    rowids = store.topic_rowids(ALL)
    store.set_read(rowids)
    store.set_saved(rowids[0], True)
    before = snapshot(store)
    assert sorted(title for _, title, *_ in before.values()) == ["Le vrai titre", "Un article de A"]

    refresh(store, site_b)
    after = snapshot(store)
    for article_id_, state in before.items():
        assert after[article_id_] == state  # title, body, read and saved marks: A's, untouched
    theirs = [state for key, state in after.items() if key not in before]
    assert sorted(title for _, title, *_ in theirs) == ["Hameçonnage", "Hameçonnage 2"]
    assert all(not read and not saved for *_, read, saved in theirs)

    refresh(store, site_a, site_b)  # again, in one refresh: nothing moves, nothing doubles
    assert snapshot(store) == after
    store.close()


def test_one_bladi_article_is_one_id_from_the_feed_a_listing_and_a_followed_link(bladi_site, tmp_path):
    from tests.bladi_site import FEED_URL

    store = Store(tmp_path / "store.sqlite3")
    bladi = SourceSpec(name="Bladi.net", url=FEED_URL)
    refresh(store, bladi)
    page = PAGES[0]
    number = page.slug.rpartition(",")[2].removesuffix(".html")
    (stored,) = [
        store.article(rowid)
        for rowid in store.topic_rowids(ALL)
        if store.article(rowid).article.url == page.url
    ]
    assert stored.article.id == article_id(f"bladi:{number}")
    store.set_read([stored.rowid])
    store.set_saved(stored.rowid, True)
    count = len(store.topic_rowids(ALL))

    # A listing names it in other forms (https, the short /ID): nothing new, the marks stay.
    listed = [
        Article(guid=url, url=url, title=page.title)
        for url in (
            page.url.replace("http:", "https:"),
            f"https://bladi.net/{number}",
            f"http://www.bladi.net/{number}",
        )
    ]
    assert store_listing_articles(store, bladi.key, "Bladi.net", listed) == 0
    # A followed link in its short form is that article.
    followed = asyncio.run(load_article_page(store, f"http://www.bladi.net/{number}", None))
    assert followed is not None and followed.rowid == stored.rowid and followed.read and followed.saved
    assert len(store.topic_rowids(ALL)) == count
    store.close()


@pytest.mark.parametrize(
    ("guid", "url", "source", "key"),
    [
        # A URL on the source's own site: itself; on a site with rules: its canonical id.
        ("http://site-a.example/1.html", "", A, "http://site-a.example/1.html"),
        ("https://www.site-a.example/1.html", "", A, "https://www.site-a.example/1.html"),
        (
            "https://www.bladi.net/x,103006.html",
            "",
            "https://www.bladi.net/spip.php?page=backend",
            "bladi:103006",
        ),
        ("http://bladi.net/103006", "", "http://www.bladi.net/spip.php?page=backend", "bladi:103006"),
        ("opaque", "https://www.bladi.net/y,103006.html", "https://www.bladi.net/feed", "bladi:103006"),
        ("https://www.bladi.net/x,103006.html", "", "listing:https://www.bladi.net/feed", "bladi:103006"),
        # Anything else: keyed by the source's URL, whatever its scheme.
        ("good-0", "http://site-a.example/0.html", A, "//site-a.example/a.xml good-0"),
        ("good-0", "", "https://site-a.example/a.xml", "//site-a.example/a.xml good-0"),
        ("http://site-a.example/1.html", "", B, "//site-b.example/b.xml http://site-a.example/1.html"),
        (
            "https://www.bladi.net/x,103006.html",
            "",
            B,
            "//site-b.example/b.xml https://www.bladi.net/x,103006.html",
        ),
        ("bladi:103006", "", B, "//site-b.example/b.xml bladi:103006"),
        # A followed link is its page's own; a local folder keeps its keys.
        ("http://www.bladi.net/103006", "", "bladi-tui:followed", "bladi:103006"),
        ("local:a.md", "", "/home/user/articles", "local:a.md"),
    ],
)
def test_an_item_s_key(guid, url, source, key):
    location = guid if source == "bladi-tui:followed" else ""
    assert article_key(guid, url, location, source) == key
    assert article_key(key, url, location, source) == key  # keyed twice: the same


def test_sites():
    assert same_site("http://www.a.example/x", "https://a.example/feed")
    assert same_site("http://feeds.a.example/x", "https://www.a.example/")
    assert not same_site("http://a.example.evil.example/", "http://a.example/")
    assert not same_site("http://one.github.io/", "http://two.github.io/")


def test_a_store_written_before_keeps_its_articles_marks_and_old_ids(loopback, monkeypatch, tmp_path):
    """Articles stored under the old ids (the guid's hash): the migration gives them their new
    ids, merges the forms of one Bladi article, keeps every mark, and the old ids still find them."""
    proxy_environment(loopback, monkeypatch.setenv, monkeypatch.delenv)
    loopback.route(A, feed("Site A", A_ITEMS), content_type="application/rss+xml")
    path = tmp_path / "store.sqlite3"
    store = Store(path)
    site_a = SourceSpec(name="Site A", url=A)
    refresh(store, site_a)
    store.ensure_source("https://www.bladi.net/spip.php?page=backend", "Bladi.net")
    bladi_forms = ["https://www.bladi.net/x,103006.html", "http://www.bladi.net/103006"]
    store.upsert_articles(
        "https://www.bladi.net/spip.php?page=backend",
        [Article(guid=url, url=url, title="Bladi", body="Texte.", full_text=True) for url in bladi_forms[:1]],
    )
    store.close()
    # Back to the old ids, and a second row for the other form, as the old store had them.
    db = sqlite3.connect(path)
    old = {}
    for rowid, guid in db.execute("SELECT rowid, guid FROM articles").fetchall():
        original = guid.rpartition(" ")[2] if guid.startswith("//") else guid
        if guid.startswith("bladi:"):
            original = bladi_forms[0]
        old[original] = article_id(original)
        db.execute(
            "UPDATE articles SET id = ?, guid = ?, read = 1, saved = 1 WHERE rowid = ?",
            (old[original], original, rowid),
        )
    db.execute(
        "INSERT INTO articles(id, source_id, guid, url, title, read, saved) "
        "SELECT ?, source_id, ?, ?, 'Bladi court', 0, 0 FROM articles WHERE guid = ?",
        (article_id(bladi_forms[1]), bladi_forms[1], bladi_forms[1], bladi_forms[0]),
    )
    db.execute("DROP TABLE article_aliases")
    db.execute("DROP INDEX articles_by_entry")  # schema 14's
    db.execute("ALTER TABLE articles DROP COLUMN entry_digest")
    db.execute("PRAGMA user_version = 12")
    db.commit()
    db.close()

    store = Store(path)  # migrated
    articles = snapshot(store)
    assert len(articles) == 3  # the two forms of the Bladi article are one
    assert all(read and saved for *_, read, saved in articles.values())
    for original, old_id in [*old.items(), (bladi_forms[1], article_id(bladi_forms[1]))]:
        found = store.find(old_id)
        assert found is not None and found.read and found.saved, original
    refresh(store, site_a)  # the feed again: its items are the migrated ones
    assert snapshot(store) == articles
    store.close()
