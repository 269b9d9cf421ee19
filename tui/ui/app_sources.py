"""Sources added, disabled or removed from the palette, as a part of the app: asked (a URL, a
confirmation), written to state.toml by one thread in the order asked and to the store off the
UI thread, then shown in the reader (and an added one read)."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work

from tui.config import ConfigError, SourceSpec
from tui.store import Store
from tui.store.listing_sources import with_listing_sources
from tui.ui.parts import AppPart
from tui.ui.screens.reader import ReaderScreen
from tui.ui.strings import Translator

if TYPE_CHECKING:  # made with the first change of sources
    from concurrent.futures import ThreadPoolExecutor


class SourceChanges(AppPart):
    t: Translator
    store: Store
    sources: list[SourceSpec]
    offline: bool
    state_file: Path | None

    if TYPE_CHECKING:  # the app's

        @property
        def reader(self) -> ReaderScreen: ...
        def action_refresh(self) -> None: ...

    def __init__(self) -> None:
        super().__init__()
        # One thread writes state.toml, each change in the order asked (see _save_sources); the
        # app waits for it as it ends. Made with the first change (its module comes with it).
        self._state_writer: ThreadPoolExecutor | None = None

    def wait_for_state_writes(self) -> None:
        """Block until every change of sources asked for is in state.toml (as the app ends)."""
        writer = self._state_writer
        if writer is not None:
            writer.shutdown(wait=True)

    def confirm_drop(self, spec: SourceSpec, name: str, how: str) -> None:
        """Ask before disabling or removing a source: a palette search can pick one by mistake."""
        from tui.ui.screens.confirm import ConfirmScreen

        question = self.t(
            "confirm.remove_source" if how == "removed_sources" else "confirm.disable_source", name=name
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.drop_source(spec, how)

        self.push_screen(ConfirmScreen(question, self.t("confirm.keys")), answered)

    def action_add_source(self) -> None:
        from tui.ui.screens.prompt import PromptScreen

        def answered(url: str | None) -> None:
            if url:
                self.add_source(url)

        self.push_screen(PromptScreen(self.t("cmd.add_source.question"), "https://…"), answered)

    def add_source(self, url: str) -> None:
        """Add a feed, site or article URL for good (in state.toml) and read it now."""
        from tui.sanitize import clean_url, is_web_url

        url = clean_url(url)
        if not is_web_url(url):
            self.notify(self.t("notice.bad_url", url=url), severity="warning", markup=False)
            return
        if any(spec.key == url for spec in self.sources):
            self.notify(self.t("notice.source_known", url=url), markup=False)
            return
        spec = SourceSpec.from_url(url)
        self._save_sources(spec, "add")

    def drop_source(self, spec: SourceSpec, how: str) -> None:
        """Disable or remove a source (kept in state.toml); its stored articles stay in the store."""
        self._set_sources([s for s in self.sources if s.key != spec.key])
        self._save_sources(spec, "remove" if how == "removed_sources" else "disable")

    @work(group="sources", exit_on_error=False)
    async def _save_sources(self, spec: SourceSpec, how: str) -> None:
        """Write a change of sources to state.toml, then the store, off the UI thread: the store's
        writer may wait for another process (a cron ``fetch``). state.toml is written by one
        thread, in the order asked, and whatever is queued is written before the app ends."""
        from tui.sources.kinds import register_sources

        if self._state_writer is None:
            from concurrent.futures import ThreadPoolExecutor

            self._state_writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="state-writer")
        loop = asyncio.get_running_loop()
        error = await loop.run_in_executor(self._state_writer, self._write_state, spec, how)
        if how == "add":
            try:  # the sidebar lists it before its first refresh; else its refresh names it
                await asyncio.to_thread(register_sources, self.store, [spec])
            except sqlite3.Error as failure:
                error = error or str(failure)
        self._sources_saved(spec, how, error)

    def _write_state(self, spec: SourceSpec, how: str) -> str:
        """One change in state.toml (in the state writer's thread): why it failed, or ""."""
        from tui.state import StateFile

        if self.state_file is None:
            return ""
        try:
            state = StateFile(self.state_file)
            if how == "add":
                state.add_source(spec)
            elif how == "remove":
                state.remove_source(spec.key)
            else:
                state.disable_source(spec.key)
        except (OSError, ConfigError) as failure:
            return str(failure)
        return ""

    def _sources_saved(self, spec: SourceSpec, how: str, error: str) -> None:
        if error:
            self.notify(error, severity="warning", markup=False)
        if how != "add" or any(known.key == spec.key for known in self.sources):
            return
        self._set_sources([*self.sources, spec])
        if self.offline:
            self.notify(self.t("notice.added_offline", url=spec.key), markup=False)
            return
        self.action_refresh()

    def _set_sources(self, sources: list[SourceSpec]) -> None:
        self.sources = sources
        self.reader.source_keys = with_listing_sources([s.key for s in sources])
        self.reader.reload(keep=True)
