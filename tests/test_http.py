"""The HTTP client against a real server on loopback: what it fetches, what it refuses, its caps."""

from __future__ import annotations

import asyncio
import email.utils
import itertools
import re
import socket
import struct
import subprocess
import sys
import threading
import time
import tracemalloc
import zlib
from pathlib import Path

import pytest

from tests.loopback import LoopbackServer
from tui.net.http import FetchError, FetchLimits, HttpClient, Validators

MIB = 1024 * 1024
# Small limits for the tests that wait for a timeout, so they end in about a second.
QUICK = FetchLimits(connect_timeout=1.0, read_timeout=0.5, deadline=1.5)
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

FEED = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Bladi</title></channel></rss>'
)


@pytest.fixture
async def client():
    async with HttpClient() as http:
        yield http


async def fetch_error(http: HttpClient, url: str, **kwargs) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await http.get(url, **kwargs)
    message = str(caught.value)
    assert message and "\n" not in message and not UNSAFE.search(message)
    return caught.value


def answers(*replies: tuple[int, dict[str, str], bytes]):
    """A handler giving the n-th request the n-th reply (the last one from then on)."""
    counter = itertools.count()

    def handler(request) -> None:
        status, headers, body = replies[min(next(counter), len(replies) - 1)]
        request.send_body(status, body, headers)

    return handler


def streamed(total: int, chunk: bytes = b"x" * 65536, headers: dict[str, str] | None = None):
    """A handler sending ``total`` bytes, ``chunk`` after chunk, with no Content-Length."""

    def handler(request) -> None:
        request.send_response(200)
        for name, value in (headers or {"Content-Type": "application/octet-stream"}).items():
            request.send_header(name, value)
        request.end_headers()
        sent = 0
        while sent < total:
            request.wfile.write(chunk)
            sent += len(chunk)

    return handler


# Plain answers


async def test_body_status_and_headers_of_a_200(loopback: LoopbackServer, client: HttpClient):
    loopback.route(
        "/feed.xml", FEED, content_type="application/rss+xml; charset=UTF-8", headers={"X-Thing": "1"}
    )

    response = await client.get(loopback.url("/feed.xml"))

    assert response.status == 200
    assert response.content == FEED
    assert response.url == loopback.url("/feed.xml")
    assert not response.not_modified
    assert response.headers["x-thing"] == "1"
    assert response.content_type == "application/rss+xml"
    assert response.charset == "utf-8"


async def test_identifies_itself_and_offers_only_gzip_and_deflate(
    loopback: LoopbackServer, client: HttpClient
):
    loopback.route("/", "ok")

    await client.get(loopback.url("/"))
    await client.get(loopback.url("/"), accept="application/rss+xml, */*;q=0.5")

    first, second = loopback.requests
    assert first.headers["user-agent"].startswith("bladi-tui/")
    assert first.headers["accept-encoding"] == "gzip, deflate"
    assert first.headers["accept"] == "*/*"
    assert second.headers["accept"] == "application/rss+xml, */*;q=0.5"


async def test_routes_match_the_query_string_first(loopback: LoopbackServer, client: HttpClient):
    loopback.route("/search", "any query")
    loopback.route("/search?q=maroc", "maroc")

    assert (await client.get(loopback.url("/search?q=maroc"))).content == b"maroc"
    assert (await client.get(loopback.url("/search?q=other"))).content == b"any query"
    assert loopback.hits("/search") == 2


# Compression


async def test_gzip_body_is_decoded(loopback: LoopbackServer, client: HttpClient):
    compressor = zlib.compressobj(wbits=31)
    loopback.route(
        "/gz", compressor.compress(FEED) + compressor.flush(), headers={"Content-Encoding": "gzip"}
    )

    assert (await client.get(loopback.url("/gz"))).content == FEED


@pytest.mark.parametrize("wbits", [15, -15], ids=["zlib-wrapped", "raw-deflate"])
async def test_deflate_body_is_decoded_wrapped_or_raw(
    loopback: LoopbackServer, client: HttpClient, wbits: int
):
    compressor = zlib.compressobj(wbits=wbits)
    loopback.route(
        "/deflate",
        compressor.compress(FEED * 50) + compressor.flush(),
        headers={"Content-Encoding": "deflate"},
    )

    assert (await client.get(loopback.url("/deflate"))).content == FEED * 50


