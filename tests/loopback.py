"""A real HTTP server on 127.0.0.1 for the tests: the ``loopback`` fixture.

Every test that fetches something (feeds, pages, the app) talks to this server instead of the
network: real sockets, real HTTP, so timeouts, redirects and caps are exercised as they will be
in use. The server runs in a background thread on a random free port and answers each
connection in its own daemon thread, so a handler that stalls never blocks the others.

Static answers::

    loopback.route("/feed.xml", body=xml_bytes, content_type="application/rss+xml")
    loopback.route("/gone", status=410)
    loopback.route("/moved", status=301, headers={"Location": "/feed.xml"})

Anything else (stalls, drips, counting, answers that change from one request to the next) goes
through a handler, called with the :class:`http.server.BaseHTTPRequestHandler` of the request::

    def drip(request):
        request.send_response(200)
        request.send_header("Content-Type", "text/plain")
        request.end_headers()
        for _ in range(100):
            if not request.pause(0.2):  # False once the server is stopping
                return
            request.wfile.write(b"x")
            request.wfile.flush()

    loopback.route_handler("/drip", drip)

Handlers also get ``request.send_body(status, body, headers)`` (Content-Length included) and
``request.pause(seconds)``. ``loopback.hits(path)`` counts the requests for a route; a handler
that raises fails the test when the fixture ends.

Routes match the full path with its query string first (``/search?q=x``), then the path alone.
Unknown paths answer 404. Every request is recorded in ``loopback.requests`` as a
``Request(method, path, headers)`` tuple, path with its query string, header names in lower case.

The server speaks HTTP/1.0 (one request per connection, closed after the answer): a handler may
send a body of unknown length by writing it and returning. A client that hangs up early (a test
cutting a download short) is expected and never logged as an error.
"""

from __future__ import annotations

import http.server
import os
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from typing import NamedTuple
from urllib.parse import urlsplit

import pytest

__all__ = ["LoopbackServer", "Request", "loopback"]

# What a client hanging up looks like from the server's side of the socket.
_DISCONNECTS = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, socket.timeout)


class Request(NamedTuple):
    """One request as the server saw it."""

    method: str
    path: str  # with the query string, if any
    headers: dict[str, str]  # names in lower case


class _StaticAnswer(NamedTuple):
    status: int
    body: bytes
    headers: dict[str, str]


Handler = Callable[["_RequestHandler"], None]


class _RequestHandler(http.server.BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"
    # Without a socket timeout, a client that opens a connection and sends nothing would hold a
    # thread until the process ends.
    timeout = 30

    def do_GET(self) -> None:
        self._dispatch()

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def pause(self, seconds: float) -> bool:
        """Sleep ``seconds``; False (at once) if the server is stopping, so handlers can end."""
        return not self.server.stopping.wait(seconds)

    def send_body(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        """Answer with ``status``, ``headers`` and ``body``, Content-Length included."""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def _dispatch(self) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        self.server.loopback._record(Request(self.command, self.path, headers))
        answer = self.server.loopback._lookup(self.path)
        try:
            if answer is None:
                self.send_body(404, b"no route for this path\n", {"Content-Type": "text/plain"})
            elif isinstance(answer, _StaticAnswer):
                self.send_body(answer.status, answer.body, answer.headers)
            else:
                answer(self)
            self.wfile.flush()
        except _DISCONNECTS:
            self.close_connection = True
        except Exception as exc:
            self.server.loopback.errors.append(exc)  # fails the test when the fixture ends
            raise

    def log_message(self, format: str, *args: object) -> None:
        pass  # the tests' output is not the place for an access log


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, loopback: LoopbackServer) -> None:
        self.loopback = loopback
        self.stopping = threading.Event()
        super().__init__(("127.0.0.1", 0), _RequestHandler)

    def handle_error(self, request: object, client_address: object) -> None:
        # A client hanging up between two writes is routine in these tests; anything else is a
        # bug in a handler and is reported as usual.
        if isinstance(sys.exc_info()[1], _DISCONNECTS):
            return
        super().handle_error(request, client_address)


class LoopbackServer:
    """An HTTP server on 127.0.0.1, on a free port, serving the routes a test declares."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.errors: list[Exception] = []  # exceptions raised by route handlers
        self._routes: dict[str, _StaticAnswer | Handler] = {}
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # Lifecycle

    def start(self) -> LoopbackServer:
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="loopback", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, wake handlers waiting in :meth:`pause`, release the port."""
        if self._server is None:
            return
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        assert self._thread is not None
        self._thread.join(timeout=5)
        self._server = None

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # Addresses

    @property
    def port(self) -> int:
        assert self._server is not None, "the server is not started"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        """The absolute URL of ``path`` on this server."""
        if not path.startswith("/"):
            path = "/" + path
        return self.base_url + path

    # Routes

    def route(
        self,
        path: str,
        body: bytes | str = b"",
        status: int = 200,
        headers: dict[str, str] | None = None,
        content_type: str = "text/html; charset=utf-8",
    ) -> None:
        """Answer requests for ``path`` with a fixed status, headers and body (str is sent as UTF-8)."""
        data = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        all_headers = {"Content-Type": content_type} if content_type else {}
        all_headers.update(headers or {})
        with self._lock:
            self._routes[path] = _StaticAnswer(status, data, all_headers)

    def route_handler(self, path: str, handler: Handler) -> None:
        """Answer requests for ``path`` by calling ``handler(request_handler)``, which writes the answer.

        ``request_handler`` is the request's :class:`http.server.BaseHTTPRequestHandler`, plus
        ``send_body(status, body, headers)`` and ``pause(seconds)``. It runs in the request's own
        thread: several may run at once.
        """
        with self._lock:
            self._routes[path] = handler

    # What was asked

    def hits(self, path: str) -> int:
        """How many requests asked for ``path`` (matched as routes are: with the query, or without)."""
        with self._lock:
            return sum(1 for r in self.requests if r.path == path or urlsplit(r.path).path == path)

    def _record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def _lookup(self, target: str) -> _StaticAnswer | Handler | None:
        with self._lock:
            if target in self._routes:
                return self._routes[target]
            return self._routes.get(urlsplit(target).path)


@pytest.fixture
def loopback(monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopbackServer]:
    """A started :class:`LoopbackServer`, stopped after the test.

    A route handler that raised (an assertion inside it, a typo) fails the test at teardown:
    otherwise the client would only see a closed connection.

    A proxy set in the environment must not see loopback requests: 127.0.0.1 is added to
    ``NO_PROXY`` for the test (httpx reads it when a client is created).
    """
    for name in ("NO_PROXY", "no_proxy"):
        current = [part for part in os.environ.get(name, "").split(",") if part.strip()]
        monkeypatch.setenv(name, ",".join([*current, "127.0.0.1", "localhost"]))
    server = LoopbackServer().start()
    try:
        yield server
    finally:
        server.stop()
    if server.errors:
        pytest.fail(f"a loopback route handler raised {server.errors[0]!r}", pytrace=False)
