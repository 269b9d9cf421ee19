"""``bladi-tui serve``: the shell command line textual-serve runs, and a real server on loopback."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES
from tui.serve import default_public_url, is_loopback, serve_command_line

PRINT_ARGV = "import json, sys\nprint(json.dumps(sys.argv[1:]))\n"


@pytest.fixture
def argv_printer(tmp_path) -> list[str]:
    """A program standing in for ``python -m tui``: it prints the arguments it was given."""
    script = tmp_path / "print_argv.py"
    script.write_text(PRINT_ARGV, encoding="utf-8")
    return [sys.executable, str(script)]


def through_shell(command: str, cwd: Path) -> list[str]:
    """Run ``command`` the way textual-serve does (a shell command line); the argv it produced."""
    result = subprocess.run(["/bin/sh", "-c", command], capture_output=True, text=True, cwd=cwd, timeout=10)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_hostile_source_stays_one_argument(tmp_path, argv_printer):
    marker = tmp_path / "pwned"
    hostile = [
        f"; touch {marker}-$RANDOM",
        f"feeds $(touch {marker}-dollar) $(id)",
        f"`touch {marker}-backtick` `id`",
        f"it's \"quoted\" '; touch {marker}-quote; '",
        f"a b  c\td\ne && touch {marker}-and | touch {marker}-pipe > {marker}-redirect",
        "*",  # a glob: the shell would list the folder
        "~root",
        "$HOME ${PATH} \\ \\n %s {a,b}",
        "",
        "--config=/etc/shadow",
        "https://www.bladi.net/spip.php?page=backend&x=1#top",
        "هسبريس ⵜⴰⵎⴰⵣⵉⵖⵜ Médias24",
    ]
    args = ["--offline", *hostile]
    command = serve_command_line(args, program=argv_printer)
    assert through_shell(command, cwd=tmp_path) == args
    assert list(tmp_path.glob("pwned*")) == []


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")),
        max_size=4,
    )
)
def test_any_arguments_reach_the_app_unchanged(tmp_path_factory, args):
    folder = tmp_path_factory.mktemp("shell")
    script = folder / "print_argv.py"
    script.write_text(PRINT_ARGV, encoding="utf-8")
    command = serve_command_line(args, program=[sys.executable, str(script)])
    assert through_shell(command, cwd=folder) == args


def test_the_command_runs_this_python_with_the_package():
    command = serve_command_line(["--offline", "a b"])
    assert command.startswith(f"{sys.executable} -m tui --offline ") or command.startswith(
        f"'{sys.executable}' -m tui --offline "
    )
    assert command.endswith(" 'a b'")


def test_public_url_and_loopback():
    assert default_public_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert default_public_url("::1", 8000) == "http://[::1]:8000"
    assert "0.0.0.0" not in default_public_url("0.0.0.0", 8000)  # browsers cannot go there
    assert all(is_loopback(host) for host in ("127.0.0.1", "::1", "localhost", "[::1]"))
    assert not any(is_loopback(host) for host in ("0.0.0.0", "::", "192.168.1.2", "example.org"))


# --- a real server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_in_subprocess(tmp_path: Path, code: str) -> subprocess.Popen:
    environment = {
        **os.environ,
        "BLADI_TUI_DATA_DIR": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "HOME": str(tmp_path / "home"),
        "NO_COLOR": "1",
    }
    environment.pop("BLADI_TUI_CONFIG", None)
    return subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the app processes it starts end with it
    )


def stop(server: subprocess.Popen) -> tuple[str, str]:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    out, err = server.communicate(timeout=5)
    try:
        os.killpg(server.pid, signal.SIGKILL)  # any app process left behind
    except ProcessLookupError:
        pass
    return out.decode(errors="replace"), err.decode(errors="replace")


def get_page(url: str, server: subprocess.Popen, timeout: float = 20) -> tuple[int, str]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status, response.read().decode("utf-8")
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def listening_addresses(port: int) -> set[str]:
    """Local addresses (hex, as /proc shows them) of sockets listening on ``port``."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


async def first_screen(port: int, timeout: float = 15) -> bytes:
    """What the app sends to a browser tab that connects, until ``Diaspora`` (a title) shows."""
    import aiohttp  # textual-serve's own web stack

    received = b""
    url = f"ws://127.0.0.1:{port}/ws?width=100&height=30"
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as websocket:
        try:
            async with asyncio.timeout(timeout):
                async for message in websocket:
                    if message.type == aiohttp.WSMsgType.BINARY:
                        received += message.data
                    if b"Diaspora" in received:
                        break
        except TimeoutError:
            pass
    return received


def test_serve_answers_on_loopback_with_the_app(tmp_path):
    # The sample folder's path is a shell attack and holds Rich markup ("[/]" stopped
    # textual-serve's own banner): the app must still open it.
    source = tmp_path / "articles [" / "] x; touch pwned $(touch pwned-2) `id` 'q' \"dq\""
    assert "[/]" in str(source)
    shutil.copytree(FIXTURES / "articles", source)
    port = free_port()
    app_args = ["--offline", "--no-mouse", str(source)]
    server = serve_in_subprocess(
        tmp_path,
        f"from tui.serve import run_server; run_server(port={port}, app_args={app_args!r})",
    )
    try:
        status, page = get_page(f"http://127.0.0.1:{port}/", server)
        assert status == 200
        assert "textual.js" in page and "textual-terminal" in page
        assert "bladi-tui" in page
        assert "touch" not in page  # the page shows the app's name, not its command line
        if Path("/proc/net/tcp").exists():
            assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1 and nothing else

        screen = asyncio.run(first_screen(port))
        assert b"Diaspora" in screen, screen[-2000:]
    finally:
        out, err = stop(server)
    assert "bladi-tui is served on http://127.0.0.1:" in out
    assert not list(tmp_path.glob("pwned*"))


def test_a_port_in_use_is_one_sentence(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = serve_in_subprocess(
            tmp_path,
            "from tui.serve import ServeError, run_server\n"
            f"try:\n    run_server(port={port})\n"
            "except ServeError as error:\n    print('refused:', error)\n",
        )
        out, err = server.communicate(timeout=20)
    said = f"refused: bladi-tui cannot listen on 127.0.0.1 port {port}: "
    assert said in out.decode(), err.decode()
