"""Faults of the machine rather than of a source or of the user: a full disk, a read-only data
folder, a store another program keeps locked, a damaged store.

Each is recognised here, from the error SQLite or the system gave, so that the command line and
the reader say it in one sentence of the UI's language (tui.ui.strings, ``fault.*``) instead of
"unexpected error (OperationalError)", and exit 1. Never imports Textual.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from tui.sanitize import clean_line

Fault = Literal["disk_full", "read_only", "locked", "damaged"]

# SQLite's primary result codes (an extended code keeps them in its low byte).
_SQLITE_CODES: dict[int, Fault] = {
    13: "disk_full",  # SQLITE_FULL
    8: "read_only",  # SQLITE_READONLY
    5: "locked",  # SQLITE_BUSY
    6: "locked",  # SQLITE_LOCKED
    11: "damaged",  # SQLITE_CORRUPT
    26: "damaged",  # SQLITE_NOTADB
}
# Where an older SQLite module gives no code: its messages.
_SQLITE_MESSAGES: tuple[tuple[str, Fault], ...] = (
    ("disk is full", "disk_full"),
    ("readonly database", "read_only"),
    ("database is locked", "locked"),
    ("malformed", "damaged"),
    ("not a database", "damaged"),
)
_OS_ERRORS: dict[int, Fault] = {
    errno.ENOSPC: "disk_full",
    getattr(errno, "EDQUOT", errno.ENOSPC): "disk_full",
    errno.EFBIG: "disk_full",
    errno.EROFS: "read_only",
    errno.EACCES: "read_only",
    errno.EPERM: "read_only",
}


def fault_of(error: BaseException | None) -> Fault | None:
    """Which fault ``error`` (or the error it was raised from) is, if it is one."""
    seen = 0
    while error is not None and seen < 8:
        seen += 1
        fault = getattr(error, "fault", None)  # tui.store.StoreError says it itself
        if fault:
            return fault
        if isinstance(error, sqlite3.Error):
            code = getattr(error, "sqlite_errorcode", None)
            if code is not None and code & 0xFF in _SQLITE_CODES:
                return _SQLITE_CODES[code & 0xFF]
            message = str(error).lower()
            for words, fault in _SQLITE_MESSAGES:
                if words in message:
                    return fault
        elif isinstance(error, OSError) and error.errno in _OS_ERRORS:
            return _OS_ERRORS[error.errno]
        error = error.__cause__ or error.__context__
    return None


def move_aside_command(path: str) -> str:
    """The shell command that moves a store aside, with the journal files that belong to it.

    A write-ahead log left beside a new store would be replayed into it: it moves too.
    """
    import shlex  # only for a damaged store: not imported before every reader's first frame

    moves = [
        f"mv {shlex.quote(path + suffix)} {shlex.quote(path + '.broken' + suffix)}"
        for suffix in ("", "-wal", "-shm")
        if suffix == "" or os.path.exists(path + suffix)
    ]
    return " && ".join(moves)


def fault_sentence(fault: Fault, t: Callable[..., str], data_dir: Path, store_path: Path) -> str:
    """The one sentence for ``fault``, in the language of ``t`` (a tui.ui.strings.Translator)."""
    from tui.paths import display_path

    folder = clean_line(display_path(data_dir))
    store = clean_line(display_path(store_path))
    if fault in ("disk_full", "read_only"):
        return t(f"fault.{fault}", where=folder)
    if fault == "damaged":
        return t("fault.damaged", where=store, command=clean_line(move_aside_command(str(store_path))))
    return t(f"fault.{fault}", where=store)
