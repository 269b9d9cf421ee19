"""The real app in a pseudo-terminal over the hostile corpus: the bytes a terminal would receive.

Pilot's headless driver throws the output away (FIELD_NOTES), so ``python -m tui`` runs here in a
pty, its HTTP going through the loopback server (HTTP_PROXY), and every byte it writes is read.
Textual writes escape sequences of its own (CSI to draw, OSC 22 for the pointer shape), so the
assertions look for what only content could have put there: the planted payloads.

Slow: about 15 s for the remote corpus (the app waits for the 3 s deadline of the stalling
sources before the keys are typed), 6 s for the local one.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.bladi_site import PAGES
from tests.hostile.conftest import SETTINGS
from tests.hostile.corpus import (
    CONTROLS,
    MARKUP,
    MARKUP_SHOWN,
    OSC8_TARGET,
    OSC52_PAYLOAD,
    WINDOW_TITLE,
    Corpus,
    as_references,
)

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="needs a Linux pseudo-terminal and /proc")

ROOT = Path(__file__).resolve().parents[2]
CSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]")
OSC_22 = re.compile(rb"\x1b\]22;[^\x07\x1b]*(?:\x07|\x1b\\)")  # Textual's pointer shape
# The app's own question before it starts, "do you speak the Kitty graphics protocol?"
# (textual-image's probe, tui.ui.pictures.resolve_mode): fixed bytes, nothing from content.
GRAPHICS_PROBE = re.compile(rb"\x1b_Gi=[0-9]{1,10},s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\")
OSC_8_WITH_TARGET = re.compile(rb"\x1b\]8;[^;\x07\x1b]*;[^\x07\x1b]")
C1 = re.compile("[\x80-\x9f]")
BIDI = re.compile("[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


class Terminal:
    """``python -m tui ARGS`` in a pty of ``columns`` x ``rows``; everything it writes is kept."""

    def __init__(self, args: list[str], env: dict[str, str], *, columns: int = 160, rows: int = 50) -> None:
        self.main, child = pty.openpty()
        fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        environment = {
            **os.environ,
            **env,
            "TERM": "xterm-256color",
            "COLUMNS": str(columns),
            "LINES": str(rows),
        }
        for name in ("BLADI_TUI_CONFIG", "NO_COLOR", "SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"):
            environment.pop(name, None)
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tui", *args],
            stdin=child,
            stdout=child,
            stderr=child,
            env=environment,
            cwd=ROOT,
            close_fds=True,
            start_new_session=True,
        )
        os.close(child)
        self.output = bytearray()
        self.first_seen: dict[bytes, float] = {}

    def drain(self, seconds: float, *, watch: tuple[bytes, ...] = ()) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if not select.select([self.main], [], [], 0.05)[0]:
                continue
            try:
                chunk = os.read(self.main, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output.extend(chunk)
            for needle in watch:
                if needle not in self.first_seen and needle in self.output:
                    self.first_seen[needle] = time.monotonic() - self.started

    def wait_until(self, done, timeout: float, *, watch: tuple[bytes, ...] = ()) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.drain(0.2, watch=watch)
            if done():
                return True
        return False

    def type(self, keys: list[bytes], pause: float = 0.25) -> None:
        for key in keys:
            os.write(self.main, key)
            self.drain(pause)

    def peak_rss_mib(self) -> float:
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def finish(self, timeout: float = 10) -> int:
        # The output is read while the program ends, as a terminal does: a program whose last
        # frames fill the pseudo-terminal would otherwise wait to write them, and never end.
        end = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < end:
            self.drain(0.1)
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        status = self.process.wait()
        self.drain(0.3)
        os.close(self.main)
        return status


def screen_text(output: bytes) -> str:
    """What was drawn, without the escape sequences that drew it."""
    return CSI.sub(b"", OSC_22.sub(b"", output)).decode("utf-8", errors="replace")


def assert_inert(output: bytes) -> None:
    """Nothing in ``output`` a terminal would obey that content could have put there."""
    assert b"\x1b]52" not in output  # no clipboard write (the payload may show as text, inert)
    assert not OSC_8_WITH_TARGET.search(output)  # no hyperlink, to content or anywhere
    assert b"\x1b]0;" not in output and b"\x1b]2;" not in output  # no window title
    assert b"\x1b[21t" not in output and b"\x1b[5i" not in output  # no title report, no printer
    assert not re.search(rb"\x1b\][^\x07\x1b]*" + WINDOW_TITLE.encode(), output)
    assert b"\x00" not in output and b"\x08" not in output
    assert b"\x07" not in OSC_22.sub(b"", output)  # BEL only ends Textual's own OSC 22
    text = output.decode("utf-8", errors="surrogateescape")
    assert not C1.search(text), C1.search(text)  # no C1 control, in UTF-8 or as a raw byte
    assert not BIDI.search(text), repr(BIDI.search(text).group())
    escapes = OSC_22.sub(b"", CSI.sub(b"", GRAPHICS_PROBE.sub(b"", output, count=1)))
    leftover = set(re.findall(rb"\x1b.", escapes, re.S))
    assert leftover <= {b"\x1b7", b"\x1b8", b"\x1b=", b"\x1b>"}, leftover  # only Textual's own


def stored_articles(database: Path) -> int:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=2) as db:
        return db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]


def sources_left(database: Path) -> int | None:
    """How many sources have not finished their first refresh (None before the store exists)."""
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=0.2) as db:
            # Finished: read (last_fetch, the last success) or failed (last_error says why).
            return db.execute(
                "SELECT COUNT(*) FROM sources WHERE last_fetch IS NULL AND last_error = ''"
            ).fetchone()[0]
    except sqlite3.Error:
        return None


#: The payloads a file name can carry (no "/" and no NUL).
NAME_CONTROLS = f"\x1b]52;c;{OSC52_PAYLOAD}\x07\x1b]0;{WINDOW_TITLE}\x07\x1b[21t\x9b31m\u202e"


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string, controls written as \\uXXXX escapes."""
    escaped = "".join(
        "\\\\" if c == "\\" else '\\"' if c == '"' else f"\\u{ord(c):04x}" if not c.isprintable() else c
        for c in text
    )
    return f'"{escaped}"'


