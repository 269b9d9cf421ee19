"""What reaches the terminal, byte for byte: the real app in a pseudo-terminal.

Pilot's headless driver throws output away (FIELD_NOTES), so a hostile title's bytes can only
be checked where a terminal would receive them.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time

import pytest

from tests.conftest import FIXTURES

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")


def run_in_pty(
    args: list[str],
    keys: list[bytes],
    tmp_path,
    *,
    columns=100,
    rows=30,
    settle=4.0,
    env_changes: dict[str, str] | None = None,
) -> tuple[bytes, int]:
    """Start bladi-tui in a pty, type keys, return every byte it wrote and its exit status."""
    main, child = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "BLADI_TUI_DATA_DIR": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "COLUMNS": str(columns),
        "LINES": str(rows),
    }
    env.pop("BLADI_TUI_CONFIG", None)
    env.pop("NO_COLOR", None)
    env.update(env_changes or {})
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", *args],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        close_fds=True,
        start_new_session=True,
    )
    os.close(child)
    output = bytearray()

    def drain(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([main], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(main, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                output.extend(chunk)

    drain(settle)
    for key in keys:
        os.write(main, key)
        drain(0.6)
    try:
        status = process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        status = -9
    drain(0.3)
    os.close(main)
    return bytes(output), status


def test_hostile_title_and_body_reach_the_terminal_inert(tmp_path):
    output, status = run_in_pty(
        ["--offline", str(FIXTURES / "hostile-local")], [b"\r", b"l", b"\x1b", b"q", b"q"], tmp_path
    )
    assert status == 0, output[-2000:]
    # The markup-looking title is shown as written, not interpreted (and did not quit the app).
    text = output.decode("utf-8", errors="replace")
    assert "[bold]x[/]" in text and "[@click=app.quit]y[/]" in text
    # No clipboard write, window title, hyperlink or C1 control from the content.
    assert b"\x1b]52" not in output
    assert b"\x1b]0;" not in output and b"\x1b]2;" not in output
    assert b"\x1b]8;;http://evil" not in output
    assert b"\xc2\x9b" not in output and b"\xe2\x80\xae" not in output  # C1 CSI, RIGHT-TO-LEFT OVERRIDE


def test_q_quits_cleanly_in_a_real_terminal(tmp_path):
    output, status = run_in_pty(["--offline", str(FIXTURES / "articles")], [b"j", b"q"], tmp_path)
    assert status == 0
    assert b"Traceback" not in output


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGHUP"])
def test_sigterm_and_sighup_end_the_app_cleanly_with_marks_kept(tmp_path, signal_name):
    import signal
    import sqlite3

    main, child = pty.openpty()
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "BLADI_TUI_DATA_DIR": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    env.pop("BLADI_TUI_CONFIG", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "--offline", str(FIXTURES / "articles")],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        close_fds=True,
        start_new_session=True,
    )
    os.close(child)
    output = bytearray()

    def drain(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if select.select([main], [], [], 0.05)[0]:
                try:
                    chunk = os.read(main, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                output.extend(chunk)

    def drain_until(marker: bytes, seconds: float = 60) -> None:
        # What the screen shows, not a fixed wait: a busy machine starts the app late.
        end = time.monotonic() + seconds
        while marker not in output and time.monotonic() < end:
            drain(0.1)
        assert marker in output, bytes(output[-1500:])

    drain_until(b"Diaspora")  # the list is on screen
    os.write(main, b"\r")  # open the newest article: it is marked read
    drain_until(b"Oujda")  # its text is on screen
    process.send_signal(getattr(signal, signal_name))
    try:
        status = process.wait(timeout=10)
    finally:
        drain(0.3)
        os.close(main)
    assert status == 0, bytes(output[-1500:])
    assert b"Traceback" not in output
    db = sqlite3.connect(tmp_path / "data" / "bladi-tui.sqlite3")
    assert db.execute("SELECT COUNT(*) FROM articles WHERE read = 1").fetchone()[0] == 1


def test_vt100_and_no_color_at_80x24(tmp_path):
    """An old terminal, no colours: the reader still opens an article and quits cleanly, and
    no colour sequence is sent at all (unread and saved are glyphs, not colours)."""
    output, status = run_in_pty(
        ["--offline", str(FIXTURES / "articles")],
        [b"\r", b"\x1b", b"q"],
        tmp_path,
        columns=80,
        rows=24,
        env_changes={"TERM": "vt100", "NO_COLOR": "1"},
    )
    assert status == 0
    text = output.decode("utf-8", errors="replace")
    assert "Diaspora" in text and "●" in text
    assert b"\x1b[38;2;" not in output and b"\x1b[38;5;" not in output and b"\x1b[48;2;" not in output
