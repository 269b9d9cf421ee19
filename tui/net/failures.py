"""Why a request gave no usable answer: :class:`FetchError`, worded in English for the log and
the command line, with its reason code and parameters (:mod:`tui.reasons`) for the reader to word
in its language. :mod:`tui.net.http` raises them; this module only words them.
"""

from __future__ import annotations

import errno
import socket
import ssl
from collections.abc import Mapping
from http import HTTPStatus

import httpx

from tui import reasons
from tui.net.limits import FetchLimits
from tui.reasons import REFUSED_BY_SITE
from tui.sanitize import clean_line


class FetchError(Exception):
    """A request that gave no usable answer. ``str()`` is one English sentence, safe to display.

    ``status`` is the HTTP status when the server answered; ``transient`` is True when trying
    again later may work (timeouts, cut connections, 5xx, 429). ``retry_after`` is the wait, in
    seconds, the server asked for in its last answer; when it is longer than
    ``FetchLimits.retry_after_max`` the request was not retried and the caller should wait that
    long (until its next refresh) before asking again. ``reason`` is the failure's code
    (:mod:`tui.reasons`) and ``params`` the values the sentence was made of, for the UI to word
    the failure in its language.
    """

    def __init__(
        self,
        message: str,
        *,
        url: str = "",
        status: int | None = None,
        transient: bool = False,
        retry_after: float | None = None,
        reason: str = "",
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.url = url
        self.status = status
        self.transient = transient
        self.retry_after = retry_after
        self.reason = reason
        self.params = dict(params or {})

    @property
    def stored_reason(self) -> str:
        """The reason as the store keeps it (:func:`tui.reasons.encode`)."""
        return reasons.encode(self.reason, **self.params) if self.reason else ""


def status_error(
    status: int, retry_after: float | None, retry_after_max: float, *, refused: bool
) -> FetchError:
    """An answer with an error status; ``refused``: a page that turns automated readers away."""
    if refused:
        # Asking again at once would only be refused again, and looks like what it fights.
        return FetchError(
            f"the site refuses automated readers (HTTP {status})",
            status=status,
            retry_after=retry_after,
            reason=REFUSED_BY_SITE,
            params={"status": status},
        )
    try:
        phrase = " " + HTTPStatus(status).phrase
    except ValueError:
        phrase = ""  # the server's own reason phrase is not worth showing
    message = f"the server answered {status}{phrase}"
    transient = status == 429 or status >= 500
    params: dict[str, object] = {"status": status}
    if retry_after is not None and retry_after > retry_after_max:
        message += f" and asked to wait {duration_text(retry_after)}"
        params["wait"] = duration_text(retry_after)
    return FetchError(
        message,
        status=status,
        transient=transient,
        retry_after=retry_after,
        reason=STATUS_REASONS.get(status, reasons.SERVER_ERROR if status >= 500 else reasons.HTTP_STATUS),
        params=params,
    )


def transport_error(exc: httpx.HTTPError, host: str, limits: FetchLimits) -> FetchError:
    """A request that got no answer, worded from httpx's exception."""
    if isinstance(exc, httpx.ConnectTimeout):
        return FetchError(
            f"no connection to {host} within {limits.connect_timeout:g} s",
            transient=True,
            reason=reasons.CONNECT_TIMEOUT,
            params={"host": host, "seconds": f"{limits.connect_timeout:g}"},
        )
    if isinstance(exc, httpx.ReadTimeout):
        return FetchError(
            f"the server sent nothing for {limits.read_timeout:g} s",
            transient=True,
            reason=reasons.READ_TIMEOUT,
            params={"seconds": f"{limits.read_timeout:g}"},
        )
    if isinstance(exc, httpx.TimeoutException):
        return FetchError(
            f"the request to {host} timed out",
            transient=True,
            reason=reasons.TIMEOUT,
            params={"host": host},
        )
    if isinstance(exc, httpx.ProxyError):
        return FetchError("the proxy refused the request", transient=True, reason=reasons.PROXY_REFUSED)
    if isinstance(exc, httpx.ConnectError):
        return connect_error(exc, host)
    if isinstance(exc, httpx.RemoteProtocolError):
        return FetchError(
            "the server closed the connection before the answer was complete",
            transient=True,
            reason=reasons.INCOMPLETE_ANSWER,
        )
    if isinstance(exc, httpx.NetworkError):
        return FetchError(
            f"the connection to {host} was cut",
            transient=True,
            reason=reasons.CONNECTION_CUT,
            params={"host": host},
        )
    if isinstance(exc, httpx.LocalProtocolError):
        return FetchError("the request could not be sent (invalid header)", reason=reasons.INVALID_HEADER)
    return FetchError(
        f"the request to {host} failed ({type(exc).__name__})",
        reason=reasons.REQUEST_FAILED,
        params={"host": host, "error": type(exc).__name__},
    )


def connect_error(exc: httpx.ConnectError, host: str) -> FetchError:
    cause = root_cause(exc)
    if isinstance(cause, socket.gaierror):
        # EAI_AGAIN is a resolver that did not answer in time; anything else will not change soon.
        return FetchError(
            f"name not resolved ({host})",
            transient=cause.errno == socket.EAI_AGAIN,
            reason=reasons.NAME_NOT_RESOLVED,
            params={"host": host},
        )
    where = {"host": host}
    if isinstance(cause, ConnectionRefusedError):
        return FetchError(
            f"connection refused by {host}", transient=True, reason=reasons.CONNECTION_REFUSED, params=where
        )
    if isinstance(cause, ssl.SSLCertVerificationError):
        detail = clean_line(cause.verify_message or "", 120)
        return FetchError(
            f"the certificate of {host} is not valid" + (f" ({detail})" if detail else ""),
            reason=reasons.CERTIFICATE_INVALID,
            params={"host": host, "detail": detail},
        )
    if isinstance(cause, ssl.SSLError):
        return FetchError(f"the secure connection to {host} failed", reason=reasons.TLS_FAILED, params=where)
    if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return FetchError(
            f"{host} is unreachable (no network?)", transient=True, reason=reasons.UNREACHABLE, params=where
        )
    return FetchError(
        f"could not connect to {host}", transient=True, reason=reasons.CONNECT_FAILED, params=where
    )


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
    return FetchError(
        f"the response exceeded {size_text(cap)}", reason=reasons.TOO_LARGE, params={"size": size_text(cap)}
    )


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
