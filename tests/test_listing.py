"""Listing pages as a source: what a rubrique's or a tag's page on the site lists, read into the
store on demand, politely; and hostile listings."""

from __future__ import annotations

import json

from tests.bladi_listings import (
    FEED_SIZE,
    PER_PAGE,
    SITE,
    STORIES,
    lions,
    listing_html,
    sport,
)
from tests.bladi_site import FEED_URL
from tui.config import SourceSpec
from tui.extract.listing import read_listing
from tui.extract.sites.bladi import RULES as BLADI
from tui.model import MAX_ITEMS_PER_DOCUMENT, Topic
from tui.refresh import refresh_sources
from tui.sources.listing import FRESH_FOR, ListingSource, feed_of_topic_page
from tui.sources.web import LiveReader
from tui.store import Store
from tui.store.topics import add_topic_page, listing_key, topic_listings, with_listing_sources

SOURCE = SourceSpec(name="Bladi.net", url=FEED_URL, kind="auto")
SPORT = Topic.of("rubrique", "Sport")
LIONS = Topic.of("tag", "Lions")


def read(html: str, url: str = f"{SITE}/maroc-sport.html"):
    return read_listing(html, url, BLADI, BLADI.listing)


# -- reading one listing page ---------------------------------------------------------------------


def test_a_2018_listing_gives_titles_dates_thumbnails_and_the_next_page():
    page = read(listing_html("Sport", sport(), "maroc-sport.html", "debut_suite_rubrique", 0))
    assert [entry.url for entry in page.entries] == [story.url for story in sport()[:PER_PAGE]]
    assert [entry.title for entry in page.entries] == [story.title for story in sport()[:PER_PAGE]]
    assert [entry.date for entry in page.entries] == [story.date for story in sport()[:PER_PAGE]]
    assert page.entries[0].image == f"http://img.bladi.net/cache-vignettes/L230xH144/arton{sport()[0].id}.jpg"
    assert page.next_url == f"{SITE}/maroc-sport.html?debut_suite_rubrique=5"


def test_chrome_is_not_listed_and_the_last_page_has_no_next():
    page = read(
        listing_html("Sport", sport(), "maroc-sport.html", "debut_suite_rubrique", 10),
        f"{SITE}/maroc-sport.html?debut_suite_rubrique=10",
    )
    urls = [entry.url for entry in page.entries]
    assert urls == [story.url for story in sport()[10:]]
    assert STORIES[1].url not in urls  # "Les plus populaires de la semaine"
    assert STORIES[2].url not in urls  # the menu
    assert page.next_url == ""


def test_older_listings_put_the_title_in_an_h2():
    html = (
        "<html><body><div class='grid3'><a href='ancien-titre,3766.html'><h2>Un ancien titre</h2></a></div>"
        "<div class='grid3'><a href='article3767,3767.html'><h2>Un autre</h2></a></div></body></html>"
    )
    page = read(html)
    assert [(e.url, e.title) for e in page.entries] == [
        (f"{SITE}/ancien-titre,3766.html", "Un ancien titre"),
        (f"{SITE}/article3767,3767.html", "Un autre"),
    ]


def test_a_redesigned_listing_falls_back_on_the_article_url_pattern():
    html = (
        "<html><body><nav><a href='menu-du-site,1.html'>Menu</a></nav><ul>"
        "<li><a href='/nouvelle-forme,200.html'>Nouvelle forme</a></li>"
        "<li><a href='/maroc.html'>Maroc</a></li>"
        "<li><a href='https://ailleurs.example/faux,3.html'>Ailleurs</a></li></ul>"
        "<a href='?debut_suite_rubrique=12' rel='next'>Suivant</a></body></html>"
    )
    page = read(html)
    assert [(e.url, e.title) for e in page.entries] == [(f"{SITE}/nouvelle-forme,200.html", "Nouvelle forme")]
    assert page.next_url == f"{SITE}/maroc-sport.html?debut_suite_rubrique=12"


# -- hostile listings -----------------------------------------------------------------------------


def test_a_listing_of_100000_articles_is_cut_at_the_per_document_cap():
    links = "".join(
        f'<div class="grid4"><a href="n-{i},{i}.html"><p class="big">N {i}</p></a></div>'
        for i in range(100_000)
    )
    page = read(f"<html><body>{links}</body></html>")
    assert len(page.entries) == MAX_ITEMS_PER_DOCUMENT == 1000
    fallback = "".join(f'<a href="n-{i},{i}.html">N {i}</a>' for i in range(100_000))
    assert len(read(f"<html><body>{fallback}</body></html>").entries) == MAX_ITEMS_PER_DOCUMENT


