from tui.store.db import ArticleRow, SourceState, Store, StoredArticle, StoreError, TopicCount
from tui.store.lock import FetchLock

__all__ = ["ArticleRow", "FetchLock", "SourceState", "Store", "StoredArticle", "StoreError", "TopicCount"]
