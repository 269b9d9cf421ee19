"""What the HTTP client hands back: a successful :class:`Response` and the :class:`Validators` a
caller stores for its next conditional GET. Headers and bodies are untrusted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

_MAX_VALIDATOR_LENGTH = 1024


@dataclass(frozen=True)
class Validators:
    """What a server said identifies the version it sent: sent back to ask "has it changed?"."""

    etag: str = ""
    last_modified: str = ""

    def __bool__(self) -> bool:
        return bool(self.etag or self.last_modified)

    def request_headers(self) -> dict[str, str]:
        headers = {}
        if _header_safe(self.etag):
            headers["If-None-Match"] = self.etag
        if _header_safe(self.last_modified):
            headers["If-Modified-Since"] = self.last_modified
        return headers

    @classmethod
    def from_headers(cls, headers: httpx.Headers, previous: Validators | None = None) -> Validators:
        """The validators of an answer; on a 304 those the server did not resend are kept."""
        etag = headers.get("etag", "")
        last_modified = headers.get("last-modified", "")
        if previous is not None:
            etag = etag or previous.etag
            last_modified = last_modified or previous.last_modified
        return cls(
            etag if _header_safe(etag) else "",
            last_modified if _header_safe(last_modified) else "",
        )


@dataclass
class Response:
    """A successful answer (2xx, or 304 when ``not_modified``). Headers and body are untrusted."""

    url: str  # the final URL, after redirects
    status: int
    content: bytes  # gzip/deflate already undone; b"" on 304
    headers: dict[str, str]  # names in lower case; repeated headers joined with ", "
    validators: Validators
    not_modified: bool = False

    @property
    def content_type(self) -> str:
        """The media type alone, in lower case: ``application/rss+xml``; "" if none was sent."""
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str:
        """The charset the server declared (``utf-8``, ``iso-8859-1``), in lower case, or ""."""
        for param in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset":
                return value.strip().strip("\"'").lower()
        return ""


def _header_safe(value: str) -> bool:
    return bool(value) and len(value) <= _MAX_VALIDATOR_LENGTH and value.isprintable() and value.isascii()