async def test_unsupported_encoding_is_an_error(loopback: LoopbackServer, client: HttpClient):
    loopback.route("/br", b"\x1b\x00\x00", headers={"Content-Encoding": "br"})

    error = await fetch_error(client, loopback.url("/br"))
    assert "unsupported content encoding (br)" in str(error)


async def test_corrupt_gzip_is_an_error(loopback: LoopbackServer, client: HttpClient):
    loopback.route("/bad", b"\x1f\x8b\x08\x00garbage" * 10, headers={"Content-Encoding": "gzip"})

    error = await fetch_error(client, loopback.url("/bad"))
    assert "corrupt gzip body" in str(error)


# Conditional GET


async def test_conditional_get_sends_validators_back_and_gets_304(
    loopback: LoopbackServer, client: HttpClient
):
    stamp = "Sat, 16 Dec 2023 15:00:00 GMT"

    def feed(request) -> None:
        if request.headers.get("If-None-Match") == '"v1"':
            request.send_body(304, headers={"ETag": '"v1"'})
        else:
            request.send_body(200, FEED, {"ETag": '"v1"', "Last-Modified": stamp})

    loopback.route_handler("/feed", feed)

    first = await client.get(loopback.url("/feed"))
    assert first.validators == Validators(etag='"v1"', last_modified=stamp)

    second = await client.get(loopback.url("/feed"), validators=first.validators)
    assert second.not_modified and second.status == 304
    assert second.content == b""
    assert second.validators == first.validators  # Last-Modified kept though the 304 omitted it
    sent = loopback.requests[1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == stamp


async def test_new_validators_replace_old_ones_on_200(loopback: LoopbackServer, client: HttpClient):
    loopback.route("/feed", FEED, headers={"ETag": '"v2"'})

    response = await client.get(
        loopback.url("/feed"), validators=Validators('"v1"', "Fri, 15 Dec 2023 10:00:00 GMT")
    )

    assert response.validators == Validators(etag='"v2"')  # the old Last-Modified described old content


async def test_no_conditional_headers_without_validators(loopback: LoopbackServer, client: HttpClient):
    loopback.route("/feed", FEED)

    await client.get(loopback.url("/feed"))

    assert "if-none-match" not in loopback.requests[0].headers
    assert "if-modified-since" not in loopback.requests[0].headers


# Redirects


async def test_redirect_chain_of_five_is_followed(loopback: LoopbackServer, client: HttpClient):
    for n in range(1, 5):
        loopback.route(f"/r{n}", status=302, headers={"Location": f"/r{n + 1}"})  # relative
    loopback.route("/r5", status=301, headers={"Location": loopback.url("/final?x=1")})  # absolute
    loopback.route("/final", FEED)

    response = await client.get(loopback.url("/r1"))

    assert response.content == FEED
    assert response.url == loopback.url("/final?x=1")
    assert [r.path for r in loopback.requests] == ["/r1", "/r2", "/r3", "/r4", "/r5", "/final?x=1"]


async def test_six_redirects_are_too_many(loopback: LoopbackServer, client: HttpClient):
    for n in range(1, 7):
        loopback.route(f"/r{n}", status=307, headers={"Location": f"/r{n + 1}"})
    loopback.route("/r7", FEED)

    error = await fetch_error(client, loopback.url("/r1"))

    assert str(error) == "too many redirects (more than 5)"
    assert len(loopback.requests) == 6


async def test_redirect_loop_is_an_error(loopback: LoopbackServer, client: HttpClient):
    loopback.route("/a", status=301, headers={"Location": "/b"})
    loopback.route("/b", status=301, headers={"Location": "/a"})

    error = await fetch_error(client, loopback.url("/a"))

    assert "too many redirects" in str(error)
    assert len(loopback.requests) == 6  # not retried


@pytest.mark.parametrize(
    "location",
    [
        "file:///etc/passwd",
        "ftp://example.com/feed",
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "about:blank",
    ],
)
async def test_redirect_to_a_non_web_url_is_refused(
    loopback: LoopbackServer, client: HttpClient, location: str
):
    loopback.route("/go", status=302, headers={"Location": location})

    error = await fetch_error(client, loopback.url("/go"))

    assert str(error).startswith("redirect to an address that is not a web address refused")
    assert len(loopback.requests) == 1


@pytest.mark.parametrize(
    "location", ["http://127.1/feed", "http://0x7f.1/", "https://e.ma.123/x", "http://1.2.3.999/"]
)
async def test_redirect_to_what_no_link_may_point_to_is_refused(
    loopback: LoopbackServer, client: HttpClient, location: str
):
    """A redirect target passes the same web-address check as a link (tui.sanitize.is_web_url)."""
    loopback.route("/go", status=302, headers={"Location": location})

    error = await fetch_error(client, loopback.url("/go"))

    assert str(error).startswith("redirect to a") and "refused" in str(error), error
    assert len(loopback.requests) == 1


async def test_control_characters_never_reach_the_message(loopback: LoopbackServer, client: HttpClient):
    loopback.route("/go", status=302, headers={"Location": "javascript:\x1b]52;c;cHduZWQ=\x07\x1b[31m"})

    error = await fetch_error(client, loopback.url("/go"))  # checks the message itself

    assert "\x1b" not in str(error)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "javascript:alert(1)", "ftp://example.com/", "/relative", ""]
)
async def test_only_web_urls_are_fetched(client: HttpClient, url: str):
    error = await fetch_error(client, url)

    assert str(error).startswith("not an http(s) web address")


