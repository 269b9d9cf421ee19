"""Export the README's screenshot (an SVG drawn by Textual) from the bundled sample articles.

    python docs/make_screenshot.py
"""

from __future__ import annotations

import asyncio
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from tui.config import SourceSpec
from tui.paths import bundled_path
from tui.refresh import refresh_sources
from tui.store import Store
from tui.ui.app import BladiApp

HERE = Path(__file__).resolve().parent


async def main() -> None:
    with tempfile.TemporaryDirectory() as data:
        store = Store(Path(data) / "store.sqlite3")
        specs = [SourceSpec(name="Exemples", path=str(bundled_path("sample_articles")), kind="local")]
        await refresh_sources(store, specs, offline=True)
        app = BladiApp(store, specs, offline=True, refresh_on_start=False,
                       clock=lambda: datetime(2024, 6, 1, 12, tzinfo=timezone.utc))
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("j", "j", "enter")
            await pilot.pause()
            app.save_screenshot(str(HERE / "screenshot.svg"))
        store.close()


if __name__ == "__main__":
    asyncio.run(main())