def config_file(folder: Path, extra: str = "") -> Path:
    path = folder / "config.toml"
    path.write_text(
        "[fetch]\n"
        f"connect_timeout = {SETTINGS.connect_timeout}\nread_timeout = {SETTINGS.read_timeout}\n"
        f"deadline = {SETTINGS.deadline}\nrefresh_minutes = 0\n" + extra,
        encoding="utf-8",
    )
    return path


def test_hostile_feeds_reach_the_terminal_inert_and_q_quits(hostile: Corpus, tmp_path):
    data = tmp_path / "data"
    good_title = PAGES[0].title[:24].encode()  # the list cuts titles to its width
    terminal = Terminal(
        ["--config", str(config_file(tmp_path)), "--data-dir", str(data), *hostile.urls],
        {"HTTP_PROXY": hostile.server.base_url, "http_proxy": hostile.server.base_url},
    )
    try:
        # Every source refreshed (the stalling ones at their deadline), and the list redrawn.
        finished = terminal.wait_until(
            lambda: sources_left(data / "bladi-tui.sqlite3") == 0, 20, watch=(good_title,)
        )
        assert finished, screen_text(bytes(terminal.output))[-3000:]

        # The list shows every stored article before a key is typed (on a busy machine its last
        # reload can come well after the last source's status).
        def all_shown() -> bool:
            title = f"Tous ({stored_articles(data / 'bladi-tui.sqlite3')})"
            return title in screen_text(bytes(terminal.output[-200_000:]))

        assert terminal.wait_until(all_shown, 20, watch=(good_title,)), screen_text(bytes(terminal.output))[
            -3000:
        ]
        terminal.drain(0.5, watch=(good_title,))
        # Open the newest articles one after the other (the hostile ones are dated 2099), each
        # with its list of links opened and closed.
        terminal.type([b"\r"] + [key for _ in range(11) for key in (b"l", b"l", b"n")])
        peak = terminal.peak_rss_mib()
        terminal.type([b"q"])
    finally:
        status = terminal.finish()
    output = bytes(terminal.output)
    print(
        f"\ngood source on screen {terminal.first_seen.get(good_title, -1):.2f} s after start; "
        f"app peak RSS {peak:.0f} MiB; {len(output)} bytes written"
    )

    assert status == 0, screen_text(output)[-3000:]
    assert b"Traceback" not in output
    # On screen, whatever escape sequences a partial redraw put between its words.
    assert good_title.decode() in screen_text(output)
    assert peak < 400
    assert_inert(output)
    text = screen_text(output)
    for literal in MARKUP_SHOWN:  # markup shown as the text it is (and `[@click=app.quit]` did not quit)
        assert literal in text, literal
    assert OSC52_PAYLOAD in text  # the payload was on screen, as harmless text
    assert "SCRIPT-RAN" not in text
    for title in ("MK [/]", "RAW ]52;c;", "REF ]52;c;", "JSON ]52;c;", "ATOM ]52;c;", "LINKS", "ARTICLE [/]"):
        assert title in text, title  # every hostile feed and page was read and listed
    assert "janvier 2099 - 12h00" in text  # articles were open in the view (the date line is French content)
    assert "Liens de l'article" in text or "Links in this article" in text  # and its links listed


