"""Topics as deep as the site, in the real app under Pilot: a rubrique picked in the palette, or a
tag followed from an article's links, lists what the site's listing pages hold, and the end of the
list brings the next page."""

from __future__ import annotations

from tests.bladi_listings import PER_PAGE, SITE, STORIES, lions, sport
from tests.bladi_site import FEED_URL
from tests.conftest import FIXED_NOW
from tui.article_markdown import DocumentLink
from tui.config import SourceSpec
from tui.model import Topic
from tui.store import Store
from tui.ui.app import BladiApp
from tui.ui.screens.links import LinksScreen
from tui.ui.widgets.article_list import ArticleList
from tui.ui.widgets.article_view import ArticleView

BLADI = SourceSpec(name="Bladi.net", url=FEED_URL, kind="auto")


def listed(app) -> list[str]:
    article_list = app.screen.query_one(ArticleList)
    return [app.store.article(rowid).article.title for rowid in article_list.rowids]


async def settle(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_sport_from_the_palette_lists_the_listing_and_end_brings_older_pages(bladi_topics, tmp_path):
    store = Store(tmp_path / "store.sqlite3")
    app = BladiApp(store, [BLADI], clock=lambda: FIXED_NOW, language="fr")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert bladi_topics.hits(f"{SITE}/maroc-sport.html") == 0  # no listing read at start
        assert len(listed(app)) == 30
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Aller à : Sport")
        await pilot.pause(0.5)
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        reader = app.reader
        article_list = reader.query_one(ArticleList)
        assert reader.topic == Topic.of("rubrique", "Sport")
        assert app.focused is article_list
        # Page 1 of the listing: three Sport articles the feed never carried.
        assert listed(app) == [story.title for story in sport()[:PER_PAGE]]
        assert bladi_topics.hits(f"{SITE}/maroc-sport.html") == 1
        # End at the bottom: page 2; the highlighted article stays highlighted.
        await pilot.press("end")
        last = article_list.highlighted
        await settle(app, pilot)
        assert listed(app) == [story.title for story in sport()[: 2 * PER_PAGE]]
        assert article_list.highlighted == last and article_list.footer == ""
        await pilot.press("end")
        await settle(app, pilot)
        assert listed(app) == [story.title for story in sport()]
        await pilot.press("end")
        await settle(app, pilot)
        assert article_list.footer == "Fin de la liste"
        # A listing article opened: its page is read, the article shows whole.
        await pilot.press("enter")
        await settle(app, pilot)
        assert "lu sur sa page" in reader.query_one(ArticleView).document
    store.close()
    assert app.errors == []


async def test_a_tag_followed_from_an_article_lists_the_tag_beyond_the_feed(bladi_topics, tmp_path):
    store = Store(tmp_path / "store.sqlite3")
    app = BladiApp(store, [BLADI], clock=lambda: FIXED_NOW, language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        reader = app.reader
        article_list = reader.query_one(ArticleList)
        article_list.move_to(article_list.position(store.find(STORIES[5].url).rowid))
        await pilot.press("enter", "l")
        await pilot.pause()
        links = app.screen
        assert isinstance(links, LinksScreen)
        index = next(i for i, link in enumerate(links._links) if link.text == "Lions")
        await pilot.press(*["j"] * index, "enter")
        await settle(app, pilot)
        assert reader.topic == Topic.of("tag", "Lions") and app.focused is article_list
        assert listed(app) == [story.title for story in lions()[:PER_PAGE]]
        await pilot.press("G")
        await pilot.pause()
        await settle(app, pilot)
        assert listed(app) == [story.title for story in lions()]
        await pilot.press("j")
        await settle(app, pilot)
        assert article_list.footer == "End of the list"
    store.close()
    assert app.errors == []


async def test_offline_a_topic_shows_what_is_stored_and_reads_no_listing(bladi_topics, tmp_path):
    store = Store(tmp_path / "store.sqlite3")
    online = BladiApp(store, [BLADI], clock=lambda: FIXED_NOW, language="fr")
    async with online.run_test(size=(120, 40)) as pilot:
        await settle(online, pilot)
    before = len(bladi_topics.requests)
    app = BladiApp(store, [BLADI], clock=lambda: FIXED_NOW, language="fr", offline=True)
    async with app.run_test(size=(120, 40)) as pilot:
        app.reader.go_to_topic(Topic.of("rubrique", "Sport"))
        await settle(app, pilot)
        await pilot.press("end")
        await settle(app, pilot)
        assert len(listed(app)) == 2 and app.reader.query_one(ArticleList).footer == ""
    assert len(bladi_topics.requests) == before
    store.close()


async def test_a_wordpress_category_followed_in_the_reader_lists_its_feed(loopback, tmp_path):
    def feed(titles: list[str], category: str) -> str:
        items = "".join(
            f"<item><title>{title}</title><link>{loopback.url(f'/{i}-{category}/')}</link>"
            f"<category>{category}</category><description>Texte de {title}.</description></item>"
            for i, title in enumerate(titles)
        )
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Site</title>{items}</channel></rss>'

    loopback.route("/feed/", feed(["Une du site"], "Une"), content_type="application/rss+xml")
    older = ["Culture ancienne 1", "Culture ancienne 2"]
    loopback.route("/category/culture/feed/", feed(older, "Culture"), content_type="application/rss+xml")
    store = Store(tmp_path / "store.sqlite3")
    spec = SourceSpec(name="Site", url=loopback.url("/feed/"), kind="feed")
    app = BladiApp(store, [spec], clock=lambda: FIXED_NOW, language="fr")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        app.reader.follow(DocumentLink("Culture", loopback.url("/category/culture/")))
        await settle(app, pilot)
        assert app.reader.topic == Topic.of("tag", "Culture")
        assert sorted(listed(app)) == older
        assert loopback.hits("/category/culture/") == 0  # read through its feed
    store.close()
    assert app.errors == []
