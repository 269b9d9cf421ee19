"""A yes-or-no question before something the user cannot see undone (removing a source)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.ui.screens.prompt import DIALOG_BOX_CSS


class ConfirmScreen(ModalScreen[bool]):
    DEFAULT_CSS = "ConfirmScreen { align: center middle; }" + DIALOG_BOX_CSS
    BINDINGS = [
        Binding("enter,o,y", "answer(True)", "Oui", id="confirm.yes"),
        Binding("escape,n", "answer(False)", "Non", id="confirm.no"),
    ]

    def __init__(self, question: str, keys: str) -> None:
        super().__init__()
        self._question = question
        self._keys = keys

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box"):
            yield Static(Text(self._question, style="bold"))  # Text: it quotes a source's name
            yield Static(Text(self._keys, style="dim"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
