"""The command palette of the app, as a part of it: the app's commands (refresh, search, mark
all read, add a source...), Textual's own in the UI's language, and the commands that quote
content (go to a topic, disable or remove a source), which :mod:`tui.ui.palette` shows as plain
text."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.command import CommandPalette
from textual.screen import Screen
from textual.theme import ThemeProvider

from tui.config import SourceSpec
from tui.sanitize import clean_line
from tui.store import Store
from tui.ui.palette import PaletteCommand
from tui.ui.parts import AppPart
from tui.ui.screens.reader import ReaderScreen
from tui.ui.strings import TEXTUAL_LABELS_FR, Translator


class AppPalette(AppPart):
    t: Translator
    store: Store
    sources: list[SourceSpec]

    if TYPE_CHECKING:  # the app's

        @property
        def reader(self) -> ReaderScreen: ...
        def action_refresh(self) -> None: ...
        def action_add_source(self) -> None: ...
        def action_help(self) -> None: ...
        def confirm_drop(self, spec: SourceSpec, name: str, how: str) -> None: ...

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Only the app's own sentences here: Textual reads these titles as markup. Commands that
        # quote a name from content or state.toml are palette_commands().
        t = self.t
        yield SystemCommand(t("cmd.refresh"), t("cmd.refresh.help"), self.action_refresh)
        reader = self.reader if isinstance(screen, ReaderScreen) else None
        if reader is not None:
            for title, help_text, action in (
                ("cmd.search", "cmd.search.help", reader.action_search),
                ("cmd.mark_all_read", "cmd.mark_all_read.help", reader.action_mark_all_read),
                ("cmd.save", "cmd.save.help", reader.action_toggle_saved),
                ("cmd.copy", "cmd.copy.help", reader.action_copy_link),
                ("cmd.open", "cmd.open.help", reader.action_open_link),
                ("cmd.sidebar", "cmd.sidebar.help", reader.action_toggle_sidebar),
            ):
                yield SystemCommand(t(title), t(help_text), action)
        yield SystemCommand(t("cmd.add_source"), t("cmd.add_source.help"), self.action_add_source)
        yield SystemCommand(t("cmd.sources"), t("cmd.sources.help"), self.action_help)
        for command in super().get_system_commands(screen):
            # Textual's own commands (Theme, Keys, Screenshot, Quit) in the UI's language.
            if t.language == "fr":
                command = command._replace(
                    title=TEXTUAL_LABELS_FR.get(command.title, command.title),
                    help=TEXTUAL_LABELS_FR.get(command.help, command.help),
                )
            yield command

    def action_command_palette(self) -> None:
        # Textual's palette with the placeholder in the UI's language.
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]  # App[None] is an App
            self.push_screen(
                CommandPalette(id="--command-palette", placeholder=self.t("palette.placeholder"))
            )

    def action_change_theme(self) -> None:
        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=self.t("palette.themes")))

    def palette_commands(self, screen: Screen, query: str = "") -> Iterable[PaletteCommand]:
        """The palette's commands that name content (topics, sources): plain text, see ContentCommands."""
        t = self.t
        if isinstance(screen, ReaderScreen):
            reader = self.reader
            # The store is searched for the letters typed after those the command's own words
            # take (a fuzzy match is letters in order): "Aller à : Spo" asks for "spo".
            for topic in reader.palette_topics(matching=_after_words(t("cmd.goto", topic=""), query)):
                label = clean_line(topic.label, 200) or t(f"view.{topic.kind}")
                yield PaletteCommand(
                    t("cmd.goto", topic=label),
                    t("cmd.goto.help"),
                    partial(reader.go_to_topic, topic),
                )
        # The names the sidebar shows: a feed's title once it was read.
        keys = [s.key for s in self.sources]
        names = {state.key: state.name for state in self.store.sources(keys)} if keys else {}
        for spec in self.sources:
            name = clean_line(names.get(spec.key) or spec.name, 200)
            yield PaletteCommand(
                t("cmd.disable_source", name=name),
                t("cmd.disable_source.help"),
                partial(self.confirm_drop, spec, name, "disabled_sources"),
            )
            yield PaletteCommand(
                t("cmd.remove_source", name=name),
                t("cmd.remove_source.help"),
                partial(self.confirm_drop, spec, name, "removed_sources"),
            )


def _after_words(words: str, query: str) -> str:
    """What is left of ``query`` once its first letters are matched, in order, in ``words``."""
    matched = 0
    for letter in words.casefold():
        if matched < len(query) and query[matched].casefold() == letter:
            matched += 1
    return query[matched:]
