"""Shared fixtures: the loopback HTTP server and the paths of the bundled data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

pytest_plugins = ["tests.loopback", "tests.bladi_site", "tests.bladi_listings", "tests.picture_site"]


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


# -- the reader on local articles ----------------------------------------------------------------

from datetime import UTC, datetime  # noqa: E402

#: The clock every UI test runs with, so dates on screen never depend on the day the tests run.
FIXED_NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def local_spec(folder: Path, name: str = "Fixtures"):
    from tui.config import SourceSpec

    return SourceSpec(name=name, path=str(folder.resolve()), kind="local")


def loaded_store(tmp_path: Path, *folders: Path):
    """A real SQLite store in tmp_path holding the articles of local folders, already read."""
    import asyncio

    from tui.refresh import refresh_sources
    from tui.store import Store

    store = Store(tmp_path / "store.sqlite3")
    specs = [local_spec(folder, folder.name) for folder in folders]
    asyncio.run(refresh_sources(store, specs, offline=True))
    return store, specs


@pytest.fixture
def articles_dir() -> Path:
    return FIXTURES / "articles"


@pytest.fixture
def reader_app(tmp_path, articles_dir):
    """The real app over the fixture articles, with a fixed clock and no refresh of its own."""
    from tui.ui.app import BladiApp

    store, specs = loaded_store(tmp_path, articles_dir)
    app = BladiApp(store, specs, offline=True, clock=lambda: FIXED_NOW, refresh_on_start=False, language="fr")
    yield app
    store.close()
    assert app.errors == [], "the app caught unexpected errors"


async def counts_shown(pilot) -> None:
    """Wait until the sidebar shows its counts: the recounts asked for so far (workers of their
    own, reading in a thread) are done, and the frame after them drawn."""
    from tui.ui.screens.reader import COUNTS_WORKERS

    await pilot.pause()
    while counting := [w for w in pilot.app.workers if w.group == COUNTS_WORKERS and not w.is_finished]:
        await pilot.app.workers.wait_for_complete(counting)
        await pilot.pause()


def fsynced_paths(monkeypatch, call: str = "fsync") -> list[str]:
    """The files tui.store.connection syncs by os.fsync (or ``call``, as "fdatasync"): a power
    cut cannot be made here."""
    import os

    import tui.store.connection as connection

    synced: list[str] = []
    sync = getattr(os, call)

    def recorded(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        sync(fd)

    monkeypatch.setattr(connection.os, call, recorded)
    return synced
