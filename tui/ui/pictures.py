"""How the article view draws pictures: which protocol the terminal gets, sizes, placeholders.

textual-image draws the Kitty graphics protocol with Unicode placeholders, so a picture is cells
of text that scroll with the article; kitty and Ghostty draw those. Sixel is a picture drawn where
the cursor is, not cells: in ``sixel`` mode a picture's cells hold its half-blocks and the
article view draws textual-image's Sixel encoding over them while the whole picture is in view
(:meth:`tui.ui.widgets.article_view.ArticleView.render_line`). Half-blocks are drawn here from
the decoded picture: each cell two pixels, one above the other, which needs no question to the
terminal.

``auto`` asks the terminal (textual-image's probes: a device-attributes query, a Kitty graphics
query) only when its environment names kitty or Ghostty, directly or through tmux (which passes
the environment on and answers for what it draws itself): each probe costs a round trip, and a
timeout in every terminal that does not answer, before the first frame. Any other truecolor
terminal gets half-blocks; the rest, placeholders only.

The probes write a query and read the answer from standard input, which works only before
Textual starts reading it: :func:`resolve_mode` runs before the app starts.
"""

from __future__ import annotations

import logging
import math
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from rich.color import Color
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style

MODES = ("auto", "kitty", "sixel", "blocks", "off")
DRAWN = ("kitty", "sixel", "blocks")
# Terminals that draw Kitty graphics placeholders, as their environment names them.
_GRAPHICS_TERMS = ("xterm-kitty", "xterm-ghostty")
_GRAPHICS_PROGRAMS = ("ghostty",)
_GRAPHICS_VARIABLES = ("KITTY_WINDOW_ID", "GHOSTTY_RESOURCES_DIR")
CELL = (10, 20)  # pixels per cell when the terminal was not asked: a cell twice as tall as wide


def resolve_mode(
    wanted: str, environ: Mapping[str, str] | None = None, *, terminal: bool | None = None
) -> str:
    """The mode pictures are drawn in: ``wanted``, or for ``auto`` the best the terminal answers
    to (the Kitty graphics protocol, then Sixel; through tmux when it passes them on), else
    half-blocks when it has truecolor, else ``off``. May ask the terminal: call it before the
    app starts."""
    env = os.environ if environ is None else environ
    if wanted not in MODES or wanted == "off":
        return "off"
    tty = _is_terminal() if terminal is None else terminal
    if wanted == "blocks":
        return "blocks"
    if wanted == "auto" and "web" in env.get("TEXTUAL_DRIVER", "").lower():
        return "blocks"  # textual-serve: the browser's terminal draws coloured cells, not graphics
    if wanted == "auto" and not (tty and _may_draw_graphics(env)):
        return "blocks" if env.get("COLORTERM", "").lower() in ("truecolor", "24bit") else "off"
    if not tty:
        return "blocks" if wanted == "auto" else wanted
    # A terminal that does not answer is an ordinary case, not a warning with a traceback on
    # the screen the app is about to take.
    logging.getLogger("textual_image").setLevel(logging.ERROR)
    try:
        import textual_image.renderable as renderables  # the terminal is asked here, once
        from textual_image._terminal import get_cell_size

        get_cell_size()  # kept for the drawing: the terminal cannot be asked later
    except Exception:  # a terminal of no size (0 columns), a closed standard input
        return "blocks" if wanted in ("auto", "blocks") else "off"
    if wanted != "auto":
        return wanted
    if renderables.Image is renderables.TGPImage:
        return "kitty"
    if renderables.Image is renderables.SixelImage:
        return "sixel"
    return "blocks" if env.get("COLORTERM", "").lower() in ("truecolor", "24bit") else "off"


def _may_draw_graphics(env: Mapping[str, str]) -> bool:
    term = env.get("TERM", "").lower()
    program = env.get("TERM_PROGRAM", "").lower()
    return (
        term in _GRAPHICS_TERMS
        or program in _GRAPHICS_PROGRAMS
        or any(env.get(name) for name in _GRAPHICS_VARIABLES)
    )


def _is_terminal() -> bool:
    return bool(sys.__stdout__ and sys.__stdout__.isatty() and sys.__stdin__ and sys.__stdin__.isatty())


