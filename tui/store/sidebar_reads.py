"""The store's counts: each source's state, the three views' counts, the rubriques and the tags,
with the reader's marks still queued counted in (:class:`SidebarReads`, a part of
:class:`tui.store.Store`). The counting is :mod:`tui.store.counts`, imported with the first count:
the reader's first frame counts nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from tui.store.marks import READ, SAVED

if TYPE_CHECKING:
    from tui.store.counts import MarkChange, SidebarCounts, SourceState, TopicCount
    from tui.store.marks import MarkQueue

T = TypeVar("T")


class SidebarReads:
    """The counts' part of :class:`tui.store.Store`: what the sidebar and the palette show."""

    if TYPE_CHECKING:  # the Store's, which this class is part of
        _marks: MarkQueue | None

        def _read(self, reads: Callable[..., T], /, *args, **kwargs) -> T: ...

        def _pending(self, kind: str) -> dict[int, bool]: ...

    def sources(self, source_keys: Sequence[str] | None = None) -> list[SourceState]:
        """Each source's state, its unread count with the marks not written yet."""
        return self._sources(source_keys, self._mark_changes(source_keys))

    def view_counts(self, source_keys: Sequence[str] | None = None) -> dict[str, tuple[int, int]]:
        """(count, unread) for the views "all", "unread" and "saved", with the marks not written yet."""
        return self._view_counts(source_keys, self._mark_changes(source_keys))

    def rubriques(
        self, source_keys: Sequence[str] | None = None, limit: int | None = None, matching: str = ""
    ) -> list[TopicCount]:
        """Rubriques merged case- and accent-insensitively, the most frequent spelling shown;
        with ``limit`` the most used only, with ``matching`` those a search may find
        (:func:`tui.store.counts.rubriques`); their unread counts with the marks not written yet."""
        return self._rubriques(source_keys, limit, matching, self._mark_changes(source_keys))

    def sidebar_counts(
        self, source_keys: Sequence[str] | None = None, rubriques_limit: int | None = None
    ) -> SidebarCounts:
        """What the sidebar shows: :meth:`sources`, :meth:`view_counts` and :meth:`rubriques`
        (at most ``rubriques_limit``), the marks still queued read once for all three."""
        from tui.store.counts import SidebarCounts

        changes = self._mark_changes(source_keys)
        return SidebarCounts(
            self._sources(source_keys, changes),
            self._view_counts(source_keys, changes),
            self._rubriques(source_keys, rubriques_limit, "", changes),
        )

    def _mark_changes(self, source_keys: Sequence[str] | None) -> list[MarkChange]:
        if not self._marks:
            return []
        from tui.store import counts

        return self._read(counts.mark_changes, source_keys, self._pending(READ), self._pending(SAVED))

    def _sources(self, source_keys: Sequence[str] | None, changes: Sequence[MarkChange]) -> list[SourceState]:
        from tui.store import counts

        unread: dict[str, int] = {}
        for change in changes:
            unread[change.source_key] = unread.get(change.source_key, 0) + change.unread
        return self._read(counts.sources, source_keys, unread)

    def _view_counts(
        self, source_keys: Sequence[str] | None, changes: Sequence[MarkChange]
    ) -> dict[str, tuple[int, int]]:
        from tui.store import counts

        found = self._read(counts.view_counts, source_keys)
        if not changes:
            return found
        unread = sum(change.unread for change in changes)
        saved = sum(change.saved for change in changes)
        saved_unread = sum(change.saved_unread for change in changes)
        (total, all_unread), (saved_count, saved_unread_count) = found["all"], found["saved"]
        return {
            "all": (total, all_unread + unread),
            "unread": (all_unread + unread, all_unread + unread),
            "saved": (saved_count + saved, saved_unread_count + saved_unread),
        }

    def _rubriques(
        self,
        source_keys: Sequence[str] | None,
        limit: int | None,
        matching: str,
        changes: Sequence[MarkChange],
    ) -> list[TopicCount]:
        from tui.store import counts

        found = self._read(counts.rubriques, source_keys, limit, matching)
        unread: dict[str, int] = {}
        for change in changes:
            unread[change.rubrique_key] = unread.get(change.rubrique_key, 0) + change.unread
        if not any(unread.values()):
            return found
        return [replace(t, unread=t.unread + unread.get(t.topic.key, 0)) for t in found]

    def rubrique_count(self, source_keys: Sequence[str] | None = None) -> int:
        from tui.store import counts

        return self._read(counts.rubrique_count, source_keys)

    def tags(
        self, source_keys: Sequence[str] | None = None, limit: int | None = None, matching: str = ""
    ) -> list[TopicCount]:
        """Tags merged like rubriques, the most used first; with ``limit``, only that many;
        with ``matching``, as rubriques."""
        from tui.store import counts

        return self._read(counts.tags, source_keys, limit, matching)

    def tag_count(self, source_keys: Sequence[str] | None = None) -> int:
        from tui.store import counts

        return self._read(counts.tag_count, source_keys)
