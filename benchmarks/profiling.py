"""Profiles of the figures that miss their target, taken the way the benchmark measures them.

    python -m benchmarks.profiling SCENARIO [--data DIR] [--out DIR]

The app runs under pyinstrument in the same tmux terminal, driven by the same keys, and quits
with ``q`` once the screen under study is shown; ``fetch`` profiles ``bladi-tui fetch`` of the
50 loopback feeds, ``fetch-parse`` what its workers do with those feeds, in one process. Each
writes ``SCENARIO.txt`` (the call tree) and ``SCENARIO.pyisession`` (``pyinstrument --load FILE
-r html`` opens it in a browser). Needs ``pip install pyinstrument``; ``fetch`` uses py-spy when
installed (``pip install py-spy``), as its work runs in worker processes.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import corpus
from benchmarks.commands import app_env, fetch_folder
from benchmarks.datasets import Dataset, copy_dataset, prepare_data
from benchmarks.feeds import FeedServer
from benchmarks.screens import expand_tags
from benchmarks.terminal import Tmux

SCENARIOS = (
    "paint-0",
    "paint-10k",
    "paint-100k",
    "paint-sidebar",
    "open-10k",
    "open-200k",
    "expand",
    "fetch",
    "fetch-parse",
)


def _pyinstrument(out: Path, name: str) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "pyinstrument",
        "-r",
        "pyisession",
        "-o",
        str(out / f"{name}.pyisession"),
    ]
    return [*command, "-m", "tui"]


def _render(out: Path, name: str) -> Path:
    session = out / f"{name}.pyisession"
    text = out / f"{name}.txt"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pyinstrument",
            "--load",
            str(session),
            "-r",
            "text",
            "--no-color",
            "--unicode",
            "-o",
            str(text),
        ],
        check=True,
    )
    return text


def profile_app(name: str, dataset: Dataset, out: Path, drive) -> Path:
    tmux = Tmux()
    try:
        env = app_env(dataset.config_home)
        env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
        pane = tmux.spawn(
            [*_pyinstrument(out, name), "--offline", "--data-dir", str(dataset.data_dir)], env=env
        )
        pane.wait_for(dataset.first_paint, timeout=120)
        drive(pane, dataset)
        pane.send("q")
        pane.wait_for(lambda screen: pane.screen()[1], timeout=60)  # the program has exited
    finally:
        tmux.close()
    return _render(out, name)


def _nothing(pane, dataset) -> None:
    pass


def _open_10k(pane, dataset) -> None:
    pane.settle()
    pane.press("Enter", corpus.MARKER_10K, timeout=30)
    pane.settle(quiet=0.3)


def _open_200k(pane, dataset) -> None:
    pane.settle()
    pane.send("j")
    time.sleep(0.1)
    pane.press("Enter", corpus.MARKER_200K, timeout=60)
    pane.settle(quiet=0.3)


def _expand(pane, dataset) -> None:
    expand_tags(pane, dataset, timeout=60)


def profile_fetch(out: Path, scratch: Path) -> Path:
    """``bladi-tui fetch`` of the 50 loopback feeds. Feeds are read and stored in two worker
    processes, which pyinstrument does not see: py-spy samples every process and thread
    (``pip install py-spy``)."""
    with FeedServer() as server:
        folder, env = fetch_folder(scratch / "fetch")
        arguments = ["fetch", "--quiet", "--data-dir", str(folder / "data"), *server.urls]
        if shutil.which("py-spy"):
            raw = out / "fetch.py-spy.txt"
            subprocess.run(
                [
                    "py-spy",
                    "record",
                    "--subprocesses",
                    "-r",
                    "200",
                    "-f",
                    "raw",
                    "-o",
                    str(raw),
                    "--",
                    sys.executable,
                    "-m",
                    "tui",
                    *arguments,
                ],
                env=env,
                check=False,
                timeout=600,
                capture_output=True,
            )
            return _summarize_raw(raw, out / "fetch.txt")
        subprocess.run([*_pyinstrument(out, "fetch"), *arguments], env=env, check=False, timeout=600)
    return _render(out, "fetch")


# A sample whose innermost frame is one of these is a process or thread waiting, not working.
_WAITING = (
    "select (selectors.py",
    "_worker (concurrent/futures/thread.py",
    "wait (threading.py",
    "_recv (multiprocessing/connection.py",
    "_send (multiprocessing/connection.py",
    "__enter__ (multiprocessing/synchronize.py",
    "_take_turn (tui/store/connection.py",
    "acquire (<built-in>",
    "_leave_with_parent (tui/feeds/pool.py",
)


def _summarize_raw(raw: Path, text: Path) -> Path:
    """py-spy's collapsed stacks as inclusive and self shares of the working samples, for the
    worker processes (stacks through ``_process_worker``) and for the fetching process."""
    roles: dict[str, tuple[Counter[str], Counter[str]]] = {
        "workers": (Counter(), Counter()),
        "fetching process": (Counter(), Counter()),
    }
    totals: Counter[str] = Counter()
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames, samples = [f for f in stack.split(";") if not f.startswith("process ")], int(count)
        if not frames or any(waiting in frames[-1] for waiting in _WAITING):
            continue
        worker = next((i for i, frame in enumerate(frames) if frame.startswith("_process_worker")), None)
        role = "workers" if worker is not None else "fetching process"
        if worker is not None:
            frames = frames[worker:]  # the fork that made the worker is not its work
        inclusive, own = roles[role]
        totals[role] += samples
        own[frames[-1]] += samples
        for frame in set(frames):
            inclusive[frame] += samples
    lines = ["py-spy at 200 samples a second; samples of waiting (select, queues, locks) left out", ""]
    for role, (inclusive, own) in roles.items():
        total = totals[role] or 1
        lines += [f"== {role}: {totals[role]} samples ({totals[role] / 200:.2f} s)", "", "inclusive:"]
        lines += [f"{100 * n / total:5.1f}%  {frame}" for frame, n in inclusive.most_common(45)]
        lines += ["", "self:"]
        lines += [f"{100 * n / total:5.1f}%  {frame}" for frame, n in own.most_common(25)]
        lines.append("")
    text.write_text("\n".join(lines) + "\n")
    return text


def profile_fetch_parse(out: Path, scratch: Path) -> Path:
    """What a worker of ``fetch`` does per feed, in one process: tui.feeds.storing.parse_and_store_feed (parse,
    convert, store) for the 50 feeds into an empty store."""
    from pyinstrument import Profiler

    from benchmarks.feeds import FEEDS, make_feed
    from tui.feeds.storing import parse_and_store_feed
    from tui.store import Store

    feeds = [make_feed(n) for n in range(FEEDS)]
    store = Store(scratch / "fetch-parse" / "store.sqlite3", checkpoints=False)
    profiler = Profiler(interval=0.001)
    profiler.start()
    for number, feed in enumerate(feeds):
        key = f"http://127.0.0.1/feed/{number:02d}.xml"
        store.ensure_source(key, "127.0.0.1", "auto")
        parse_and_store_feed(
            store, key, feed, key, source="127.0.0.1", content_type="application/rss+xml", full_text=False
        )
    profiler.stop()
    store.close()
    text = out / "fetch-parse.txt"
    text.write_text(profiler.output_text(unicode=True, color=False))
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.profiling", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "scenarios",
        nargs="+",
        choices=SCENARIOS,
        metavar="SCENARIO",
        help="one or more of: " + ", ".join(SCENARIOS),
    )
    parser.add_argument("--data", metavar="DIR", help="the benchmark's stores (made there if missing)")
    parser.add_argument(
        "--out", metavar="DIR", default="profiles", help="where the profiles go (default ./profiles)"
    )
    options = parser.parse_args(argv)
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        print("benchmarks.profiling: pip install pyinstrument", file=sys.stderr)
        return 2
    out = Path(options.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="bladi-profile-"))
    try:
        root = Path(options.data).resolve() if options.data else scratch / "data"
        datasets = prepare_data(root, reuse=True) if set(options.scenarios) - {"fetch", "fetch-parse"} else {}
        for scenario in options.scenarios:
            if scenario == "fetch":
                path = profile_fetch(out, scratch)
            elif scenario == "fetch-parse":
                path = profile_fetch_parse(out, scratch)
            elif scenario.startswith("paint-"):
                key = {"paint-sidebar": "sidebar-10000"}.get(scenario, scenario.removeprefix("paint-"))
                path = profile_app(scenario, datasets[key], out, _nothing)
            elif scenario.startswith("open-"):
                drive = _open_10k if scenario == "open-10k" else _open_200k
                path = profile_app(scenario, copy_dataset(datasets["10k"], scratch / scenario), out, drive)
            else:
                path = profile_app(scenario, datasets["sidebar-10000"], out, _expand)
            print(f"{scenario}: {path}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
