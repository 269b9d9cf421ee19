"""What the article list shows: a topic read from the store a window at a time, or a fixed list
of row ids (search results).

The list knows how many rows there are and asks for the few it draws; it never holds the ids of
a whole topic (reading them all, at every start and every refresh, grew with the store:
BENCHMARKS.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from tui.store import ArticleRow, Store
from tui.topic import Topic


class TopicRows:
    """A topic's articles as they were when read; see :class:`tui.store.db.ListScope`."""

    def __init__(self, store: Store, topic: Topic, source_keys: Sequence[str] | None) -> None:
        self.store = store
        self.scope, self.count = store.open_list(topic, source_keys)

    def __len__(self) -> int:
        return self.count

    def window(self, start: int, stop: int) -> list[ArticleRow]:
        return self.store.list_rows(self.scope, start, stop - start) if stop > start else []

    def position(self, rowid: int) -> int | None:
        return self.store.list_position(self.scope, rowid)

    def first_unread(self, start: int) -> tuple[int, int] | None:
        return self.store.list_first_unread(self.scope, start)

    def rowids(self) -> list[int]:
        return self.store.list_rowids(self.scope)

    def keep(self, rowids: Sequence[int]) -> None:
        """Their marks changed: they keep their place until the list is read again."""
        if self.scope.topic.kind in ("unread", "saved"):
            self.scope = replace(self.scope, kept=self.scope.kept | frozenset(rowids))

    def mark_read(self) -> tuple[TopicRows | FixedRows, list[int]]:
        """Mark every row read; returns what shows the same rows afterwards, and the rows that
        were unread."""
        if self.scope.topic.kind == "unread":
            # Read, they would leave an unread list at once: it keeps them, by id, until the
            # list is read again.
            rows = FixedRows(self.store, self.rowids())
            return rows, self.store.queue_all_read(rows.ids)
        return self, self.store.queue_list_read(self.scope)


class FixedRows:
    """Rows given by their ids, in that order (search results: one query found them all)."""

    def __init__(self, store: Store, rowids: list[int]) -> None:
        self.store = store
        self.ids = rowids
        self._index: dict[int, int] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def window(self, start: int, stop: int) -> list[ArticleRow]:
        ids = self.ids[start:stop]
        found = self.store.rows(ids)
        return [found[rowid] for rowid in ids if rowid in found]

    def position(self, rowid: int) -> int | None:
        if self._index is None:
            self._index = {rowid: index for index, rowid in enumerate(self.ids)}
        return self._index.get(rowid)

    def first_unread(self, start: int) -> tuple[int, int] | None:
        for chunk_start in range(start, len(self.ids), 200):
            chunk = self.ids[chunk_start : chunk_start + 200]
            found = self.store.rows(chunk)
            for offset, rowid in enumerate(chunk):
                if rowid in found and not found[rowid].read:
                    return chunk_start + offset, rowid
        return None

    def rowids(self) -> list[int]:
        return list(self.ids)

    def keep(self, rowids: Sequence[int]) -> None:
        pass  # the ids are fixed: a mark never takes a row out

    def mark_read(self) -> tuple[FixedRows, list[int]]:
        return self, self.store.queue_all_read(self.ids)


ArticleRows = TopicRows | FixedRows
