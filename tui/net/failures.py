"""Why a request gave no usable answer: :class:`FetchError`, a reason code and its parameters
(:mod:`tui.reasons`, which words them in English for the log and the command line, and in the
reader's language). :mod:`tui.net.http` raises them; this module tells which from what happened.
"""

from __future__ import annotations

import errno
import socket
import ssl
from collections.abc import Mapping

import httpx

from tui import reasons
from tui.net.limits import FetchLimits
from tui.reasons import REFUSED_BY_SITE
from tui.sanitize import clean_line


class FetchError(Exception):
    """A request that gave no usable answer. ``str()`` is one English sentence, safe to display,
    worded from ``reason`` (the failure's code, :mod:`tui.reasons`) and ``params`` (the values it
    is made of), which the UI words again in its language.

    ``status`` is the HTTP status when the server answered; ``transient`` is True when trying
    again later may work (timeouts, cut connections, 5xx, 429). ``retry_after`` is the wait, in
    seconds, the server asked for in its last answer; when it is longer than
    ``FetchLimits.retry_after_max`` the request was not retried and the caller should wait that
    long (until its next refresh) before asking again.
    """

    def __init__(
        self,
        reason: str,
        params: Mapping[str, object] | None = None,
        *,
        url: str = "",
        status: int | None = None,
        transient: bool = False,
        retry_after: float | None = None,
    ) -> None:
        self.reason = reason
        self.params = dict(params or {})
        super().__init__(reasons.sentence(reason, self.params))
        self.url = url
        self.status = status
        self.transient = transient
        self.retry_after = retry_after

    @property
    def stored_reason(self) -> str:
        """The reason as the store keeps it (:func:`tui.reasons.encode`)."""
        return reasons.encode(self.reason, **self.params)


def status_error(
    status: int, retry_after: float | None, retry_after_max: float, *, refused: bool
) -> FetchError:
    """An answer with an error status; ``refused``: a page that turns automated readers away."""
    if refused:
        # Asking again at once would only be refused again, and looks like what it fights.
        return FetchError(REFUSED_BY_SITE, {"status": status}, status=status, retry_after=retry_after)
    params: dict[str, object] = {"status": status}
    if retry_after is not None and retry_after > retry_after_max:
        params["wait"] = duration_text(retry_after)
    return FetchError(
        STATUS_REASONS.get(status, reasons.SERVER_ERROR if status >= 500 else reasons.HTTP_STATUS),
        params,
        status=status,
        transient=status == 429 or status >= 500,
        retry_after=retry_after,
    )


def transport_error(exc: httpx.HTTPError, host: str, limits: FetchLimits) -> FetchError:
    """A request that got no answer, worded from httpx's exception."""
    where = {"host": host}
    if isinstance(exc, httpx.ConnectTimeout):
        seconds = f"{limits.connect_timeout:g}"
        return FetchError(reasons.CONNECT_TIMEOUT, {**where, "seconds": seconds}, transient=True)
    if isinstance(exc, httpx.ReadTimeout):
        return FetchError(reasons.READ_TIMEOUT, {"seconds": f"{limits.read_timeout:g}"}, transient=True)
    if isinstance(exc, httpx.TimeoutException):
        return FetchError(reasons.TIMEOUT, where, transient=True)
    if isinstance(exc, httpx.ProxyError):
        return FetchError(reasons.PROXY_REFUSED, transient=True)
    if isinstance(exc, httpx.ConnectError):
        return connect_error(exc, host)
    if isinstance(exc, httpx.RemoteProtocolError):
        return FetchError(reasons.INCOMPLETE_ANSWER, transient=True)
    if isinstance(exc, httpx.NetworkError):
        return FetchError(reasons.CONNECTION_CUT, where, transient=True)
    if isinstance(exc, httpx.LocalProtocolError):
        return FetchError(reasons.INVALID_HEADER)
    return FetchError(reasons.REQUEST_FAILED, {**where, "error": type(exc).__name__})


def connect_error(exc: httpx.ConnectError, host: str) -> FetchError:
    cause = root_cause(exc)
    where = {"host": host}
    if isinstance(cause, socket.gaierror):
        # EAI_AGAIN is a resolver that did not answer in time; anything else will not change soon.
        return FetchError(reasons.NAME_NOT_RESOLVED, where, transient=cause.errno == socket.EAI_AGAIN)
    if isinstance(cause, ConnectionRefusedError):
        return FetchError(reasons.CONNECTION_REFUSED, where, transient=True)
    if isinstance(cause, ssl.SSLCertVerificationError):
        detail = clean_line(cause.verify_message or "", 120)
        return FetchError(reasons.CERTIFICATE_INVALID, {**where, "detail": detail})
    if isinstance(cause, ssl.SSLError):
        return FetchError(reasons.TLS_FAILED, where)
    if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return FetchError(reasons.UNREACHABLE, where, transient=True)
    return FetchError(reasons.CONNECT_FAILED, where, transient=True)


def root_cause(exc: BaseException) -> BaseException:
    seen = {id(exc)}
    while True:
        nxt = exc.__cause__ or exc.__context__
        if nxt is None or id(nxt) in seen:
            return exc
        seen.add(id(nxt))
        exc = nxt


def too_large(cap: int) -> FetchError:
    """A body larger than the cap (after decompression)."""
    return FetchError(reasons.TOO_LARGE, {"size": size_text(cap)})


STATUS_REASONS = {
    401: reasons.UNAUTHORIZED,
    403: reasons.FORBIDDEN,
    404: reasons.NOT_FOUND,
    410: reasons.GONE,
    429: reasons.TOO_MANY_REQUESTS,
}


def size_text(n: int) -> str:
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= factor and n % factor == 0:
            return f"{n // factor} {unit}"
    return f"{n} bytes"


def duration_text(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} days"
