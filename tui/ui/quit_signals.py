"""SIGHUP (an SSH connection dropping) and SIGTERM (a shutdown) end the reader promptly.

The reader quits as `q` does, which writes the queued marks and gives the terminal back. That
quit runs on the app's loop, after whatever the loop is busy with: a handler installed with
``loop.add_signal_handler`` is itself only called from the loop. So the handler here is Python's
own, called on the main thread between two bytecodes of whatever runs: it asks the loop to quit
and starts a deadline. Should the loop still be busy when the deadline passes, the process ends
without it: the marks written first, the terminal given back.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Callable

#: How long the reader's own way out may take after the signal before the deadline ends it.
GRACE = 0.6

SIGNALS = tuple(s for s in (getattr(signal, "SIGHUP", None), getattr(signal, "SIGTERM", None)) if s)


class QuitOnSignal:
    """Quit on SIGHUP/SIGTERM through ``quit`` (called on ``loop``); should :meth:`finished`
    not be called within ``grace`` seconds, call ``last_words`` from a thread of its own and end
    the process."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        quit: Callable[[], object],
        last_words: Callable[[], None],
        grace: float = GRACE,
    ) -> None:
        self._loop = loop
        self._quit = quit
        self._last_words = last_words
        self._grace = grace
        self._finished = threading.Event()
        self._deadline: threading.Thread | None = None
        self._before: dict[int, object] = {}

    def install(self) -> bool:
        """Handle the signals; False where that cannot be done (Windows, not the main thread)."""
        if threading.current_thread() is not threading.main_thread():
            return False
        for number in SIGNALS:
            try:
                self._before[number] = signal.signal(number, self._handle)
            except (OSError, ValueError):
                pass
        return bool(self._before)

    def finished(self) -> None:
        """The reader's own way out is done: no deadline, and the signals handled as before."""
        self._finished.set()
        if threading.current_thread() is threading.main_thread():
            for number, before in self._before.items():
                signal.signal(number, before)  # type: ignore[arg-type]  # what signal.signal gave
        self._before.clear()

    def _handle(self, number: int, frame: object) -> None:
        # Called between two bytecodes of whatever the main thread runs, maybe in the middle of
        # the loop's own bookkeeping: only call_soon_threadsafe touches the loop from here.
        try:
            self._loop.call_soon_threadsafe(self._quit)
        except RuntimeError:
            pass  # the loop is closed: the reader is on its way out already
        if self._deadline is None:
            self._deadline = threading.Thread(target=self._end_at_deadline, name="quit-deadline", daemon=True)
            self._deadline.start()

    def _end_at_deadline(self) -> None:
        if self._finished.wait(self._grace):
            return
        try:
            self._last_words()
        finally:
            os._exit(0)
