"""The one HTTP client of bladi-tui: every feed, page and image goes through :class:`HttpClient`.

Everything a remote server sends is untrusted, so the caps live here, once:

- only http and https, for the first URL and for every redirect hop (redirects are followed
  here, hop by hop, so that ``file:``, ``data:`` or ``javascript:`` targets can be refused);
- a connect timeout, a read timeout, and an overall deadline per request: httpx's read timeout is
  per read, so a server dripping one byte a second would otherwise never time out;
- a byte cap on the body *after* decompression. httpx's own decoding inflates a 1 MB gzip bomb to
  1 GiB in memory, so the raw stream is read and inflated here with ``max_length``, and only
  gzip and deflate are offered (brotli and zstd bombs arrive as one huge chunk);
- a limit on requests in flight, overall and per host, so a refresh of many sources stays polite;
- one retry, after a short pause or the server's ``Retry-After``, for failures that may pass;
- a site that turns automated readers away (a challenge page, ``cf-mitigated: challenge``) is
  told apart from a broken one: :class:`FetchError` with ``reason == REFUSED_BY_SITE``, never
  retried at once;
- a source's own request headers (:mod:`tui.net.headers`), its secrets (Cookie, Authorization)
  never sent on to another host by a redirect.

Conditional GET is the caller's to store: pass the :class:`Validators` of the last answer, get
``not_modified=True`` and the same validators back on 304.

One ``HttpClient`` serves one event loop (its connections and semaphores belong to it).
"""

from __future__ import annotations

import asyncio
import email.utils
import math
import random
import time
import urllib.request
import zlib
from datetime import UTC
from types import TracebackType

import httpx

from tui import USER_AGENT, reasons
from tui.net.failures import FetchError, status_error, too_large, transport_error
from tui.net.headers import SECRET_HEADERS, source_headers
from tui.net.host_pools import HostPools
from tui.net.limits import FetchLimits
from tui.net.response import Response, Validators
from tui.reasons import REFUSED_BY_SITE
from tui.sanitize import clean_line, is_web_url

__all__ = ["REFUSED_BY_SITE", "FetchError", "FetchLimits", "HttpClient", "Response", "Validators"]

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_ACCEPT_ENCODING = "gzip, deflate"  # never br or zstd: they cannot be inflated under a cap
_RETRY_PAUSE = (0.5, 1.0)  # seconds, when the server does not say how long to wait
_LOCATION = "bladi_tui.location"  # where a redirect's target waits in ``Response.extensions``
# A refusal is told by its status and by what the answer carries: Cloudflare's challenge pages
# ("Just a moment...", "Attention Required!", scripts under /cdn-cgi/challenge-platform).
# A plain 503 from a site that merely sits behind Cloudflare has none of these: an outage.
_REFUSAL_STATUSES = frozenset({403, 429, 503})
_CHALLENGE_MARKERS = (
    b"just a moment",
    b"attention required",
    b"cf-chl",
    b"cf_chl",
    b"challenge-platform",
    b"/cdn-cgi/challenge",
)
_CHALLENGE_BYTES = 64 * 1024  # of a refusal's body, enough to hold its markers


DEFAULT_LIMITS = FetchLimits()


# The hosts whose connections the client keeps open between requests (per_host each, at most).
KEPT_ALIVE_HOSTS = 64


