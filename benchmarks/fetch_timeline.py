"""When each process of ``bladi-tui fetch`` works, on the 50 loopback feeds (BENCHMARKS.md, issue
16's fourth round).

    python -m benchmarks.fetch_timeline [--runs N] [--events FILE]
    python -m benchmarks.fetch_timeline --head-instructions [--runs N] [--until EVENT] [--transport-first]

The fetch runs as the fetch benchmark runs it (a new store, the 50 feeds of 100 items served on
loopback), with a few of its functions wrapped to write when they start and end: each GET, each
feed handed to a worker, each worker's feed (its CPU, and its wait for the writers' turn), the
refresh, the return from ``main``. What it prints answers whether both workers are busy from the
first feed to the last, how long the fetching process keeps them waiting before the first feed,
what comes after the last one, and the fetching process's CPU (all its threads) from its first GET
to its last hand-over, while it shares the cores with both workers, and after. The wrappers cost a
little; the times are the machine's (under load, say so beside them). ``--head-instructions``
counts the fetching process's instructions (cachegrind, its threads included, not its workers)
from its start to the first feed handed to a worker, where it then ends: what the load does not
change. With ``--until EVENT`` (an event of
the timeline, as "store-open-end") it ends there instead; with ``--transport-first`` the first
request's modules are imported before ``main`` rather than in its thread, so that the counts up to
successive events give each part of the head alone.
"""

from __future__ import annotations

import argparse
import atexit
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

_EVENTS = "BLADI_TIMELINE_EVENTS"
_START = "BLADI_TIMELINE_START"
_HEAD_ONLY = "BLADI_TIMELINE_HEAD_ONLY"  # the event to end at: "handed" (its first), or another
_TRANSPORT_FIRST = "BLADI_TIMELINE_TRANSPORT_FIRST"


