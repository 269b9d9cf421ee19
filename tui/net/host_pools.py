"""One connection pool per host, for the one HTTP client (:mod:`tui.net.http`).

A refresh takes many hosts' feeds in turn. In one shared pool, keeping every host's connections
alive makes each request scan them all (httpcore checks every pooled connection, with a system
call each, whenever a request starts or ends); keeping few of them closes a connection for
nearly every request (a new TCP connection and TLS handshake per feed). A pool per host keeps
its host's connections between its feeds and scans only those. The pools of the hosts used
longest ago are closed once more than ``hosts`` are kept, never while one of their answers is
being read.
"""

from __future__ import annotations

import importlib
import ssl
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator

import httpx

Origin = tuple[bytes, bytes, int | None]

# What a process's first request imports: the pools are httpcore's, speaking HTTP/1.1 (h11) on
# anyio's asyncio backend.
FIRST_REQUEST_MODULES = ("h11", "httpcore", "anyio._backends._asyncio", "httpcore._backends.anyio")


def import_transport_in_background() -> None:
    """Import what the first request needs in a thread, from now: for a caller with other work
    before its first request that waits on the disk more than on Python (opening the store). The
    first request waits for what is not imported yet, or imports it itself."""

    def run() -> None:
        for name in FIRST_REQUEST_MODULES:
            try:
                importlib.import_module(name)
            except Exception:  # another httpx or httpcore: the first request imports its own
                return

    threading.Thread(target=run, name="transport-imports", daemon=True).start()


class HostPools(httpx.AsyncBaseTransport):
    """An httpx transport that sends each request through its host's own pool."""

    def __init__(self, per_host: int, hosts: int) -> None:
        self._limits = httpx.Limits(max_connections=None, max_keepalive_connections=per_host)
        self._hosts = max(1, hosts)
        self._pools: OrderedDict[Origin, httpx.AsyncHTTPTransport] = OrderedDict()
        self._busy: dict[Origin, int] = {}  # answers not yet closed, per host
        self._ssl: ssl.SSLContext | None = None  # one for every https pool: loading it is costly
        # A plain-http pool never opens TLS (an https URL is another origin, with its own pool):
        # it gets a context that trusts nothing rather than the certificates, which a refresh of
        # http feeds alone would otherwise load before its first request.
        self._no_tls: ssl.SSLContext | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        origin = (request.url.raw_scheme, request.url.raw_host, request.url.port)
        pool = self._pools.get(origin)
        if pool is None:
            pool = self._pools[origin] = httpx.AsyncHTTPTransport(
                verify=self._context(origin[0]), limits=self._limits
            )
            await self._close_unused()
        self._pools.move_to_end(origin)
        self._busy[origin] = self._busy.get(origin, 0) + 1
        try:
            response = await pool.handle_async_request(request)
        except BaseException:
            self._release(origin)
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        return httpx.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=_ReleasingStream(response.stream, self, origin),
            extensions=response.extensions,
        )

    def _context(self, scheme: bytes) -> ssl.SSLContext:
        if scheme == b"http":
            if self._no_tls is None:
                self._no_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies, trusting no one
            return self._no_tls
        if self._ssl is None:
            self._ssl = httpx.create_ssl_context(trust_env=True)
        return self._ssl

    def _release(self, origin: Origin) -> None:
        left = self._busy.get(origin, 1) - 1
        if left > 0:
            self._busy[origin] = left
        else:
            self._busy.pop(origin, None)

    async def _close_unused(self) -> None:
        excess = len(self._pools) - self._hosts
        for origin in list(self._pools):
            if excess <= 0:
                break
            if origin not in self._busy:
                excess -= 1
                await self._pools.pop(origin).aclose()

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), OrderedDict()
        for pool in pools:
            await pool.aclose()


class _ReleasingStream(httpx.AsyncByteStream):
    """An answer's body, which tells the pools when it is closed (its pool may close then)."""

    def __init__(self, stream: httpx.AsyncByteStream, pools: HostPools, origin: Origin) -> None:
        self._stream = stream
        self._pools = pools
        self._origin: Origin | None = origin

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            if self._origin is not None:
                self._pools._release(self._origin)
                self._origin = None
