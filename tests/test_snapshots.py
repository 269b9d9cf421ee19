"""Screens as a user sees them, at 200x50, 120x40 and 80x24 (pytest-textual-snapshot, fixed clock).

Update after an intended change with: pytest tests/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest

from tests.conftest import FIXED_NOW, FIXTURES, counts_shown, loaded_store

SIZES = [(120, 40), (80, 24), (200, 50)]


@pytest.fixture
def make_app(tmp_path):
    from tui.ui.app import BladiApp

    store, specs = loaded_store(tmp_path, FIXTURES / "articles")
    yield lambda language="fr": BladiApp(
        store, specs, offline=True, clock=lambda: FIXED_NOW, refresh_on_start=False, language=language
    )
    store.close()


def keys_then_counts(*keys: str):
    """Once the app has drawn its list and counts, press ``keys``, then wait for the sidebar's
    counts again (read in a thread). Keys sent before the first counts race the app's start."""

    async def run_before(pilot):
        await counts_shown(pilot)
        await pilot.press(*keys)
        await counts_shown(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_main_screen(snap_compare, make_app, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=keys_then_counts())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_open_article(snap_compare, make_app, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=keys_then_counts("j", "enter"))


def test_help_screen(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(100, 40), run_before=keys_then_counts("question_mark"))


def test_main_screen_in_english(snap_compare, make_app):
    assert snap_compare(make_app("en"), terminal_size=(120, 40), run_before=keys_then_counts())


def test_palette_in_french(snap_compare, make_app):
    async def run_before(pilot):
        from textual.command import CommandList

        await counts_shown(pilot)
        await pilot.press("ctrl+p", *"th")
        # The hits arrive from a worker, a few at a time: wait until they stop changing.
        shown = -1
        for _ in range(50):
            await pilot.pause(0.1)
            count = pilot.app.screen.query_one(CommandList).option_count
            if count and count == shown:
                break
            shown = count
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=run_before)


def test_keys_panel_in_french(snap_compare, make_app):
    async def run_before(pilot):
        await counts_shown(pilot)
        pilot.app.action_show_help_panel()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=run_before)
