"""The Textual application: owns the store handle, the refresh worker and the app-wide keys."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from textual import work
from textual.app import App
from textual.binding import Binding

from tui import __version__
from tui.config import Config, SourceSpec
from tui.paths import bundled_path
from tui.store import Store
from tui.ui.screens.help import HelpScreen
from tui.ui.errors import ErrorBoundary, report_error
from tui.ui.screens.reader import ReaderScreen
from tui.ui.strings import Translator


def _now() -> datetime:
    return datetime.now().astimezone()


class BladiApp(ErrorBoundary, App[int]):
    TITLE = "bladi-tui"
    SUB_TITLE = f"v{__version__}"
    CSS_PATH = str(bundled_path("styles") / "app.tcss")
    ENABLE_COMMAND_PALETTE = False

    BINDINGS = [
        Binding("q", "quit", "Quitter", id="app.quit"),
        # Textual 8 answers Ctrl+C with a hint unless the app binds it: here it quits, status 0.
        Binding("ctrl+c", "quit", "Quitter", show=False, priority=True, id="app.quit_ctrl_c"),
        Binding("question_mark", "help", "Aide", id="app.help"),
        Binding("r", "refresh", "Actualiser", id="app.refresh"),
    ]

    def __init__(
        self,
        store: Store,
        sources: Sequence[SourceSpec],
        config: Config | None = None,
        *,
        offline: bool = False,
        clock: Callable[[], datetime] = _now,
        language: str = "fr",
        refresh_on_start: bool = True,
    ) -> None:
        super().__init__()
        self.store = store
        self.sources = list(sources)
        self.config = config
        self.offline = offline
        self.clock = clock
        self.t = Translator(language or (config.language if config else "") or "fr")
        self.refresh_on_start = refresh_on_start
        self.errors: list[str] = []  # one sentence per unexpected error caught (tests read it)
        self._live = None  # the LiveReader (one HTTP client) once something remote is read

    @property
    def live(self):
        if self._live is None:
            from tui.live import LiveReader

            self._live = LiveReader(self.store, self.config.fetch if self.config else None)
        return self._live

    async def on_unmount(self) -> None:
        if self._live is not None:
            await self._live.aclose()

    @property
    def reader(self) -> ReaderScreen:
        return self.get_screen("reader")  # type: ignore[return-value]

    def on_mount(self) -> None:
        from tui.refresh import register_sources

        register_sources(self.store, self.sources)
        self.install_screen(
            ReaderScreen(self.store, [s.key for s in self.sources], self.t, self.clock, offline=self.offline), name="reader"
        )
        self.push_screen("reader")
        self._handle_signals()
        if self.refresh_on_start:
            self.action_refresh()
        minutes = self.config.fetch.refresh_minutes if self.config else 0
        if minutes > 0 and not self.offline:
            self.set_interval(minutes * 60, self.action_refresh, name="periodic-refresh")

    def _handle_signals(self) -> None:
        # An SSH connection dropping sends SIGHUP, a system shutdown SIGTERM: quit as `q` does.
        # Every mark is committed when it is made, so nothing is left to save.
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for number in (getattr(signal, "SIGHUP", None), getattr(signal, "SIGTERM", None)):
            if number is None:
                continue
            try:
                loop.add_signal_handler(number, self.exit)
            except (NotImplementedError, RuntimeError, ValueError):
                pass  # Windows, or not the main thread (tests): the default handling stays

    # -- refreshing ---------------------------------------------------------------------------

    def action_refresh(self) -> None:
        self.refresh_sources()

    def on_worker_state_changed(self, event) -> None:
        from textual.worker import WorkerState

        if event.state == WorkerState.ERROR and event.worker.error is not None:
            report_error(self, event.worker.error, f"worker {event.worker.name}")

    @work(exclusive=True, group="refresh", exit_on_error=False)
    async def refresh_sources(self) -> None:
        from tui.refresh import refresh_sources

        reader = self.reader

        def progress(done: int, total: int, outcome) -> None:
            reader.set_status(self.t("notice.refreshing", done=done, total=total))
            reader.reload(keep=True)

        remote = not self.offline and any(not spec.path for spec in self.sources)
        outcomes = await refresh_sources(
            self.store, self.sources, offline=self.offline, progress=progress,
            live=self.live if remote else None,
        )
        reader.set_status("")
        reader.reload(keep=True)
        failed = [o for o in outcomes if o.error]
        for outcome in failed:
            self.notify(self.t("notice.failed_source", name=outcome.name, error=outcome.error),
                        severity="warning", markup=False)

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

    # -- links and help -----------------------------------------------------------------------

    def open_in_browser(self, url: str) -> None:
        from tui.browser import open_in_browser

        if not open_in_browser(url):
            self.copy_to_clipboard(url)
            self.notify(self.t("notice.ssh_copy", url=url), markup=False)

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        # Textual's default runs webbrowser on the machine the app runs on: over SSH, the server.
        self.open_in_browser(url)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        from tui.ui.widgets.article_list import ArticleList
        from tui.ui.widgets.article_view import ArticleView
        from tui.ui.widgets.sidebar import Sidebar

        places = (
            (self, self.t("help.everywhere")),
            (self.reader, self.t("help.reader")),
            (self.reader.query_one(ArticleList), self.t("help.list")),
            (self.reader.query_one(ArticleView), self.t("help.article")),
            (self.reader.query_one(Sidebar), self.t("help.sidebar")),
        )
        rows = []
        for node, where in places:
            # The node's own bindings, with any keymap already applied to them.
            grouped: dict[str, tuple[Binding, list[str]]] = {}
            for key, binding in node._bindings:
                if binding.id:
                    grouped.setdefault(binding.id, (binding, []))[1].append(key)
            rows += [(",".join(keys), b.description or b.action, where) for b, keys in grouped.values()]
        self.push_screen(HelpScreen(self.t("help.title"), self.t("help.close"), rows))
