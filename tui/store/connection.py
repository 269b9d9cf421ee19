"""The store's connections to its SQLite file: one that writes, and read-only ones that read.

Writers take turns across processes (a refresh's worker processes, cron's ``bladi-tui fetch``,
the reader's own marks). Readers never take part: in WAL mode a reader sees the last commit and
never waits for a writer, so each thread that reads (the UI's above all) has a read-only
connection of its own and takes no lock at all.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TypeVar

from tui.faults import fault_of, move_aside_command
from tui.store.schema import SCHEMA_VERSION, SchemaTooNew, apply_settings, migrate
from tui.store.search import register_functions

try:
    import fcntl
except ImportError:  # Windows: SQLite's own waiting
    fcntl = None  # type: ignore[assignment]

# Beside the store, the lock its writers take turns with (see StoreConnections.writers_turn).
WRITERS_LOCK_SUFFIX = "-writers.lock"
WRITERS_WAIT = 10.0  # seconds, as SQLite's busy timeout
# Between two syncs of the write-ahead log by StoreConnections.syncing_log, in seconds.
LOG_SYNC_PAUSE = 0.05

T = TypeVar("T")


class StoreError(Exception):
    """The store file cannot be used; the message is one sentence for the user. ``fault`` says
    which of the machine's faults it is (tui.faults), when it is one."""

    def __init__(self, message: str, *, fault: str | None = None) -> None:
        super().__init__(message)
        self.fault = fault


def _fault(path: str, error: sqlite3.Error) -> str | None:
    fault = fault_of(error)
    if fault is None and path != ":memory:" and not os.access(Path(path).parent, os.W_OK):
        fault = "read_only"  # SQLite could not open the store, or its journal beside it
    return fault