def _traced_main(argv: list[str]) -> int:
    """In the measured process: bladi-tui's ``main`` with its parts wrapped (before the workers
    are forked, so that they inherit the wrappers)."""
    events, start = os.environ[_EVENTS], float(os.environ[_START])

    def note(what: str) -> None:
        with open(events, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {time.time() - start:.4f} {what}\n")
        if what.partition(" ")[0] == os.environ.get(_HEAD_ONLY):  # its name, without "cpu=..."
            os._exit(0)  # the head is measured: its end, without the exit's own work

    note("started")
    import tui.feeds.pool as pool
    import tui.feeds.storing as storing
    import tui.refresh as refresh
    import tui.sources.web as web
    import tui.store.connection as connection

    waited = [0.0]
    take_turn = connection.StoreConnections._take_turn

    def timed_turn(self):
        began = time.perf_counter()
        try:
            return take_turn(self)
        finally:
            waited[0] += time.perf_counter() - began

    connection.StoreConnections._take_turn = timed_turn  # type: ignore[method-assign]
    store_feed = storing.parse_and_store_feed

    def parse_and_store_feed(*args, **kwargs):
        note("feed-start")
        cpu, waited[0] = time.process_time(), 0.0
        try:
            return store_feed(*args, **kwargs)
        finally:
            note(f"feed-end cpu={time.process_time() - cpu:.4f} turn={waited[0]:.4f}")

    # Sent to the workers by reference: the wrapper takes the function's name and module.
    parse_and_store_feed.__module__ = store_feed.__module__
    parse_and_store_feed.__qualname__ = store_feed.__qualname__
    storing.parse_and_store_feed = web.parse_and_store_feed = parse_and_store_feed  # type: ignore[assignment]
    get = web.LiveReader._get

    async def timed_get(self, url, *args, **kwargs):
        note(f"get-start cpu={time.process_time():.4f}")
        try:
            return await get(self, url, *args, **kwargs)
        finally:
            note("get-end")

    web.LiveReader._get = timed_get  # type: ignore[method-assign]
    off_the_loop = web.off_the_loop

    async def handed(here, there, *, size):
        note(f"handed cpu={time.process_time():.4f}")
        return await off_the_loop(here, there, size=size)

    web.off_the_loop = handed  # type: ignore[assignment]
    run_refresh = refresh.refresh

    async def timed_refresh(*args, **kwargs):
        note(f"refresh-start cpu={time.process_time():.4f}")
        try:
            return await run_refresh(*args, **kwargs)
        finally:
            note(f"refresh-end cpu={time.process_time():.4f}")

    refresh.refresh = timed_refresh  # type: ignore[assignment]
    import tui.net.http as http

    # The tail: what runs between the last feed's end and the process's end.
    _mark(note, web.LiveReader, "write_statuses", "statuses", wait=True)
    _mark(note, refresh, "apply_retention", "retention")
    _mark(note, pool._Workers, "close", "workers-close")
    if hasattr(pool._Workers, "_shut"):
        _mark(note, pool._Workers, "_shut", "workers-stop")
    _mark(note, connection.StoreConnections, "close", "store-close")
    _mark(note, connection.StoreConnections, "settle_log", "settle")
    _mark(note, web.LiveReader, "aclose", "reader-close", wait=True)
    _mark(note, http.HttpClient, "aclose", "client-close", wait=True)
    _mark(note, refresh, "refresh_sources", "sources", wait=True)
    import tui.store.db as db

    _mark(note, db.Store, "sources", "names")
    # The head: what the fetching process does before the first feed is handed to a worker.
    import tui.cli.context as context
    import tui.logs as logs

    _mark(note, context.Context, "__init__", "context")
    _mark(note, logs, "setup_logging", "logging")
    _mark(note, pool._Workers, "fork_now", "fork")
    _mark(note, connection.StoreConnections, "__init__", "store-open")
    _mark(note, refresh, "register_sources", "register")
    _mark(note, http.HttpClient, "__init__", "client")
    _mark(note, web.LiveReader, "prepare", "prepare", wait=True)
    # Registered first, run last: what follows it is the interpreter's own finalization.
    atexit.register(lambda: note(f"atexit-last cpu={time.process_time():.4f}"))
    from tui.cli import main

    if os.environ.get(_TRANSPORT_FIRST):
        import importlib

        from tui.net.host_pools import FIRST_REQUEST_MODULES

        for name in FIRST_REQUEST_MODULES:
            importlib.import_module(name)
    note("imported")
    sys.argv = ["bladi-tui", *argv]
    code = main()  # as the process's own (the console script): a fetch may end it there
    note("returned")
    atexit.register(note, "atexit-first")
    return code


def _mark(note: Callable[[str], None], owner: Any, name: str, label: str, *, wait: bool = False) -> None:
    """Wrap ``owner.name`` (a function, or a coroutine function with ``wait``) to note when each
    call starts and ends, as "label-start" and "label-end"."""
    original = getattr(owner, name)
    if wait:

        async def marked(*args, **kwargs):
            note(f"{label}-start")
            try:
                return await original(*args, **kwargs)
            finally:
                note(f"{label}-end")

    else:

        def marked(*args, **kwargs):
            note(f"{label}-start")
            try:
                return original(*args, **kwargs)
            finally:
                note(f"{label}-end")

    setattr(owner, name, marked)


def _summary(lines: list[str], wall: float, cpu: float) -> list[str]:
    rows = [line.split(" ", 2) for line in lines if line.strip()]
    main_pid = rows[0][0]
    events: dict[str, list[tuple[float, str]]] = {}
    for pid, at, what in rows:
        events.setdefault(pid, []).append((float(at), what))
    main = events[main_pid]

    def first(name: str) -> float:
        return next((at for at, what in main if what.startswith(name)), float("nan"))

    gets = [at for at, what in main if what.startswith("get-")]
    # A fetch that ends its process itself (tui.cli.fetch.end_process) never returns from main:
    # its exit handlers are its end.
    returned = first("returned") if any(what == "returned" for _, what in main) else first("atexit-last")
    handed = [at for at, what in main if what.startswith("handed")]

    def cpu_at(name: str, last: bool = False) -> float:
        """The fetching process's CPU (all its threads) noted with the first (or last) event
        whose name starts with ``name``."""
        noted = [what for _, what in main if what.startswith(name) and "cpu=" in what]
        if not noted:
            return float("nan")
        return float(re.search(r"cpu=(\S+)", noted[-1 if last else 0]).group(1))  # type: ignore[union-attr]

    out = [
        f"wall {wall:.2f} s, CPU (user + system, workers included) {cpu:.2f} s",
        f"fetching process: imports done {first('imported'):.3f} s, refresh from {first('refresh-start'):.3f}"
        f" to {first('refresh-end'):.3f} s, main returned (or its exit handlers ran) {returned:.3f} s",
        f"  GETs from {min(gets, default=float('nan')):.3f} to {max(gets, default=float('nan')):.3f} s;"
        f" feeds handed from {min(handed, default=float('nan')):.3f} to {max(handed, default=float('nan')):.3f} s",
        f"  its CPU: from the first GET to the last hand-over {cpu_at('handed', True) - cpu_at('get-start'):.3f} s,"
        f" from the last hand-over to the refresh's end {cpu_at('refresh-end') - cpu_at('handed', True):.3f} s,"
        f" before the refresh {cpu_at('refresh-start'):.3f} s, in all {cpu_at('atexit-last', True):.3f} s",
    ]
    ends = []
    for pid, marks in events.items():
        if pid == main_pid:
            continue
        starts = [at for at, what in marks if what == "feed-start"]
        stops = [(at, what) for at, what in marks if what.startswith("feed-end")]
        if not starts or not stops:
            continue
        busy = sum(stop - start for start, (stop, _) in zip(starts, stops, strict=False))
        gaps = [start - stop for (stop, _), start in zip(stops, starts[1:], strict=False)]
        feed_cpu = sum(float(re.search(r"cpu=(\S+)", what).group(1)) for _, what in stops)  # type: ignore[union-attr]
        turn = sum(float(re.search(r"turn=(\S+)", what).group(1)) for _, what in stops)  # type: ignore[union-attr]
        ends.append(stops[-1][0])
        out.append(
            f"worker {pid}: {len(starts)} feeds from {starts[0]:.3f} to {stops[-1][0]:.3f} s, busy {busy:.2f} s"
            f" (CPU {feed_cpu:.2f} s, waiting for the writers' turn {turn:.3f} s),"
            f" idle between feeds {sum(gaps):.3f} s (longest {max(gaps, default=0.0):.3f} s)"
        )
    if ends:
        out.append(
            f"the last worker ends {max(ends) - min(ends):.3f} s after the other;"
            f" from the last feed's end to the process's end {wall - max(ends):.3f} s"
            f" (of which after main returned or its exit handlers ran {wall - returned:.3f} s)"
        )
        out.append("  the tail, from the last feed's end: " + _tail(main, max(ends), wall))
    if handed:
        out.append("  the head, to the first feed handed over: " + _head(main, min(handed)))
    return out


def _tail(main: list[tuple[float, str]], last_feed: float, wall: float) -> str:
    """The fetching process's events after the last feed's end, as offsets from it: a part
    that starts before and ends after it is shown from its start (a negative offset)."""
    parts, opened = [], {}
    for at, what in main:
        name, _, edge = what.partition(" ")[0].rpartition("-")
        if edge == "start":
            opened[name] = at
        elif edge == "end" and name in opened:
            began = opened.pop(name)
            if at >= last_feed and name not in ("feed", "get"):
                parts.append(f"{name} {began - last_feed:+.3f}..{at - last_feed:+.3f}")
        elif at >= last_feed and what.partition(" ")[0] in ("returned", "atexit-first", "atexit-last"):
            parts.append(f"{what.partition(' ')[0]} {at - last_feed:+.3f}")
    parts.append(f"exit {wall - last_feed:+.3f} s")
    return ", ".join(parts)


def _head(main: list[tuple[float, str]], first_handed: float) -> str:
    """The fetching process's parts before the first feed handed to a worker (the first GET's
    among them), from the process's start."""
    parts, opened, seen = [], {}, set()
    for at, what in main:
        if at > first_handed:
            break
        name, _, edge = what.partition(" ")[0].rpartition("-")
        if edge == "start":
            opened.setdefault(name, at)  # the GETs overlap: the first to start, the first to end
        elif edge == "end" and name in opened and name not in seen:
            seen.add(name)  # each part's first call: the first GET, the fetching process's store
            parts.append(f"{name} {opened.pop(name):.3f}..{at:.3f}")
        elif what == "imported":
            parts.append(f"imported {at:.3f}")
    parts.append(f"handed {first_handed:.3f} s")
    return ", ".join(parts)


def _head_instructions(command: list[str], env: dict[str, str], scratch: Path, until: str) -> int:
    """Instructions of the fetching process (its threads, not its workers) from its start to the
    first ``until`` event of the timeline (the first feed handed to a worker), where it ends."""
    out = scratch / "cachegrind.%p"
    valgrind = ["valgrind", "--tool=cachegrind", "--cache-sim=no", f"--cachegrind-out-file={out}"]
    started = subprocess.Popen(
        [*valgrind, *command],
        env={**env, _HEAD_ONLY: until, "PYTHONHASHSEED": "0"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started.wait()
    counted = scratch / f"cachegrind.{started.pid}"  # valgrind runs in the process it starts
    summary = re.search(r"^summary:\s+(\d+)", counted.read_text(errors="replace"), re.M)
    for other in scratch.glob("cachegrind.*"):
        other.unlink()
    if summary is None:
        raise RuntimeError("no count from the fetching process")
    return int(summary.group(1))


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--traced"]:
        return _traced_main(argv[1:])
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.fetch_timeline", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--events", help="keep the last run's events in this file")
    parser.add_argument(
        "--head-instructions",
        action="store_true",
        help="count the fetching process's instructions to the first feed handed over (cachegrind)",
    )
    parser.add_argument("--until", default="handed", help="with --head-instructions: the event to end at")
    parser.add_argument(
        "--transport-first",
        action="store_true",
        help="with --head-instructions: the first request's modules imported before main, not in a thread",
    )
    args = parser.parse_args(argv)

    from benchmarks.commands import fetch_folder, settle_disk
    from benchmarks.feeds import FeedServer

    with FeedServer() as server, tempfile.TemporaryDirectory(prefix="bladi-timeline-") as scratch:
        for run in range(args.runs):
            folder, env = fetch_folder(Path(scratch) / f"run-{run}")
            events = Path(scratch) / f"events-{run}.txt"
            settle_disk()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.time()
            env.update({_EVENTS: str(events), _START: str(started)})
            env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
            command = [sys.executable, "-m", "benchmarks.fetch_timeline", "--traced", "fetch"]
            command += ["--data-dir", str(folder / "data"), *server.urls]
            if args.head_instructions:
                if args.transport_first:
                    env[_TRANSPORT_FIRST] = "1"
                counted = _head_instructions(command, env, Path(scratch), args.until)
                print(f"run {run + 1}: {counted / 1e6:,.1f} M instructions to {args.until}")
                if args.until == "handed":
                    # Under cachegrind, times follow instructions (while the workers, also under
                    # cachegrind, leave this process a core).
                    rows = [line.split(" ", 2) for line in events.read_text().splitlines() if line.strip()]
                    main_events = [(float(at), what) for pid, at, what in rows if pid == rows[0][0]]
                    handed = min(at for at, what in main_events if what.startswith("handed"))
                    print("  the head under cachegrind, in seconds: " + _head(main_events, handed))
                shutil.rmtree(folder, ignore_errors=True)
                continue
            done = subprocess.run(command, env=env, capture_output=True, text=True)
            wall = time.time() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            print(f"run {run + 1} (exit {done.returncode}): {done.stderr.strip().splitlines()[-1:]}")
            for line in _summary(events.read_text().splitlines(), wall, cpu):
                print("  " + line)
            if args.events:
                shutil.copy(events, args.events)
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