# Errors and retries


@pytest.mark.parametrize(
    "status, sentence",
    [
        (404, "address not found on the server (HTTP 404)"),
        (410, "the feed no longer exists (HTTP 410)"),
        (403, "the site refuses access (HTTP 403)"),
    ],
)
async def test_client_errors_fail_at_once(
    loopback: LoopbackServer, client: HttpClient, status: int, sentence: str
):
    loopback.route("/x", "nope", status=status)

    error = await fetch_error(client, loopback.url("/x"))

    assert str(error) == sentence
    assert error.status == status and not error.transient
    assert error.url == loopback.url("/x")
    assert loopback.hits("/x") == 1


async def test_503_then_200_succeeds_on_the_one_retry(loopback: LoopbackServer, client: HttpClient):
    loopback.route_handler("/flaky", answers((503, {}, b"busy"), (200, {}, FEED)))

    started = time.monotonic()
    response = await client.get(loopback.url("/flaky"))

    assert response.content == FEED
    assert loopback.hits("/flaky") == 2
    assert 0.45 <= time.monotonic() - started < 1.5  # the backoff


async def test_a_second_5xx_is_not_retried_again(loopback: LoopbackServer, client: HttpClient):
    loopback.route("/down", "down", status=500)

    error = await fetch_error(client, loopback.url("/down"))

    assert str(error) == "the server is in trouble (HTTP 500)"
    assert error.transient
    assert loopback.hits("/down") == 2


async def test_429_retry_after_is_honoured(loopback: LoopbackServer, client: HttpClient):
    loopback.route_handler("/busy", answers((429, {"Retry-After": "1"}, b""), (200, {}, FEED)))

    started = time.monotonic()
    response = await client.get(loopback.url("/busy"))

    assert response.content == FEED
    assert 1.0 <= time.monotonic() - started < 2.0
    assert loopback.hits("/busy") == 2


async def test_a_long_retry_after_is_left_to_the_caller(loopback: LoopbackServer, client: HttpClient):
    loopback.route("/busy", status=429, headers={"Retry-After": "3600"})

    started = time.monotonic()
    error = await fetch_error(client, loopback.url("/busy"))

    assert time.monotonic() - started < 0.5
    assert error.retry_after == 3600
    assert str(error) == "the site asks to slow down (HTTP 429); it asks to wait 60 min"
    assert loopback.hits("/busy") == 1


async def test_retry_after_as_an_http_date(loopback: LoopbackServer, client: HttpClient):
    in_two_hours = email.utils.formatdate(time.time() + 7200, usegmt=True)
    loopback.route("/maintenance", status=503, headers={"Retry-After": in_two_hours})

    error = await fetch_error(client, loopback.url("/maintenance"))

    assert 7190 <= error.retry_after <= 7200
    assert loopback.hits("/maintenance") == 1


async def test_connection_refused_is_retried_once_then_reported(client: HttpClient):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens there once the socket is closed

    started = time.monotonic()
    error = await fetch_error(client, f"http://127.0.0.1:{port}/feed")

    assert str(error) == "connection refused by 127.0.0.1"
    assert error.transient
    assert time.monotonic() - started >= 0.45  # one retry, after the backoff


# Caps: size


