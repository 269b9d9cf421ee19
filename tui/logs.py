"""The log file in the data folder: where the detail of an unexpected error goes.

The user sees one sentence; the traceback goes here (``--verbose`` logs more than errors).
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_NAME = "bladi-tui.log"
logger = logging.getLogger("bladi_tui")


def setup_logging(data_dir: Path, *, verbose: bool = False) -> Path | None:
    """Log to ``data_dir/bladi-tui.log`` (rotated at 1 MiB); None when the folder is not writable."""
    path = data_dir / LOG_NAME
    # A log that cannot be written (a full disk) must not print logging's own tracebacks over
    # the one sentence the user gets: its records are dropped quietly.
    logging.raiseExceptions = False
    # Errors always; with --verbose, every source's outcome and every request too.
    logger.setLevel(logging.DEBUG if verbose else logging.WARNING)
    logger.propagate = False
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    try:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # reading history is private
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1024 * 1024, backupCount=2, encoding="utf-8"
        )
    except OSError:
        logger.addHandler(logging.NullHandler())
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    return path


def log_path(data_dir: Path) -> Path:
    return data_dir / LOG_NAME
