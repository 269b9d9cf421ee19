"""The key hints at the bottom: one widget drawing one line of text.

Textual's Footer builds a widget per key and rebuilds them all on every focus change (at start
and after each Escape: BENCHMARKS.md); this draws the same hints as one Text,
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
        hints: list[tuple[int, int, Text]] = []  # (rank, order on screen, hint)
        seen: set[str] = set()
        for order, (_node, binding, enabled, _tooltip) in enumerate(self.screen.active_bindings.values()):
            palette = binding.action in ("command_palette", "app.command_palette")
            if (not binding.show and not palette) or binding.action in seen:
                continue
            seen.add(binding.action)
            click = Style.from_meta({"@click": f"app.simulate_key({binding.key!r})"})
            hint = Text(end="")
            hint.append(" ")
            hint.append(self.app.get_key_display(binding), key_style + click if enabled else Style(dim=True))
            hint.append(" " + binding.description + " ", click if enabled else Style(dim=True))
            rank = FIRST.index(binding.id) if binding.id in FIRST else len(FIRST)
            hints.append((rank, order, hint))
        # The most useful keys first, as many as fit: at 80 columns help, refresh, the palette
        # and quitting are never the ones cut off.
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        room = self.size.width
        for _rank, _order, hint in sorted(hints, key=lambda h: h[:2]):
            if text.cell_len + hint.cell_len <= room:
                text.append_text(hint)
        return text


# The hints in the order people need them; the others follow in the screen's order.
FIRST = (
    "list.open",
    "app.help",
    "reader.back",
    "reader.search",
    "app.refresh",
    "app.palette",
    "app.quit",
    "reader.next",
    "reader.previous",
    "reader.links",
)
