"""Worker processes that read (and store) large feeds during a large refresh.

Converting HTML to Markdown is most of the work of a refresh, and threads keep it to one core
(the GIL). Within :func:`parsing_processes`, :func:`off_the_loop` hands large documents to worker
processes while this process fetches; everything else is read in a thread. BENCHMARKS.md has the
figures behind the thresholds below.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import functools
import gc
import logging
import logging.handlers
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import tui.feeds.storing  # noqa: F401 - what the workers run: imported before they are forked
from tui.feeds.entry import ParsedFeed
from tui.feeds.parse import parse_feed, warm_up
from tui.parent_watch import watch_parent

T = TypeVar("T")
logger = logging.getLogger("bladi_tui.feeds")


# Converting HTML to Markdown is most of the work of a refresh, and threads keep it to one core
# (the GIL). During a large refresh, feeds are read in worker processes while this one fetches
# and stores (BENCHMARKS.md, fetch). A small
# document is read here: sending it to a worker would cost more than it saves.
PROCESS_MIN_BYTES = 32_768
# Starting the workers costs CPU (a fork server importing the parsers, then forking them): they
# start once a refresh has brought this much text in large documents (one feed of a hundred full
# articles), never for a refresh of small feeds, where threads do as well (BENCHMARKS.md).
WORKERS_FROM_BYTES = 256_000
# How much lower than the reader the app's workers run (os.nice): parsing waits, keys do not.
APP_WORKERS_NICENESS = 10
_workers: _Workers | None = None  # while a parsing_processes() block is open
_workers_users = 0
_workers_lock = threading.Lock()


def parsing_processes_available() -> int:
    """How many worker processes a large refresh uses here: one per core, at most two; none on
    a single core."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return min(2, cores) if cores > 1 else 0


@contextlib.contextmanager
def parsing_processes(count: int | None = None, *, eager: bool = False, fork: bool = False) -> Iterator[None]:
    """Within this block, :func:`parse_feed_async` reads large feeds in worker processes.

    The workers start in the background once the block's feeds add up to
    :data:`WORKERS_FROM_BYTES`; until they are up, feeds are read in threads as outside the
    block. With ``eager`` (the caller knows the refresh is large) they start at once instead
    (see :meth:`_Workers.start_now`). With ``fork`` they start at once too, forked from this
    process when it runs a single thread (see :meth:`_Workers.fork_now`): the caller vouches
    that it holds no lock and no SQLite connection yet, as the workers would inherit them.
    Blocks may nest or overlap (the app's refresh and a command's): they share the workers,
    which stop when the last block ends. With ``count`` 0 (a single core), this does nothing.
    """
    global _workers, _workers_users
    if count is None:
        count = parsing_processes_available()
    if count < 1:
        yield
        return
    with _workers_lock:
        created = _workers is None
        workers = _workers if _workers is not None else _Workers(count)
        _workers = workers
        _workers_users += 1
    try:
        if created and fork:
            workers.fork_now()  # not under the lock: the children would start with it taken
        if created and (eager or fork):
            workers.start_now()  # unless just forked
        yield
    finally:
        with _workers_lock:
            _workers_users -= 1
            done = _workers if _workers_users == 0 else None
            if done is not None:
                _workers = None
        if done is not None:
            done.close()


def let_workers_go() -> None:
    """Every feed of the refresh is read: the workers stop now, in the background, while their
    starter writes its last (the headless fetch, whose workers no one else shares); the block's
    end waits for them as before, so that none outlives it. A feed read after this is read in a
    thread."""
    workers = _workers
    if workers is not None:
        workers.release()