class HttpClient:
    """Fetches http(s) URLs under :class:`FetchLimits`, on one shared ``httpx.AsyncClient``.

    ``transport`` replaces httpx's network transport (for tests that cannot use a real server).
    Proxies come from the environment (``HTTP_PROXY``, ``HTTPS_PROXY``, ``NO_PROXY``…);
    certificates are always verified.
    """

    def __init__(
        self,
        limits: FetchLimits = DEFAULT_LIMITS,
        user_agent: str = USER_AGENT,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.limits = limits
        self._client = httpx.AsyncClient(
            headers={"User-Agent": user_agent, "Accept-Encoding": _ACCEPT_ENCODING},
            timeout=httpx.Timeout(
                connect=limits.connect_timeout,
                read=limits.read_timeout,
                write=limits.read_timeout,
                pool=None,  # waiting for a free connection is bounded by the deadline
            ),
            # Without a proxy each host has its own pool (tui.net.host_pools), kept alive
            # across its feeds; through a proxy from the environment, httpx's shared pool.
            limits=httpx.Limits(
                max_connections=limits.concurrency, max_keepalive_connections=limits.concurrency
            ),
            follow_redirects=False,
            event_hooks={"response": [_set_location_aside]},
            transport=transport if transport is not None else _host_pools(limits),
            trust_env=True,
        )
        self._slots = asyncio.Semaphore(limits.concurrency)
        self._host_slots: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> HttpClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def get(
        self,
        url: str,
        validators: Validators | None = None,
        accept: str | None = None,
        headers: tuple[tuple[str, str], ...] = (),
    ) -> Response:
        """GET ``url``; a :class:`Response` for 2xx and 304, :class:`FetchError` for anything else.

        ``headers`` are a source's own (:func:`tui.net.headers.source_headers`: checked again
        here), sent over the client's; its Accept wins over ``accept``.

        The deadline starts when the request gets its turn (waiting behind other requests for a
        free slot does not count) and covers redirects, the retry and the whole body.
        """
        shown = clean_line(url, 300)
        try:
            start = _web_url(url)
            own = dict(source_headers(headers))
            async with asyncio.timeout(None) as scope:
                deadline = _Deadline(scope, self.limits.deadline)
                return await self._get_with_retry(start, validators or Validators(), accept, own, deadline)
        except TimeoutError:
            if deadline.expired():
                seconds = f"{self.limits.deadline:g}"
                raise FetchError(reasons.DEADLINE, {"seconds": seconds}, url=shown, transient=True) from None
            raise
        except FetchError as error:
            error.url = error.url or shown
            raise

    async def _get_with_retry(
        self,
        start: httpx.URL,
        validators: Validators,
        accept: str | None,
        own: dict[str, str],
        deadline: _Deadline,
    ) -> Response:
        try:
            return await self._follow(start, validators, accept, own, deadline)
        except FetchError as error:
            if not error.transient:
                raise
            if error.retry_after is not None:
                if error.retry_after > self.limits.retry_after_max:
                    raise
                pause = error.retry_after
            else:
                pause = random.uniform(*_RETRY_PAUSE)
            if pause >= deadline.left():
                raise  # the retry could not finish in time anyway
        await asyncio.sleep(pause)
        return await self._follow(start, validators, accept, own, deadline)

    async def _follow(
        self,
        url: httpx.URL,
        validators: Validators,
        accept: str | None,
        own: dict[str, str],
        deadline: _Deadline,
    ) -> Response:
        """One attempt: the request and the redirects it leads to, one hop at a time."""
        headers = {"Accept": accept or "*/*", **validators.request_headers(), **own}
        first_host = url.host
        for _hop in range(self.limits.max_redirects + 1):
            if url.host != first_host:
                # The user's cookie or token is for the site they configured, not for
                # wherever it redirects.
                headers = {k: v for k, v in headers.items() if k.lower() not in SECRET_HEADERS}
            async with self._host_slot(url), self._slots:
                deadline.start()
                result = await self._exchange(url, headers, validators)
            if isinstance(result, Response):
                return result
            url = result
        raise FetchError(reasons.TOO_MANY_REDIRECTS, {"limit": self.limits.max_redirects})

    async def _exchange(
        self, url: httpx.URL, headers: dict[str, str], validators: Validators
    ) -> Response | httpx.URL:
        """One request: the answer, or the URL a redirect points to."""
        try:
            request = self._client.build_request("GET", url, headers=headers)
            response = await self._client.send(request, stream=True)
            try:
                status = response.status_code
                location = response.extensions.get(_LOCATION)
                if location is not None:
                    return _redirect_target(url, location)
                if status == 304:
                    return _response(response, b"", Validators.from_headers(response.headers, validators))
                if not 200 <= status < 300:
                    head = await _body_head(response) if status in _REFUSAL_STATUSES else b""
                    raise self._status_error(response, head)
                content = await self._read_body(response)
                return _response(response, content, Validators.from_headers(response.headers))
            finally:
                await response.aclose()
        except httpx.HTTPError as exc:
            raise self._transport_error(exc, url) from None

    async def _read_body(self, response: httpx.Response) -> bytes:
        cap = self.limits.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise too_large(cap)
        body = _BodyDecoder(response.headers.get("content-encoding", ""), cap)
        received = 0
        async for chunk in response.aiter_raw():
            received += len(chunk)
            if received > cap:
                raise too_large(cap)
            body.feed(chunk)
        return body.finish()

    def _status_error(self, response: httpx.Response, head: bytes = b"") -> FetchError:
        retry_after = _retry_after_seconds(response.headers.get("retry-after", ""))
        return status_error(
            response.status_code,
            retry_after,
            self.limits.retry_after_max,
            refused=_is_refusal(response, head),
        )

    def _transport_error(self, exc: httpx.HTTPError, url: httpx.URL) -> FetchError:
        return transport_error(exc, clean_line(url.host, 100), self.limits)

    def _host_slot(self, url: httpx.URL) -> asyncio.Semaphore:
        slot = self._host_slots.get(url.host)
        if slot is None:
            slot = self._host_slots[url.host] = asyncio.Semaphore(self.limits.per_host)
        return slot


class _Deadline:
    """The time one ``get`` may take, counted from the moment its first request gets a slot."""

    def __init__(self, scope: asyncio.Timeout, seconds: float) -> None:
        self._scope = scope
        self._seconds = seconds
        self._loop = asyncio.get_running_loop()

    def start(self) -> None:
        if self._scope.when() is None:
            self._scope.reschedule(self._loop.time() + self._seconds)

    def left(self) -> float:
        when = self._scope.when()
        return math.inf if when is None else when - self._loop.time()

    def expired(self) -> bool:
        return self._scope.expired()


class _BodyDecoder:
    """Undoes gzip or deflate chunk by chunk, never holding more than ``cap`` bytes of output.

    Inflating with ``max_length`` is what keeps a bomb from allocating: each call produces at
    most what is left under the cap, plus one byte to know it was exceeded. Bytes after the end
    of the compressed stream are ignored, as httpx does.
    """

    def __init__(self, content_encoding: str, cap: int) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            coding = clean_line(content_encoding, 60)
            raise FetchError(reasons.UNSUPPORTED_ENCODING, {"coding": coding})
        self._coding = codings[0] if codings else ""
        self._cap = cap
        self._size = 0
        self._parts: list[bytes] = []
        self._inflater: zlib._Decompress | None = None
        self._head = b""  # deflate: the first bytes, until they tell zlib-wrapped from raw
        self._ended = False
        if self._coding in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(wbits=47)  # gzip or zlib header, detected

    def feed(self, data: bytes) -> None:
        if not self._coding:
            self._keep(data)
            return
        if self._inflater is None:  # deflate, kind not known yet
            self._head += data
            if len(self._head) < 2:
                return
            data, self._head = self._head, b""
            self._inflater = zlib.decompressobj(wbits=47 if _has_zlib_or_gzip_header(data) else -15)
        self._inflate(data)

    def finish(self) -> bytes:
        if self._coding:
            if self._inflater is None and self._head:
                self._inflater = zlib.decompressobj(wbits=-15)
                self._inflate(self._head)
            if self._inflater is not None and not self._ended:
                # A stream cut short is kept as far as it goes, as browsers do.
                self._keep(self._inflater.flush())
        return b"".join(self._parts)

    def kept(self) -> bytes:
        """What was decoded so far."""
        return b"".join(self._parts)

    def _inflate(self, data: bytes) -> None:
        assert self._inflater is not None
        try:
            while data and not self._ended:
                self._keep(self._inflater.decompress(data, self._cap - self._size + 1))
                self._ended = self._inflater.eof
                data = self._inflater.unconsumed_tail
        except zlib.error:
            raise FetchError(reasons.CORRUPT_BODY, {"coding": self._coding}) from None

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._cap:
            raise too_large(self._cap)
        if data:
            self._parts.append(data)


async def _body_head(response: httpx.Response) -> bytes:
    """The first bytes of an error answer's body, decoded, for its challenge markers: what does
    not fit, or does not decode, is not read."""
    try:
        decoder = _BodyDecoder(response.headers.get("content-encoding", ""), _CHALLENGE_BYTES)
    except FetchError:
        return b""
    received = 0
    try:
        async for chunk in response.aiter_raw():
            received += len(chunk)
            decoder.feed(chunk)
            if received >= _CHALLENGE_BYTES:
                break
        return decoder.finish()
    except FetchError:
        return decoder.kept()


def _is_refusal(response: httpx.Response, head: bytes) -> bool:
    if response.status_code not in _REFUSAL_STATUSES:
        return False
    if response.headers.get("cf-mitigated", "").strip().lower() == "challenge":
        return True
    lowered = head.lower()
    return any(marker in lowered for marker in _CHALLENGE_MARKERS)


def _has_zlib_or_gzip_header(data: bytes) -> bool:
    # Servers disagree on what "deflate" means: RFC 9110 says zlib-wrapped, many send raw deflate.
    if data[:2] == b"\x1f\x8b":
        return True
    return data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


def _host_pools(limits: FetchLimits) -> HostPools | None:
    """A pool per host, unless the environment names a proxy (httpx's own transport then
    reads it: with a transport given, httpx ignores the environment's proxies)."""
    proxies = urllib.request.getproxies()
    if any(proxies.get(scheme) for scheme in ("http", "https", "all")):
        return None
    return HostPools(limits.per_host, KEPT_ALIVE_HOSTS)


def _web_url(url: str) -> httpx.URL:
    if not isinstance(url, str) or not is_web_url(url):
        shown = clean_line(url, 200)
        raise FetchError(reasons.NOT_A_WEB_ADDRESS, {"url": shown})
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        shown = clean_line(url, 200)
        raise FetchError(reasons.NOT_A_WEB_ADDRESS, {"url": shown})
    return parsed


async def _set_location_aside(response: httpx.Response) -> None:
    """Move a redirect's Location out of httpx's sight: redirects are followed by ``_follow``.

    Even with ``follow_redirects=False`` httpx parses Location to prepare the next request, and
    raises on targets such as ``javascript:alert(1)``, so the refusal would not be ours to word.
    """
    if response.status_code in _REDIRECT_STATUSES and "location" in response.headers:
        response.extensions[_LOCATION] = response.headers["location"]
        del response.headers["location"]


def _redirect_target(current: httpx.URL, location: str) -> httpx.URL:
    try:
        target = current.join(location.strip())
    except (httpx.InvalidURL, ValueError):
        target = None
    # is_web_url is the check every link passes: "http://127.1/" is no web address.
    if (
        target is None
        or target.scheme not in ("http", "https")
        or not target.host
        or not is_web_url(str(target))
    ):
        raise FetchError(reasons.REDIRECT_REFUSED, {"location": clean_line(location, 200)})
    return target


def _response(response: httpx.Response, content: bytes, validators: Validators) -> Response:
    headers: dict[str, str] = {}
    for name, value in response.headers.multi_items():
        name = name.lower()
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return Response(
        url=str(response.url),
        status=response.status_code,
        content=content,
        headers=headers,
        validators=validators,
        not_modified=response.status_code == 304,
    )


def _retry_after_seconds(value: str) -> float | None:
    """Retry-After as seconds from now: it is either a number of seconds or an HTTP date."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value) if len(value) < 12 else 1e11
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - time.time())
