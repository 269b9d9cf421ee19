"""A real terminal for the app: a private tmux server, panes started on demand, screens polled.

Timing is what a person sees: a figure runs from the moment the command is spawned (or the key
is sent) to the first ``capture-pane`` showing the expected text. Screens are polled about every
10 ms, and each poll is a tmux client call of a few ms: figures carry that resolution.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence

from benchmarks.commands import peak_kib

POLL_SECONDS = 0.01


class ScreenTimeout(Exception):
    """The expected text did not appear in time; ``screen`` is what was shown instead."""

    def __init__(self, message: str, screen: str) -> None:
        super().__init__(message)
        self.screen = screen


class PaneDied(ScreenTimeout):
    """The program in the pane exited (crashed) before the expected text appeared."""


Predicate = Callable[[str], bool]


def _describe(expected: str | Predicate) -> str:
    return (
        repr(expected)
        if isinstance(expected, str)
        else (getattr(expected, "__doc__", "") or "the expected screen").strip().split("\n")[0]
    )


def _predicate(expected: str | Predicate) -> Predicate:
    if callable(expected):
        return expected
    return lambda screen: expected in screen


class Tmux:
    """A tmux server of our own (``-L``): nothing the user runs in tmux is touched."""

    def __init__(self, width: int = 120, height: int = 40) -> None:
        self.width, self.height = width, height
        self.socket = f"bladi-bench-{os.getpid()}"
        self._count = 0
        self._tmux(
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "keepalive",
            "-x",
            str(width),
            "-y",
            str(height),
            "sleep 86400",
        )
        # A pane whose program exits stays, with its last screen (a traceback, say).
        self._tmux("set-option", "-g", "remain-on-exit", "on")
        self._tmux("set-option", "-g", "default-terminal", "tmux-256color")
        self._tmux("set-option", "-g", "history-limit", "100")
        self._socket_path = self._tmux("display-message", "-p", "#{socket_path}").strip()

    def _tmux(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=False)
        if check and done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args[:2])} failed: {done.stderr.strip()}")
        return done.stdout

    def spawn(self, argv: Sequence[str], env: Mapping[str, str | None] | None = None) -> Pane:
        """Start ``argv`` in a new window-sized session; returns at once (the clock is started)."""
        self._count += 1
        name = f"run{self._count}"
        env = env or {}
        words = ["env"]  # options (-u) before assignments, or env takes "-u" for the command
        words += [w for key, value in env.items() if value is None for w in ("-u", key)]
        words += [f"{key}={value}" for key, value in env.items() if value is not None]
        command = "exec " + shlex.join([*words, *argv])
        started = time.perf_counter()
        self._tmux("new-session", "-d", "-s", name, "-x", str(self.width), "-y", str(self.height), command)
        return Pane(self, name, started)

    def close(self) -> None:
        pids = [int(p) for p in self._tmux("list-panes", "-a", "-F", "#{pane_pid}", check=False).split()]
        self._tmux("kill-server", check=False)  # SIGHUP to every pane's program
        for pid in pids:
            _stop(pid)
        if self._socket_path:
            try:
                os.unlink(self._socket_path)  # tmux leaves its socket file behind
            except OSError:
                pass


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _stop(pid: int, grace: float = 5.0) -> None:
    """Wait for a process we started to end (after SIGHUP); SIGKILL it after ``grace`` seconds."""
    deadline = time.perf_counter() + grace
    while _alive(pid) and time.perf_counter() < deadline:
        time.sleep(0.02)
    if _alive(pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


class Pane:
    def __init__(self, tmux: Tmux, name: str, started: float) -> None:
        self.tmux, self.name, self.started = tmux, name, started
        self.pid = int(tmux._tmux("display-message", "-p", "-t", name, "#{pane_pid}").strip())

    def screen(self) -> tuple[str, bool]:
        """The visible screen, and whether the program has exited."""
        out = self.tmux._tmux(
            "capture-pane",
            "-p",
            "-t",
            self.name,
            ";",
            "display-message",
            "-p",
            "-t",
            self.name,
            "#{pane_dead}",
            check=False,
        )
        screen, _, dead = out.rstrip("\n").rpartition("\n")
        return screen, dead.strip() == "1"

    def wait_for(
        self, expected: str | Predicate, *, since: float | None = None, timeout: float = 20.0
    ) -> float:
        """Seconds from ``since`` (default: the spawn) to the first screen where ``expected`` holds."""
        check = _predicate(expected)
        since = self.started if since is None else since
        deadline = time.perf_counter() + timeout
        while True:
            screen, dead = self.screen()
            now = time.perf_counter()
            if check(screen):
                return now - since
            if dead:
                raise PaneDied(f"the program exited before showing {_describe(expected)}", screen)
            if now > deadline:
                raise ScreenTimeout(f"{_describe(expected)} not shown after {timeout:.0f} s", screen)
            time.sleep(POLL_SECONDS)

    def settle(self, quiet: float = 0.4, timeout: float = 20.0) -> str:
        """Wait until the screen has not changed for ``quiet`` seconds (start-up work is over)."""
        deadline = time.perf_counter() + timeout
        last, since = None, time.perf_counter()
        while time.perf_counter() < deadline:
            screen, dead = self.screen()
            if dead:
                raise PaneDied("the program exited", screen)
            if screen != last:
                last, since = screen, time.perf_counter()
            elif time.perf_counter() - since >= quiet:
                return screen
            time.sleep(0.03)
        return last or ""

    def send(self, *keys: str, literal: bool = False) -> float:
        """Send tmux key names (or, with ``literal``, text); returns the time just before."""
        now = time.perf_counter()
        self.tmux._tmux("send-keys", "-t", self.name, *(["-l"] if literal else []), *keys)
        return now

    def press(self, key: str, expected: str | Predicate, *, timeout: float = 20.0) -> float:
        """Seconds from sending ``key`` to the first screen where ``expected`` holds."""
        return self.wait_for(expected, since=self.send(key), timeout=timeout)

    def memory_peak_kib(self) -> int | None:
        """VmHWM of the program: the most resident memory it has held."""
        return peak_kib(self.pid) or None

    def close(self) -> None:
        """End the program (SIGHUP, as a closed terminal does) and forget the session."""
        pid = self.pid
        self.tmux._tmux("kill-session", "-t", self.name, check=False)
        _stop(pid)
