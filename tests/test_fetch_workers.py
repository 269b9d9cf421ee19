"""The worker processes of a large headless fetch, seen from outside: real `bladi-tui fetch`
processes over the loopback server.

The fetch forks its workers before it takes the fetch lock and opens the store, so that they
inherit neither; they ignore Ctrl-C (the fetch answers it) and leave when the fetch is killed.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_fast_roads import wordpress_feed
from tui.feeds.pool import parsing_processes_available
from tui.refresh import PARSING_PROCESSES_FROM
from tui.store import FetchLock, Store

pytestmark = pytest.mark.skipif(
    not Path(f"/proc/self/task/{os.getpid()}/children").exists() or parsing_processes_available() < 1,
    reason="needs Linux's /proc/PID/task/TID/children and two cores (one core reads feeds without workers)",
)


def children(pid: int) -> list[int]:
    """The processes ``pid`` started, from /proc (the children of each of its threads)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += map(int, (task / "children").read_text().split())
        except OSError:  # the process or thread just ended
            continue
    return found


def descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        below = children(queue.pop())
        found += below
        queue += below
    return found


def stored(data: Path) -> int:
    """Articles committed to the store so far (0 before it exists)."""
    try:
        db = sqlite3.connect(data / "bladi-tui.sqlite3")
        try:
            return db.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def open_files(pid: int) -> set[str]:
    names = set()
    for fd in Path(f"/proc/{pid}/fd").glob("*"):
        try:
            names.add(os.readlink(fd))
        except OSError:
            continue
    return names


def alive(pid: int) -> bool:
    """Running, not a zombie waiting for a parent that does not reap it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def wait_until(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def start_fetch(loopback, tmp_path: Path, *, stalled: bool) -> tuple[subprocess.Popen, list[str]]:
    """``bladi-tui fetch`` of enough feeds for workers, in its own process group; with ``stalled``
    one feed never finishes, so the fetch stays under way until the test ends it."""

    def stall(request):
        request.send_response(200)
        request.send_header("Content-Type", "application/rss+xml")
        request.end_headers()
        while request.pause(0.1):
            pass

    urls = []
    for number in range(PARSING_PROCESSES_FROM):
        path = f"/feed/{number}.xml"
        if stalled and number == 0:
            loopback.route_handler(path, stall)
        else:
            loopback.route(
                path, body=wordpress_feed(items=30, seed=number), content_type="application/rss+xml"
            )
        urls.append(loopback.url(path))
    environment = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "HOME": str(tmp_path / "home"),
        "NO_COLOR": "1",
    }
    environment.pop("BLADI_TUI_CONFIG", None)
    # Started as from a terminal, where Ctrl-C is answered. A test run started in a shell's
    # background (`pytest &`, as a CI script may) ignores SIGINT, and a program inherits that:
    # it would then, as it should, ignore Ctrl-C. A handler (unlike "ignore") is not inherited.
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        fetch = subprocess.Popen(
            [sys.executable, "-m", "tui", "fetch", "--data-dir", str(tmp_path / "data"), *urls],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
            cwd=ROOT,
            start_new_session=True,
        )
    finally:
        signal.signal(signal.SIGINT, before)
    return fetch, urls


def test_a_killed_fetch_leaves_neither_its_lock_nor_its_workers(loopback, tmp_path):
    data = tmp_path / "data"
    fetch, _ = start_fetch(loopback, tmp_path, stalled=True)
    try:
        lock = FetchLock(data)
        assert wait_until(lambda: lock.holder() == fetch.pid), (
            fetch.stderr.read() if fetch.poll() is not None else ""
        )
        # Forked by the fetch itself (a fork server would be its only child, the workers below it).
        assert wait_until(lambda: len(children(fetch.pid)) >= parsing_processes_available())
        # The 19 feeds that answer are read and stored by the workers, each through its own
        # connection to the store.
        assert wait_until(lambda: stored(data) > 0, timeout=60)
        workers = descendants(fetch.pid)
        assert str(lock.path) in open_files(fetch.pid)
        for worker in workers:
            assert str(lock.path) not in open_files(worker)  # forked before the lock was taken
        os.kill(fetch.pid, signal.SIGKILL)
        fetch.wait(timeout=10)
        # Nothing the fetch held outlives it: the next fetch gets the lock at once ...
        assert lock.acquire(wait=False)
        lock.release()
        # ... and the workers, whose parent is gone, leave too.
        assert wait_until(lambda: not any(alive(worker) for worker in workers), timeout=15), [
            Path(f"/proc/{w}/cmdline").read_bytes() for w in workers if alive(w)
        ]
        # The store opens, with whole feeds in it (each was stored in one transaction).
        reopened = Store(data / "bladi-tui.sqlite3")
        counts = [state.count for state in reopened.sources()]
        reopened.close()
        assert set(counts) <= {0, 30} and sum(counts) > 0
    finally:
        if fetch.poll() is None:
            fetch.kill()
            fetch.wait(timeout=10)


def test_ctrl_c_stops_a_large_fetch_with_one_sentence_and_keeps_what_was_stored(loopback, tmp_path):
    fetch, _ = start_fetch(loopback, tmp_path, stalled=True)
    try:
        assert wait_until(lambda: stored(tmp_path / "data") > 0, timeout=60)  # the workers are at work
        os.killpg(fetch.pid, signal.SIGINT)  # what the terminal sends the whole foreground group
        out, err = fetch.communicate(timeout=30)
    finally:
        if fetch.poll() is None:
            fetch.kill()
            fetch.wait(timeout=10)
    assert fetch.returncode == 130
    assert err.strip() == "bladi-tui: fetch interrupted; what was fetched is kept."  # no worker's traceback
    store = Store(tmp_path / "data" / "bladi-tui.sqlite3")
    counts = [state.count for state in store.sources()]
    store.close()
    assert set(counts) <= {0, 30} and sum(counts) > 0  # whole feeds, each stored in one transaction


def test_a_large_fetch_stores_every_feed_through_its_workers(loopback, tmp_path):
    fetch, urls = start_fetch(loopback, tmp_path, stalled=False)
    out, err = fetch.communicate(timeout=120)
    assert fetch.returncode == 0, err
    assert err.strip().endswith(f"{30 * len(urls)} new article(s) from {len(urls)}/{len(urls)} source(s)")
    store = Store(tmp_path / "data" / "bladi-tui.sqlite3")
    try:
        assert sorted(state.count for state in store.sources()) == [30] * len(urls)
        assert len(store.search_rowids("le")) > 0  # indexed by the workers too
    finally:
        store.close()