def test_a_listing_of_other_sites_lists_nothing_and_bladi_net_is_www():
    html = (
        "<html><body>"
        '<div class="grid4"><a href="https://evil.example/x,1.html"><p class="big">Ailleurs</p></a></div>'
        '<div class="grid4"><a href="//bladi.net.evil.example/y,2.html"><p class="big">Faux</p></a></div>'
        '<div class="grid4"><a href="javascript:alert(1)"><p class="big">Script</p></a></div>'
        '<a href="https://evil.example/page2" rel="next">Suivant</a>'
        "</body></html>"
    )
    page = read(html)
    assert page.entries == [] and page.next_url == ""
    same_site = '<html><body><div class="grid4"><a href="https://bladi.net/z,3.html"><p class="big">Z</p></a></div></body></html>'
    assert [e.url for e in read(same_site).entries] == ["https://bladi.net/z,3.html"]


def test_a_next_link_to_itself_is_no_next_page():
    html = (
        '<html><body><div class="grid4"><a href="a,1.html"><p class="big">A</p></a></div>'
        '<a rel="next" href="maroc-sport.html">Suivant</a></body></html>'
    )
    assert read(html).next_url == ""


async def test_a_listing_that_loops_back_stops(bladi_site, tmp_path):
    """Page 1 says page 2 is next, page 2 says page 1 is: after page 2, the listing ends."""
    one, two = f"{SITE}/boucle.html", f"{SITE}/boucle.html?debut_suite_rubrique=5"
    entry = '<div class="grid4"><a href="b-{0},{0}.html"><p class="big">B {0}</p></a></div>'
    bladi_site.route(one, f'<html><body>{entry.format(1)}<a rel="next" href="{two}">&gt;</a></body></html>')
    bladi_site.route(two, f'<html><body>{entry.format(2)}<a rel="next" href="{one}">&gt;</a></body></html>')
    store = Store(tmp_path / "store.sqlite3")
    store.ensure_source(SOURCE.key, SOURCE.name)
    add_topic_page(store, SOURCE.key, "rubrique", "Boucle", one)
    topic = Topic.of("rubrique", "Boucle")
    async with LiveReader(store) as live:
        source = ListingSource(store, live, {SOURCE.key: SOURCE.name})
        assert (await source.read_first(topic, [SOURCE.key])).more
        second = await source.read_older(topic, [SOURCE.key])
        assert second.new == 1 and not second.more
        assert not (await source.read_older(topic, [SOURCE.key])).new
    assert bladi_site.hits(one) == 1 and bladi_site.hits(two) == 1
    store.close()


# -- a topic's listings, read into the store ------------------------------------------------------


async def test_the_feed_tells_where_each_topic_is_listed(bladi_topics, tmp_path):
    store = Store(tmp_path / "store.sqlite3")
    await refresh_sources(store, [SOURCE])
    (sport_listing,) = topic_listings(store, SPORT, [SOURCE.key])
    assert sport_listing.url == f"{SITE}/maroc-sport.html"
    assert [listing.url for listing in topic_listings(store, LIONS)] == [f"{SITE}/lions.html"]
    assert bladi_topics.hits(f"{SITE}/maroc-sport.html") == 0  # no listing is read by a refresh
    store.close()


async def test_sport_grows_page_by_page_from_its_listing(bladi_topics, tmp_path):
    store = Store(tmp_path / "store.sqlite3")
    await refresh_sources(store, [SOURCE])
    keys = with_listing_sources([SOURCE.key])
    in_feed = len(store.topic_rowids(SPORT, keys))
    assert in_feed == 2
    now = [1000.0]
    async with LiveReader(store) as live:
        source = ListingSource(store, live, {SOURCE.key: SOURCE.name}, clock=lambda: now[0])
        first = await source.read_first(SPORT, keys)
        assert first.new == 3 and first.more and not first.errors
        titles = [store.article(r).article.title for r in store.topic_rowids(SPORT, keys)]
        assert titles == [story.title for story in sport()[:PER_PAGE]]
        await source.complete(first)
        opened = store.find(sport()[2].url).article
        assert opened.full_text and "lu sur sa page" in opened.body and opened.rubrique == "Sport"
        assert (await source.read_older(SPORT, keys)).new == PER_PAGE
        last = await source.read_older(SPORT, keys)
        assert last.new == 2 and not last.more
        assert await source.has_older(SPORT, keys) is False
        assert len(store.topic_rowids(SPORT, keys)) == 12
        # A page read a moment ago is not read again; later it is, conditionally.
        hits = bladi_topics.hits(f"{SITE}/maroc-sport.html")
        listed_only = store.find(sport()[3].url)
        store.set_saved(listed_only.rowid, True)
        store.set_read([listed_only.rowid])
        await source.read_first(SPORT, keys)
        assert bladi_topics.hits(f"{SITE}/maroc-sport.html") == hits
        now[0] += FRESH_FOR + 1
        await source.read_first(SPORT, keys)
        assert bladi_topics.hits(f"{SITE}/maroc-sport.html") == hits + 1
        again = store.find(sport()[3].url)
        assert (again.rowid, again.read, again.saved) == (listed_only.rowid, True, True)
    # Listing articles are the site's articles: one id each, searchable, with marks.
    # Stored under a listing source of their own, shown as one source with the feed's.
    assert store.sources([listing_key(SOURCE.key)])[0].kind == "listing"
    assert store.sources([listing_key(SOURCE.key)])[0].count == 10
    (shown,) = store.sources(keys)
    assert (shown.key, shown.count) == (SOURCE.key, FEED_SIZE + 10)
    assert len(store.topic_rowids(Topic("source", SOURCE.key), keys)) == FEED_SIZE + 10
    assert store.search_rowids("numéro 39", keys)
    store.close()


