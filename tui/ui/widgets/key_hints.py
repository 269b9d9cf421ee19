"""The key hints at the bottom: one widget drawing one line of text.

Textual's Footer builds a widget per key and rebuilds them all on every focus change (about
40 ms at start and after each Escape, BENCHMARKS.md); this draws the same hints as one Text,
redrawn when the screen's bindings change. A click on a hint presses its key.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widget import Widget


class KeyHints(Widget):
    DEFAULT_CSS = """
    KeyHints { dock: bottom; height: 1; background: $panel; color: $foreground; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        self.refresh()

    def render(self) -> Text:
        key_style = Style(bold=True, color=self.app.theme_variables.get("accent") or None)
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        palette = None
        seen: set[str] = set()
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.action in ("command_palette", "app.command_palette"):
                palette = binding
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            click = Style.from_meta({"@click": f"app.simulate_key({binding.key!r})"})
            text.append(" ")
            text.append(self.app.get_key_display(binding), key_style + click if enabled else Style(dim=True))
            text.append(" " + binding.description + " ", click if enabled else Style(dim=True))
        if palette is not None:
            hint = Text(f" {self.app.get_key_display(palette)} {palette.description} ", end="")
            room = self.size.width - hint.cell_len
            if text.cell_len < room:
                text.pad_right(room - text.cell_len)
                text.append_text(hint)
        return text
