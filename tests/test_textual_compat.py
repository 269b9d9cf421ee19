"""One test per private Textual API bladi-tui relies on (tui/ui/textual_compat.py): if a Textual
release changes one, the test that fails names it."""

from __future__ import annotations

from dataclasses import replace

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Label

from tui.ui.textual_compat import HandlerErrorGuard, key_table, keymap, own_bindings


class Poke(Message):
    pass


class GuardedApp(HandlerErrorGuard, App[None]):
    BINDINGS = [
        Binding("x", "noop", "Rien", id="test.noop"),
        Binding("y", "noop", "Encore", id="test.again"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.caught: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield Label("ok")

    def on_poke(self, message: Poke) -> None:
        raise ValueError("a handler's bug")

    def handler_failed(self, error: Exception, message: Message) -> None:
        self.caught.append((type(error).__name__, type(message).__name__))

    def action_noop(self) -> None:
        pass


async def test_a_handler_that_raises_is_caught_and_the_app_runs_on():
    app = GuardedApp()
    async with app.run_test() as pilot:
        app.post_message(Poke())
        await pilot.pause()
        assert app.caught == [("ValueError", "Poke")]
        assert app.is_running
        app.post_message(Poke())  # and again: the guard is still in place
        await pilot.pause()
        assert len(app.caught) == 2


async def test_own_bindings_are_the_bindings_the_node_declares_with_the_keymap_applicable():
    app = GuardedApp()
    async with app.run_test():
        ids = {binding.id for _, binding in own_bindings(app)}
        assert {"test.noop", "test.again"} <= ids
        bindings = own_bindings(app)
        bindings.apply_keymap({"test.noop": "z"})
        keys = {binding.id: key for key, binding in bindings if binding.id}
        assert keys["test.noop"] == "z"
        assert {binding.id for _, binding in own_bindings(app)} >= {"test.noop"}  # a copy: unchanged
        assert "x" in key_table(app)


async def test_changing_the_key_table_changes_what_the_node_shows():
    app = GuardedApp()
    async with app.run_test() as pilot:
        table = key_table(app)
        table["x"] = [replace(b, description="Nothing") for b in table["x"]]
        app.refresh_bindings()
        await pilot.pause()
        shown = {binding.id: binding.description for _, binding, _, _ in app.screen.active_bindings.values()}
        assert shown["test.noop"] == "Nothing"


async def test_keymap_reads_what_set_keymap_was_given():
    app = GuardedApp()
    async with app.run_test():
        assert dict(keymap(app)) == {}
        app.set_keymap({"test.noop": "z"})
        assert dict(keymap(app)) == {"test.noop": "z"}
