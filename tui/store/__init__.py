from tui.store.db import ArticleRow, SourceState, Store, StoredArticle, StoreError, TopicCount

__all__ = ["ArticleRow", "SourceState", "Store", "StoredArticle", "StoreError", "TopicCount"]
