"""Driving the app in tmux: its size, reading its screen (which row shows a text, which pane has
the focus), and the few moves every session makes."""

from __future__ import annotations

import time
from pathlib import Path

from benchmarks.datasets import Dataset
from benchmarks.terminal import ScreenTimeout

WIDTH, HEIGHT = 120, 40


def compile_app() -> None:
    """Byte-compile bladi-tui's modules, as pip does when it installs the wheel (Textual's, in
    site-packages, are compiled). Without it, a run under PYTHONDONTWRITEBYTECODE=1 (common in
    containers and CI) compiles every module of the app from source at each start, about 35 ms
    that the warm-up round cannot cache and that the baseline app does not pay."""
    import compileall

    import tui

    compileall.compile_dir(Path(tui.__file__).parent, quiet=1)


def expand_tags(pane, dataset: Dataset, *, timeout: float) -> float:
    """Unfold the sidebar's "Sujets" once the app shows its first screen: the seconds from the
    key to its first tag on screen."""
    pane.settle()
    escape(pane, list_not_focused)
    pane.send("g")
    for _ in range(3):
        pane.send("j")
    time.sleep(0.2)
    # Fold "Sources" (50 lines) so that the tags show below "Sujets" at 40 rows.
    pane.press("Space", "▶ Sources", timeout=10)
    pane.settle(quiet=0.2)
    pane.send("G")  # the cursor to the last line: "Sujets"
    time.sleep(0.3)
    tag, number = dataset.info.tags[0]
    return pane.press("Space", f"{tag} {number}/{number}", timeout=timeout)


def row_of(screen: str, text: str) -> int:
    """The screen row showing ``text``, or -1."""
    return next((number for number, line in enumerate(screen.splitlines()) if text in line), -1)


def list_focused(screen: str) -> bool:
    """The footer shows the list's keys ("⏎ Ouvrir"): the article list has the focus."""
    footer = screen.rstrip("\n").rpartition("\n")[2]
    return "Ouvrir" in footer


def list_not_focused(screen: str) -> bool:
    """The footer no longer shows the list's keys: the sidebar or the article has the focus."""
    footer = screen.rstrip("\n").rpartition("\n")[2]
    return "Quitter" in footer and "Ouvrir" not in footer


def escape(pane, expected) -> None:
    """Escape, then wait for its effect: a key sent right after an ESC byte would be read with it
    as Alt+key."""
    try:
        pane.press("Escape", expected, timeout=5)
    except ScreenTimeout:
        time.sleep(0.3)


def search_box_open(screen: str) -> bool:
    """The search box is open (its top border shows)."""
    return "▔▔▔▔▔▔▔▔▔▔" in screen


def search_implemented() -> bool:
    from tui.store import Store

    if not hasattr(Store, "search_rowids"):
        return False
    try:
        from tui.ui.screens.reader import ReaderScreen
    except Exception:
        return False
    return any(
        "slash" in str(getattr(b, "key", b)) or str(getattr(b, "key", "")) == "/"
        for b in ReaderScreen.BINDINGS
    )
