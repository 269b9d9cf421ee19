"""The article list: a line-API ScrollView that draws only the rows on screen.

It knows how many articles the current topic holds and asks its rows (tui.ui.article_rows) for
the window it is about to draw, so 100 or 100,000 articles cost the same to show and to scroll.
One widget per row (ListView) would take seconds to mount at a few thousand.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.dates import short_date
from tui.sanitize import clean_line
from tui.store import ArticleRow
from tui.ui.article_rows import ArticleRows
from tui.ui.widgets.scroll_length import draw_scrollbar, only_scrollbar_changes, set_length

# Rows fetched around the visible ones, so that a page of scrolling rarely queries the store.
PREFETCH = 64
CACHE_LIMIT = 4096
# The title keeps this many cells before the rubrique column gets any: titles are what people
# read, the rubrique is a hint. The column is as wide as the longest rubrique on screen, up to
# RUBRIQUE_MAX, and left out when fewer than RUBRIQUE_MIN cells remain for it.
TITLE_FIRST = 71  # 70 characters and the ellipsis of a longer title
RUBRIQUE_MAX = 20
RUBRIQUE_MIN = 6
# The read/saved glyphs and the space after them.
MARKER_WIDTH = 3


def column_widths(width: int, dates: list[str], rubriques: list[str]) -> tuple[int, int, int]:
    """(title, date, rubrique) cells for a list ``width`` cells wide showing these dates and
    rubriques; a column of width 0 is not drawn."""
    date = max((len(d) for d in dates), default=0)
    rest = width - MARKER_WIDTH - (date + 1 if date else 0)
    longest = min(RUBRIQUE_MAX, max((len(r) for r in rubriques), default=0))
    rubrique = min(longest, rest - TITLE_FIRST - 1)
    if rubrique < min(RUBRIQUE_MIN, longest) or rubrique <= 0:
        rubrique = 0
    title = max(4, rest - (rubrique + 1 if rubrique else 0))
    return title, date, rubrique


def fit_cells(text: str, width: int) -> str:
    """``text`` made ``width`` cells wide: padded with spaces, or cut with an ellipsis (as
    Rich's Text.truncate with overflow="ellipsis" and pad=True does)."""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…"
    return text + " " * (width - length)


def row_parts(
    row: ArticleRow, date: str, columns: tuple[int, int, int], width: int
) -> tuple[list[tuple[str, str | None]], int]:
    """A row's text in ``columns`` (as :func:`column_widths` gives them): (text, component
    class or None) pairs, and their cells in all (``width``, or more when the columns do not
    fit in it)."""
    title_width, date_width, rubrique_width = columns
    # The marker says read/unread/saved in a glyph, not by colour alone (8 colours, NO_COLOR).
    marker = ("●" if not row.read else " ") + ("★" if row.saved else " ") + " "
    title_class = "article-list--unread" if not row.read else "article-list--read"
    parts: list[tuple[str, str | None]] = [
        (marker, None),
        (fit_cells(clean_line(row.title), title_width), title_class),
    ]
    cells = MARKER_WIDTH + title_width
    if date_width:
        parts.append((f" {date:>{date_width}}", "article-list--date"))
        cells += 1 + max(date_width, len(date))
    if rubrique_width:
        # Cleaned again where drawn: the store is a file others could have written.
        parts.append(
            (fit_cells(" " + clean_line(row.rubrique), rubrique_width + 1), "article-list--rubrique")
        )
        cells += rubrique_width + 1
    if cells < width:
        parts.append((" " * (width - cells), None))
        cells = width
    return parts, cells


class ArticleList(ScrollView, can_focus=True):
    """Titles, short dates and rubriques, newest first; the cursor row is the highlighted article."""

    BINDINGS = [
        Binding("down,j", "cursor_down", "Bas", show=False, id="list.down"),
        Binding("up,k", "cursor_up", "Haut", show=False, id="list.up"),
        Binding("home,g", "first", "Début", show=False, id="list.first"),
        Binding("end,G", "last", "Fin", show=False, id="list.last"),
        Binding("pagedown", "page_down", "Page suivante", show=False, id="list.page_down"),
        Binding("pageup", "page_up", "Page précédente", show=False, id="list.page_up"),
        Binding("ctrl+d", "half_page_down", "Demi-page suivante", show=False, id="list.half_down"),
        Binding("ctrl+u", "half_page_up", "Demi-page précédente", show=False, id="list.half_up"),
        Binding("enter", "open", "Ouvrir", id="list.open"),
    ]

    COMPONENT_CLASSES = {
        "article-list--cursor",
        "article-list--unread",
        "article-list--read",
        "article-list--date",
        "article-list--rubrique",
        "article-list--empty",
    }

    DEFAULT_CSS = """
    ArticleList { background: $surface; overflow-x: hidden; }
    ArticleList > .article-list--cursor { background: $block-cursor-blurred-background; }
    ArticleList:focus > .article-list--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
    ArticleList > .article-list--unread { text-style: bold; }
    ArticleList > .article-list--read { color: $text-muted; }
    ArticleList > .article-list--date { color: $text-muted; }
    ArticleList > .article-list--rubrique { color: $accent; }
    ArticleList > .article-list--empty { color: $text-muted; text-style: italic; }
    """

    class Highlighted(Message):
        """The cursor moved to another article (this does not mark it read)."""

        def __init__(self, rowid: int | None) -> None:
            super().__init__()
            self.rowid = rowid

    class ReachedEnd(Message):
        """The cursor or the scroll reached the last row: older articles are wanted."""

    class Opened(Message):
        """The user asked to open the highlighted article."""

        def __init__(self, rowid: int) -> None:
            super().__init__()
            self.rowid = rowid

    def __init__(
        self,
        rows: ArticleRows,
        *,
        clock: Callable[[], datetime],
        language: str = "fr",
        empty_text: str = "",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._source: ArticleRows = rows
        self._clock = clock
        self.language = language
        self.empty_text = empty_text
        self._footer = ""  # a row after the last article ("Loading older articles…")
        self._rows: dict[int, ArticleRow] = {}  # list index -> row, the windows read so far
        self.cursor = 0
        self._base: Style | None = None  # the widget's style while a frame is drawn
        self._styles: dict[str, Style] = {}
        self._combined: dict[tuple[Style | None, Style | None], Style] = {}  # _row_style's sums this frame
        self._columns = (0, 0, 0)  # (title, date, rubrique) widths for the frame being drawn
        self._dates: dict[int, str] = {}  # the rows' dates as the frame being drawn shows them
        self._now: datetime | None = None  # the clock, read once for the frame being drawn

    # -- data ---------------------------------------------------------------------------------

    @property
    def source(self) -> ArticleRows:
        return self._source

    @property
    def count(self) -> int:
        return len(self._source)

    @property
    def rowids(self) -> list[int]:
        """Every row id of the list, in order. Reads them all: for tests and whole-list checks,
        never for drawing."""
        return self._source.rowids()

    @property
    def highlighted(self) -> int | None:
        row = self._row(self.cursor) if self.count else None
        return row.rowid if row is not None else None

    def position(self, rowid: int) -> int | None:
        """The index of an article in the list, or None when the list does not hold it."""
        return self._source.position(rowid)

    def show_rows(self, rows: ArticleRows, *, keep: bool = False) -> None:
        """Show another list. With ``keep``, the highlighted article stays highlighted and stays
        where it was on screen (new articles arriving above it do not move it)."""
        previous = self.highlighted
        screen_offset = self.cursor - round(self.scroll_y)
        self._source = rows
        self._rows.clear()
        index = rows.position(previous) if keep and previous is not None else None
        self._set_height()
        if index is None:
            self.cursor = 0
            self.scroll_to(y=0, animate=False, immediate=True)
        else:
            self.cursor = index
            self.scroll_to(y=max(0, index - screen_offset), animate=False, immediate=True)
        self.refresh()
        if self.highlighted != previous or not keep:
            self.post_message(self.Highlighted(self.highlighted))

    @property
    def footer(self) -> str:
        return self._footer

    @footer.setter
    def footer(self, text: str) -> None:
        """A row drawn after the last article (never a cursor position); "" for none."""
        self._footer = text
        self._set_height()
        self.refresh()

    def _set_height(self) -> None:
        size = Size(self.size.width, self._height())
        if only_scrollbar_changes(self, size):  # a topic chosen at 10,000 articles
            set_length(self, size)
            draw_scrollbar(self, size)
        else:
            self.virtual_size = size

    def _height(self) -> int:
        return len(self._source) + (1 if self._footer and len(self._source) else 0)

    def replace_rows(self, rows: ArticleRows) -> None:
        """The same rows in the same order, read another way (after marking them all read):
        the cursor and the scroll stay, the marks are read again."""
        self._source = rows
        self.forget_rows()

    def forget_rows(self, rowids: Sequence[int] | None = None) -> None:
        """Their read or saved mark changed: read them again, and keep them in the list (an
        article read in the unread list stays there until the list is read again)."""
        if rowids is None:
            self._rows.clear()
        else:
            self._source.keep(rowids)
            changed = set(rowids)
            for index in [index for index, row in self._rows.items() if row.rowid in changed]:
                del self._rows[index]
        self.refresh()

    def _row(self, index: int) -> ArticleRow | None:
        row = self._rows.get(index)
        if row is None:
            if len(self._rows) > CACHE_LIMIT:
                self._rows.clear()
            # One read for what is on screen and a margin around it, without what is cached.
            start = max(0, min(round(self.scroll_y) - PREFETCH, index))
            stop = min(self.count, max(round(self.scroll_y) + self.size.height + PREFETCH, index + 1))
            while start < index and start in self._rows:
                start += 1
            while stop > index + 1 and stop - 1 in self._rows:
                stop -= 1
            for offset, found in enumerate(self._source.window(start, stop), start):
                self._rows[offset] = found
            row = self._rows.get(index)
        return row

    # -- drawing ------------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # The widget's style and its component styles walk the DOM at every call: read them
        # once per frame, not once or five times per row.
        self._styles = {}
        self._combined = {}
        self._base = self.rich_style
        # The clock read once per frame (with the local time zone, not cheap), each date
        # written once: the columns are measured on them, then the rows drawn with them.
        self._dates = {}
        self._now = self._clock()
        self._columns = self._measure_columns()
        try:
            return super().render_lines(crop)
        finally:
            self._base = None
            self._now = None
            self._dates = {}

    def get_component_rich_style(
        self, *names: str, partial: bool = False, default: Style | None = None
    ) -> Style:
        # While a frame is drawn, each component style is computed once, not once per row.
        if self._base is None or partial or default is not None or len(names) != 1:
            return super().get_component_rich_style(*names, partial=partial, default=default)
        style = self._styles.get(names[0])
        if style is None:
            style = self._styles[names[0]] = super().get_component_rich_style(names[0])
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width  # without the scrollbar's column
        index = round(self.scroll_y) + y
        base = self._base or self.rich_style
        count = self.count
        if not count:
            if y == 1 and self.empty_text:
                style = base + self.get_component_rich_style("article-list--empty")
                return Strip([Segment(" " + self.empty_text[: max(0, width - 1)], style)]).adjust_cell_length(
                    width, base
                )
            return Strip.blank(width, base)
        if index == count and self._footer:
            style = base + self.get_component_rich_style("article-list--empty")
            return Strip([Segment(" " + self._footer[: max(0, width - 1)], style)]).adjust_cell_length(
                width, base
            )
        if index >= count:
            return Strip.blank(width, base)
        cursor = self.get_component_rich_style("article-list--cursor") if index == self.cursor else None
        row = self._row(index)
        if row is None:
            return Strip.blank(width, self._row_style(base, None, cursor))
        return self._row_strip(row, width, base, cursor)

    def _date(self, row: ArticleRow) -> str:
        if self._base is None or self._now is None:  # outside a frame
            return short_date(row.date, self._clock(), self.language) if row.date else ""
        date = self._dates.get(row.rowid)
        if date is None:
            date = self._dates[row.rowid] = short_date(row.date, self._now, self.language) if row.date else ""
        return date

    def _measure_columns(self) -> tuple[int, int, int]:
        """The columns fitted to the rows on screen: the date and rubrique columns as wide as
        their longest entry there, the title taking the rest."""
        top = round(self.scroll_y)
        rows = [self._row(i) for i in range(top, min(self.count, top + self.size.height))]
        shown = [row for row in rows if row is not None]
        return column_widths(
            self.scrollable_content_region.width,
            [self._date(row) for row in shown],
            [clean_line(row.rubrique) for row in shown],
        )

    def _row_strip(self, row: ArticleRow, width: int, base: Style, cursor: Style | None) -> Strip:
        """One row as segments of their own styles (over the cursor's on the cursor row), in the
        columns fitted to the rows on screen (outside a frame, fitted to this row alone)."""
        date = self._date(row)
        if self._base is None:
            columns = column_widths(width, [date], [clean_line(row.rubrique)])
        else:
            columns = self._columns
        parts, cells = row_parts(row, date, columns, width)
        segments = [
            Segment(
                text, self._row_style(base, self.get_component_rich_style(name) if name else None, cursor)
            )
            for text, name in parts
        ]
        strip = Strip(segments, cells)
        return strip.crop(0, width) if cells > width else strip

    def _row_style(self, base: Style, style: Style | None, over: Style | None) -> Style:
        """``base + style + over``, each sum computed once per frame."""
        key = (style, over)
        combined = self._combined.get(key) if self._base is not None else None
        if combined is None:
            combined = base + (style or Style.null()) + (over or Style.null())
            if self._base is not None:
                self._combined[key] = combined
        return combined

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, self._height())

    # -- moving -------------------------------------------------------------------------------

    def move_to(self, index: int) -> None:
        if not self.count:
            return
        if index >= self.count - 1:
            self.post_message(self.ReachedEnd())
        index = max(0, min(index, self.count - 1))
        if index == self.cursor:
            if self._footer and index == self.count - 1:
                self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)
            self.refresh()
            return
        old = self.cursor
        self.cursor = index
        # The last row brings the footer row into view with it.
        rows = 2 if self._footer and index == self.count - 1 else 1
        self.scroll_to_region(Region(0, index, self.size.width, rows), animate=False, immediate=True)
        self.refresh_lines(old - round(self.scroll_y), 1)
        self.refresh_lines(index - round(self.scroll_y), 1)
        self.refresh()
        self.post_message(self.Highlighted(self.highlighted))

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(self.count - 1)

    def action_page_down(self) -> None:
        self.move_to(self.cursor + max(1, self.size.height - 1))

    def action_page_up(self) -> None:
        self.move_to(self.cursor - max(1, self.size.height - 1))

    def action_half_page_down(self) -> None:
        self.move_to(self.cursor + max(1, self.size.height // 2))

    def action_half_page_up(self) -> None:
        self.move_to(self.cursor - max(1, self.size.height // 2))

    def action_open(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Opened(self.highlighted))

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        if self.count and round(self.scroll_y) >= self.max_scroll_y:
            self.post_message(self.ReachedEnd())

    def on_click(self, event: events.Click) -> None:
        index = round(self.scroll_y) + event.y
        if 0 <= index < self.count:
            self.move_to(index)
            if event.chain >= 2:
                self.action_open()
