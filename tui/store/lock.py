"""The fetch lock: one refresh of the store at a time, across processes.

SQLite keeps each write whole, but two fetches at once (cron's ``bladi-tui fetch`` and another, or
the TUI's refresh) would fetch the same pages twice and interleave their writes. The lock is an
advisory ``flock`` on ``fetch.lock`` beside the store: the kernel releases it when its holder
exits, however it exits (kill -9 included), so a stale lock never blocks the next fetch.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
try:
    import msvcrt
except ImportError:
    msvcrt = None  # type: ignore[assignment]

LOCK_NAME = "fetch.lock"


class FetchLock:
    """An exclusive lock on the store's fetches; also a context manager (which waits).

    The holder writes its process id into the file, so that one who finds the lock taken can
    say who holds it (:meth:`holder`).

    Where neither ``fcntl`` nor ``msvcrt`` exists the lock always succeeds: SQLite still keeps
    every write whole; only the duplicate work is not prevented.
    """

    def __init__(self, data_dir: Path | str, poll: float = 0.1) -> None:
        self.path = Path(data_dir) / LOCK_NAME
        self.poll = poll
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, wait: bool = True, timeout: float | None = None) -> bool:
        """Take the lock; False if another process holds it and ``wait`` is False (or timed out)."""
        if self._fd is not None:
            raise RuntimeError("this FetchLock is already held")
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # as the store does
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if wait and timeout is None and fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
                taken = True
            else:
                deadline = None if timeout is None else time.monotonic() + timeout
                taken = _try_lock(fd)
                while not taken and wait and (deadline is None or time.monotonic() < deadline):
                    time.sleep(self.poll)
                    taken = _try_lock(fd)
        except BaseException:
            os.close(fd)
            raise
        if not taken:
            os.close(fd)
            return False
        self._fd = fd
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except (OSError, AttributeError):
            pass  # the pid is only a courtesy (and os.pwrite is POSIX only)
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
            elif msvcrt is not None:
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        finally:
            os.close(fd)

    def holder(self) -> int | None:
        """The process id written by the last holder, if the file names one."""
        try:
            text = self.path.read_text(encoding="ascii", errors="replace").strip()
        except OSError:
            return None
        return int(text) if text.isdigit() else None

    def __enter__(self) -> FetchLock:
        self.acquire(wait=True)
        return self

    def __exit__(self, *exc_info) -> None:
        self.release()


def _try_lock(fd: int) -> bool:
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    if msvcrt is not None:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    return True
