"""Finding words in the open article (the find bar, ctrl+f) and searching every article (the
search box, `/`), as parts of the reader screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Input

from tui.topic import ALL, Topic
from tui.ui.keys import translate_bindings
from tui.ui.screens.reader_panes import ReaderPanes
from tui.ui.widgets.key_hints import KeyHints

if TYPE_CHECKING:  # the find bar comes with the first ctrl+f, and its module with it
    from tui.ui.widgets.find_bar import FindBar


class FindAndSearch(ReaderPanes):
    if TYPE_CHECKING:  # the reader screen's

        def show_topic(self, topic: Topic) -> None: ...
        def leave_article(self, *, keep_place: bool = False) -> None: ...

    def __init__(self) -> None:
        super().__init__()
        self._topic_before_search: Topic = ALL  # where Escape leaves the search's results for

    # -- find in the article ----------------------------------------------------------------------

    async def action_find(self) -> None:
        if not self.reading or self.open_article is None:
            self.notify(self.t("notice.find_needs_article"), markup=False)
            return
        bar = await self._find_bar()
        bar.remove_class("hidden")
        bar.focus()

    async def _find_bar(self) -> FindBar:
        """The find bar, mounted the first time it is asked for: the first frame does without it."""
        from tui.ui.widgets.find_bar import FindBar

        for bar in self.query(FindBar):
            return bar
        bar = FindBar(placeholder=self.t("find.placeholder"), id="find", classes="hidden")
        translate_bindings(self.t.language, bar)
        await self.mount(bar, before=self.query_one(KeyHints))
        return bar

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "find":
            self.article_view.find(event.value)
            self._show_find_count(event.value)

    def _show_find_count(self, query: str) -> None:
        """ "3/12" or "Aucun résultat" on the find bar's top border: seen at every width (the list's
        title line is hidden at 80 columns)."""
        view = self.article_view
        if not query.strip():
            count = ""
        elif view.matches:
            count = self.t("find.count", current=view.current_match + 1, count=len(view.matches))
        else:
            count = self.t("find.none")
        self.query_one("#find", Input).border_title = Text(count)

    def on_find_bar_step(self, event: FindBar.Step) -> None:
        self.article_view.find_next(event.step)
        self._show_find_count(self.query_one("#find", Input).value)

    def on_find_bar_closed(self) -> None:
        bar = self.query_one("#find", Input)
        bar.add_class("hidden")
        bar.border_title = ""
        self.article_view.focus()

    # -- search -----------------------------------------------------------------------------------

    async def action_search(self) -> None:
        box = await self._search_box()
        self.leave_article()
        box.remove_class("hidden")
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "search":
            return
        query = event.value.strip()
        box = self.query_one("#search", Input)
        box.add_class("hidden")
        if query:
            self.show_topic(Topic("search", query, query))
        self.article_list.focus()

    async def _search_box(self) -> Input:
        """The search box, mounted the first time it is asked for: the first frame does without it."""
        for box in self.query("#search").results(Input):
            return box
        box = Input(placeholder=self.t("search.placeholder"), id="search", classes="hidden")
        translate_bindings(self.t.language, box)
        await self.query_one("#list-pane").mount(box, before=self.article_list)
        return box

    def _close_search(self) -> bool:
        box = next(iter(self.query("#search").results(Input)), None)
        if box is not None and not box.has_class("hidden"):
            box.add_class("hidden")
            box.value = ""
            self.article_list.focus()
            return True
        if self.topic.kind == "search":
            self.show_topic(self._topic_before_search)
            return True
        return False