async def test_a_body_over_the_cap_is_cut_off_with_bounded_memory(loopback: LoopbackServer):
    loopback.route_handler("/huge", streamed(64 * MIB))

    tracemalloc.start()
    try:
        async with HttpClient(FetchLimits(max_bytes=8 * MIB)) as http:
            error = await fetch_error(http, loopback.url("/huge"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert str(error) == "the response exceeded 8 MiB"
    assert peak < 40 * MIB
    loopback.route("/small", "still serving")  # the hang-up did not hurt the server
    async with HttpClient() as http:
        assert (await http.get(loopback.url("/small"))).content == b"still serving"


async def test_a_declared_length_over_the_cap_is_refused_before_reading(loopback: LoopbackServer):
    def promises_too_much(request) -> None:
        request.send_response(200)
        request.send_header("Content-Length", str(10 * MIB))
        request.end_headers()
        request.pause(5)  # the body would never come: the client must not wait for it

    loopback.route_handler("/big", promises_too_much)

    started = time.monotonic()
    async with HttpClient(FetchLimits(max_bytes=MIB, read_timeout=3)) as http:
        error = await fetch_error(http, loopback.url("/big"))

    assert str(error) == "the response exceeded 1 MiB"
    assert time.monotonic() - started < 1


@pytest.fixture(scope="session")
def gzip_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1 GiB of zeros, gzipped to about 1 MB, written once per test session.

    After a full flush a deflate stream does not refer back to earlier data, so the compressed
    form of one 1 MiB block of zeros can be repeated 1,024 times: valid gzip, CRC and all, in a
    fraction of the seconds compressing the whole GiB would take.
    """
    path = tmp_path_factory.mktemp("http") / "bomb.gz"
    block = bytes(MIB)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    compressed_block = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    with path.open("wb") as out:
        out.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff")  # gzip header, no name, no time
        for _ in range(1024):
            out.write(compressed_block)
            crc = zlib.crc32(block, crc)
        out.write(deflate.flush())
        out.write(struct.pack("<II", crc, (1024 * MIB) & 0xFFFFFFFF))
    return path


async def test_a_gzip_bomb_is_stopped_at_the_cap(loopback: LoopbackServer, gzip_bomb: Path):
    assert gzip_bomb.stat().st_size < 2 * MIB

    def serve_bomb(request) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "application/rss+xml")
        request.send_header("Content-Encoding", "gzip")
        request.send_header("Content-Length", str(gzip_bomb.stat().st_size))
        request.end_headers()
        with gzip_bomb.open("rb") as bomb:
            while chunk := bomb.read(65536):
                request.wfile.write(chunk)

    loopback.route_handler("/bomb.xml", serve_bomb)

    tracemalloc.start()
    try:
        async with HttpClient(FetchLimits(max_bytes=8 * MIB)) as http:
            error = await fetch_error(http, loopback.url("/bomb.xml"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert str(error) == "the response exceeded 8 MiB"
    assert peak < 40 * MIB


# Caps: time


async def test_a_server_stalling_after_the_headers_fails_within_the_deadline(loopback: LoopbackServer):
    def stall(request) -> None:
        request.send_response(200)
        request.send_header("Content-Length", "1000")
        request.end_headers()
        request.wfile.flush()
        request.pause(10)

    loopback.route_handler("/stall", stall)

    started = time.monotonic()
    async with HttpClient(QUICK) as http:
        error = await fetch_error(http, loopback.url("/stall"))

    assert time.monotonic() - started < QUICK.deadline + 0.5
    assert error.transient


async def test_a_server_that_never_answers_fails_within_the_deadline(loopback: LoopbackServer):
    loopback.route_handler("/silent", lambda request: request.pause(10))

    started = time.monotonic()
    async with HttpClient(QUICK) as http:
        error = await fetch_error(http, loopback.url("/silent"))

    assert time.monotonic() - started < QUICK.deadline + 0.5
    assert error.transient


async def test_a_drip_fed_body_ends_at_the_deadline(loopback: LoopbackServer):
    def drip(request) -> None:
        request.send_response(200)
        request.send_header("Content-Length", "1000")
        request.end_headers()
        for _ in range(1000):
            request.wfile.write(b"x")
            request.wfile.flush()
            if not request.pause(0.2):  # always under the 0.5 s read timeout
                return

    loopback.route_handler("/drip", drip)

    started = time.monotonic()
    async with HttpClient(QUICK) as http:
        error = await fetch_error(http, loopback.url("/drip"))
    elapsed = time.monotonic() - started

    assert str(error) == "no complete answer within 1.5 s"
    assert QUICK.deadline - 0.1 <= elapsed < QUICK.deadline + 0.5
    assert loopback.hits("/drip") == 1  # a deadline overrun is not retried


# Caps: concurrency


class InFlight:
    """A handler that answers after ``seconds``, remembering how many requests it served at once."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.now = 0
        self.most = 0
        self._lock = threading.Lock()

    def __call__(self, request) -> None:
        with self._lock:
            self.now += 1
            self.most = max(self.most, self.now)
        try:
            request.pause(self.seconds)
            request.send_body(200, b"ok")
        finally:
            with self._lock:
                self.now -= 1


async def test_at_most_two_requests_per_host(loopback: LoopbackServer):
    slow = InFlight(0.25)
    loopback.route_handler("/slow", slow)

    async with HttpClient(FetchLimits(per_host=2)) as http:
        await asyncio.gather(*(http.get(loopback.url(f"/slow?n={n}")) for n in range(6)))

    assert slow.most == 2
    assert loopback.hits("/slow") == 6


async def test_overall_concurrency_holds_across_hosts(loopback: LoopbackServer):
    slow = InFlight(0.25)
    loopback.route_handler("/slow", slow)
    urls = [
        f"http://{host}:{loopback.port}/slow?n={n}" for host in ("127.0.0.1", "localhost") for n in range(4)
    ]

    async with HttpClient(FetchLimits(concurrency=3, per_host=2)) as http:
        await asyncio.gather(*(http.get(url) for url in urls))

    assert slow.most == 3


async def test_waiting_for_a_free_slot_does_not_count_against_the_deadline(loopback: LoopbackServer):
    slow = InFlight(0.6)
    loopback.route_handler("/slow", slow)

    async with HttpClient(FetchLimits(concurrency=1, deadline=1.0)) as http:
        responses = await asyncio.gather(*(http.get(loopback.url(f"/slow?n={n}")) for n in range(2)))

    assert [r.content for r in responses] == [b"ok", b"ok"]


# Environment


async def test_the_proxy_from_the_environment_is_used(
    loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
):
    # The loopback server plays the proxy: it sees the absolute URL in the request line.
    loopback.route("/feed", FEED)
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, loopback.base_url)
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)

    async with HttpClient() as http:
        response = await http.get("http://feeds.example.test/feed")

    assert response.content == FEED
    assert loopback.requests[0].path == "http://feeds.example.test/feed"


