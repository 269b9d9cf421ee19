"""The caps every HTTP request runs under: the one place their defaults are written.

Kept apart from :mod:`tui.net.http` so that the configuration can build on them without
importing httpx (the app's start-up never needs it).
"""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class FetchLimits:
    """The caps every request runs under. Times are in seconds."""

    connect_timeout: float = 10.0
    read_timeout: float = 20.0  # between two reads
    deadline: float = 60.0  # one request from its first byte sent, redirects, retry and body included
    max_bytes: int = 8 * MIB  # body size after decompression (and before)
    max_redirects: int = 5
    concurrency: int = 8  # requests in flight overall
    per_host: int = 2  # requests in flight to one host
    retry_after_max: float = 60.0  # a longer Retry-After fails the request with ``retry_after`` set

    def __post_init__(self) -> None:
        if min(self.concurrency, self.per_host, self.max_bytes) < 1 or self.max_redirects < 0:
            raise ValueError("concurrency, per_host and max_bytes must be at least 1")
        if min(self.connect_timeout, self.read_timeout, self.deadline) <= 0:
            raise ValueError("timeouts and deadline must be positive")
