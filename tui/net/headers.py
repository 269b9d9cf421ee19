"""The request headers a source may set in the configuration, and which of them are secrets.

A site that turns automated readers away may let one in with the user's own browser cookie or
a token; those values are the user's credentials, so they are never shown back (``config
show``, logs, error sentences, OPML export). Headers that would change what the HTTP client
itself guarantees are refused: ``Accept-Encoding`` (a br/zstd answer gets around the bounded
decompressor) and ``Host`` (a request for one URL sent to another site).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

# Lower case -> the spelling sent.
ALLOWED_HEADERS = {
    "user-agent": "User-Agent",
    "cookie": "Cookie",
    "accept": "Accept",
    "accept-language": "Accept-Language",
    "referer": "Referer",
    "authorization": "Authorization",
}
SECRET_HEADERS = frozenset({"cookie", "authorization"})
HIDDEN = "(hidden)"
MAX_VALUE_LENGTH = 8192


class HeaderError(ValueError):
    """A header a source may not set; ``str()`` is one sentence that never quotes a value."""


def source_headers(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """The headers of a source's configuration, checked and spelled as sent, in a stable order.

    Raises :class:`HeaderError` for a name that is not allowed, a value that is not a string, or
    a value that would break the request (a line break, a control character, too long).
    """
    items = headers.items() if isinstance(headers, Mapping) else headers
    checked: dict[str, str] = {}
    for name, value in items:
        key = str(name).strip().lower()
        if key not in ALLOWED_HEADERS:
            allowed = ", ".join(ALLOWED_HEADERS.values())
            raise HeaderError(f"{_shown_name(name)} cannot be set (allowed: {allowed})")
        if not isinstance(value, str):
            raise HeaderError(f"{ALLOWED_HEADERS[key]} must be a string")
        if "\n" in value or "\r" in value:
            raise HeaderError(f"{ALLOWED_HEADERS[key]} must fit on one line")
        if not value.isascii() or not value.isprintable() or len(value) > MAX_VALUE_LENGTH:
            raise HeaderError(
                f"{ALLOWED_HEADERS[key]} must be printable ASCII of at most {MAX_VALUE_LENGTH} characters"
            )
        checked[ALLOWED_HEADERS[key]] = value.strip()
    return tuple(sorted(checked.items()))


def shown_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The headers as they may be displayed: secrets replaced by ``(hidden)``."""
    return {name: HIDDEN if name.lower() in SECRET_HEADERS else value for name, value in headers}


def _shown_name(name: object) -> str:
    text = str(name)
    safe = "".join(c for c in text[:60] if c.isascii() and c.isprintable())
    return repr(safe)
