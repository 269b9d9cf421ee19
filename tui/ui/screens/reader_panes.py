"""The reader's three panes (sidebar, article list, article) and how the width lays them out.

:class:`ReaderPanes` is the base of every part of the reader screen: it holds the panes, the
layout and the state the parts share (the store, the sources, the language, the topic shown,
the open article), which :class:`~tui.ui.screens.reader.ReaderScreen` sets.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from tui.store import Store
from tui.topic import Topic
from tui.ui.parts import ScreenPart
from tui.ui.strings import Translator
from tui.ui.widgets.article_list import ArticleList
from tui.ui.widgets.article_view import ArticleView
from tui.ui.widgets.sidebar import SidebarPane

if TYPE_CHECKING:  # opened articles come after the first frame, and their module with them
    from tui.store.articles import StoredArticle

# Below this many columns the article takes the list's place instead of sitting beside it.
WIDE_LAYOUT_COLUMNS = 110
# Beside an open article, the sidebar folds unless the list keeps this many columns. The widths
# are those of the stylesheet (styles/app.tcss): the sidebar's, and the article pane's share.
LIST_KEEPS = 60
SIDEBAR_COLUMNS = 26
ARTICLE_SHARE, ARTICLE_MIN, ARTICLE_MAX = 0.5, 64, 100
# The panes the stylesheet's rules on the screen's classes (reading, narrow, no-sidebar) style:
# only these are styled again when the classes change (tests/test_reading_layout.py checks it).
LAID_OUT_PANES = ("#sidebar", "#list-pane", "#article-view")


def width_class(width: int) -> str:
    """The layouts a width gives: the article in the list's place, beside the list with the
    sidebar folded, or beside both. `b` is remembered for each (for this session only)."""
    if width < WIDE_LAYOUT_COLUMNS:
        return "narrow"
    article = min(ARTICLE_MAX, max(ARTICLE_MIN, int(width * ARTICLE_SHARE)))
    return "folding" if width - SIDEBAR_COLUMNS - article < LIST_KEEPS else "wide"


class ReaderPanes(ScreenPart):
    store: Store
    source_keys: list[str]
    t: Translator
    clock: Callable[[], datetime]
    offline: bool
    topic: Topic
    open_article: StoredArticle | None

    def __init__(self) -> None:
        super().__init__()
        # `b` pressed in a width class: the sidebar shown (True) or hidden there, this session.
        self._sidebar_choice: dict[str, bool] = {}

    @property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def article_view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def sidebar(self) -> SidebarPane:
        """The sidebar's pane (its tree, :attr:`SidebarPane.topics`, comes after the first frame)."""
        return self.query_one(SidebarPane)

    def on_resize(self) -> None:
        self._layout()
        if self.narrow and self.reading and self.focused is not self.article_view:
            self.article_view.focus()  # the article now fills the screen: keys go to it

    def _layout(self, changed: bool = False) -> None:
        """Fit the panes to the width: the list in the article's place until one is open, then
        the sidebar folding first; the user's `b` for this width class wins over the default.

        ``changed``: the caller changed the screen's classes without styling it again (opening
        or leaving an article). The panes those classes style are styled again once here, not
        once per class, and not the whole screen's tree (its other widgets cost as much
        again)."""
        kind = width_class(self.size.width)
        before = set(self.classes)
        self.set_class(kind == "narrow", "narrow", update=False)
        default = not (self.reading and kind == "folding")
        self.set_class(not self._sidebar_choice.get(kind, default), "no-sidebar", update=False)
        if changed or set(self.classes) != before:
            panes = [self.query_one(selector) for selector in LAID_OUT_PANES]
            self.app.stylesheet.update_nodes(panes, animate=True)
        if not self.sidebar_shown and self.sidebar.has_focus_within:
            self.article_list.focus()

    @property
    def sidebar_shown(self) -> bool:
        return not self.has_class("no-sidebar") and not (self.narrow and self.reading)

    @property
    def narrow(self) -> bool:
        return self.has_class("narrow")

    @property
    def reading(self) -> bool:
        return self.has_class("reading")

    def action_toggle_sidebar(self) -> None:
        if self.narrow and self.reading:
            self.notify(self.t("notice.no_room_sidebar"), markup=False)
            return
        self._sidebar_choice[width_class(self.size.width)] = not self.sidebar_shown
        self._layout()
