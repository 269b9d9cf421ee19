"""A child process of ours leaves once the process that started it is gone.

Both kinds of helper process (the feed workers and the layout process) wait on a pipe or a queue
that a parent killed with ``kill -9``, or ended by ``os._exit`` from a signal's deadline, never
closes. Each runs this watch in a daemon thread so that it does not live on, orphaned.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

_POLL = 0.25  # seconds between two looks at the parent


def watch_parent(done: Callable[[], bool] = lambda: False) -> None:
    """Start a daemon thread that ends this process (``os._exit(0)``) once its parent is gone, or
    once ``done()`` (asked at each look) says the process has nothing more to do."""
    parent = os.getppid()
    threading.Thread(target=_watch, args=(parent, done), name="parent-watch", daemon=True).start()


def _watch(parent: int, done: Callable[[], bool]) -> None:
    while os.getppid() == parent and not done():
        time.sleep(_POLL)
    os._exit(0)
