"""How long a source that turned the reader away waits before it is asked again.

A site that refuses automated readers (or says "too many requests") is not asked again at the
next background refresh: the wait starts at the refresh interval and doubles at each refusal in
a row, up to six hours, and is never shorter than the server's own ``Retry-After``. A success
ends it. Asking on purpose (``r`` in the reader, ``fetch SOURCE``) does not wait.
"""

from __future__ import annotations

from tui.net.http import REFUSED_BY_SITE, FetchError

MAX_BACKOFF = 6 * 3600.0  # seconds
# A Retry-After beyond this is a server's mistake or a wall, not a plan: a day is long enough.
MAX_RETRY_AFTER = 24 * 3600.0
DEFAULT_INTERVAL = 30 * 60.0  # when the reader does not refresh on its own


def next_wait(previous: float, error: FetchError, interval: float, now: float) -> tuple[float, float | None]:
    """(backoff, retry_at) after ``error``: the backoff to double next time and the time before
    which the source is not asked again (None: no wait)."""
    retry_after = min(error.retry_after, MAX_RETRY_AFTER) if error.retry_after else 0.0
    if error.reason == REFUSED_BY_SITE or error.status == 429:
        start = interval if interval > 0 else DEFAULT_INTERVAL
        backoff = min(max(start, 2 * previous), MAX_BACKOFF)
        return backoff, now + max(backoff, retry_after)
    return 0.0, (now + retry_after if retry_after else None)
