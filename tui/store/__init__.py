from tui.store.db import (
    ArticleRow,
    RefreshState,
    SourceState,
    SourceStatus,
    Store,
    StoredArticle,
    StoreError,
    TopicCount,
)
from tui.store.lock import FetchLock

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
