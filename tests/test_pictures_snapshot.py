"""The reading screen with a lead photo drawn in half-block cells above the lead, as a user sees
it (pytest-textual-snapshot, fixed clock). Update after an intended change with:
pytest tests/test_pictures_snapshot.py --snapshot-update"""

from __future__ import annotations

from tests.bladi_site import FEED_URL
from tests.conftest import FIXED_NOW, counts_shown
from tui.config import SourceSpec
from tui.store import Store


def test_article_with_its_lead_photo(snap_compare, picture_site, tmp_path):
    from tui.ui.app import BladiApp

    store = Store(tmp_path / "store.sqlite3")
    app = BladiApp(
        store,
        [SourceSpec(name="Bladi.net", url=FEED_URL, kind="auto")],
        clock=lambda: FIXED_NOW,
        language="fr",
        pictures="blocks",
    )

    async def run_before(pilot):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await counts_shown(pilot)

    try:
        assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)
    finally:
        store.close()
