"""A scrolling view's length changed: its scrollbar moves, the screen is not laid out again.

Set as the reactive it is, a ScrollView's virtual size lays the whole screen out and draws every
widget again. When the view was longer than it shows and still is, at the same width, nothing
but its scrollbar changes: the article view meets that at each chunk of a long article, the
article list at each topic chosen. Both go through here, the one place that reaches into
Textual's ScrollView for it (hence Textual's minor version pinned in pyproject.toml).
"""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView


def only_scrollbar_changes(view: ScrollView, size: Size) -> bool:
    """``size``, the view's next virtual size, changes nothing but its scrollbar."""
    shown = view.scrollable_content_region.height
    return size.width == view.virtual_size.width and min(size.height, view.virtual_size.height) > shown


def set_length(view: ScrollView, size: Size) -> None:
    """The view's virtual size, set without laying the screen out, when
    :func:`only_scrollbar_changes` (its scrollbar is drawn again by :func:`draw_scrollbar`)."""
    view.set_reactive(ScrollView.virtual_size, size)


def draw_scrollbar(view: ScrollView, size: Size) -> None:
    """The scrollbar of a view whose length :func:`set_length` set, drawn for ``size``."""
    view._scroll_update(size)
