"""What the reader's keys do to one article, as a part of the reader screen: the open article
when it has the focus, else the highlighted one. Read and saved marks (queued to the store and
shown at once), `A` marking the whole list read and `u` taking it back, the link copied or
opened in the browser."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.store import ArticleRow
from tui.ui.screens.reader_panes import ReaderPanes


class ArticleMarks(ReaderPanes):
    if TYPE_CHECKING:  # the reader screen's

        def update_counts(self) -> None: ...

    def __init__(self) -> None:
        super().__init__()
        self._undo_read: list[int] = []  # what the last `A` marked read, for `u`

    def _target(self) -> int | None:
        if self.focused is self.article_view and self.open_article:
            return self.open_article.rowid
        return self.article_list.highlighted

    def _toggle(self, mark: Callable[[int, ArticleRow], None]) -> None:
        """Mark the target article by what it is now (read or not, saved or not), at once."""
        rowid = self._target()
        if rowid is None:
            self.notify(self.t("notice.list_empty"), markup=False)
            return
        row = self.store.rows([rowid]).get(rowid)
        if row is not None:
            mark(rowid, row)
            self.article_list.forget_rows([rowid])
            self.update_counts()

    def action_toggle_read(self) -> None:
        self._toggle(lambda rowid, row: self.store.queue_read([rowid], not row.read))

    def action_toggle_saved(self) -> None:
        self._toggle(lambda rowid, row: self.store.queue_saved(rowid, not row.saved))

    def action_mark_all_read(self) -> None:
        if not self.article_list.count:
            self.notify(self.t("notice.nothing_to_mark"), markup=False)
            return
        rows, changed = self.article_list.source.mark_read()
        self.article_list.replace_rows(rows)
        self.update_counts()
        self._undo_read = changed
        if changed:
            self.notify(self.t("notice.marked_read", count=len(changed)), markup=False, timeout=10)
        else:
            self.notify(self.t("notice.all_read_already"), markup=False)

    def action_undo(self) -> None:
        """Take back the last `A`: the articles it marked read are unread again."""
        if not self._undo_read:
            self.notify(self.t("notice.nothing_to_undo"), markup=False)
            return
        rowids, self._undo_read = self._undo_read, []
        self.store.queue_read(rowids, False)
        self.article_list.forget_rows()
        self.update_counts()
        self.notify(self.t("notice.unmarked", count=len(rowids)), markup=False)

    def _target_url(self) -> str:
        # A picture under the mouse pointer in the open article is a link like any other.
        picture = self.article_view.picture_at_pointer() if self.reading else None
        if picture is not None:
            return picture.url
        rowid = self._target()
        stored = self.store.article(rowid) if rowid is not None else None
        return stored.article.url if stored else ""

    def action_copy_link(self) -> None:
        url = self._target_url()
        if not url:
            self.notify(self.t("notice.no_link"), markup=False)
            return
        self.app.copy_to_clipboard(url)
        self.notify(self.t("notice.copied", url=url), markup=False)

    def action_open_link(self) -> None:
        url = self._target_url()
        if not url:
            self.notify(self.t("notice.no_link"), markup=False)
            return
        self.app.open_in_browser(url)  # type: ignore[attr-defined]
