from typing import TYPE_CHECKING

from tui.store.db import ArticleRow, SourceStatus, Store, StoredArticle, StoreError
from tui.store.lock import FetchLock

if TYPE_CHECKING:
    from tui.store.counts import RefreshState, SourceState, TopicCount

__all__ = [
    "ArticleRow",
    "FetchLock",
    "RefreshState",
    "SourceState",
    "SourceStatus",
    "Store",
    "StoredArticle",
    "StoreError",
    "TopicCount",
]

# The counts' rows come from tui.store.counts when first asked for: the reader's first frame
# counts nothing, and that module is left for after it (tui.store.db).
_FROM_COUNTS = {"RefreshState", "SourceState", "TopicCount"}


def __getattr__(name: str):
    if name in _FROM_COUNTS:
        from tui.store import counts

        return getattr(counts, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