def _cell_size() -> tuple[int, int]:
    """Pixels per cell as the terminal said before the app started, else :data:`CELL`."""
    try:
        from textual_image._terminal import get_cell_size
    except ImportError:
        return CELL
    if hasattr(get_cell_size, "_result"):
        size = get_cell_size()
        return size.width, size.height
    return CELL


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

    def sixel(self, number: int) -> tuple[int, str]:
        """(rows, Sixel sequence) of the drawing whose last row carries ``sixel=number``."""
        drawing = next((d for d in self._drawn.values() if id(d) == number), None)
        if drawing is None or drawing.sixel is None:
            return 0, ""
        return drawing.rows, drawing.sixel

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


def half_blocks(image, columns: int, rows: int) -> list[list[Segment]]:
    """A picture as ``rows`` lines of ``columns`` upper-half blocks: each cell's foreground is the
    upper pixel, its background the lower one."""
    from PIL import Image

    # Reduced by whole factors first (a box filter), then Lanczos: what fair resampling gives,
    # at a fraction of its work on a photo many times the cells' size (on the UI thread).
    small = image.convert("RGB").resize((columns, rows * 2), Image.Resampling.LANCZOS, reducing_gap=2.0)
    data = small.tobytes()
    lines = []
    stride = columns * 3
    for row in range(rows):
        upper = data[2 * row * stride : (2 * row + 1) * stride]
        lower = data[(2 * row + 1) * stride : (2 * row + 2) * stride]
        line = []
        for x in range(0, stride, 3):
            top = Color.from_rgb(upper[x], upper[x + 1], upper[x + 2])
            bottom = Color.from_rgb(lower[x], lower[x + 1], lower[x + 2])
            line.append(Segment("▀", Style(color=top, bgcolor=bottom)))
        lines.append(line)
    return lines


class _Drawing:
    """One picture as the terminal draws it, its cells marked as a link to the picture."""

    def __init__(self, picture, url: str, mode: str, max_width: int, max_rows: int) -> None:
        self.picture = picture
        self.url = url
        self.mode = mode
        self.columns, self.rows = cells_for(
            picture.image.width,
            picture.image.height,
            max_width,
            max_rows,
            _cell_size() if mode in ("kitty", "sixel") else CELL,
        )
        self._lines: list[list[Segment]] | None = None
        self.sixel: str | None = None  # in sixel mode, the picture as textual-image encodes it

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self._lines is None:
            self._lines = self._render(console, options)
        link = Style(link=self.url) + Style.from_meta({"picture": True})
        # The last row says where the Sixel drawing is (ArticleView draws it over the cells).
        last = link + Style.from_meta({"picture": True, "sixel": id(self)}) if self.sixel else link
        for number, line in enumerate(self._lines):
            style = last if number == len(self._lines) - 1 else link
            for segment in line:
                yield Segment(segment.text, (segment.style or Style()) + style, segment.control)
            yield Segment.line()

    def _render(self, console: Console, options: ConsoleOptions) -> list[list[Segment]]:
        if self.mode == "sixel":
            self.sixel = self._sixel(console, options)
        if self.mode != "kitty":
            return half_blocks(self.picture.image, self.columns, self.rows)
        from textual_image.renderable.tgp import Image as KittyImage

        renderable = KittyImage(self.picture.image, width=self.columns, height=self.rows)
        return console.render_lines(
            renderable, options.update(width=self.columns, height=self.rows), pad=False, new_lines=False
        )

    def _sixel(self, console: Console, options: ConsoleOptions) -> str | None:
        """The picture as textual-image's Sixel renderable encodes it: its Device Control String
        (ESC P ... q ... ESC \\), drawn by the view over the picture's cells, which hold its
        half-blocks meanwhile (and when it is partly scrolled out)."""
        from textual_image.renderable.sixel import Image as SixelImage

        renderable = SixelImage(self.picture.image, width=self.columns, height=self.rows)
        try:
            segments = console.render(renderable, options.update(width=self.columns, height=self.rows))
            return next((s.text for s in segments if s.control and s.text.startswith("\x1bP")), None)
        except Exception:  # a picture textual-image cannot encode keeps its half-blocks
            return None
