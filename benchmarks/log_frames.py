"""Frames of the write-ahead log each feed's transaction writes (BENCHMARKS.md, "Seventh round: a
worker's writes").

    python -m benchmarks.log_frames

One process stores the fetch benchmark's 50 feeds (``benchmarks.feeds``) one after the other into
a new store, as a worker does (no checkpoint), and prints how many 16 KB frames each feed's
transaction added to the log, then the log's size and the store's pages per table and index
(SQLite's ``dbstat``, where this SQLite has it).
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.feeds import FEEDS, make_feed
from tui.feeds.storing import parse_and_store_feed
from tui.store import Store

_FRAME = 16384 + 24  # a page of the store and its frame header


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bladi-log-frames-") as scratch:
        path = Path(scratch) / "store.sqlite3"
        log = Path(str(path) + "-wal")
        store = Store(path, checkpoints=False)
        frames = []
        for number in range(FEEDS):
            key = f"http://127.0.0.1/feed/{number:02d}.xml"
            store.ensure_source(key, "127.0.0.1", "auto")
            before = log.stat().st_size if log.exists() else 0
            parse_and_store_feed(
                store,
                key,
                make_feed(number),
                key,
                source="127.0.0.1",
                content_type="application/rss+xml",
                full_text=False,
            )
            frames.append((log.stat().st_size - before) // _FRAME)
        print("frames per feed:", ", ".join(map(str, frames)))
        print(f"log {log.stat().st_size / 1e6:.1f} MB")
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = db.execute(
                "SELECT name, count(*) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 20"
            ).fetchall()
        except sqlite3.Error:
            rows = []  # a SQLite built without dbstat
        for name, pages in rows:
            print(f"  {name}: {pages} pages")
        db.close()
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
