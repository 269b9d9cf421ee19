"""The reader's marks (read, saved), written by a thread of their own and shown at once.

A key that marks an article must change the screen at once, whatever the store is doing: another
process (cron's ``bladi-tui fetch``) may hold the writers' turn for seconds. Marks go into a queue
that one thread writes in order; until a mark is committed it is kept here and laid over what the
store reads (:meth:`MarkQueue.pending`). Whatever ends the process, the queue is written first:
``Store.close`` waits for it, and so does an ``atexit`` hook (SIGTERM and SIGHUP end the reader
through its normal exit, which runs both).
"""

from __future__ import annotations

import atexit
import logging
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence

log = logging.getLogger("bladi_tui")

READ, SAVED = "read", "saved"
#: How long the last marks may wait for another writer to finish when the reader exits.
EXIT_WAIT = 30.0

Write = Callable[[str, Sequence[int], bool], None]


class MarkQueue:
    """Marks waiting to be written, in the order they were made, and the thread writing them."""

    def __init__(self, write: Write) -> None:
        self._write = write
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._queue: deque[tuple[str, tuple[int, ...], bool, int]] = deque()
        # kind -> rowid -> (value, number of the mark that set it): a later mark of the same
        # article replaces the earlier one here, and only its own write takes it away.
        self._pending: dict[str, dict[int, tuple[bool, int]]] = {READ: {}, SAVED: {}}
        self._number = 0
        self._thread: threading.Thread | None = None
        self._closing = False
        self._give_up_at: float | None = None
        self._listeners: list[Callable[[], None]] = []
        atexit.register(self.close)

    def put(self, kind: str, rowids: Iterable[int], value: bool) -> None:
        rowids = tuple(rowids)
        if not rowids:
            return
        with self._lock:
            if self._closing:
                raise RuntimeError("the store is closed")
            self._number += 1
            pending = self._pending[kind]
            for rowid in rowids:
                pending[rowid] = (value, self._number)
            self._queue.append((kind, rowids, value, self._number))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="bladi-marks", daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def pending(self, kind: str) -> dict[int, bool]:
        """The marks of ``kind`` not written yet: row id -> value."""
        with self._lock:
            return {rowid: value for rowid, (value, _) in self._pending[kind].items()}

    def __bool__(self) -> bool:
        with self._lock:
            return bool(self._queue)

    def on_written(self, listener: Callable[[], None] | None) -> None:
        """Call ``listener`` (from the writing thread) after each mark is committed; None: stop."""
        with self._lock:
            self._listeners = [listener] if listener is not None else []

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every mark made so far is written; False if ``timeout`` passed first."""
        with self._lock:
            return self._changed.wait_for(lambda: not self._queue, timeout)

    def close(self, timeout: float = EXIT_WAIT) -> None:
        """Write what is queued (waiting at most ``timeout`` for other writers), then stop."""
        atexit.unregister(self.close)
        with self._lock:
            self._closing = True
            self._give_up_at = time.monotonic() + timeout
            self._changed.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._queue and not self._closing:
                    self._changed.wait()
                if not self._queue:
                    return
                kind, rowids, value, number = self._queue[0]
            self._write_until_done(kind, rowids, value)
            with self._lock:
                self._queue.popleft()
                pending = self._pending[kind]
                for rowid in rowids:
                    if pending.get(rowid, (None, 0))[1] == number:
                        del pending[rowid]
                self._changed.notify_all()
                listeners = list(self._listeners)
            for listener in listeners:
                try:
                    listener()
                except Exception:  # a listener's failure is no reason to stop writing marks
                    log.exception("after a mark was written")

    def _write_until_done(self, kind: str, rowids: Sequence[int], value: bool) -> None:
        # The store busy past SQLite's own wait (another process writing for long): try again,
        # until the reader exits and has waited long enough.
        pause = 0.05
        while True:
            try:
                self._write(kind, rowids, value)
                return
            except sqlite3.OperationalError as error:
                with self._lock:
                    give_up = self._give_up_at is not None and time.monotonic() > self._give_up_at
                if give_up:
                    log.warning("%d %s mark(s) not written: %s", len(rowids), kind, error)
                    return
                time.sleep(pause)
                pause = min(pause * 2, 1.0)
            except sqlite3.Error as error:  # closed, damaged: nothing a retry mends
                log.warning("%d %s mark(s) not written: %s", len(rowids), kind, error)
                return