# TLS


@pytest.fixture
def tls_server(tmp_path: Path):
    """An https server on loopback with a certificate of its own making, which no one vouches
    for: the URL of its feed."""
    import http.server
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make the server's certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )

    class Feed(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(FEED)))
            self.end_headers()
            self.wfile.write(FEED)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}/feed"
    server.shutdown()
    server.server_close()
    thread.join(5)


async def test_plain_http_loads_no_certificates_and_https_still_checks_them(
    loopback: LoopbackServer, tls_server: str, monkeypatch: pytest.MonkeyPatch
):
    import httpx

    loaded: list[object] = []
    real = httpx.create_ssl_context

    def counted(*args, **kwargs):
        loaded.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(httpx, "create_ssl_context", counted)
    loopback.route("/feed", FEED)

    async with HttpClient(QUICK) as http:
        assert (await http.get(loopback.url("/feed"))).content == FEED
        assert loaded == []  # http feeds alone never pay for the certificates
        error = await fetch_error(http, tls_server)
        assert (await http.get(loopback.url("/feed"))).content == FEED

    assert len(loaded) == 1
    assert "certificate" in str(error)


def test_the_first_requests_imports_can_be_made_ahead_in_a_thread(loopback):
    loopback.route("/", "ok")
    ahead = (
        "import sys, threading; from tui.net.host_pools import import_transport_in_background as ahead, "
        "FIRST_REQUEST_MODULES as modules; assert not set(modules) & set(sys.modules); ahead(); "
        "[t.join(30) for t in threading.enumerate() if t.name == 'transport-imports']; "
        "assert set(modules) <= set(sys.modules)"
    )
    # ...and they are what a request imports: the list cannot go stale unnoticed.
    request = (
        "import asyncio, sys; from tui.net.http import HttpClient; "
        "from tui.net.host_pools import FIRST_REQUEST_MODULES as modules; "
        "assert not set(modules) & set(sys.modules); client = HttpClient(); "
        f"asyncio.run(client.get({loopback.url('/')!r})); assert set(modules) <= set(sys.modules)"
    )
    for code in (ahead, request):
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
