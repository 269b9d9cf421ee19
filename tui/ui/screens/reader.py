"""The reader: sidebar, article list and article view, and the wiring between them.

Widgets post messages up; this screen answers them by calling methods on its children and on
the store. Nothing here fetches or parses: live loads are asked of the app, which runs them in
workers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from tui.article_markdown import DocumentLink, slugify, to_markdown, topic_from_url, topic_slug_of
from tui.model import ALL, BODY_LIMIT, Topic
from tui.sanitize import is_web_url
from tui.store import Store, StoredArticle
from tui.ui.article_rows import ArticleRows, FixedRows, TopicRows
from tui.ui.errors import ErrorBoundary
from tui.ui.keys import translate_bindings
from tui.ui.reasons import notice_text, source_status
from tui.ui.screens.links import LinksScreen
from tui.ui.sidebar_sections import rubriques_section, sources_section, tags_section, views_section
from tui.ui.strings import Translator
from tui.ui.widgets.article_list import ArticleList
from tui.ui.widgets.article_view import ArticleView
from tui.ui.widgets.find_bar import FindBar
from tui.ui.widgets.key_hints import KeyHints
from tui.ui.widgets.sidebar import Sidebar

# Links followed that Escape can walk back.
HISTORY_LIMIT = 100
# The sidebar lists this many tags, the most used first; the others are a search away.
TAGS_SHOWN = 300
# The sidebar's rubriques and the palette's topics of each kind: the most used (there can be
# hundreds of thousands; the palette searches the rest as the user types).
RUBRIQUES_SHOWN = 500
PALETTE_TOPICS = 200
# Below this many columns the article takes the list's place instead of sitting beside it.
WIDE_LAYOUT_COLUMNS = 110
# Beside an open article, the sidebar folds unless the list keeps this many columns. The widths
# are those of the stylesheet (styles/app.tcss): the sidebar's, and the article pane's share.
LIST_KEEPS = 60
SIDEBAR_COLUMNS = 26
ARTICLE_SHARE, ARTICLE_MIN, ARTICLE_MAX = 0.5, 64, 100


def width_class(width: int) -> str:
    """The layouts a width gives: the article in the list's place, beside the list with the
    sidebar folded, or beside both. `b` is remembered for each (for this session only)."""
    if width < WIDE_LAYOUT_COLUMNS:
        return "narrow"
    article = min(ARTICLE_MAX, max(ARTICLE_MIN, int(width * ARTICLE_SHARE)))
    return "folding" if width - SIDEBAR_COLUMNS - article < LIST_KEEPS else "wide"


# During a refresh, the list and the sidebar's counts are read again at most this often (seconds).
PROGRESS_UPDATE_SECONDS = 0.5


class ReaderScreen(ErrorBoundary, Screen[None]):
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
        self._topic_before_search: Topic = ALL
        self.open_article: StoredArticle | None = None
        self._status = ""
        self._built = False  # children composed and mounted: safe to update them
        self._counts_pending = False
        self._progress_timer: Timer | None = None  # a refresh's next update of the list and counts, if due
        self._shown_counts: tuple | None = None  # what the sidebar was last built from
        self._undo_read: list[int] = []
        # Where each followed link was taken: (topic, open article or None), newest last.
        self._history: list[tuple[Topic, int | None]] = []  # what the last `A` marked read, for `u`
        self._statuses: dict[str, str] = {}  # the failing sources' status lines, by key
        # `b` pressed in a width class: the sidebar shown (True) or hidden there, this session.
        self._sidebar_choice: dict[str, bool] = {}

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield Sidebar(self.t, id="sidebar")
            with Vertical(id="list-pane"):
                yield Static(id="list-title", markup=False)
                yield Static(id="source-status", classes="hidden", markup=False)
                yield Input(placeholder=self.t("search.placeholder"), id="search", classes="hidden")
                yield ArticleList(
                    FixedRows(self.store, []),
                    clock=self.clock,
                    language=self.t.language,
                    empty_text=self.t("list.loading"),
                    id="article-list",
                )
            yield ArticleView(id="article-view")
        yield FindBar(placeholder=self.t("find.placeholder"), id="find", classes="hidden")
        yield KeyHints()

    @property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def article_view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def sidebar(self) -> Sidebar:
        return self.query_one(Sidebar)

    def on_mount(self) -> None:
        self._built = True
        translate_bindings(
            self.t.language,
            self,
            self.article_list,
            self.article_view,
            self.sidebar,
            self.query_one(FindBar),
            self.query_one("#search", Input),
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

    def on_resize(self) -> None:
        self._layout()
        if self.narrow and self.reading and self.focused is not self.article_view:
            self.article_view.focus()  # the article now fills the screen: keys go to it

    def _layout(self) -> None:
        """Fit the panes to the width: the list in the article's place until one is open, then
        the sidebar folding first; the user's `b` for this width class wins over the default."""
        kind = width_class(self.size.width)
        self.set_class(kind == "narrow", "narrow")
        default = not (self.reading and kind == "folding")
        self.set_class(not self._sidebar_choice.get(kind, default), "no-sidebar")
        if not self.sidebar_shown and self.focused is self.sidebar:
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

    # -- data ---------------------------------------------------------------------------------

    def refresh_progress(self, status: str) -> None:
        """A refresh's progress: the status at once, the list and the counts read again at most
        every :data:`PROGRESS_UPDATE_SECONDS` (after every source, a refresh of hundreds of
        sources reread the list and rebuilt the sidebar hundreds of times, under the user's keys)."""
        self.set_status(status)
        if self._progress_timer is None and self._built:
            self._progress_timer = self.set_timer(PROGRESS_UPDATE_SECONDS, self._progress_due)

    def _progress_due(self) -> None:
        self._progress_timer = None
        self.reload(keep=True)

    def reload(self, *, keep: bool = True) -> None:
        """Read the list and the counts again (after a refresh: the highlight stays put)."""
        if not self._built:
            return  # a refresh that ends before the screen is built: on_mount reads the store
        if self._progress_timer is not None:  # done now
            self._progress_timer.stop()
            self._progress_timer = None
        self.article_list.show_rows(self.topic_rows(self.topic), keep=keep)
        self._update_title()
        self.update_counts()

    def update_counts(self) -> None:
        """Recount the sidebar after the next frame: the list is what the user waits for, and
        several requests in a row (a refresh's progress, marks) make one recount."""
        if not self._counts_pending:
            self._counts_pending = True
            self.call_after_refresh(self._recount)

    def _recount(self) -> None:
        self._counts_pending = False
        sources = self.store.sources(self.source_keys)
        now = self.clock()
        self._statuses = {
            state.key: source_status(state, now, self.t.language) for state in sources if state.last_error
        }
        keys = self.source_keys
        views = self.store.view_counts(keys)
        rubriques = self.store.rubriques(keys, limit=RUBRIQUES_SHOWN)
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
        self.sidebar.update_topics(
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
        self.query_one("#list-title", Static).update(text)
        self.article_list.empty_text = self.t("list.empty")
        # A failing source says why in the list's place, its cached articles listed below.
        status = self._statuses.get(self.topic.key, "") if self.topic.kind == "source" else ""
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

    # -- messages from the widgets ------------------------------------------------------------

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

    # -- opening and following ----------------------------------------------------------------

    def open_rowid(self, rowid: int) -> None:
        stored = self.store.article(rowid)
        if stored is not None:
            self.show_article(stored)

    def show_article(self, stored: StoredArticle) -> None:
        """Show an article, give it the focus and mark it read."""
        self.open_article = stored
        self.add_class("reading")
        self._layout()
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
        self.remove_class("reading")
        if not keep_place:
            self.open_article = None
        self._layout()

    def follow(self, link: DocumentLink) -> None:
        """Follow a link inside the reader: a topic, an article it holds, or else copy it.
        Where the user was goes on the link history, which Escape walks back."""
        self._history.append(
            (self.topic, self.open_article.rowid if self.reading and self.open_article else None)
        )
        del self._history[:-HISTORY_LIMIT]
        if link.image:  # a picture opens where pictures are seen: the browser
            self._history.pop()
            self.app.open_in_browser(link.url)  # type: ignore[attr-defined]
            return
        topic = topic_from_url(link.url)
        if topic is not None:
            self.go_to_topic(topic)
            return
        url = link.url
        base = self.open_article.article.location if self.open_article else ""
        if not urlsplit(url).scheme and base:
            url = urljoin(base, url)
        stored = self.store.find(url)
        if stored is not None:
            self.show_article(stored)
            index = self.article_list.position(stored.rowid)
            if index is not None:
                self.article_list.move_to(index)
            return
        topic = self._topic_page(url) or self.app.listings.topic_of_page(url, link.text)  # type: ignore[attr-defined]
        if topic is not None:
            self.go_to_topic(topic)
        elif is_web_url(url):
            self.app.load_web_article(url)  # type: ignore[attr-defined]
        else:
            self.notify(self.t("notice.not_available", url=url), severity="warning", markup=False)

    def history_back(self) -> bool:
        """Back to where the last followed link was taken (a topic, an open article); False when
        no link was followed since the user last chose from the list or the sidebar."""
        if not self._history:
            return False
        topic, rowid = self._history.pop()
        if (topic.kind, topic.key) != (self.topic.kind, self.topic.key):
            self.show_topic(topic)
            self.sidebar.select_topic(topic, post=False)
        stored = self.store.article(rowid) if rowid is not None else None
        if stored is None:
            self.leave_article()
            self.article_list.focus()
            return True
        self.show_article(stored)
        index = self.article_list.position(stored.rowid)
        if index is not None:
            self.article_list.move_to(index)
        return True

    def action_history_back(self) -> None:
        if not self.history_back():
            self.action_back()

    def _topic_page(self, url: str) -> Topic | None:
        """A site's page of a rubrique or a tag (``…/maroc.html``, ``…/abdellatif-hammouchi.html``:
        a slug with no article id) that names one the reader holds: that topic, read here."""
        slug = topic_slug_of(url)
        if not slug:
            return None
        # Only the topics whose names could be the slug: there can be hundreds of thousands.
        name = slug.replace("-", " ")
        found = [
            *self.store.rubriques(self.source_keys, matching=name),
            *self.store.tags(self.source_keys, matching=name),
        ]
        for item in found:
            if slugify(item.topic.label) == slug:
                return item.topic
        return None

    # -- actions ------------------------------------------------------------------------------

    # -- palette helpers ----------------------------------------------------------------------

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
        self.sidebar.select_topic(topic, post=False)
        self.leave_article()
        self.article_list.focus()

    def action_toggle_sidebar(self) -> None:
        if self.narrow and self.reading:
            self.notify(self.t("notice.no_room_sidebar"), markup=False)
            return
        self._sidebar_choice[width_class(self.size.width)] = not self.sidebar_shown
        self._layout()

    # -- find in the article ------------------------------------------------------------------

    def action_find(self) -> None:
        if not self.reading or self.open_article is None:
            self.notify(self.t("notice.find_needs_article"), markup=False)
            return
        bar = self.query_one(FindBar)
        bar.remove_class("hidden")
        bar.focus()

    @on(Input.Changed, "#find")
    def _find_changed(self, event: Input.Changed) -> None:
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
        self.query_one(FindBar).border_title = Text(count)

    @on(FindBar.Step)
    def _find_step(self, event: FindBar.Step) -> None:
        self.article_view.find_next(event.step)
        self._show_find_count(self.query_one(FindBar).value)

    @on(FindBar.Closed)
    def _find_closed(self) -> None:
        bar = self.query_one(FindBar)
        bar.add_class("hidden")
        bar.border_title = ""
        self.article_view.focus()

    # -- search -------------------------------------------------------------------------------

    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        self.leave_article()
        box.remove_class("hidden")
        box.focus()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        query = event.value.strip()
        box = self.query_one("#search", Input)
        box.add_class("hidden")
        if query:
            self.show_topic(Topic("search", query, query))
        self.article_list.focus()

    def _close_search(self) -> bool:
        box = self.query_one("#search", Input)
        if not box.has_class("hidden"):
            box.add_class("hidden")
            box.value = ""
            self.article_list.focus()
            return True
        if self.topic.kind == "search":
            self.show_topic(self._topic_before_search)
            return True
        return False

    def action_back(self) -> None:
        if self.focused is not self.query_one("#search", Input) and self.history_back():
            return
        if self.focused is self.query_one("#search", Input) or (
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

    def _step(self, delta: int) -> None:
        """Open the article after (before) the open one; with none open, the highlighted one."""
        article_list = self.article_list
        if not article_list.count:
            self.notify(self.t("notice.list_empty"), markup=False)
            return
        position = self._current_position() if self.open_article else None
        index = position + delta if position is not None else article_list.cursor
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
        if not article_list.count:
            self.notify(self.t("notice.list_empty"), markup=False)
            return
        position = self._current_position() if self.open_article else None
        found = article_list.source.first_unread(
            position + 1 if position is not None else article_list.cursor
        )
        if found is None:
            self.notify(self.t("notice.no_unread"), markup=False)
            return
        index, rowid = found
        article_list.move_to(index)
        self.open_rowid(rowid)

    def action_links(self) -> None:
        if not self.reading and self.focused is not self.article_view:
            self.notify(self.t("notice.links_need_article"), markup=False)
            return
        # One entry per target: a tag listed in two sections, the article's own address twice.
        links = list({link.url: link for link in reversed(self.article_view.links)}.values())[::-1]

        def chosen(link: DocumentLink | None) -> None:
            if link is not None:
                self.follow(link)

        self.app.push_screen(
            LinksScreen(
                self.t("links.title"),
                self.t("links.none"),
                links,
                self.t("links.topic"),
                picture_note=self._picture_note,
            ),
            chosen,
        )

    def _picture_note(self, link: DocumentLink) -> tuple[str, str]:
        """A picture's entry in the links dialog: its placeholder, and why it is not drawn."""
        view = self.article_view
        label = view.pictures.label(link.text)
        reason = view.picture_problem(link.url)
        if reason:
            return label, self.t(f"picture.reason.{reason}", detail=view.picture_detail(link.url))
        return label, ""

    def _target(self) -> int | None:
        if self.focused is self.article_view and self.open_article:
            return self.open_article.rowid
        return self.article_list.highlighted

    def action_toggle_read(self) -> None:
        rowid = self._target()
        if rowid is None:
            self.notify(self.t("notice.list_empty"), markup=False)
            return
        row = self.store.rows([rowid]).get(rowid)
        if row is not None:
            self.store.queue_read([rowid], not row.read)
            self.article_list.forget_rows([rowid])
            self.update_counts()

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

    def action_toggle_saved(self) -> None:
        rowid = self._target()
        if rowid is None:
            self.notify(self.t("notice.list_empty"), markup=False)
            return
        row = self.store.rows([rowid]).get(rowid)
        if row is not None:
            self.store.queue_saved(rowid, not row.saved)
            self.article_list.forget_rows([rowid])
            self.update_counts()

    def _target_url(self) -> str:
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
