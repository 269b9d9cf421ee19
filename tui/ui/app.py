"""The Textual application: owns the store handle, the refresh worker and the app-wide keys.

Its other parts are mixed in: the command palette (:mod:`tui.ui.app_palette`), sources added or
removed from it (:mod:`tui.ui.app_sources`) and the open article's pictures
(:mod:`tui.ui.app_pictures`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.reactive import Reactive
from textual.widget import Widget

from tui import __version__
from tui.config import DEFAULT_THEME_NAME, Config, ConfigError, SourceSpec
from tui.paths import bundled_path
from tui.sanitize import clean_line
from tui.store import Store
from tui.store.listing_sources import with_listing_sources
from tui.store.marks import EXIT_WAIT
from tui.ui.app_bindings import APP_BINDINGS
from tui.ui.app_palette import AppPalette
from tui.ui.app_pictures import ArticlePictures
from tui.ui.app_sources import SourceChanges
from tui.ui.errors import ErrorBoundary, report_error
from tui.ui.keys import translate_bindings
from tui.ui.palette import ContentCommands
from tui.ui.reasons import reason_text, warning_text
from tui.ui.screens.reader import ReaderScreen
from tui.ui.strings import Translator
from tui.ui.textual_compat import keymap, own_bindings
from tui.ui.topic_listings import TopicListings
from tui.ui.widgets.sidebar import Sidebar

if TYPE_CHECKING:
    from tui.ui.quit_signals import QuitOnSignal


def _now() -> datetime:
    return datetime.now().astimezone()


class BladiApp(ErrorBoundary, AppPalette, SourceChanges, ArticlePictures, App[int]):
    TITLE = "bladi-tui"
    SUB_TITLE = f"v{__version__}"
    CSS_PATH = str(bundled_path("styles") / "app.tcss")

    COMMANDS = App.COMMANDS | {ContentCommands}

    BINDINGS = APP_BINDINGS

    # The app's own theme from the start: a theme set once running makes Textual parse the whole
    # stylesheet again (before the first frame, when set in __init__).
    theme: Reactive[str] = Reactive(DEFAULT_THEME_NAME)

    def __init__(
        self,
        store: Store,
        sources: Sequence[SourceSpec],
        config: Config | None = None,
        *,
        offline: bool = False,
        clock: Callable[[], datetime] = _now,
        language: str = "",
        refresh_on_start: bool = True,
        state_file: Path | None = None,
        data_dir: Path | None = None,
        pictures: str = "off",
    ) -> None:
        super().__init__()
        self.picture_mode = pictures  # how pictures are drawn (tui.ui.pictures.resolve_mode)
        self.data_dir = data_dir  # where `bladi-tui fetch` takes its lock
        self.state_file = state_file  # state.toml: what the app changes for the user (never config.toml)
        self.store = store
        self.sources = list(sources)
        self.config = config
        self.offline = offline
        self.clock = clock
        from tui.ui.strings import resolve_language

        self.t = Translator(language or resolve_language(config.language if config else ""))
        self.refresh_on_start = refresh_on_start
        self.errors: list[str] = []  # one sentence per unexpected error caught (tests read it)
        self._live = None  # the LiveReader (one HTTP client) once something remote is read
        self._quit_on_signal: QuitOnSignal | None = None
        self.listings = TopicListings(self)
        self._first_frame_drawn = asyncio.Event()
        from tui.ui.themes import DEFAULT_THEME, THEMES

        for theme in THEMES:
            self.register_theme(theme)
        wanted = config.theme if config and config.theme else DEFAULT_THEME
        self._theme_problem = (
            ""
            if wanted in self.available_themes
            else self.t(
                "notice.unknown_theme",
                theme=wanted,
                default=DEFAULT_THEME,
                themes=", ".join(sorted(self.available_themes)),
            )
        )
        chosen = wanted if not self._theme_problem else DEFAULT_THEME
        self._themes_registered = True
        if chosen != self.theme:
            self.theme = chosen
        # App.__init__ made the stylesheet before the themes were registered (see
        # get_css_variables): its variables are those of the theme chosen, before any parse.
        self.stylesheet.set_variables(self.get_css_variables())

    # Until __init__ registers the app's themes (which needs the instance), App.__init__ asks for
    # the stylesheet's variables: those of Textual's default theme, a whole colour system computed
    # to be replaced before any CSS is parsed.
    _themes_registered = False

    def get_css_variables(self) -> dict[str, str]:
        return super().get_css_variables() if self._themes_registered else {}

    @property
    def live(self):
        if self._live is None:
            from tui.sources.web import LiveReader

            self._live = LiveReader(self.store, self.config.fetch if self.config else None)
        return self._live

    async def on_unmount(self) -> None:
        # However the app ends (q, Ctrl+C, SIGHUP, SIGTERM), the marks still queued are written
        # before it is gone (tui.store.marks).
        # Waited for here, not in a worker thread: the default executor may be busy with a
        # refresh's reads, and the marks' own thread needs nothing from this loop.
        self.store.on_marks_written(None)
        self.store.flush_marks(EXIT_WAIT)
        self.wait_for_state_writes()  # a source just added or removed stays so
        if self._quit_on_signal is not None:
            self._quit_on_signal.finished()
        if self._live is not None:
            await self._live.aclose()
        if self._pictures is not None and self._pictures.client is not None:
            await self._pictures.client.aclose()

    def _watch_marks(self) -> None:
        # Marks are written by a thread of their own: the sidebar is recounted once they are in.
        loop = asyncio.get_running_loop()

        def written() -> None:
            try:
                loop.call_soon_threadsafe(self._marks_written)
            except RuntimeError:
                pass  # the loop is closed: the app has ended

        self.store.on_marks_written(written)

    def _marks_written(self) -> None:
        if self.is_running:
            self.reader.update_counts()

    @property
    def reader(self) -> ReaderScreen:
        return self._reader

    def get_default_screen(self) -> ReaderScreen:
        # The reader is the app's first screen: no blank default screen built and drawn under it.
        self._reader = ReaderScreen(
            self.store,
            with_listing_sources([s.key for s in self.sources]),
            self.t,
            self.clock,
            offline=self.offline,
        )
        return self._reader

    def on_mount(self) -> None:
        translate_bindings(self.t.language, self)
        self._apply_keymap()
        if self._theme_problem:
            self.notify(self._theme_problem, severity="warning", markup=False)
        # Printed on stderr too, where the reader's screen hides them.
        for warning in self.config.warnings if self.config else ():
            self.notify(warning_text(warning, self.t.language), severity="warning", markup=False, timeout=10)
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self._handle_signals()
        self._watch_marks()
        self.call_after_refresh(self._after_first_frame)
        if self.refresh_on_start:
            # Not action_refresh: starting offline is no key pressed in vain; nor is it asked on
            # purpose, so a source waiting after a refusal is left alone.
            self.refresh_sources(background=True)
        minutes = self.config.fetch.refresh_minutes if self.config else 0
        if minutes > 0 and not self.offline:
            self.set_interval(minutes * 60, self.background_refresh, name="periodic-refresh")

    def _after_first_frame(self) -> None:
        # Everything built so far lives as long as the app: moving it out of the collector's
        # sight spares every later full collection (tens of ms each, felt as stalls). The
        # collector, off since start-up (tui.cli.reader.run_tui), resumes.
        import gc

        # The sources are made known to the store before the sidebar's first counts and the
        # refresh, which both wait for this frame: the first frame lists what the store holds,
        # and the store's writers are left for after it.
        from tui.sources.kinds import register_sources

        try:
            register_sources(self.store, self.sources)
        finally:  # whatever the store says, the collector resumes and the refresh is not kept waiting
            gc.freeze()
            gc.enable()
            self._first_frame_drawn.set()
        # The Markdown renderer's modules (markdown-it, Rich's Markdown, Pygments), read in a
        # thread too: the first article opened spends its time on its text, and a signal
        # while it opens is not kept waiting by an import on the UI thread.
        self.set_timer(1.0, self._warm_up_renderer)
        if self.picture_mode != "off":
            # The picture loader's modules (Pillow, the HTTP client), read in a thread while the
            # list is being read, not when the first article with a photo opens.
            self.set_timer(2.0, self._warm_up_pictures)

    @work(thread=True, group="renderer-warm-up", exit_on_error=False)
    def _warm_up_renderer(self) -> None:
        from tui.article_markdown import markdown_parser
        from tui.ui.markdown_render import ArticleMarkdown  # noqa: F401

        markdown_parser()

    @work(thread=True, group="pictures-warm-up", exit_on_error=False)
    def _warm_up_pictures(self) -> None:
        import tui.images.load  # noqa: F401
        from tui.images.decode import Image  # noqa: F401

    def _handle_signals(self) -> None:
        # An SSH connection dropping sends SIGHUP, a system shutdown SIGTERM: quit as `q` does,
        # which writes the marks still queued (on_unmount), or, should the loop be busy past
        # the deadline, write them and end anyway (tui.ui.quit_signals).
        from tui.ui.quit_signals import QuitOnSignal

        self._quit_on_signal = QuitOnSignal(asyncio.get_running_loop(), self.exit, self._last_words)
        self._quit_on_signal.install()  # on the main thread only; restored by on_unmount

    def _last_words(self) -> None:
        # From the deadline's thread, the loop busy: the marks and state.toml, then the terminal
        # as it was.
        self.store.flush_marks(EXIT_WAIT)
        self.wait_for_state_writes()
        if self._driver is not None:
            try:
                self._driver.stop_application_mode()
            except Exception:  # the terminal is gone (SIGHUP): nothing to give back
                pass

    # -- the user's keys and theme -------------------------------------------------------------

    def _apply_keymap(self) -> None:
        keymap = dict(self.config.keys) if self.config else {}
        if not keymap:
            return
        from tui.ui.keymap import check_keymap

        problems = check_keymap(keymap)
        for problem in problems:
            self.notify(warning_text(problem, self.t.language), severity="warning", markup=False, timeout=10)
        self.set_keymap(keymap)

    def _remember_theme(self, theme) -> None:
        # A theme picked in the palette is kept for the next start, in state.toml.
        if self.state_file is None:
            return
        from tui.state import StateFile

        try:
            StateFile(self.state_file).set_theme(theme.name)
        except (OSError, ConfigError) as error:
            self.notify(str(error), severity="warning", markup=False)

    # -- refreshing ---------------------------------------------------------------------------

    def action_refresh(self) -> None:
        if self.offline:
            if not any(spec.is_local for spec in self.sources):
                self.notify(self.t("notice.offline_refresh"), markup=False)
                return
            self.notify(self.t("notice.offline_local_only"), markup=False)
        self.refresh_sources()

    def background_refresh(self) -> None:
        """The refresh nobody asked for: sources waiting after a refusal are left alone."""
        self.refresh_sources(background=True)

    def on_worker_state_changed(self, event) -> None:
        from textual.worker import WorkerState

        if event.state == WorkerState.ERROR and event.worker.error is not None:
            report_error(self, event.worker.error, f"worker {event.worker.name}")

    @work(exclusive=True, group="refresh", exit_on_error=False)
    async def refresh_sources(self, background: bool = False) -> None:
        # The refresh's thread imports the HTTP client and the parsers: started with the app, it
        # would take turns with the first frame for the interpreter.
        await self._first_frame_drawn.wait()
        from tui.ui.own_loop import call_soon_in, on_own_loop

        reader = self.reader
        loop = asyncio.get_running_loop()

        # The refresh runs on a loop of its own (tui.ui.own_loop), with an HTTP client of its
        # own: these two reach the reader's loop without waiting for it.
        def progress(done: int, total: int, outcome) -> None:
            call_soon_in(loop, reader.refresh_progress, self.t("notice.refreshing", done=done, total=total))

        def busy(holder: int | None) -> None:
            # A `bladi-tui fetch` from cron is filling the store: read what it brings instead
            # of fetching the same feeds a second time.
            call_soon_in(loop, partial(self.notify, self.t("notice.fetch_running"), markup=False))

        async def refreshing():
            # Imported there, not here: the refresh brings the HTTP client and the parsers, which
            # the first frame does without, and importing them would hold up this loop's keys.
            from tui.refresh import refresh

            return await refresh(
                self.store,
                self.sources,
                settings=self.config.fetch if self.config is not None else None,
                retention=self.config.retention if self.config is not None else None,
                data_dir=self.data_dir,
                when_busy="skip",
                on_busy=busy,
                offline=self.offline,
                progress=progress,
                respect_backoff=background,
            )

        report = await on_own_loop(refreshing)
        outcomes = report.outcomes
        reader.set_status("")
        reader.reload(keep=True)
        failed = [o for o in outcomes if o.error and not o.skipped]
        if len(failed) == 1:
            self.notify(
                self.t(
                    "notice.failed_source",
                    name=failed[0].name,
                    error=reason_text(failed[0].reason, failed[0].error, self.t.language),
                ),
                severity="warning",
                markup=False,
            )
        elif failed:
            # One notice for many: each reason stays in the sidebar (the "!" sources).
            names = ", ".join(o.name for o in failed[:5]) + ("…" if len(failed) > 5 else "")
            self.notify(
                self.t("notice.failed_sources", count=len(failed), names=names),
                severity="warning",
                markup=False,
            )

    @work(exclusive=True, group="page", exit_on_error=False)
    async def load_web_article(self, url: str) -> None:
        """Fetch and extract a web article a link points to, keep it, and show it; a page that
        is not an article the reader can show is copied to the terminal's clipboard instead."""
        stored = None if self.offline else await self.live.load_article(url)
        if stored is None:
            self.copy_to_clipboard(url)
            self.notify(self.t("notice.copied", url=url), markup=False)
            return
        self.reader.show_article(stored)

    def read_topic_listing(self, topic, *, older: bool = False) -> None:
        """Read a topic's listing on its site (the first page, or the next one) in the background."""
        if self.listings.wanted(topic, older=older):
            self._read_topic_listing(topic, older)

    @work(exclusive=True, group="listing", exit_on_error=False)
    async def _read_topic_listing(self, topic, older: bool) -> None:
        await self.listings.read(topic, older=older)

    @work(group="complete", exit_on_error=False)
    async def complete_article(self, rowid: int, url: str) -> None:
        """An article known by its title only (found on a listing): its page, then shown."""
        stored = await self.live.load_article(url)
        reader = self.reader
        if stored is not None and reader.open_article is not None and reader.open_article.rowid == rowid:
            reader.show_article(stored)

    # -- links and help -----------------------------------------------------------------------

    def open_in_browser(self, url: str) -> None:
        from tui.browser import open_in_browser
        from tui.sanitize import is_web_url

        if not is_web_url(url):
            self.notify(self.t("notice.not_available", url=clean_line(url)), severity="warning", markup=False)
            return

        if not open_in_browser(url):
            from tui.browser import is_remote_session

            # Say why there is no browser: an SSH session, or a console without a display.
            why = "notice.ssh_copy" if is_remote_session() else "notice.no_display_copy"
            self.copy_to_clipboard(url)
            self.notify(self.t(why, url=url), markup=False)

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        # Textual's default runs webbrowser on the machine the app runs on: over SSH, the server.
        self.open_in_browser(url)

    def _bindings_node(self, widget: type[Widget]) -> Widget:
        """The reader's widget of that class; one not mounted yet (the find bar, until first
        asked for) is made for its bindings, as it will have them."""
        mounted = self.reader.query(widget)
        if mounted:
            return mounted.first()
        if widget is Sidebar:  # made with its pane, mounted right after the first frame
            return self.reader.sidebar.topics
        made = widget()
        translate_bindings(self.t.language, made)
        return made

    def action_help(self) -> None:
        from tui.ui.bindings import BINDING_OWNERS
        from tui.ui.screens.help import HelpScreen  # a dialog: not before the first frame

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        places = [
            (
                self
                if owner.widget is None
                else self.reader
                if isinstance(self.reader, owner.widget)
                else self._bindings_node(owner.widget),
                self.t(f"help.{owner.name}"),
            )
            for owner in BINDING_OWNERS
        ]
        rows = []
        for node, where in places:
            # The node's own bindings, with the user's keymap applied as Textual applies it.
            grouped: dict[str, tuple[Binding, list[str]]] = {}
            bindings = own_bindings(node)
            if keymap(self):
                bindings.apply_keymap(keymap(self))
            for key, binding in bindings:
                if binding.id:
                    grouped.setdefault(binding.id, (binding, []))[1].append(key)
            rows += [
                (",".join(dict.fromkeys(keys)), b.description or b.action, where)
                for b, keys in grouped.values()
            ]
        self.push_screen(
            HelpScreen(
                self.t("help.title"),
                self.t("help.close"),
                rows,
                self.t.language,
                sources_title=self.t("help.sources"),
                sources=self.reader.source_statuses(),
            )
        )
