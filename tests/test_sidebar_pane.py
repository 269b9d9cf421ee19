"""The sidebar's pane is there from the first frame; its tree is mounted right after it. Keys
can come before the tree: each way into the sidebar goes through the pane or waits for it."""

from __future__ import annotations

import asyncio

from tests.conftest import counts_shown
from tui.ui.screens.help import HelpScreen
from tui.ui.widgets.article_list import ArticleList
from tui.ui.widgets.sidebar import Sidebar, SidebarPane


def hold_the_tree(monkeypatch) -> asyncio.Event:
    """The tree's mount waits until the returned event is set: the test's keys come before it."""
    release = asyncio.Event()
    mount_tree = SidebarPane._mount_tree
    waiting: list[asyncio.Task] = []

    async def held(pane: SidebarPane) -> None:
        # Not in the callback itself, which the screen's loop awaits: the screen goes on.
        async def when_released() -> None:
            await release.wait()
            await mount_tree(pane)

        waiting.append(asyncio.create_task(when_released()))

    monkeypatch.setattr(SidebarPane, "_mount_tree", held)
    return release


async def test_keys_before_the_tree_reach_it_once_mounted(reader_app, monkeypatch):
    release = hold_the_tree(monkeypatch)
    async with reader_app.run_test(size=(120, 40)) as pilot:
        screen = reader_app.screen
        await pilot.pause()
        assert not screen.query(Sidebar)  # no tree yet, and the first frame is drawn
        assert screen.sidebar.region.width == 26  # its place is kept
        # Shift+Tab from the list: the pane takes the focus the tree would take.
        await pilot.press("shift+tab")
        assert reader_app.focused is screen.sidebar
        await pilot.press("j", "k", "G")  # an empty sidebar does nothing with them
        # `?` lists the sidebar's keys, in the UI's language, from the tree not mounted yet.
        await pilot.press("question_mark")
        assert isinstance(reader_app.screen, HelpScreen)
        sidebar_rows = [row for row in reader_app.screen._rows if row[2] == reader_app.t("help.sidebar")]
        assert ("home,g", "Début", reader_app.t("help.sidebar")) in sidebar_rows
        await pilot.press("escape")
        # `b` folds the pane, and the focus goes back to the list; `b` again shows it.
        await pilot.press("b")
        await pilot.pause()
        assert screen.sidebar.region.width == 0 and isinstance(reader_app.focused, ArticleList)
        await pilot.press("b", "escape")  # Escape from the list: the sidebar
        await pilot.pause()
        assert reader_app.focused is screen.sidebar
        # The counts were read meanwhile: they wait for the tree, then show in it.
        assert not screen.sidebar.topics.root.children
        release.set()
        await counts_shown(pilot)
        tree = screen.query_one(Sidebar)
        assert tree is screen.sidebar.topics and tree.parent is screen.sidebar
        assert reader_app.focused is tree  # the focus the pane held
        assert str(tree.root.children[0].label).startswith("Tous")
        line = tree.cursor_line
        await pilot.press("j")
        assert tree.cursor_line == line + 1  # keys now move in it
        await pilot.press("tab")  # the pane itself is no longer a stop: the list is next
        assert isinstance(reader_app.focused, ArticleList)


async def test_a_recount_asked_before_the_tree_is_mounted_is_shown(reader_app, monkeypatch):
    release = hold_the_tree(monkeypatch)
    async with reader_app.run_test(size=(120, 40)) as pilot:
        screen = reader_app.screen
        await pilot.pause()
        await pilot.pause(0.3)  # the first count is under way, the tree held back
        assert reader_app.store.view_counts(screen.source_keys)["unread"][0] > 0
        await pilot.press("A")  # every article read: the counts asked again
        await pilot.pause()
        release.set()
        await counts_shown(pilot)
        unread = str(screen.sidebar.topics.root.children[1].label)
        assert unread.startswith("Non lus") and unread.split()[-1] == "0", unread


async def test_quitting_before_the_tree_is_mounted(reader_app, monkeypatch):
    hold_the_tree(monkeypatch)
    async with reader_app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
    assert reader_app.return_code == 0
