"""The store shared by processes: two writers at once, a writer killed with SIGKILL mid-write,
and the fetch lock held by another process. The children run tests/helpers/store_child.py."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from tests.conftest import ROOT
from tests.helpers.store_child import article, is_read, is_saved
from tui.model import ALL
from tui.store import FetchLock, Store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and flock")


def child(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.store_child", *args],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def integrity(path) -> str:
    db = sqlite3.connect(path)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    path = str(tmp_path / "store.sqlite3")
    Store(path).close()  # created and migrated once, as the TUI would have
    count = 300
    writers = [child("write", path, name, str(count)) for name in ("one", "two")]
    for writer in writers:
        assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
    for writer in writers:
        writer.stdin.write("go\n")
        writer.stdin.flush()
    results = [writer.communicate(timeout=60) for writer in writers]
    spans = []
    for writer, (out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0, err
        done, errors, started, ended = out.split()
        assert (done, errors) == ("done", "0"), err  # not one "database is locked"
        spans.append((float(started), float(ended)))
    (start1, end1), (start2, end2) = spans
    assert start1 < end2 and start2 < end1, "the writers did not overlap"

    store = Store(path)
    for name in ("one", "two"):
        (state,) = store.sources([name])
        assert (state.count, state.unread) == (count, 0)
        saved = store.view_counts([name])["saved"][0]
        assert saved == len(range(0, count, 3))
        assert len(store.search_rowids(f"{name} article")) == count
    store.close()
    assert integrity(path) == "ok"


def test_a_writer_killed_mid_write_leaves_a_usable_store_with_every_committed_mark(tmp_path):
    path = str(tmp_path / "store.sqlite3")
    committed: list[tuple[int, int]] = []
    for delay in (0.4, 0.5, 0.6):
        writer = child("fetch", path)
        lines: list[str] = []
        reader = threading.Thread(target=lines.extend, args=(writer.stdout,), daemon=True)
        reader.start()
        time.sleep(delay)
        while not lines and writer.poll() is None:  # a slow start: wait for one batch at least
            time.sleep(0.05)
        # Only what the child said before the kill counts as committed.
        said = list(lines)
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=10)
        reader.join(timeout=10)
        assert writer.returncode == -signal.SIGKILL, writer.stderr.read()
        committed += [tuple(map(int, line.split()[1:])) for line in said if line.startswith("committed")]
        assert said, "the child committed nothing before it was killed"

        assert integrity(path) == "ok"
        store = Store(path)
        assert store._connections.writer.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for first, last in committed:
            for number in range(first, last):
                stored = store.find(article("feed", number).id)
                assert stored is not None, number
                assert stored.read == is_read(number) and stored.saved == is_saved(number), number
        # The index kept pace with the articles, the last (killed) batch included.
        indexed = store._connections.writer.execute("SELECT count(*) FROM article_search").fetchone()[0]
        assert indexed == len(store.topic_rowids(ALL))
        store.close()
    assert len(committed) >= 3


def test_a_second_fetch_finds_the_lock_taken_and_gets_it_once_the_first_ends(tmp_path):
    holder = child("lock", str(tmp_path))
    try:
        assert holder.stdout.readline().strip() == "locked"
        lock = FetchLock(tmp_path)
        assert not lock.acquire(wait=False)
        assert lock.holder() == holder.pid
        started = time.monotonic()
        assert not lock.acquire(wait=True, timeout=0.3)
        assert time.monotonic() - started >= 0.3

        def finish_first():
            time.sleep(0.3)
            holder.stdin.close()  # the first fetch ends

        threading.Thread(target=finish_first, daemon=True).start()
        assert lock.acquire(wait=True)  # waits for it
        lock.release()
    finally:
        holder.kill()
        holder.wait(timeout=10)


def test_a_lock_holder_killed_with_sigkill_leaves_no_stale_lock(tmp_path):
    holder = child("lock", str(tmp_path))
    assert holder.stdout.readline().strip() == "locked"
    lock = FetchLock(tmp_path)
    assert not lock.acquire(wait=False)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=10)
    assert lock.acquire(wait=True, timeout=5)
    assert lock.holder() == os.getpid()
    lock.release()


OPEN_NEW_STORE = """
import sys
from tui.store import Store
print("ready", flush=True)
sys.stdin.readline()
Store(sys.argv[1]).close()
print("opened", flush=True)
"""


def test_processes_opening_a_new_store_at_once_make_it_once(tmp_path):
    # Each finds an empty file; the first to take the write lock makes the store in one step,
    # the others find it made once their turn comes (none makes it twice, none fails).
    path = tmp_path / "store.sqlite3"
    openers = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_NEW_STORE, str(path)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for opener in openers:
        assert opener.stdout.readline().strip() == "ready"
    for opener in openers:
        opener.stdin.write("go\n")
        opener.stdin.flush()
    for opener in openers:
        out, err = opener.communicate(timeout=60)
        assert opener.returncode == 0, err[-2000:]
        assert out.strip() == "opened"
    alone = tmp_path / "alone.sqlite3"
    Store(alone).close()

    def objects(store_path) -> list[tuple[str, str]]:
        db = sqlite3.connect(store_path)
        try:
            return sorted(db.execute("SELECT type, name FROM sqlite_master"))
        finally:
            db.close()

    assert objects(path) == objects(alone)
    assert integrity(path) == "ok"
