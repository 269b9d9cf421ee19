"""The yardstick: a one-label Textual app with a Footer, started the way bladi-tui is.

First paint of bladi-tui is compared with this app's. Pressing ``x`` changes the label: the
time from that key to the new label on screen is the floor of any key-to-screen figure
(tmux, the terminal driver and one Textual refresh).
"""

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Label

READY = "bladi-bench baseline ready"


class BaselineApp(App[None]):
    BINDINGS = [Binding("q", "quit", "Quit"), Binding("x", "press", "Press")]

    def __init__(self) -> None:
        super().__init__()
        self.presses = 0

    def compose(self) -> ComposeResult:
        yield Label(READY, id="label", markup=False)
        yield Footer()

    def action_press(self) -> None:
        self.presses += 1
        self.query_one("#label", Label).update(f"pressed {self.presses} times")


if __name__ == "__main__":
    BaselineApp().run()
