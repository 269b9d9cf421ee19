"""The bases of the app's parts (tui.ui.app_*) and of the reader screen's (tui.ui.screens.reader_*).

At run time a part is a plain class, and only the app and the screen that gather them are
Textual classes: Textual's metaclass and ``DOMNode.__init_subclass__`` go over every attribute
of every base of each class they make (reactives, bindings, handlers), as much again for each
part before the first frame (BENCHMARKS.md, "First paint, sixth round"). A type checker sees the
Textual class, so each part is checked as one. A part's message handlers go by their names
(``on_input_changed``): Textual's ``@on`` registers handlers only in a Textual class.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    AppPart = App[int]
    ScreenPart = Screen[None]
else:
    AppPart = ScreenPart = object
