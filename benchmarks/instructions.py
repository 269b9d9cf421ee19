"""Instructions to the first paint: what the machine's load does not change.

    python -m benchmarks.instructions [--data DIR] [--checkout DIR ...]

Each app (the one-label baseline, then bladi-tui at 0 / 10,000 / 100,000 articles, from this
checkout or from each ``--checkout``) runs once under valgrind's cachegrind in the tmux terminal
the benchmark uses, and stops at the first write to the terminal that shows what the first paint
figure waits for. The count (every thread's instructions, Python's start included) is the same
from one run to the next to a tenth of a percent, however busy the machine: two versions of the
code can be compared while other work runs, where the elapsed times cannot. What it leaves out:
waiting (for the disk, the terminal, the interpreter's lock) and the cost of an instruction,
which cache misses change. Needs valgrind (``apt-get install valgrind``); each run takes tens of seconds.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    # Last: the measured process takes bladi-tui from PYTHONPATH (the checkout counted).
    sys.path.append(str(Path(__file__).resolve().parent.parent))

HERE = Path(__file__).resolve().parent
_ESCAPES = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def _stop_at_first_paint(marks: list[str], argv: list[str]) -> None:
    """In the measured process: run the app, and end the process once its output shows one of
    ``marks`` (``argv`` is bladi-tui's command line, or ``baseline``)."""
    from textual.drivers.linux_driver import LinuxDriver

    write = LinuxDriver.write
    shown: list[str] = []

    def write_and_check(driver: LinuxDriver, data: str) -> None:
        write(driver, data)
        shown.append(_ESCAPES.sub("", data))
        recent = "".join(shown[-50:])
        if any(mark in recent for mark in marks):
            driver.flush()
            os._exit(0)

    LinuxDriver.write = write_and_check  # type: ignore[method-assign]
    if argv == ["baseline"]:
        from benchmarks.baseline_app import BaselineApp

        BaselineApp().run()
        return
    from tui.cli import main

    sys.argv = ["bladi-tui", *argv]
    main()


def count(tmux, command: list[str], env: dict[str, str | None], timeout: float = 600) -> int:
    """Instructions of ``command`` run under cachegrind in a pane, to its end."""
    with tempfile.TemporaryDirectory(prefix="bladi-instructions-") as scratch:
        out = Path(scratch) / "cachegrind.out"
        valgrind = ["valgrind", "--tool=cachegrind", "--cache-sim=no", f"--cachegrind-out-file={out}"]
        pane = tmux.spawn([*valgrind, *command], env={**env, "PYTHONHASHSEED": "0"})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if out.exists() and "summary:" in out.read_text(errors="replace"):
                break
            time.sleep(0.2)
        pane.close()
        summary = re.search(
            r"^summary:\s+(\d+)", out.read_text(errors="replace") if out.exists() else "", re.M
        )
        if summary is None:
            raise RuntimeError(f"no count from {' '.join(command)}")
        return int(summary.group(1))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:  # the measured process: --child MARK [MARK...] -- ARGV
        split = argv.index("--")
        _stop_at_first_paint(argv[1:split], argv[split + 1 :])
        return 0
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.instructions", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--data", metavar="DIR", help="the benchmark's stores (made there if missing)")
    parser.add_argument(
        "--checkout",
        action="append",
        metavar="DIR",
        help="a checkout of bladi-tui to count (default: this one)",
    )
    options = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("benchmarks.instructions: apt-get install valgrind", file=sys.stderr)
        return 2
    from benchmarks.commands import app_env
    from benchmarks.datasets import prepare_data
    from benchmarks.terminal import Tmux

    checkouts = [Path(c).resolve() for c in options.checkout or [HERE.parent]]
    scratch = Path(tempfile.mkdtemp(prefix="bladi-instructions-"))
    tmux = Tmux()
    try:
        datasets = prepare_data(
            Path(options.data).resolve() if options.data else scratch / "data", reuse=True
        )
        env = app_env(scratch / "empty-config")
        child = [sys.executable, str(HERE / "instructions.py"), "--child"]
        base = count(tmux, [*child, "bladi-bench baseline ready", "--", "baseline"], env)
        print(f"one-label Textual app: {base / 1e6:,.0f} M instructions")
        for checkout in checkouts:
            import compileall

            compileall.compile_dir(checkout / "tui", quiet=1)  # as pip does (benchmarks.screens.compile_app)
            for name in ("0", "10k", "100k"):
                dataset = datasets[name]
                marks = ["Aucun article", "Chargement"] if dataset.info.count == 0 else [dataset.top_mark]
                app = ["--offline", "--data-dir", str(dataset.data_dir)]
                runs = {**app_env(dataset.config_home), "PYTHONPATH": str(checkout)}
                found = count(tmux, [*child, *marks, "--", *app], runs)
                print(
                    f"{checkout} {dataset.info.count:>7,} articles: {found / 1e6:,.0f} M ({found / base:.2f} x)"
                )
    finally:
        tmux.close()
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
