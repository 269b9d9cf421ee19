"""The store as a user meets it: start from the cache, read offline, marks that survive, search."""

from __future__ import annotations

import asyncio

from tests.bladi_site import FEED_URL, PAGES, feed_xml
from tests.conftest import FIXED_NOW, counts_shown
from tui.config import SourceSpec
from tui.model import ALL
from tui.refresh import refresh_sources
from tui.store import Store
from tui.ui.app import BladiApp
from tui.ui.widgets.article_list import ArticleList
from tui.ui.widgets.article_view import ArticleView
from tui.ui.widgets.sidebar import Sidebar

ONLY_ON_THE_PAGE = "Seule la page dit ceci"
BLADI = SourceSpec(name="Bladi.net", url=FEED_URL, kind="auto")


def app_for(store, **kwargs):
    return BladiApp(store, [BLADI], clock=lambda: FIXED_NOW, language="fr", **kwargs)


def test_cached_articles_show_offline_with_full_text_and_marks_survive_a_restart(bladi_site, tmp_path):
    path = tmp_path / "store.sqlite3"
    store = Store(path)
    asyncio.run(refresh_sources(store, [BLADI]))
    store.close()
    bladi_site.stop()  # the site is gone: every request from now on fails

    async def first_session():
        store = Store(path)
        app = app_for(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            article_list = app.screen.query_one(ArticleList)
            assert len(article_list.rowids) == 2
            await pilot.press("enter")
            assert ONLY_ON_THE_PAGE in app.screen.query_one(ArticleView).document
            await counts_shown(pilot)
            # The source failed to refresh: marked, its articles still there.
            labels = [str(n.label) for n in app.screen.query_one(Sidebar).root.children[3].children]
            assert labels[0].startswith("! Bladi.net"), labels
            await pilot.press("escape", "j", "s")  # save the second one
        store.close()
        return app.errors

    assert asyncio.run(first_session()) == []

    async def second_session():
        store = Store(path)
        app = app_for(store, offline=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            counts = store.view_counts([BLADI.key])
            assert counts["unread"][0] == 1 and counts["saved"][0] == 1
            rows = store.rows(app.screen.query_one(ArticleList).rowids)
            assert [(r.read, r.saved) for r in rows.values()] == [(True, False), (False, True)]
        store.close()

    asyncio.run(second_session())


async def test_new_articles_arrive_without_moving_the_highlight(bladi_site, tmp_path):
    store = Store(tmp_path / "store.sqlite3")
    bladi_site.route(FEED_URL, feed_xml(PAGES[1:]), content_type="application/rss+xml")
    app = app_for(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        article_list = app.screen.query_one(ArticleList)
        assert len(article_list.rowids) == 1
        highlighted = article_list.highlighted
        bladi_site.route(FEED_URL, feed_xml(PAGES), content_type="application/rss+xml")
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(article_list.rowids) == 2
        # The newer article went above; the highlight stayed on the same article.
        assert article_list.highlighted == highlighted and article_list.cursor == 1
    store.close()


async def test_read_state_keys_and_views(reader_app):
    async with reader_app.run_test(size=(120, 40)) as pilot:
        store = reader_app.store
        article_list = reader_app.screen.query_one(ArticleList)
        first = article_list.rowids[0]
        await pilot.press("m")  # mark read without opening
        assert store.rows([first])[first].read
        await pilot.press("m")
        assert not store.rows([first])[first].read
        await pilot.press("s")
        assert store.rows([first])[first].saved
        await pilot.press("A")  # every article of the view read
        assert store.flush_marks(30)  # written in the background (tui.store.marks)
        assert store.view_counts()["unread"][0] == 0
        sidebar = reader_app.screen.query_one(Sidebar)
        from tui.model import Topic

        sidebar.select_topic(Topic("saved"))
        await pilot.pause()
        assert article_list.rowids == [first]
        sidebar.select_topic(Topic("unread"))
        await pilot.pause()
        assert article_list.rowids == []


async def test_search_box_finds_articles_accents_either_way_and_escape_returns(reader_app):
    async with reader_app.run_test(size=(120, 40)) as pilot:
        article_list = reader_app.screen.query_one(ArticleList)
        everything = list(article_list.rowids)
        await pilot.press("slash")
        for key in "securitaire":
            await pilot.press(key)
        await pilot.press("enter")
        await pilot.pause()
        titles = [reader_app.store.rows([r])[r].title for r in article_list.rowids]
        # The article itself, and the one whose "À lire" names it; newest first.
        assert titles == [
            "Coopération sécuritaire : Rabat et Paris resserrent les rangs",
            "JO de Paris : l'expertise marocaine sollicitée",
        ]
        assert reader_app.screen.topic.kind == "search"
        assert reader_app.is_running  # the 'q' typed nowhere: the box took the letters
        await pilot.press("escape")
        await pilot.pause()
        assert article_list.rowids == everything


async def test_typing_q_in_the_search_box_does_not_quit(reader_app):
    async with reader_app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", "q", "u", "o", "t", "a")
        assert reader_app.is_running
        await pilot.press("escape")
        assert isinstance(reader_app.focused, ArticleList)


async def test_the_reader_and_a_headless_fetch_at_once(bladi_site, tmp_path):
    """While `bladi-tui fetch` holds its lock (a slow source), the reader's refresh reads the
    store instead of fetching too, and nothing fails."""
    import os
    import subprocess
    import sys
    import time

    data = tmp_path / "data"

    def drip(request):
        request.send_response(200)
        request.send_header("Content-Type", "application/rss+xml")
        request.end_headers()
        for _ in range(30):
            if not request.pause(0.1):
                return
            request.wfile.write(b" ")
            request.wfile.flush()

    bladi_site.route_handler("/slow.xml", drip)
    env = {**os.environ, "BLADI_TUI_DATA_DIR": str(data), "XDG_CONFIG_HOME": str(tmp_path / "c")}
    env.pop("BLADI_TUI_CONFIG", None)
    fetch = subprocess.Popen(
        [sys.executable, "-m", "tui", "fetch", "--quiet", FEED_URL, bladi_site.url("/slow.xml")],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    from tui.store import FetchLock

    deadline = time.monotonic() + 10
    while FetchLock(data).holder() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    store = Store(data / "bladi-tui.sqlite3")
    app = BladiApp(store, [BLADI], clock=lambda: FIXED_NOW, language="fr", data_dir=data)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("bladi-tui fetch" in n.message for n in app._notifications)
        assert app.errors == []
    _, errors = fetch.communicate(timeout=30)
    assert fetch.returncode in (0, 1) and "Traceback" not in errors
    assert len(store.topic_rowids(ALL)) == 2  # what the fetch brought is there
    store.close()
