"""A refresh of many sources in the open reader: the list and the sidebar follow it at a bounded
rate (a few times a second), not once per source, and show everything once it is over."""

from __future__ import annotations

import time

from textual.widgets import Static

from tests.conftest import FIXED_NOW, counts_shown
from tui.config import SourceSpec
from tui.store import Store
from tui.ui.app import BladiApp
from tui.ui.screens.reader import PROGRESS_COUNTS_SECONDS, PROGRESS_UPDATE_SECONDS
from tui.ui.widgets.article_list import ArticleList
from tui.ui.widgets.sidebar import Sidebar

FEEDS = 40


def rss(number: int) -> bytes:
    items = "".join(
        f"<item><title>Article {number}-{i}</title><link>http://example.org/{number}/{i}</link>"
        f"<description>Texte.</description></item>"
        for i in range(3)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Journal {number}</title><link>http://example.org/</link>{items}</channel></rss>"
    ).encode()


async def test_a_refresh_of_many_sources_rebuilds_the_sidebar_a_bounded_number_of_times(
    loopback, tmp_path, monkeypatch
):
    def slow_feed(number: int):
        def answer(request):
            request.pause(0.05)  # sources end one after the other, not all in one frame
            request.send_body(200, rss(number), {"Content-Type": "application/rss+xml"})

        return answer

    for number in range(FEEDS):
        loopback.route_handler(f"/feed-{number}.xml", slow_feed(number))
    specs = [SourceSpec.from_url(loopback.url(f"/feed-{n}.xml"), name=f"Journal {n}") for n in range(FEEDS)]
    rebuilds, reloads = [], []
    update_topics, show_rows = Sidebar.update_topics, ArticleList.show_rows

    def counted_update_topics(self, *args, **kwargs):
        rebuilds.append(time.monotonic())
        return update_topics(self, *args, **kwargs)

    def counted_show_rows(self, *args, **kwargs):
        reloads.append(time.monotonic())
        return show_rows(self, *args, **kwargs)

    monkeypatch.setattr(Sidebar, "update_topics", counted_update_topics)
    monkeypatch.setattr(ArticleList, "show_rows", counted_show_rows)
    titles: list[bool] = []  # each update of the list's title line: whether it asked for a layout
    static_update = Static.update

    def counted_static_update(self, *args, layout: bool = True, **kwargs):
        if self.id == "list-title":
            titles.append(layout)
        return static_update(self, *args, layout=layout, **kwargs)

    monkeypatch.setattr(Static, "update", counted_static_update)
    store = Store(tmp_path / "store.sqlite3")
    app = BladiApp(store, specs, clock=lambda: FIXED_NOW, language="fr")
    started = time.monotonic()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await counts_shown(pilot)
        elapsed = time.monotonic() - started
        # At most one update per interval during the refresh, plus the first and the last.
        bound = elapsed / PROGRESS_UPDATE_SECONDS + 3
        # The sidebar's counts, a count of every source's articles, less often than the list.
        assert len(rebuilds) <= elapsed / PROGRESS_COUNTS_SECONDS + 3, (len(rebuilds), elapsed)
        assert len(reloads) <= bound, (len(reloads), elapsed)
        assert len(rebuilds) < FEEDS
        # The title says how far the refresh is at the same rate, and never lays out the screen.
        assert len(titles) <= 2 * bound and len(titles) < FEEDS, (len(titles), elapsed)
        assert not any(titles)
        # Everything is there in the end.
        assert app.reader.query_one(ArticleList).count == 3 * FEEDS
        labels = [str(node.label) for node in app.reader.query_one(Sidebar).root.children[3].children]
        assert len(labels) == FEEDS and all(label.endswith("3/3") for label in labels), labels[:3]
    store.close()