async def test_a_tag_listing_reaches_beyond_the_feed(bladi_topics, tmp_path):
    store = Store(tmp_path / "store.sqlite3")
    await refresh_sources(store, [SOURCE])
    keys = with_listing_sources([SOURCE.key])
    assert len(store.topic_rowids(LIONS, keys)) == 1
    async with LiveReader(store) as live:
        source = ListingSource(store, live, {SOURCE.key: SOURCE.name})
        await source.read_first(LIONS, keys)
        await source.read_older(LIONS, keys)
    titles = [store.article(r).article.title for r in store.topic_rowids(LIONS, keys)]
    assert titles == [story.title for story in lions()]
    store.close()


def test_a_wordpress_category_page_is_read_through_its_feed():
    assert (
        feed_of_topic_page("https://telquel.ma/category/maroc/") == "https://telquel.ma/category/maroc/feed/"
    )
    assert (
        feed_of_topic_page("https://site.example/fr/tag/rabat") == "https://site.example/fr/tag/rabat/feed/"
    )
    assert feed_of_topic_page("https://www.bladi.net/maroc-sport.html") == ""


async def test_a_category_listing_is_read_through_its_feed(loopback, tmp_path):
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Site</title>'
        + "".join(
            f"<item><title>Culture {i}</title><link>{loopback.url(f'/culture-{i}/')}</link>"
            f"<category>Culture</category><description>Texte {i}</description></item>"
            for i in range(3)
        )
        + "</channel></rss>"
    )
    loopback.route("/category/culture/feed/", feed, content_type="application/rss+xml")
    store = Store(tmp_path / "store.sqlite3")
    store.ensure_source("site", "Site")
    add_topic_page(store, "site", "rubrique", "Culture", loopback.url("/category/culture/"))
    topic = Topic.of("rubrique", "Culture")
    async with LiveReader(store) as live:
        outcome = await ListingSource(store, live, {"site": "Site"}).read_first(topic, ["site"])
    assert outcome.new == 3 and not outcome.more
    assert len(store.topic_rowids(topic, with_listing_sources(["site"]))) == 3
    store.close()


# -- headless --------------------------------------------------------------------------------------


def test_list_topic_more_reads_listing_pages_and_offline_reads_none(bladi_topics, tmp_path):
    from tests.test_cli import run

    proxy = {"HTTP_PROXY": bladi_topics.base_url, "http_proxy": bladi_topics.base_url}
    result = run("list", "--json", "--topic", "sport", "--more", "2", FEED_URL, tmp_path=tmp_path, env=proxy)
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert [a["title"] for a in listed] == [story.title for story in sport()[: 2 * PER_PAGE]]
    assert {a["rubrique"] for a in listed} == {"Sport"} and len({a["source"] for a in listed}) == 1
    assert bladi_topics.hits(f"{SITE}/maroc-sport.html") == 1
    assert bladi_topics.hits(f"{SITE}/maroc-sport.html?debut_suite_rubrique=10") == 0
    before = len(bladi_topics.requests)
    offline = run(
        "list", "--offline", "--topic", "Sport", "--more", "3", FEED_URL, tmp_path=tmp_path, env=proxy
    )
    assert offline.returncode == 0 and len(offline.stdout.splitlines()) == 2 * PER_PAGE
    assert len(bladi_topics.requests) == before
    usage = run("list", "--more", "2", FEED_URL, tmp_path=tmp_path, env=proxy)
    assert usage.returncode == 2 and "--topic" in usage.stderr


async def test_an_older_page_that_fails_gives_its_reason_code(bladi_topics, tmp_path):
    from tui.reasons import NOT_FOUND, decode
    from tui.ui.reasons import reason_text

    store = Store(tmp_path / "store.sqlite3")
    await refresh_sources(store, [SOURCE])
    keys = with_listing_sources([SOURCE.key])
    bladi_topics.route(f"{SITE}/maroc-sport.html?debut_suite_rubrique={PER_PAGE}", "absent", status=404)
    async with LiveReader(store) as live:
        source = ListingSource(store, live, {SOURCE.key: SOURCE.name})
        await source.read_first(SPORT, keys)
        older = await source.read_older(SPORT, keys)
    assert older.errors == ["address not found on the server (HTTP 404)"]
    assert [decode(reason) for reason in older.reasons] == [(NOT_FOUND, {"status": "404"})]
    # The reader's notice words it in its language (the toast of tui.ui.topic_listings).
    assert (
        reason_text(older.reasons[0], older.errors[0], "fr")
        == "adresse introuvable sur le serveur (HTTP 404)"
    )
    store.close()
