"""Choosing a topic draws what changes and lays nothing out that stays: the list's new length,
when the list is longer than the screen before and after, only moves its scrollbar, and the
focus moving from the sidebar to the list restyles those two, not the whole screen."""

from __future__ import annotations

import pytest

from tests.conftest import FIXED_NOW, counts_shown, loaded_store
from tui.ui.widgets.article_list import ArticleList
from tui.ui.widgets.sidebar import Sidebar


@pytest.fixture
def topics_app(tmp_path):
    """The reader over 75 articles: 40 in "Maroc", 30 in "Sport" (longer than the list at 80 x
    24) and 5 in "Culture" (shorter)."""
    from tui.ui.app import BladiApp

    folder = tmp_path / "topics"
    folder.mkdir()
    for n, rubrique in enumerate(["Maroc"] * 40 + ["Sport"] * 30 + ["Culture"] * 5):
        (folder / f"a{n:02d}.md").write_text(
            f'+++\ntitle = "Article {n}"\ndate = 2024-05-{1 + n % 28:02d}T10:00:00+02:00\n'
            f'rubrique = "{rubrique}"\n+++\nLe texte {n}.\n',
            encoding="utf-8",
        )
    store, specs = loaded_store(tmp_path, folder)
    app = BladiApp(store, specs, offline=True, clock=lambda: FIXED_NOW, refresh_on_start=False, language="fr")
    yield app
    store.close()
    assert app.errors == []


def count_layouts(screen) -> list[int]:
    layouts: list[int] = []
    lay_out = screen._refresh_layout

    def counted(*args, **options):
        layouts.append(1)
        return lay_out(*args, **options)

    screen._refresh_layout = counted
    return layouts


async def choose(pilot, sidebar: Sidebar, label: str) -> None:
    """From the list, back to the sidebar, its cursor on ``label``'s row, and Enter."""
    await pilot.press("escape")
    line = next(
        n for n in range(sidebar.last_line + 1) if str(sidebar.get_node_at_line(n).label).startswith(label)
    )
    sidebar.cursor_line = line
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def test_a_topic_longer_than_the_list_is_shown_without_laying_the_screen_out(topics_app):
    async with topics_app.run_test(size=(80, 24)) as pilot:
        await counts_shown(pilot)
        screen = topics_app.screen
        sidebar, article_list = screen.query_one(Sidebar), screen.query_one(ArticleList)
        await choose(pilot, sidebar, "Maroc")
        assert article_list.count == 40 and article_list.show_vertical_scrollbar
        layouts = count_layouts(screen)
        await choose(pilot, sidebar, "Sport")
        assert screen.focused is article_list and article_list.count == 30
        assert layouts == []
        # The scrollbar follows the new length: its thumb is longer for 30 rows than for 40.
        assert article_list.vertical_scrollbar.window_virtual_size == 30
        assert article_list.max_scroll_y == 30 - article_list.scrollable_content_region.height
        # Shorter than the list: the scrollbar goes, which lays the screen out.
        await choose(pilot, sidebar, "Culture")
        assert article_list.count == 5 and not article_list.show_vertical_scrollbar
        assert layouts


async def test_the_focus_moving_draws_the_widgets_it_restyles_not_the_whole_screen(topics_app):
    async with topics_app.run_test(size=(80, 24)) as pilot:
        await counts_shown(pilot)
        screen = topics_app.screen
        compositor = screen._compositor
        updates: list[str] = []
        full, partial = compositor.render_full_update, compositor.render_partial_update

        def counted_full(*args, **options):
            updates.append("whole")
            return full(*args, **options)

        def counted_partial(*args, **options):
            updates.append("part")
            return partial(*args, **options)

        compositor.render_full_update = counted_full
        compositor.render_partial_update = counted_partial
        await pilot.press("escape")  # the list gives the sidebar the focus
        await pilot.pause()
        assert screen.focused is screen.query_one(Sidebar)
        assert "part" in updates and "whole" not in updates
