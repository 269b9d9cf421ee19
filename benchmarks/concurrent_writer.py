"""Key to screen while another process writes to the store (issue 13: the reader never waits).

    python -m benchmarks.concurrent_writer [--repeat N] [--markdown]

A store of 10,000 articles (the main benchmark's "10k" one, generated here) is read by the real
app in tmux, each key timed from tmux's send-keys to the first screen showing its effect, twice:
alone, then with a second process holding the store's writers' turn and SQLite's write lock —
as `bladi-tui fetch` from cron does while it stores a feed — for a second at a time, letting go
for a millisecond between. The keys: m (mark read), s (save) and PageDown (the next page of the
list, read from the store), each timed until the screen shows its effect. (A search under a
writer is checked by tests/test_reader_never_waits.py.)
"""

from __future__ import annotations

import argparse
import fcntl
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import corpus
from benchmarks.commands import APP_COMMAND, app_env, bladi_command
from benchmarks.datasets import MAIN_SOURCES, bench_sources, write_config
from benchmarks.figures import Figure, log, markdown_table, print_table
from benchmarks.screens import HEIGHT, WIDTH, compile_app
from benchmarks.stores import STORE_FILE, build_store
from benchmarks.terminal import Tmux
from tui.store.connection import WRITERS_LOCK_SUFFIX

HOLD, GAP = 1.0, 0.001  # seconds the writer holds the store, and lets go between
TARGET = 0.1


def hold_writes(path: str) -> None:
    """The concurrent writer: the writers' turn and the write lock, a second at a time, forever."""
    turn = os.open(path + WRITERS_LOCK_SUFFIX, os.O_RDWR | os.O_CREAT, 0o600)
    db = sqlite3.connect(path, isolation_level=None, timeout=60)
    print("writing", flush=True)
    while True:
        fcntl.flock(turn, fcntl.LOCK_EX)
        db.execute("BEGIN IMMEDIATE")
        db.execute("UPDATE sources SET last_error = last_error")
        time.sleep(HOLD)
        db.execute("COMMIT")
        fcntl.flock(turn, fcntl.LOCK_UN)
        time.sleep(GAP)


TOP = corpus.TITLE_10K[:16]  # the newest article's title: the first row


def top_marks(screen: str) -> str:
    """The first row's marks: "●" unread, "★" saved (two cells before its title)."""
    line = next((line for line in screen.splitlines() if TOP in line), "")
    at = line.find(TOP)
    return line[at - 3 : at - 1] if at >= 3 else ""


def session(tmux: Tmux, data_dir: Path, config_home: Path, figures: dict[str, Figure], repeat: int) -> None:
    """One app, each key ``repeat`` times (after a warm-up round), into ``figures``."""
    pane = tmux.spawn([*bladi_command(), "--offline", "--data-dir", str(data_dir)], env=app_env(config_home))
    try:
        pane.wait_for("Tous (10000)", timeout=60)
        pane.settle()
        for run in range(repeat + 1):
            samples = {}
            # Each mark pressed twice: the article ends as it began.
            samples["m"] = pane.press("m", lambda screen: top_marks(screen)[:1] == " ")
            pane.press("m", lambda screen: top_marks(screen)[:1] == "●")
            samples["s"] = pane.press("s", lambda screen: top_marks(screen)[1:] == "★")
            pane.press("s", lambda screen: top_marks(screen)[1:] == " ")
            # PageDown from the first row moves the cursor to the last row on screen and scrolls
            # nothing; from the second, it scrolls the list a page on: the first row leaves it.
            pane.send("j")
            time.sleep(0.3)
            samples["pagedown"] = pane.press("PageDown", lambda screen: TOP not in screen)
            pane.press("Home", TOP)
            if run:
                for key, elapsed in samples.items():
                    figures[key].samples.append(elapsed)
    finally:
        pane.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.concurrent_writer", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--repeat", type=int, default=5, help="rounds of keys, after one warm-up (default 5)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown too")
    parser.add_argument(
        "--app-command",
        metavar="CMD",
        help="start the app with this command (another checkout, as for python -m benchmarks)",
    )
    parser.add_argument("--hold", metavar="STORE", help=argparse.SUPPRESS)  # the writer's own process
    options = parser.parse_args(argv)
    if options.app_command:
        import shlex

        APP_COMMAND[:] = shlex.split(options.app_command)
    if options.hold:
        hold_writes(options.hold)
        return 0
    compile_app()
    scratch = Path(tempfile.mkdtemp(prefix="bladi-bench-writer-"))
    tmux = Tmux(WIDTH, HEIGHT)
    writer = None
    labels = {
        "m": "m (mark read)",
        "s": "s (save)",
        "pagedown": "PageDown (next page of the list)",
    }
    alone = {key: Figure(f"{label}, alone") for key, label in labels.items()}
    beside = {
        key: Figure(f"{label}, with a concurrent writer", target=TARGET, strict=True)
        for key, label in labels.items()
    }
    try:
        sources = bench_sources(list(MAIN_SOURCES), "main")
        log("generating a store of 10,000 articles")
        info = build_store(
            scratch / "data", count=10_000, sources=sources, tags=300, seed=12, big_articles=True
        )
        config_home = write_config(scratch / "config", sources)
        log("keys alone")
        session(tmux, info.data_dir, config_home, alone, options.repeat)
        writer = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.concurrent_writer", "--hold", str(info.data_dir / STORE_FILE)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert writer.stdout.readline().strip() == "writing"
        log("keys with a concurrent writer")
        session(tmux, info.data_dir, config_home, beside, options.repeat)
    finally:
        if writer is not None:
            writer.kill()
            writer.wait()
        tmux.close()
        shutil.rmtree(scratch, ignore_errors=True)
    figures = [figure for key in labels for figure in (alone[key], beside[key])]
    print_table(figures)
    if options.markdown:
        print()
        print(markdown_table(figures))
    return 1 if any(f.verdict == "ERROR" for f in beside.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
