"""How the benchmarks start bladi-tui and newsboat, and what they measure of one run of either:
seconds, CPU time (its worker processes included) and, when asked, peak memory."""

from __future__ import annotations

import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent

APP_COMMAND: list[str] = []  # --app-command: another way to start the app (another checkout)


def bladi_command() -> list[str]:
    if APP_COMMAND:
        return list(APP_COMMAND)
    found = Path(sys.executable).with_name("bladi-tui")
    if found.exists():
        return [str(found)]
    which = shutil.which("bladi-tui")
    if which:
        return [which]
    return [sys.executable, "-m", "tui"]


def app_env(config_home: Path) -> dict[str, str | None]:
    env: dict[str, str | None] = {
        "BLADI_TUI_CONFIG": None,
        "BLADI_TUI_DATA_DIR": None,
        "XDG_CONFIG_HOME": str(config_home),
        "COLORTERM": "truecolor",
        "NO_COLOR": None,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }
    for key in os.environ:
        if key.startswith("TEXTUAL"):
            env[key] = None
    if APP_COMMAND:
        env["PYTHONPATH"] = str(HERE.parent)  # python -m benchmarks... from any folder
    return env


def fetch_env(home: Path, config_home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.lower().endswith("_proxy") and not k.startswith(("BLADI_TUI_", "TEXTUAL"))
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(config_home),
        NO_PROXY="127.0.0.1,localhost",
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
    )
    return env


def fetch_folder(folder: Path) -> tuple[Path, dict[str, str]]:
    """An empty ``folder`` with its config folder, and the environment of a fetch run in it."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "config").mkdir(parents=True)
    return folder, fetch_env(folder, folder / "config")


def count_rows(path: Path, query: str) -> int:
    """What ``query`` counts in the SQLite file at ``path``; -1 when it cannot be read."""
    if not path.exists():
        return -1
    db = sqlite3.connect(path)
    try:
        return db.execute(query).fetchone()[0]
    except sqlite3.Error:
        return -1
    finally:
        db.close()


def settle_disk() -> None:
    """Write out what the previous run left in the page cache: a reader that syncs (newsboat's
    SQLite, each transaction) would otherwise wait for the other's writes (seen: 1.4 s -> 2.0 s)."""
    if hasattr(os, "sync"):
        os.sync()
    time.sleep(0.2)


class PeakMemory:
    """VmHWM of a process and of its descendants, polled every 20 ms until it ends."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.own = 0  # KiB
        self.children: dict[int, int] = {}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._done.is_set():
            self.own = max(self.own, peak_kib(self.pid))
            for child in _descendants(self.pid):
                self.children[child] = max(self.children.get(child, 0), peak_kib(child))
            self._done.wait(0.02)

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    @property
    def worker_peak(self) -> int:
        return max(self.children.values(), default=0)


def peak_kib(pid: int) -> int:
    """VmHWM of process ``pid``, the most resident memory it has held, in KiB; 0 when unknown
    (the process is gone, or this is no Linux)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        parent = queue.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children") as children:
                    for child in children.read().split():
                        found.append(int(child))
                        queue.append(int(child))
            except OSError:
                pass
    return found


@dataclass
class Run:
    """One run of a command: its exit status and output, seconds, CPU seconds of it and of the
    processes it waited for, and its peak memory when it was watched."""

    status: int
    stdout: str
    stderr: str
    seconds: float
    cpu: float
    peak: PeakMemory | None = None


def measured_run(command: list[str], *, peak: bool = False, **options) -> Run:
    """Run ``command`` once the disk has settled; with ``peak``, its memory (and its workers') is
    sampled while it runs."""
    settle_disk()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options)
    memory = PeakMemory(process.pid) if peak else None
    try:
        stdout, stderr = process.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    finally:
        if memory is not None:
            memory.stop()
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return Run(process.returncode, stdout, stderr, elapsed, cpu, memory)


def bladi_fetch(
    folder: Path, urls: list[str], env: dict[str, str], *, quiet: bool = False, peak: bool = False
) -> Run:
    """``bladi-tui fetch`` of ``urls`` into ``folder``/data."""
    command = [
        *bladi_command(),
        "fetch",
        *(["--quiet"] if quiet else []),
        "--data-dir",
        str(folder / "data"),
        *urls,
    ]
    return measured_run(command, env=env, peak=peak)


def newsboat_reload(
    newsboat: str, folder: Path, urls: list[str], env: dict[str, str], *, config: str = "", peak: bool = False
) -> Run:
    """``newsboat -x reload`` of ``urls`` into ``folder``/cache.db, with ``config`` as its settings."""
    (folder / "urls").write_text("\n".join(urls) + "\n")
    (folder / "newsboat.conf").write_text(config)
    command = [
        newsboat,
        "-x",
        "reload",
        "-u",
        str(folder / "urls"),
        "-c",
        str(folder / "cache.db"),
        "-C",
        str(folder / "newsboat.conf"),
    ]
    return measured_run(command, env=env, cwd=folder, peak=peak)
