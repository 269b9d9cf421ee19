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
from tui.serve import default_public_url, is_loopback, new_token, serve_command_line

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
    assert command.startswith(
        (f"{sys.executable} -m tui --offline ", f"'{sys.executable}' -m tui --offline ")
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


# --- only its own origin ----------------------------------------------------------------------


def raw_request(port: int, path: str, headers: dict[str, str], *, websocket: bool = False) -> tuple[int, str]:
    """Send one request as a browser (or a hostile page's browser) would; the status and headers."""
    lines = [f"GET {path} HTTP/1.1", *(f"{name}: {value}" for name, value in headers.items())]
    if websocket:
        lines += [
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version: 13",
        ]
    else:
        lines.append("Connection: close")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = connection.recv(4096)
            if not chunk:
                break
            answer += chunk
    head = answer.split(b"\r\n\r\n")[0].decode("latin-1")
    return int(head.split()[1]), head


def start_guarded_server(tmp_path: Path, **options) -> tuple[subprocess.Popen, int]:
    port = free_port()
    app_args = ["--offline", "--no-mouse", str(FIXTURES / "articles")]
    arguments = ", ".join(f"{name}={value!r}" for name, value in options.items())
    server = serve_in_subprocess(
        tmp_path,
        f"from tui.serve import run_server; run_server(port={port}, app_args={app_args!r}, {arguments})",
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # listening?
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert server.poll() is None, stop(server)
            time.sleep(0.1)
    return server, port


def test_the_page_and_the_websocket_answer_only_their_own_origin(tmp_path):
    server, port = start_guarded_server(tmp_path)
    own = f"127.0.0.1:{port}"
    try:
        assert raw_request(port, "/", {"Host": own})[0] == 200
        assert raw_request(port, "/", {"Host": f"localhost:{port}"})[0] == 200
        # DNS rebinding: a hostile name pointed at 127.0.0.1 loads nothing.
        assert raw_request(port, "/", {"Host": f"evil.example:{port}"})[0] == 403
        assert raw_request(port, "/static/js/textual.js", {"Host": f"evil.example:{port}"})[0] == 403
        # A page on another site opening the websocket gets no 101, whatever it claims.
        for origin in ("http://evil.example", f"http://evil.example:{port}", "null", f"https://{own}"):
            status, head = raw_request(port, "/ws", {"Host": own, "Origin": origin}, websocket=True)
            assert status == 403, (origin, head)
        status, head = raw_request(port, "/ws", {"Host": f"evil.example:{port}"}, websocket=True)
        assert status == 403, head
        # The page's own websocket opens.
        status, head = raw_request(port, "/ws", {"Host": own, "Origin": f"http://{own}"}, websocket=True)
        assert status == 101, head
    finally:
        stop(server)


def test_a_token_is_asked_of_every_connection(tmp_path):
    token = "t0k3n-" + "x" * 20
    server, port = start_guarded_server(tmp_path, token=token)
    own = f"127.0.0.1:{port}"
    cookie = f"bladi-tui-token-{port}={token}"
    try:
        assert raw_request(port, "/", {"Host": own})[0] == 403
        assert raw_request(port, "/?token=wrong", {"Host": own})[0] == 403
        status, head = raw_request(port, f"/?token={token}", {"Host": own})
        assert status == 200, head
        assert f"Set-Cookie: {cookie};" in head and "HttpOnly" in head and "SameSite=Strict" in head
        assert raw_request(port, "/static/js/textual.js", {"Host": own})[0] == 403
        assert raw_request(port, "/static/js/textual.js", {"Host": own, "Cookie": cookie})[0] == 200
        websocket = {"Host": own, "Origin": f"http://{own}"}
        assert raw_request(port, "/ws?width=80&height=24", websocket, websocket=True)[0] == 403
        bad_cookie = {**websocket, "Cookie": f"bladi-tui-token-{port}=guess"}
        assert raw_request(port, "/ws?width=80&height=24", bad_cookie, websocket=True)[0] == 403
        hostile = {"Host": own, "Origin": "http://evil.example", "Cookie": cookie}
        assert raw_request(port, "/ws", hostile, websocket=True)[0] == 403
        status, head = raw_request(
            port, "/ws?width=80&height=24", {**websocket, "Cookie": cookie}, websocket=True
        )
        assert status == 101, head
    finally:
        out, _err = stop(server)
    assert f"bladi-tui is served on http://127.0.0.1:{port}/?token={token} " in out


def test_a_token_is_made_for_any_address_but_loopback():
    assert new_token("127.0.0.1") is None and new_token("::1") is None and new_token("localhost") is None
    tokens = {new_token(host) for host in ("0.0.0.0", "192.168.1.2", "::", "example.org")}
    assert None not in tokens and len(tokens) == 4
    assert all(len(token) >= 32 for token in tokens)
