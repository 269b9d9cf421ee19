"""How the article view draws pictures: the terminal's protocol, sizes, and placeholders.

textual-image draws them (Kitty graphics protocol, Sixel, half-block cells, on Pillow). It asks
the terminal what it can do by writing a query and reading the answer from standard input, which
only works before Textual starts reading it: :func:`resolve_mode` runs before the app starts.
"""

from __future__ import annotations

import logging
import math
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.segment import Segment
from rich.style import Style

MODES = ("auto", "kitty", "sixel", "blocks", "off")
DRAWN = ("kitty", "sixel", "blocks")


def resolve_mode(wanted: str, *, terminal: bool | None = None) -> str:
    """The mode pictures are drawn in: ``wanted``, or for ``auto`` the best the terminal answers
    to (textual-image asks it: Sixel, then the Kitty graphics protocol, through tmux when it
    passes them on), else half-blocks when it has truecolor, else ``off``.

    Asks the terminal (textual-image does when its renderables are first imported, and reads the
    cell size): call it before the app starts, which reads standard input from then on."""
    if wanted not in MODES or wanted == "off":
        return "off"
    # A terminal that does not answer is an ordinary case, not a warning with a traceback on
    # the screen the app is about to take.
    logging.getLogger("textual_image").setLevel(logging.ERROR)
    try:
        import textual_image.renderable as renderables  # the terminal is asked here, once
        from textual_image._terminal import get_cell_size

        get_cell_size()  # kept for the drawing (the terminal cannot be asked later)
    except Exception:  # a terminal of no size (0 columns), a closed standard input: no pictures
        return "off"
    tty = _is_terminal() if terminal is None else terminal
    if wanted != "auto":
        return wanted
    if tty and renderables.Image is renderables.TGPImage:
        return "kitty"
    if tty and renderables.Image is renderables.SixelImage:
        return "sixel"
    truecolor = os.environ.get("COLORTERM", "").lower() in ("truecolor", "24bit")
    return "blocks" if truecolor else "off"


def _is_terminal() -> bool:
    return bool(sys.__stdout__ and sys.__stdout__.isatty() and sys.__stdin__ and sys.__stdin__.isatty())


def _cell_size() -> tuple[int, int]:
    """Pixels per cell (width, height) as the terminal said before the app started, or the
    usual 10 x 20 when it was not asked."""
    from textual_image._terminal import get_cell_size

    if hasattr(get_cell_size, "_result") or not _is_terminal():
        size = get_cell_size()
        return size.width, size.height
    return 10, 20


@dataclass
class PictureBook:
    """The pictures of the article on screen, as the view draws them.

    ``results`` maps a picture's address to its :class:`tui.images.load.PictureResult` once it
    has been loaded or refused; until then its placeholder holds its place. ``label`` words a
    placeholder ("[Image : alt]").
    """

    mode: str = "off"
    max_rows: int = 10  # a third of the screen's height
    label: Callable[[str], str] = lambda alt: f"[Image\u00a0: {alt}]" if alt else "[Image]"
    results: dict = field(default_factory=dict)
    _drawn: dict = field(default_factory=dict)

    def clear(self) -> None:
        self.results = {}
        self._drawn = {}

    def drawing(self, url: str, max_width: int):
        """A renderable of the picture at ``url`` no wider than ``max_width``, or None to show its
        placeholder (drawing off, not loaded yet, or refused)."""
        result = self.results.get(url)
        if self.mode not in DRAWN or result is None or result.picture is None:
            return None
        key = (url, max_width, self.max_rows)
        if key not in self._drawn:
            self._drawn[key] = _Drawing(result.picture, url, self.mode, max_width, max(2, self.max_rows))
        return self._drawn[key]


def cells_for(
    width: int, height: int, max_width: int, max_rows: int, cell: tuple[int, int]
) -> tuple[int, int]:
    """Columns and rows for a ``width`` x ``height`` picture: its own size in cells, shrunk to
    fit ``max_width`` columns and ``max_rows`` rows, aspect kept."""
    columns, rows = width / cell[0], height / cell[1]
    scale = min(1.0, max_width / columns, max_rows / rows)
    return max(1, min(max_width, math.floor(columns * scale))), max(
        1, min(max_rows, math.floor(rows * scale))
    )


class _Drawing:
    """One picture as the terminal draws it, its cells marked as a link to the picture."""

    def __init__(self, picture, url: str, mode: str, max_width: int, max_rows: int) -> None:
        self.picture = picture
        self.url = url
        self.mode = mode
        self.columns, self.rows = cells_for(
            picture.image.width, picture.image.height, max_width, max_rows, _cell_size()
        )
        self._lines: list[list[Segment]] | None = None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self._lines is None:
            self._lines = self._render(console, options)
        link = Style(link=self.url) + Style.from_meta({"picture": True})
        for line in self._lines:
            for segment in line:
                yield Segment(segment.text, (segment.style or Style()) + link, segment.control)
            yield Segment.line()

    def _render(self, console: Console, options: ConsoleOptions) -> list[list[Segment]]:
        renderable: RenderableType
        if self.mode == "kitty":
            from textual_image.renderable.tgp import Image as Graphics

            renderable = Graphics(self.picture.image, width=self.columns, height=self.rows)
        else:
            # Sixel needs a widget of its own in Textual (textual-image's): inside the article's
            # lines, a picture is drawn as half-blocks in that mode.
            from textual_image.renderable.halfcell import Image as HalfBlocks

            renderable = HalfBlocks(self.picture.image, width=self.columns, height=self.rows)
        return console.render_lines(
            renderable, options.update(width=self.columns, height=self.rows), pad=False, new_lines=False
        )
