from typing import TYPE_CHECKING

from tui.store.db import ArticleRow, Store, StoreError
from tui.store.lock import FetchLock

if TYPE_CHECKING:
    from tui.store.articles import StoredArticle
    from tui.store.counts import RefreshState, SourceState, TopicCount
    from tui.store.writes import SourceStatus

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

# These come from their modules when first asked for: the reader's first frame opens, counts and
# writes nothing, and those modules are left for after it (tui.store.db).
_LATER = {
    "RefreshState": "tui.store.counts",
    "SourceState": "tui.store.counts",
    "TopicCount": "tui.store.counts",
    "StoredArticle": "tui.store.articles",
    "SourceStatus": "tui.store.writes",
}


def __getattr__(name: str):
    if name in _LATER:
        from importlib import import_module

        return getattr(import_module(_LATER[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
