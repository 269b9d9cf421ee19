"""A long article is laid out (:func:`tui.article_layout.lay_out`) in a process of its own.

Parsing megabytes of Markdown takes markdown-it, in Python, seconds; in a thread of the reader it
held the interpreter the whole time, and the keys waited for it (BENCHMARKS.md, issue 14). The
process is started the first time a long article is opened and kept for the next ones. It is our
own program: the document goes in on its standard input, the links and chunks come back on its
standard output (marshal, which builds nothing but strings, tuples and lists).

Nothing waits for it: a document no longer shown is not laid out to the end (the process is
killed and another started), the reader's exit kills it, and should the reader end without
exiting (a signal's deadline, kill -9) it leaves once its standard input closes or its parent is
gone. Without a document for two minutes it ends, giving its memory back; the next long article
starts another.

    python -m tui.layout_process [IDLE_SECONDS]    # the process itself (what LayoutProcess starts)
"""

from __future__ import annotations

import atexit
import marshal
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

from tui.article_markdown import DocumentLink
from tui.parent_watch import watch_parent

# How much lower than the reader the process runs (os.nice): laying out waits, keys do not.
NICENESS = 10
#: Seconds without a document after which the process ends (its memory given back); the next
#: long article starts another.
IDLE_EXIT = 120.0
_HEADER = 8  # bytes of a message's length, before the message


class LayoutProcess:
    """The reader's layout process, started when first needed; one document at a time."""

    def __init__(self, idle_exit: float = IDLE_EXIT) -> None:
        self._idle_exit = idle_exit
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._busy = False
        self._exit_hooked = False

    def lay_out(self, document: str) -> tuple[list[DocumentLink], list[str]] | None:
        """The document's links and chunks, laid out in the process; None when it could not be
        (no process here, or a newer document was given meanwhile). Blocks: call it in a thread."""
        data = document.encode("utf-8", "surrogatepass")
        for _attempt in range(2):  # a process that ended on its own (idle) is started again once
            try:
                with self._lock:
                    process = self._process
                    if process is not None and (self._busy or process.poll() is not None):
                        # Still on a document no longer shown (or gone): not waited for.
                        process.kill()
                        process = None
                    if process is None:
                        process = self._process = self._start()
                    self._busy = True
            except (OSError, ValueError, TypeError):
                # No process can be started here (no executable to start, a sandbox): the
                # caller lays it out itself.
                return None
            payload = None
            try:
                assert process.stdin is not None and process.stdout is not None
                _write(process.stdin, data)
                payload = _read(process.stdout)
            except (OSError, ValueError):
                pass
            if payload is not None:
                with self._lock:
                    if self._process is process:
                        self._busy = False
                links, chunks = marshal.loads(payload)
                return [DocumentLink(text, url, image) for text, url, image in links], chunks
            with self._lock:
                replaced = self._process is not process
                if not replaced:  # it ended on its own (idle, out of memory)
                    self._busy = False
                    self._process = None
            process.kill()
            process.wait()  # ended: only its exit status is left to collect
            if replaced:
                return None  # killed for a newer document
        return None

    def stop(self) -> None:
        """Kill the process, without waiting for it."""
        with self._lock:
            process, self._process = self._process, None
        if process is not None:
            process.kill()

    def _start(self) -> subprocess.Popen[bytes]:
        # Run from the folder that holds the tui package (first on the path of ``-m``): the same
        # code as the reader's, installed or not.
        process = subprocess.Popen(
            [sys.executable, "-m", "tui.layout_process", str(self._idle_exit)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=Path(__file__).resolve().parent.parent,
        )
        if not self._exit_hooked:
            self._exit_hooked = True
            atexit.register(self.stop)
        return process


_shared: LayoutProcess | None = None


def shared() -> LayoutProcess:
    """The one layout process of this program."""
    global _shared
    if _shared is None:
        _shared = LayoutProcess()
    return _shared


def _write(stream: IO[bytes], data: bytes) -> None:
    stream.write(len(data).to_bytes(_HEADER, "big"))
    stream.write(data)
    stream.flush()


def _read(stream: IO[bytes]) -> bytes | None:
    header = stream.read(_HEADER)
    if len(header) < _HEADER:
        return None
    size = int.from_bytes(header, "big")
    data = stream.read(size)
    return data if len(data) == size else None


def main(idle_exit: float = IDLE_EXIT) -> None:
    """The process: lays out each document its standard input brings, until it closes (or none
    came for ``idle_exit`` seconds)."""
    from tui.article_layout import lay_out

    # Ctrl-C reaches the terminal's whole process group; the reader answers it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(os, "nice"):
        try:
            os.nice(NICENESS)
        except OSError:
            pass
    idle = _Idle()
    # The reader ended without closing our input (os._exit from a signal's deadline while this
    # process was laying out): leave rather than finish a document nobody will see. And no
    # document for a while: leave too, the memory of the last one given back.
    watch_parent(lambda: not idle.busy and time.monotonic() - idle.since > idle_exit)
    given, answer = sys.stdin.buffer, sys.stdout.buffer
    while True:
        data = _read(given)
        if data is None:
            return
        idle.busy = True
        links, chunks = lay_out(data.decode("utf-8", "surrogatepass"))
        try:
            _write(answer, marshal.dumps(([(link.text, link.url, link.image) for link in links], chunks)))
        except OSError:  # the reader is gone
            return
        idle.busy, idle.since = False, time.monotonic()


class _Idle:
    def __init__(self) -> None:
        self.busy = False
        self.since = time.monotonic()


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else IDLE_EXIT)
