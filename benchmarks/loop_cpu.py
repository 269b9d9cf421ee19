"""bladi-tui with every callback of its event loop timed: the UI thread's work in CPU seconds.

    python -m benchmarks.loop_cpu LOG [bladi-tui arguments]

Runs the app as ``bladi-tui`` does, and writes one line to LOG per callback the event loop runs
(Textual's message pumps, its frames, timers): when it started (``time.time()``), its wall
seconds and the CPU seconds of the loop's thread meanwhile. On a loaded machine a key's time to
screen says mostly how long the scheduler kept the app waiting; the CPU the loop spent between
the key and the screen says what the app itself made the key wait for (work in other threads or
processes is not counted, nor is a thread holding the interpreter: compare the wall figures).
"""

from __future__ import annotations

import asyncio.events
import sys
import time
from pathlib import Path


def cpu_between(log: Path, start: float, end: float) -> float:
    """CPU seconds of the loop's callbacks that started within [start, end) (``time.time()``)."""
    total = 0.0
    for line in log.read_text(encoding="utf-8").splitlines():
        began, _wall, cpu = (float(field) for field in line.split())
        if start <= began < end:
            total += cpu
    return total


def main(argv: list[str]) -> int:
    out = open(argv[0], "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - lives as long as the app
    run = asyncio.events.Handle._run

    def timed(handle: asyncio.events.Handle) -> None:
        began, wall, cpu = time.time(), time.perf_counter(), time.thread_time()
        run(handle)
        out.write(f"{began:.4f} {time.perf_counter() - wall:.5f} {time.thread_time() - cpu:.5f}\n")

    asyncio.events.Handle._run = timed  # type: ignore[method-assign]
    from tui.cli import main as bladi

    sys.argv = ["bladi-tui", *argv[1:]]
    return bladi()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