def test_a_hostile_local_folder_config_and_file_names_reach_the_terminal_inert(tmp_path):
    """Local files, file names and a config whose source name is hostile; offline."""
    folder = tmp_path / "articles"
    folder.mkdir()
    refs = as_references(CONTROLS)
    hostile = toml_string(CONTROLS)
    (folder / "hostile.md").write_text(
        f"+++\ntitle = {toml_string('LOCAL ' + MARKUP + ' ' + CONTROLS)}\ndate = 2099-01-01T12:00:00Z\n"
        f'rubrique = {hostile}\ntags = [{hostile}, "[/]"]\nauthor = {hostile}\n'
        f'url = "javascript:alert(1)"\n'
        f'[[related]]\ntitle = {hostile}\nurl = "file:///etc/passwd"\n+++\n'
        f"Corps {CONTROLS} {refs} {MARKUP}\n\n[ref][r] [x](ftp://evil.example/) <{OSC8_TARGET}>\n\n"
        "[r]: javascript:alert(1)\n",
        encoding="utf-8",
    )
    (folder / f"{NAME_CONTROLS}broken.md").write_text("+++\ntitle = \n+++\n", encoding="utf-8")
    (folder / f"{NAME_CONTROLS}untitled.md").write_text("no title\n", encoding="utf-8")
    (folder / "page.html").write_text(
        f"<html><head><title>{refs}</title></head><body><article><h1>HTML {refs}</h1>"
        f"<p>{CONTROLS} {refs}</p><a href='javascript:alert(1)'>js</a></article></body></html>",
        encoding="utf-8",
    )
    source = f"\n[[sources]]\nname = {toml_string(CONTROLS + MARKUP)}\npath = {toml_string(str(folder))}\n"
    config = config_file(tmp_path, source)
    terminal = Terminal(["--offline", "--config", str(config), "--data-dir", str(tmp_path / "data")], {})
    try:
        terminal.drain(4.0)
        terminal.type([b"\r", b"l", b"l", b"n", b"l", b"l", b"n", b"l", b"l", b"n"])
        terminal.type([b"q"])
    finally:
        status = terminal.finish()
    output = bytes(terminal.output)
    assert status == 0, screen_text(output)[-3000:]
    assert b"Traceback" not in output
    assert_inert(output)
    text = screen_text(output)
    assert "LOCAL" in text and "[@click=app.quit]y[/]" in text
    assert "fichier(s) illisible(s)" in text  # the broken file is named, cleaned (in French)


def test_a_hostile_source_url_on_the_command_line_is_inert_or_refused(tmp_path):
    bad_host = "http://a\x1b]0;" + WINDOW_TITLE + "\x07\u202eb.hostile.test/feed.xml"
    terminal = Terminal(
        [
            "--offline",
            "--config",
            str(config_file(tmp_path)),
            "--data-dir",
            str(tmp_path / "data"),
            bad_host,
            "http://a]b.hostile.test/",
        ],
        {},
    )
    try:
        terminal.drain(3.0)
        terminal.type([b"q"])
    finally:
        status = terminal.finish()
    output = bytes(terminal.output)
    assert b"Traceback" not in output
    assert status in (0, 2)
    assert_inert(output)
