"""Export the README's screenshots (SVG drawn by Textual) from the bundled sample articles.

python docs/make_screenshot.py
"""

from __future__ import annotations

import asyncio
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from tui.config import SourceSpec
from tui.model import ALL
from tui.paths import bundled_path
from tui.refresh import refresh_sources
from tui.store import Store
from tui.ui.app import BladiApp

HERE = Path(__file__).resolve().parent
CLOCK = datetime(2024, 12, 15, 12, tzinfo=UTC)

SHOTS = [
    # (file, size, language, keys)
    ("screenshot.svg", (120, 36), "fr", ["j", "j", "enter"]),
    ("screenshot-80x24.svg", (80, 24), "fr", ["enter"]),
    ("screenshot-en.svg", (100, 30), "en", []),
]


async def main() -> None:
    with tempfile.TemporaryDirectory() as data:
        store = Store(Path(data) / "store.sqlite3")
        specs = [SourceSpec(name="Exemples", path=str(bundled_path("sample_articles")), kind="local")]
        await refresh_sources(store, specs, offline=True)
        for name, size, language, keys in SHOTS:
            app = BladiApp(
                store, specs, offline=True, refresh_on_start=False, clock=lambda: CLOCK, language=language
            )
            async with app.run_test(size=size) as pilot:
                await pilot.press(*keys)
                await pilot.pause()
                app.save_screenshot(str(HERE / name))
            store.set_read(store.topic_rowids(ALL), False)  # each shot starts unread
        store.close()


if __name__ == "__main__":
    asyncio.run(main())