def _open_writer(path: str, checkpoints: bool) -> tuple[sqlite3.Connection, str]:
    """The connection that migrates and writes, and the journal mode it got."""
    try:
        db = sqlite3.connect(path, timeout=10.0, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as error:
        raise StoreError(f"The store {path} cannot be opened ({error}).", fault=_fault(path, error)) from None
    try:
        db.execute("PRAGMA busy_timeout = 10000")
        # An article (text, Markdown, search columns) spills over SQLite's 4 KB pages; 16 KB
        # pages hold it whole (BENCHMARKS.md). Only a new file takes it (an existing one keeps
        # its own).
        db.execute("PRAGMA page_size = 16384")
        mode = _set_journal_mode(db)
        db.execute("PRAGMA synchronous = NORMAL")
        if not checkpoints:
            db.execute("PRAGMA wal_autocheckpoint = 0")
        db.execute("PRAGMA foreign_keys = ON")
        # Reading the schema is what finds a file that is not a database: SQLite opens any
        # file lazily. (A full `PRAGMA quick_check` would cost a read of the whole file at
        # every start; a damaged page is reported when it is read.)
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        register_functions(db)
        migrate(db)
        apply_settings(db)
    except SchemaTooNew as error:
        db.close()
        raise StoreError(
            f"The store {path} was written by a newer bladi-tui (schema {error.args[0]}, "
            f"this one knows {SCHEMA_VERSION}): upgrade bladi-tui, or give another --data-dir."
        ) from None
    except sqlite3.OperationalError as error:
        # Locked past the busy timeout, read-only, disk full: the file itself is fine.
        db.close()
        raise StoreError(f"The store {path} cannot be used ({error}).", fault=_fault(path, error)) from None
    except sqlite3.DatabaseError as error:
        db.close()
        raise StoreError(
            f"The store {path} is damaged ({error}); move it aside and bladi-tui will "
            f"start a new one: {move_aside_command(path)}",
            fault="damaged",
        ) from None
    return db, mode


def chunks(items: Sequence, size: int = 500) -> Iterable[list]:
    """``items`` in lists of ``size``, one statement's ``?`` each: SQLite caps them (32,766
    since 3.32, 999 before)."""
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _set_journal_mode(db: sqlite3.Connection) -> str:
    # WAL lets the TUI read while `bladi-tui fetch` writes. It needs shared memory, which
    # network filesystems lack: there SQLite refuses, and the rollback journal still works.
    try:
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    except sqlite3.OperationalError:
        mode = "delete"
    if mode.lower() != "wal":
        mode = db.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    return mode.lower()


class StoreConnections:
    """The writing connection, the writers' turn across processes, and the readers."""

    def __init__(self, path: str, *, checkpoints: bool = True) -> None:
        self.path = path
        self.writer, self.journal_mode = _open_writer(path, checkpoints)
        self._checkpoint_pages: int | None = None  # while checkpoints are left (leave_checkpoints)
        # Guards the writing connection between this process's threads. Taken only once this
        # thread's turn among the writers has come: nobody waits on it for another process.
        self._write_lock = threading.RLock()
        # Readers of their own need WAL (a rollback journal makes readers wait for writers)
        # and a file (each connection to ":memory:" is another database).
        self._shared_reads = path == ":memory:" or self.journal_mode != "wal"
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._turns_path: str | None = None
        if fcntl is not None and path != ":memory:":
            try:
                os.close(os.open(path + WRITERS_LOCK_SUFFIX, os.O_RDWR | os.O_CREAT, 0o600))
                self._turns_path = path + WRITERS_LOCK_SUFFIX
            except OSError:
                pass  # a read-only folder: SQLite's own waiting then

    # -- reading ------------------------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A connection to read with: this thread's own read-only one, which waits for no one."""
        if self._shared_reads:
            with self._write_lock:
                yield self.writer
            return
        db = getattr(self._local, "reader", None)
        if db is None:
            db = self._local.reader = self._open_reader()
        yield db

    def _open_reader(self) -> sqlite3.Connection:
        uri = Path(self.path).resolve().as_uri() + "?mode=ro"
        db = sqlite3.connect(uri, uri=True, timeout=10.0, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA busy_timeout = 10000")
        register_functions(db)
        with self._readers_lock:
            self._readers.append(db)
        return db

    # -- writing ------------------------------------------------------------------------------

    def write(self, statements: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``statements(db)`` in one immediate transaction (taken before any read)."""
        with self.writers_turn() as turn, self._write_lock:
            self.writer.execute("BEGIN IMMEDIATE")
            try:
                result = statements(self.writer)
            except BaseException:
                self._rollback()
                raise
            # The next writer's turn begins as this COMMIT writes the pages out (a
            # millisecond, which SQLite's first retry covers): then, every few megabytes, it
            # copies the log into the store with an fsync, which no other writer has to
            # wait for.
            turn.end()
            try:
                self.writer.execute("COMMIT")
            except BaseException:
                self._rollback()  # a full disk: the next write starts afresh
                raise
            return result

    def _rollback(self) -> None:
        # SQLite may have rolled back already (a full disk does): the error that matters is
        # the one that stopped the write, not "no transaction is active".
        if self.writer.in_transaction:
            with suppress(sqlite3.Error):
                self.writer.execute("ROLLBACK")

    @contextmanager
    def writers_turn(self) -> Iterator[_Turn]:
        """Wait for the other writers to this store (processes and threads), as in a queue.

        SQLite makes a writer that finds the store busy sleep 1, 2, 5, 10, 15, 20, 25… ms before
        trying again: with two worker processes storing feeds turn about (tui.feeds.storing), that
        slept away a third of a refresh. An advisory lock beside the store wakes the next writer
        the moment the write ends. Each turn opens the lock file anew, so that two threads of
        one process queue too (a lock belongs to an open file). It is polled every millisecond
        rather than waited for, so that a writer stopped mid-write (Ctrl+Z) costs the others at
        most the busy timeout, after which SQLite's own waiting takes over.
        """
        turn = _Turn(self._take_turn())
        try:
            yield turn
        finally:
            turn.end()

    def _take_turn(self) -> int | None:
        if self._turns_path is None:
            return None
        try:
            fd = os.open(self._turns_path, os.O_RDWR)
        except OSError:
            return None
        deadline = time.monotonic() + WRITERS_WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.001)
            except OSError:  # a file system without locks
                break
        os.close(fd)
        return None

    def leave_checkpoints(self) -> None:
        """This process's remaining writes (a headless fetch's last ones) leave copying the
        write-ahead log into the store to the store's next writer: that copy and its two fsyncs
        were what the fetch last waited for. :meth:`settle_log` ends such a process's writes."""
        if self.journal_mode != "wal":
            return
        with self._write_lock:
            self._checkpoint_pages = self.writer.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
            self.writer.execute("PRAGMA wal_autocheckpoint = 0")

    @contextmanager
    def syncing_log(self) -> Iterator[None]:
        """While a process that will exit writes (a headless fetch, its workers' commits too):
        the write-ahead log synced from a thread, again and again, so that the one sync
        :meth:`settle_log` makes at the end finds little left to write; its cost grows with what
        the log holds unsynced. The thread ends with the block."""
        if self.journal_mode != "wal" or self.path == ":memory:":
            yield
            return
        done = threading.Event()
        syncer = threading.Thread(target=self._sync_log_until, args=(done,), name="log-sync", daemon=True)
        syncer.start()
        try:
            yield
        finally:
            done.set()
            syncer.join()

    def _sync_log_until(self, done: threading.Event) -> None:
        fd = None
        synced = None
        while not done.wait(LOG_SYNC_PAUSE):
            if fd is None:
                try:  # the log appears with the first write
                    fd = os.open(self.path + "-wal", os.O_RDONLY)
                except OSError:
                    continue
            try:
                # A log neither grown nor written since the last sync has nothing to sync (its
                # time too: after a checkpoint, the log is written again from its start). A write
                # missed that way is left to settle_log's sync, as are the last ones.
                stat = os.fstat(fd)
                if (stat.st_size, stat.st_mtime_ns) == synced:
                    continue
                # The data and what reading it back needs (its length); macOS has only fsync.
                getattr(os, "fdatasync", os.fsync)(fd)
                synced = (stat.st_size, stat.st_mtime_ns)
            except OSError:
                break  # settle_log's own sync says what failed
        if fd is not None:
            os.close(fd)

    def settle_log(self, *, copy: bool) -> None:
        """After :meth:`leave_checkpoints`, once this process has written its last: the
        write-ahead log synced once (its commits did not sync it), so that what it committed
        survives a power cut; with ``copy`` (its last writes rewrote many pages: a purge) the log
        is also copied into the store (a checkpoint, which syncs both), so that the next opener
        does not read them all back from the log. Writes after it (``fetch --images``) check-
        point as before :meth:`leave_checkpoints`."""
        if self.journal_mode != "wal":
            return
        with self._write_lock:
            if self._checkpoint_pages is not None:
                self.writer.execute(f"PRAGMA wal_autocheckpoint = {int(self._checkpoint_pages)}")
                self._checkpoint_pages = None
            if copy:
                self.writer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                return
            try:
                fd = os.open(self.path + "-wal", os.O_RDONLY)
            except OSError:  # no log: nothing was written to it
                return
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def close(self) -> None:
        with self._write_lock:
            self.writer.close()
        with self._readers_lock:
            readers, self._readers = self._readers, []
        for db in readers:
            db.close()


class _Turn:
    """A writer's turn, ended once (when its COMMIT starts, or when the write fails)."""

    def __init__(self, fd: int | None) -> None:
        self._fd = fd

    def end(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
