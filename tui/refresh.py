"""Refreshing sources into the store: the one data path, source → parse → sanitize → store.

:func:`refresh` is the one entry point of a refresh, for ``bladi-tui fetch`` and the reader
alike: the fetch lock, every source, then retention. Never imports Textual.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from tui.config import FetchSettings, RetentionSettings, SourceSpec
from tui.feeds.pool import let_workers_go, parsing_processes
from tui.logs import logger
from tui.model import SourceOutcome
from tui.sources.kinds import register_sources
from tui.sources.readers import Reading, reader_for
from tui.sources.web import LiveReader
from tui.store import FetchLock, Store

__all__ = [
    "PARSING_PROCESSES_FROM",
    "RefreshReport",
    "SourceOutcome",
    "is_large_refresh",
    "refresh",
    "refresh_sources",
    "register_sources",
]

Progress = Callable[[int, int, SourceOutcome], None]

# From this many remote sources, large feeds may be read in worker processes
# (tui.feeds.pool.parsing_processes); below, starting them costs more than it saves
# (BENCHMARKS.md, "Worker processes").
PARSING_PROCESSES_FROM = 20

# What a refresh does when another process (a `bladi-tui fetch` from cron) holds the fetch lock:
# read only the local sources and leave the remote ones to it, wait for it, or do nothing.
WhenBusy = Literal["skip", "wait", "stop"]


@dataclass(frozen=True)
class RefreshReport:
    outcomes: list[SourceOutcome] = field(default_factory=list)
    stopped: bool = False  # another fetch held the lock and ``when_busy`` was "stop": nothing was read


def is_large_refresh(specs: Sequence[SourceSpec]) -> bool:
    """Whether a refresh of these sources reads feeds in worker processes (see above)."""
    return sum(1 for spec in specs if not spec.is_local) >= PARSING_PROCESSES_FROM


async def refresh(
    store: Store,
    specs: Sequence[SourceSpec],
    *,
    settings: FetchSettings | None = None,
    retention: RetentionSettings | None = None,
    data_dir: Path | None = None,
    when_busy: WhenBusy = "skip",
    busy_wait: float | None = None,
    on_busy: Callable[[int | None], None] | None = None,
    offline: bool = False,
    progress: Progress | None = None,
    live: LiveReader | None = None,
    respect_backoff: bool = False,
    exiting: bool = False,
) -> RefreshReport:
    """Refresh the sources under the fetch lock of ``data_dir``, then apply ``retention``.

    Two refreshes of one store never fetch at once: when remote sources are to be read and
    another process holds the lock, ``on_busy`` is told its process id and ``when_busy`` says
    what follows; "wait" gives up after ``busy_wait`` seconds (None: waits as long as it takes),
    and the report says it stopped. Without ``data_dir`` no lock is taken; without ``retention``
    nothing is purged. ``exiting``: the process ends with this refresh (the headless fetch): its
    last writes leave the write-ahead log for the store's next writer to copy into the store
    (:meth:`Store.leave_checkpoints`), rather than copying it on the way out, and the log is
    synced at the end (copied too if retention purged: :meth:`Store.settle_log`), after a thread
    has synced it as it was written (:meth:`Store.syncing_log`).
    """
    remote = not offline and any(not spec.is_local for spec in specs)
    lock = FetchLock(data_dir) if remote and data_dir is not None else None
    if lock is not None and not lock.acquire(wait=False):
        if on_busy is not None:
            on_busy(lock.holder())
        if when_busy == "stop":
            return RefreshReport(stopped=True)
        if when_busy == "skip":
            lock, offline = None, True
        else:
            # Polled from the event loop, not a blocking wait in a thread, so that Ctrl-C ends the
            # wait; the lock is another process's, with no event to wait on.
            loop = asyncio.get_running_loop()
            until = None if busy_wait is None else loop.time() + busy_wait
            while not lock.acquire(wait=False):
                if until is not None and loop.time() >= until:
                    return RefreshReport(stopped=True)
                await asyncio.sleep(lock.poll)
    gone = 0
    # Syncing the log as it is written leaves the sync at the end little to wait for.
    syncing = store.syncing_log() if exiting else contextlib.nullcontext()
    try:
        with syncing:
            outcomes = await refresh_sources(
                store,
                specs,
                offline=offline,
                progress=progress,
                fetch=settings,
                live=live,
                respect_backoff=respect_backoff,
                exiting=exiting,
            )
            if retention is not None:
                gone = await asyncio.to_thread(apply_retention, store, retention, specs)
    finally:
        if exiting:  # even after Ctrl-C: what was committed is kept
            store.settle_log(copy=gone > 0)
        if lock is not None:
            lock.release()
    return RefreshReport(outcomes)


def apply_retention(store: Store, retention: RetentionSettings, specs: Sequence[SourceSpec]) -> int:
    """Purge what the retention settings say goes (see tui.store.retention); how many went."""
    caps = {spec.key: spec.max_articles for spec in specs if spec.max_articles}
    gone = store.purge(retention.max_age_days, retention.max_articles, source_caps=caps)
    if gone and store.path != ":memory:":
        from tui.images.cache import PictureCache, pictures_folder

        # A picture goes with the last stored article that showed it.
        PictureCache(pictures_folder(store.path)).forget_articles(store.known_ids)
    return gone


def _clock_time(epoch: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(epoch)) if epoch else "-"


async def refresh_sources(
    store: Store,
    specs: Sequence[SourceSpec],
    *,
    offline: bool = False,
    progress: Progress | None = None,
    fetch: FetchSettings | None = None,
    live: LiveReader | None = None,
    respect_backoff: bool = False,
    exiting: bool = False,
) -> list[SourceOutcome]:
    """Refresh every source at once (no lock, no retention: see :func:`refresh`); a failing
    source never slows or stops the others.

    ``live`` is the app's :class:`tui.sources.web.LiveReader` when it keeps one; otherwise one is made
    for this refresh (only if a remote source is to be read: local ones need no HTTP client).
    ``respect_backoff``: a refresh nobody asked for (the reader's timer, ``fetch`` from cron)
    skips the sources still waiting after a refusal. ``exiting``: see :func:`refresh`.
    """
    register_sources(store, specs)
    runnable = [spec for spec in specs if spec.is_local or not offline]
    remote = [spec for spec in runnable if not spec.is_local]
    own_reader = None
    if remote and live is None:
        live = own_reader = LiveReader(store, fetch)
    done = 0
    outcomes: list[SourceOutcome] = []
    parsing: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
    if is_large_refresh(remote):
        # A large refresh: the workers start now rather than after its first feeds (or are
        # up already: the headless fetch forks them before it takes its lock).
        parsing = parsing_processes(eager=True)

    reading = Reading(store, live, respect_backoff)

    async def one(spec: SourceSpec) -> None:
        nonlocal done
        outcome = await reader_for(spec.kind).refresh(spec, reading)
        done += 1
        outcomes.append(outcome)
        if outcome.skipped:
            logger.info(
                "source %s (%s) waits until %s", outcome.name, outcome.key, _clock_time(outcome.retry_at)
            )
        elif outcome.error:
            logger.warning("source %s (%s) failed: %s", outcome.name, outcome.key, outcome.error)
        else:
            logger.info("source %s (%s): %d new", outcome.name, outcome.key, outcome.new)
        if progress is not None:
            progress(done, len(runnable), outcome)

    try:
        with parsing:
            if live is not None and remote:
                await live.prepare(remote)
            await asyncio.gather(*(one(spec) for spec in runnable))
    finally:
        if exiting:
            let_workers_go()  # every source is done: they end while the last writes are made
            store.leave_checkpoints()  # what follows is the last writes
        if own_reader is not None:
            await own_reader.aclose()  # its statuses written
        elif live is not None:
            await live.write_statuses()
    # Outcomes carry the names the store gives (a feed's title), as the sidebar does.
    names = {state.key: state.name for state in store.sources([o.key for o in outcomes])} if outcomes else {}
    return [replace(o, name=names.get(o.key) or o.name) for o in outcomes]