class _Workers:
    def __init__(self, count: int) -> None:
        self.pool: Any = None  # a ProcessPoolExecutor, once its workers are up
        self.received = 0  # bytes of feeds handed to parse_feed_async in the block
        self._count = count
        self._started = self._closed = self._forked = False
        self._lock = threading.Lock()
        self._stopping: threading.Thread | None = None  # their shutdown, once released

    def note(self, size: int) -> None:
        """Count a document to read; start the workers once a refresh proves large enough."""
        if size < PROCESS_MIN_BYTES:
            return  # read here anyway
        self.received += size
        if not self._started and self.received >= WORKERS_FROM_BYTES:
            self._started = True
            threading.Thread(
                target=self._start, args=(self._count,), name="feed-workers", daemon=True
            ).start()

    def fork_now(self) -> None:
        """Fork the workers from this process, now, if it runs a single thread (else do nothing).

        A fork server costs CPU (a process importing the parsers again) and comes up late; a
        plain fork of a process with one thread is nearly free, and the workers share the
        parsers already imported here (tui.feeds.storing, what they run, is imported with this
        module; BENCHMARKS.md, fetch). Each worker warms the parsers up itself, on a core this
        process, which has its store to open and its first feeds to fetch, leaves idle. Only for a
        caller that holds nothing a child must not inherit: a child keeps every descriptor of its
        parent, so a lock taken before the fork would be held by the workers (and by orphans after
        a kill -9 of the parent), and SQLite forbids a connection to cross a fork.
        """
        if not sys.platform.startswith("linux") or threading.active_count() != 1 or self._started:
            return
        self._started = True
        before = set(multiprocessing.active_children())
        pool = None
        try:
            pool = concurrent.futures.ProcessPoolExecutor(
                self._count, mp_context=multiprocessing.get_context("fork"), initializer=_worker_started
            )
            # A fork pool starts all its processes at the first submit, before its manager
            # thread (Python 3.11+): the children are forked from a process with a single thread.
            for _ in range(self._count):
                pool.submit(warm_up)
        except BaseException as error:
            # No processes here (no semaphores in a sandbox), or not enough of them (a limit on
            # processes, Ctrl-C): those already forked would wait for work forever, and this
            # process for them at exit.
            for child in set(multiprocessing.active_children()) - before:
                child.terminate()
                child.join(5)
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
            self._started = False
            if not isinstance(error, Exception):
                raise
            logger.warning("feed workers could not be forked", exc_info=True)
            return  # the fork server, maybe
        self.pool = pool
        self._forked = True

    def start_now(self) -> None:
        """Start the workers now, in the background, from the fork server, for a refresh known
        to be large (unless they are started already).

        Not by a plain fork of this process (see :meth:`fork_now`), which may hold locks and
        SQLite connections, and whose other threads may hold locks of their own.
        """
        if self._started:
            return
        self._started = True
        threading.Thread(target=self._start, args=(self._count,), name="feed-workers", daemon=True).start()

    def _start(self, count: int) -> None:
        # Not fork: the app has threads (Textual's, the store's), and a child forked while one
        # of them holds a lock may wait for it forever. A fork server starts once, imports the
        # parsers, and forks the workers.
        pool = None
        try:
            if sys.platform.startswith("linux"):
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(
                    [
                        "tui.feeds.pool",
                        "tui.feeds.storing",
                        "tui.feeds.parse",
                        "tui.extract.markdown",
                        "lxml.etree",
                    ]
                )
            else:
                context = multiprocessing.get_context("spawn")
            _start_resource_tracker()
            # Started from the fork server: the app's workers, which yield the cores to the
            # reader's process (a key during a refresh waits for no parsing); the headless
            # fetch forks its own (fork_now) at the usual priority.
            pool = concurrent.futures.ProcessPoolExecutor(
                count, mp_context=context, initializer=_worker_started, initargs=(APP_WORKERS_NICENESS,)
            )
            # Each submit while no worker is idle starts one; once they are started (not yet
            # warm), feeds may queue for them: starting a process would block the event loop.
            warming = [pool.submit(warm_up) for _ in range(count)]
        except Exception:  # no workers here (no semaphores in a sandbox, a broken install): threads
            logger.warning("feeds are read in threads: worker processes could not start", exc_info=True)
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
            return
        with self._lock:
            if not self._closed:
                self.pool, pool = pool, None
        if pool is not None:  # the block ended while the workers were starting
            pool.shutdown(wait=False, cancel_futures=True)
        for started in warming:
            try:
                error = started.exception()
            except concurrent.futures.CancelledError:  # the block ended first
                return
            if error is not None:  # workers that cannot read feeds: threads read them
                logger.warning("feeds are read in threads: worker processes fail", exc_info=error)
                self.close()
                return

    def release(self) -> None:
        """Stop the workers, without waiting for them here: :meth:`close` does."""
        with self._lock:
            pool, self.pool = self.pool, None
        if pool is not None:
            self._stopping = threading.Thread(
                target=self._shut, args=(pool,), name="feed-workers-stop", daemon=True
            )
            self._stopping.start()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pool, self.pool = self.pool, None
        if pool is not None:
            self._shut(pool)
        if self._stopping is not None:
            self._stopping.join()

    def _shut(self, pool: Any) -> None:
        # Without waiting, the pool's threads may still write to its queues while the
        # interpreter exits and closes them (a traceback on stderr, now and then). A forked
        # pool belongs to the headless fetch, at its end: nothing is kept waiting but the
        # fetch itself, after Ctrl-C, for the feed each worker is reading (bounded by the
        # byte cap; the workers ignore SIGINT so that this one answers it).
        pool.shutdown(wait=self._forked, cancel_futures=True)


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with a real standard error. It hands its child
    the descriptor of ``sys.stderr``, and the reader's (Textual's stand-in while the app runs)
    answers -1: the tracker failed to start, and with it the workers (every feed was read in
    a thread of the reader's process, taking turns with its keys)."""
    from multiprocessing import resource_tracker

    try:
        usable = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = True  # no descriptor at all: the tracker passes none
    if usable or sys.__stderr__ is None:
        resource_tracker.ensure_running()
        return
    shown, sys.stderr = sys.stderr, sys.__stderr__
    try:
        resource_tracker.ensure_running()
    finally:
        sys.stderr = shown


def _worker_started(niceness: int = 0) -> None:
    """In each worker process, first: what it inherited or imported lives as long as it does, and
    what it builds for a feed is freed by reference counting when the feed is done. So the
    collector is kept off the former (a forked worker would otherwise copy the pages of its
    parent's objects by walking them), and runs every 10,000 allocations instead of 700 over the
    latter (whose cost grew with each refresh: BENCHMARKS.md)."""
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
    if niceness and hasattr(os, "nice"):
        try:
            os.nice(niceness)
        except OSError:
            pass
    # A forked worker writes to its parent's log file: only the parent may rotate it (two
    # processes rotating one file lose lines and backups).
    for handler in logging.getLogger("bladi_tui").handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            handler.maxBytes = 0
    # Ctrl-C in the terminal reaches the whole process group: the process that started the
    # workers answers it and stops them; a traceback from each worker would only add noise.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A worker whose starter was killed (kill -9) waits on a queue that nobody will ever close:
    # it leaves once its parent (that process, or the fork server, which ends with it) is gone.
    watch_parent()


async def parse_feed_async(
    data: bytes,
    url: str,
    *,
    source: str = "",
    content_type: str = "",
    parse: Callable[..., ParsedFeed] | None = None,
) -> ParsedFeed:
    """:func:`parse_feed` (or ``parse``, a stand-in with its signature, always in a thread) off
    the event loop: in a worker process inside :func:`parsing_processes` when the document is
    large and the workers are up, in a thread otherwise. Same result."""
    parse = parse_feed if parse is None else parse
    call = functools.partial(parse, data, url, source=source, content_type=content_type)
    return await off_the_loop(call, call if parse is parse_feed else None, size=len(data))


async def off_the_loop(here: Callable[[], T], there: Callable[[], T] | None, *, size: int) -> T:
    """``there()`` in a worker process inside :func:`parsing_processes` when the document it
    reads (``size`` bytes) is large and the workers are up, else ``here()`` in a thread.

    ``there`` does the work of ``here`` in a form a worker can run (picklable, no object of this
    process); None when only ``here`` can do it.
    """
    workers = _workers
    if workers is not None:
        workers.note(size)
    pool = workers.pool if workers is not None else None
    if pool is not None and there is not None and size >= PROCESS_MIN_BYTES:
        try:
            future = pool.submit(there)
        except (concurrent.futures.BrokenExecutor, RuntimeError):  # the workers are stopping, or broke: here
            future = None
        if future is not None:
            try:
                return await asyncio.wrap_future(future)
            except concurrent.futures.BrokenExecutor:  # a worker died (killed, out of memory): here
                pass
    return await asyncio.to_thread(here)
