"""The help screen: every key in force, read from the live bindings so it never goes stale."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.ui.keys import format_keys


class HelpScreen(ModalScreen[None]):
    # Here, not in the app's stylesheet: parsed when the dialog first opens, not before the
    # first frame (so for every dialog).
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    #help-body {
        width: 80%;
        max-width: 90;
        height: 80%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    #help-title { margin-bottom: 1; }
    #help-footer { margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss", "Fermer", id="help.close"),
    ]

    def __init__(
        self,
        title: str,
        footer: str,
        rows: list[tuple[str, str, str]],
        language: str = "fr",
        *,
        sources_title: str = "",
        sources: list[tuple[str, str]] | None = None,
    ) -> None:
        """``sources``: each source's name and status line, shown under the keys."""
        super().__init__()
        self._sources_title = sources_title
        self._sources = sources or []
        self._language = language
        self._title = title
        self._footer = footer
        self._rows = rows

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_header=False, padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        table.add_column(style="dim", no_wrap=True)
        for keys, description, where in self._rows:
            table.add_row(Text(format_keys(keys, self._language)), Text(description), Text(where))
        with VerticalScroll(id="help-body"):
            yield Static(Text(self._title, style="bold"), id="help-title")
            yield Static(table)
            if self._sources:
                sources = Table(box=None, expand=True, show_header=False, padding=(0, 1))
                sources.add_column(style="bold", no_wrap=True, max_width=30)
                sources.add_column()
                for name, status in self._sources:
                    sources.add_row(Text(name), Text(status))
                yield Static(Text(self._sources_title, style="bold"), id="help-sources-title")
                yield Static(sources, id="help-sources")
            yield Static(Text(self._footer, style="dim"), id="help-footer")
