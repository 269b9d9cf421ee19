"""The find bar (Ctrl+F): type to highlight matches in the open article; Enter or ↓ goes to the
next one, ↑ to the previous one, Escape closes."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class FindBar(Input):
    DEFAULT_CSS = """
    FindBar { dock: bottom; height: 3; }
    FindBar.hidden { display: none; }
    """
    BINDINGS = [
        Binding("enter,down", "step(1)", "Suivant", id="find.next"),
        Binding("up", "step(-1)", "Précédent", id="find.previous"),
        Binding("escape", "close", "Fermer", id="find.close"),
    ]

    class Step(Message):
        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    class Closed(Message):
        pass

    def action_step(self, step: int) -> None:
        self.post_message(self.Step(step))

    def action_close(self) -> None:
        self.post_message(self.Closed())
