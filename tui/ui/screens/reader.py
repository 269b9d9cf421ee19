"""The reader: sidebar, article list and article view, and the wiring between them.

Widgets post messages up; this screen answers them by calling methods on its children and on
the store. Nothing here fetches or parses: live loads are asked of the app, which runs them in
workers. This module holds the screen's composition, what it reads from the store (the list, the
sidebar's counts, the title), opening articles and stepping through them; its other parts are
mixed in: the panes and their layout (:mod:`.reader_panes`), following links
(:mod:`.reader_links`), find and search (:mod:`.reader_find`), marks (:mod:`.reader_marks`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import Reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from tui.sanitize import is_web_url
from tui.store import Store
from tui.topic import ALL, Topic
from tui.ui.article_rows import ArticleRows, FixedRows, TopicRows
from tui.ui.errors import ErrorBoundary, report_error
from tui.ui.keys import translate_bindings
from tui.ui.reasons import notice_text, source_status
from tui.ui.screens.reader_find import FindAndSearch
from tui.ui.screens.reader_links import LinkFollowing
from tui.ui.screens.reader_marks import ArticleMarks
from tui.ui.strings import Translator
from tui.ui.widgets.article_list import ArticleList
from tui.ui.widgets.article_view import ArticleView
from tui.ui.widgets.key_hints import KeyHints
from tui.ui.widgets.sidebar import Sidebar, SidebarPane

if TYPE_CHECKING:  # the counts and the articles come after the first frame, and their modules
    from tui.store.articles import StoredArticle
    from tui.store.counts import SidebarCounts

# The sidebar lists this many tags, the most used first; the others are a search away.
TAGS_SHOWN = 300
# The sidebar's rubriques and the palette's topics of each kind: the most used (there can be
# hundreds of thousands; the palette searches the rest as the user types).
RUBRIQUES_SHOWN = 500
PALETTE_TOPICS = 200

# During a refresh, the list is read again at most this often (seconds), and the sidebar's
# counts (a count of every source's articles) at most every
# PROGRESS_COUNTS_SECONDS; both once more when it ends.
PROGRESS_UPDATE_SECONDS = 0.5
PROGRESS_COUNTS_SECONDS = 2.0

#: The workers' group of the sidebar's recounts.
COUNTS_WORKERS = "sidebar-counts"
# The longest the counts wait for the frame being prepared (see ReaderScreen._count).
FRAME_WAIT_SECONDS = 0.5


class ReaderScreen(ErrorBoundary, LinkFollowing, FindAndSearch, ArticleMarks, Screen[None]):
    BINDINGS = [
        Binding("tab", "app.focus_next", "Panneau suivant", show=False, id="reader.focus_next"),
        Binding(
            "shift+tab", "app.focus_previous", "Panneau précédent", show=False, id="reader.focus_previous"
        ),
        Binding("escape", "back", "Retour", id="reader.back"),
        Binding("backspace,alt+left", "history_back", "Lien précédent", show=False, id="reader.history_back"),
        Binding("n", "next_article", "Suivant", id="reader.next"),
        Binding("p", "previous_article", "Précédent", id="reader.previous"),
        Binding("N", "next_unread", "Non lu suivant", show=False, id="reader.next_unread"),
        Binding("l", "links", "Liens", id="reader.links"),
        Binding("slash", "search", "Chercher", id="reader.search"),
        Binding("m", "toggle_read", "Lu", show=False, id="reader.toggle_read"),
        Binding("A", "mark_all_read", "Tout lu", show=False, id="reader.mark_all_read"),
        Binding("u", "undo", "Annuler « Tout lu »", show=False, id="reader.undo"),
        Binding("s", "toggle_saved", "Sauver", show=False, id="reader.toggle_saved"),
        Binding("y", "copy_link", "Copier", show=False, id="reader.copy_link"),
        Binding("ctrl+f", "find", "Trouver", show=False, id="reader.find"),
        Binding("b", "toggle_sidebar", "Panneau", show=False, id="reader.toggle_sidebar"),
        Binding("o", "open_link", "Navigateur", show=False, id="reader.open_link"),
    ]

    # A Screen draws itself whole, every widget again, when the focus moves: the widgets that
    # gain or lose it, and their containers, are restyled and draw themselves again anyway.
    # Whole, the list's frame at each topic chosen drew the sidebar too, which loses the focus
    # only after that frame (its Blur comes in a message), and is drawn again in the next.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def __init__(
        self,
        store: Store,
        source_keys: list[str],
        translate: Translator,
        clock: Callable[[], datetime],
        *,
        offline: bool = False,
    ) -> None:
        super().__init__()
        self.offline = offline
        self.store = store
        self.source_keys = source_keys
        self.t = translate
        self.clock = clock
        self.topic: Topic = ALL
        self.open_article: StoredArticle | None = None
        self._status = ""
        self._built = False  # children composed and mounted: safe to update them
        self._counts_asked = 0  # recounts asked for so far
        self._counting = False  # a recount is waiting for its frame, reading, or showing
        self._progress_timer: Timer | None = None  # a refresh's next update of the list and counts, if due
        self._counts_read_at = float("-inf")  # time.monotonic() of the sidebar's last recount
        self._shown_counts: tuple | None = None  # what the sidebar was last built from
        self._statuses: dict[str, str] = {}  # the failing sources' status lines, by key
        self._title_shown: Text | None = None  # what the list's title line shows
        self._source_status_shown: str | None = None  # what the failing source's line shows

    # -- the panes --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield SidebarPane(self.t, id="sidebar")
            with Vertical(id="list-pane"):
                yield Static(id="list-title", markup=False)
                yield Static(id="source-status", classes="hidden", markup=False)
                yield ArticleList(
                    FixedRows(self.store, []),
                    clock=self.clock,
                    language=self.t.language,
                    empty_text=self.t("list.loading"),
                    id="article-list",
                )
            yield ArticleView(id="article-view")
        # The search box and the find bar are mounted when first asked for (reader_find).
        yield KeyHints()

    def on_mount(self) -> None:
        self._built = True
        translate_bindings(
            self.t.language,
            self,
            self.article_list,
            self.article_view,
            self.sidebar.topics,
        )
        pictures = self.article_view.pictures
        pictures.mode = getattr(self.app, "picture_mode", "off")
        pictures.label = lambda alt: self.t("picture.placeholder", alt=alt) if alt else self.t("picture.bare")
        self.article_view.show_placeholder(self.t("article.empty"))
        self.article_list.show_rows(self.topic_rows(self.topic))
        self._update_title()
        # The sidebar's counts, which grow with the store, come right after the first frame,
        # which shows the list and its title.
        self.update_counts()
        self.article_list.focus()

    # -- data -------------------------------------------------------------------------------------

    def refresh_progress(self, status: str) -> None:
        """A refresh's progress: the status, the list and the counts shown again at most every
        :data:`PROGRESS_UPDATE_SECONDS` (after every source, a refresh of hundreds of sources
        reread the list, redrew its title and rebuilt the sidebar hundreds of times, under the
        user's keys). The first progress shows at once."""
        self._status = status
        if self._progress_timer is None and self._built:
            self._update_title()
            self._progress_timer = self.set_timer(PROGRESS_UPDATE_SECONDS, self._progress_due)

    def _progress_due(self) -> None:
        self._progress_timer = None
        counts = time.monotonic() - self._counts_read_at >= PROGRESS_COUNTS_SECONDS
        self.reload(keep=True, counts=counts)

    def reload(self, *, keep: bool = True, counts: bool = True) -> None:
        """Read the list and (unless ``counts`` is false) the counts again (after a refresh: the
        highlight stays put)."""
        if not self._built:
            return  # a refresh that ends before the screen is built: on_mount reads the store
        if self._progress_timer is not None:  # done now
            self._progress_timer.stop()
            self._progress_timer = None
        self.article_list.show_rows(self.topic_rows(self.topic), keep=keep)
        self._update_title()
        if counts:
            self.update_counts()

    def update_counts(self) -> None:
        """Recount the sidebar in a thread and show the counts when they arrive: the reader's
        thread never waits for the store. Requests made while a recount reads make it read
        again before it shows anything (its counts may miss the marks just made), so several in
        a row (a refresh's progress, marks) end in one sidebar update. The recount is a worker
        of the group :data:`COUNTS_WORKERS`: waiting for the app's workers waits for it."""
        self._counts_asked += 1
        if not self._counting:
            self._counting = True
            self._count()

    @work(group=COUNTS_WORKERS, exit_on_error=False)
    async def _count(self) -> None:
        try:
            # After the frame being prepared: the list, or the article, is what the user waits for.
            # Not for ever: Textual runs an after-refresh callback on the screen active when it is
            # handled, and drops it with that screen if it closes first (the command palette).
            await asyncio.wait([self._next_frame()], timeout=FRAME_WAIT_SECONDS)
            # Before the store is read: a recount asked while the tree is not mounted yet (`A`,
            # a refresh's progress) is then read by the loop below, not dropped.
            await self.sidebar.tree_mounted()
            while True:
                asked = self._counts_asked
                self._counts_read_at = time.monotonic()
                found = await asyncio.to_thread(
                    self.store.sidebar_counts, self.source_keys, rubriques_limit=RUBRIQUES_SHOWN
                )
                if asked == self._counts_asked:
                    break
            self._show_counts(found)
        except Exception as error:
            report_error(self.app, error, "ReaderScreen counting the sidebar")
        finally:
            self._counting = False

    def _next_frame(self) -> asyncio.Future[None]:
        frame: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def drawn() -> None:
            if not frame.done():
                frame.set_result(None)

        self.call_after_refresh(drawn)
        return frame

    def _show_counts(self, found: SidebarCounts) -> None:
        keys = self.source_keys
        sources, views, rubriques = found.sources, found.views, found.rubriques
        now = self.clock()
        self._statuses = {
            state.key: source_status(state, now, self.t.language) for state in sources if state.last_error
        }
        # What the sidebar shows of them (not when each source last answered): the same again,
        # as after a refresh that brought nothing, rebuilds nothing.
        shown = (
            views,
            [(s.key, s.name, s.kind, s.count, s.unread, s.last_error, s.reason, s.retry_at) for s in sources],
            rubriques,
            self._statuses,
            self.offline,
        )
        if shown == self._shown_counts:
            self._update_title()
            return
        self._shown_counts = shown
        # Imported with the first counts, after the first frame: that frame's sidebar is empty.
        from tui.ui.sidebar_sections import rubriques_section, sources_section, tags_section, views_section

        self.sidebar.topics.update_topics(
            [
                views_section(self.t, views),
                sources_section(self.t, sources, offline=self.offline, statuses=self._statuses),
                rubriques_section(self.t, rubriques, lambda: self.store.rubrique_count(keys)),
                tags_section(
                    self.t,
                    lambda: self.store.tags(keys, limit=TAGS_SHOWN),
                    lambda: self.store.tag_count(keys),
                ),
            ]
        )
        self._update_title()

    def set_status(self, status: str) -> None:
        self._status = status
        if self._built:
            self._update_title()

    def _update_title(self) -> None:
        if self.topic.kind == "search":
            label = self.t("search.results", query=self.topic.key)
        else:
            label = self.topic.label or self.t(f"view.{self.topic.kind}")
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f" {label}", style="bold")
        text.append(f" ({self.article_list.count})", style="dim")
        if self._status:
            text.append(f"  {self._status}", style="italic")
        if text != self._title_shown:
            self._title_shown = text
            # One line as wide as the list whatever it says: no layout of the screen again.
            self.query_one("#list-title", Static).update(text, layout=False)
        self.article_list.empty_text = self.t("list.empty")
        # A failing source says why in the list's place, its cached articles listed below.
        status = self._statuses.get(self.topic.key, "") if self.topic.kind == "source" else ""
        if status != self._source_status_shown:
            self._source_status_shown = status
            line = self.query_one("#source-status", Static)
            line.update(Text(status))
            line.set_class(not status, "hidden")

    def topic_rows(self, topic: Topic) -> ArticleRows:
        if topic.kind == "search":
            # A search ranks its matches in one query: they are kept by id.
            return FixedRows(self.store, self.store.search_rowids(topic.key, self.source_keys))
        return TopicRows(self.store, topic, self.source_keys)

    def show_topic(self, topic: Topic) -> None:
        if topic.kind != "search":
            self._topic_before_search = topic
        self.topic = topic
        self.article_list.footer = ""
        self.article_list.show_rows(self.topic_rows(topic))
        self._update_title()
        self.app.read_topic_listing(topic)  # type: ignore[attr-defined]

    # -- messages from the widgets ----------------------------------------------------------------

    @on(Sidebar.TopicSelected)
    def _topic_selected(self, event: Sidebar.TopicSelected) -> None:
        self._history.clear()  # the user chose: links followed before are no way back
        self.show_topic(event.topic)
        self.leave_article()
        self.article_list.focus()

    @on(ArticleList.Opened)
    def _article_opened(self, event: ArticleList.Opened) -> None:
        self._history.clear()
        self.open_rowid(event.rowid)

    @on(ArticleList.ReachedEnd)
    def _reached_end(self) -> None:
        self.app.read_topic_listing(self.topic, older=True)  # type: ignore[attr-defined]

    @on(ArticleView.LinkClicked)
    def _link_clicked(self, event: ArticleView.LinkClicked) -> None:
        self.follow(event.link)

    # -- opening an article -----------------------------------------------------------------------

    def open_rowid(self, rowid: int) -> None:
        stored = self.store.article(rowid)
        if stored is not None:
            self.show_article(stored)

    def show_article(self, stored: StoredArticle) -> None:
        """Show an article, give it the focus and mark it read."""
        self.open_article = stored
        opening = not self.reading
        self.add_class("reading", update=False)
        self._layout(changed=opening)
        # The articles' model and their Markdown come with the first article opened.
        from tui.article_markdown import to_markdown
        from tui.model import BODY_LIMIT

        language = self.t.language
        cut_notice = self.t("article.cut", limit=f"{BODY_LIMIT:,}".replace(",", "\u202f"))
        self.article_view.show(
            to_markdown(stored.article, word_notice=lambda n: notice_text(n, language), cut_notice=cut_notice)
        )
        self.article_view.focus()
        if self.article_view.pictures.mode != "off":  # once the text is on screen, as they load
            self.call_after_refresh(
                self.app.load_pictures,  # type: ignore[attr-defined]
                stored.article.id,
                self.article_view.document,
            )
        article = stored.article
        # Known by its title only (found on a listing page): its page is read now.
        titled_only = not (article.full_text or article.body or article.summary or article.lead)
        if titled_only and not self.offline and is_web_url(article.url):
            self.app.complete_article(stored.rowid, article.url)  # type: ignore[attr-defined]
        if not stored.read:
            self.store.queue_read([stored.rowid])
            self.article_list.forget_rows([stored.rowid])
            self.update_counts()

    def leave_article(self, *, keep_place: bool = False) -> None:
        """Close the article pane. With ``keep_place`` (Escape at 80 columns), `n`/`p` still
        step from the article that was open."""
        closing = self.reading
        self.remove_class("reading", update=False)
        if not keep_place:
            self.open_article = None
        self._layout(changed=closing)

    # -- for the palette and the help screen ------------------------------------------------------

    def source_statuses(self) -> list[tuple[str, str]]:
        """Every source's name and state, for the help screen: why it fails, or that it answered."""
        states = self.store.sources(self.source_keys) if self.source_keys else []
        now = self.clock()
        return [
            (
                state.name,
                source_status(state, now, self.t.language)
                or self.t("source.ok" if state.last_fetch else "source.never", count=state.count),
            )
            for state in states
        ]

    def palette_topics(self, matching: str = "", limit: int = PALETTE_TOPICS) -> list[Topic]:
        """The topics the palette offers: views, sources, then the most used rubriques and tags
        (at most ``limit`` of each) whose names hold ``matching``'s letters in order. The store
        searches them: it may hold hundreds of thousands, which the palette never builds."""
        topics = [ALL, Topic("unread"), Topic("saved")]
        topics += [Topic("source", s.key, s.name) for s in self.store.sources(self.source_keys)]
        topics += [item.topic for item in self.store.rubriques(self.source_keys, limit, matching)]
        topics += [item.topic for item in self.store.tags(self.source_keys, limit, matching)]
        return topics

    def go_to_topic(self, topic: Topic) -> None:
        self.show_topic(topic)
        self.sidebar.topics.select_topic(topic, post=False)
        self.leave_article()
        self.article_list.focus()

    # -- moving: back, next, previous -------------------------------------------------------------

    def action_back(self) -> None:
        in_search_box = self.focused is not None and self.focused.id == "search"
        if not in_search_box and self.history_back():
            return
        if in_search_box or (
            not self.reading and self.focused is not self.article_view and self.topic.kind == "search"
        ):
            self._close_search()
            return
        if self.reading or self.focused is self.article_view:
            if self.narrow:
                self.leave_article(keep_place=True)
            self.article_list.focus()
        elif self.focused is self.article_list:
            self.sidebar.focus()

    def _current_position(self) -> int | None:
        """Where the open article (else the highlighted one) stands in the list, if it does."""
        article_list = self.article_list
        highlighted = article_list.highlighted
        current = self.open_article.rowid if self.open_article else highlighted
        if current is None:
            return None
        # Usually the open article is the highlighted one: no need to look it up.
        return article_list.cursor if current == highlighted else article_list.position(current)

    def _start(self, delta: int) -> int | None:
        """Where `n`, `p` and `N` start: ``delta`` rows from the open article, or with none open
        the highlighted row; None (and the user told) when the list is empty."""
        article_list = self.article_list
        if not article_list.count:
            self.notify(self.t("notice.list_empty"), markup=False)
            return None
        position = self._current_position() if self.open_article else None
        return position + delta if position is not None else article_list.cursor

    def _step(self, delta: int) -> None:
        """Open the article after (before) the open one; with none open, the highlighted one."""
        article_list = self.article_list
        index = self._start(delta)
        if index is None:
            return
        if not 0 <= index < article_list.count:
            self.notify(self.t("notice.no_next" if delta > 0 else "notice.no_previous"), markup=False)
            return
        article_list.move_to(index)
        rowid = article_list.highlighted
        if rowid is not None:
            self.open_rowid(rowid)

    def action_next_article(self) -> None:
        self._step(1)

    def action_previous_article(self) -> None:
        self._step(-1)

    def action_next_unread(self) -> None:
        """The first unread article after the open one (with none open, from the highlighted one)."""
        article_list = self.article_list
        start = self._start(1)
        if start is None:
            return
        found = article_list.source.first_unread(start)
        if found is None:
            self.notify(self.t("notice.no_unread"), markup=False)
            return
        index, rowid = found
        article_list.move_to(index)
        self.open_rowid(rowid)
