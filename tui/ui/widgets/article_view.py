"""The article view: the whole article as Markdown, drawn line by line.

Rich renders a Markdown document to lines much sooner than Textual's Markdown widget builds one
widget per block (BENCHMARKS.md), so the document is rendered once per width and the view only
copies the visible lines.

Links are not left to the terminal or to a browser: each link's OSC 8 hyperlink is removed and
replaced by a click action that asks the screen to follow it inside the reader.
"""

from __future__ import annotations

import threading
import unicodedata
from functools import partial
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.control import Control
from rich.segment import ControlType, Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.sanitize import clean_text
from tui.ui.pictures import PictureBook
from tui.ui.widgets.scroll_length import draw_scrollbar, only_scrollbar_changes, set_length

if TYPE_CHECKING:  # the first article shown brings them (the first frame shows a placeholder)
    from tui.article_markdown import DocumentLink


class ArticleView(ScrollView, can_focus=True):
    """Scrollable, pre-rendered Markdown with followable links."""

    BINDINGS = [
        Binding("down,j", "scroll_down", "Bas", show=False, id="article.down"),
        Binding("up,k", "scroll_up", "Haut", show=False, id="article.up"),
        Binding("home,g", "scroll_home", "Début", show=False, id="article.top"),
        Binding("end,G", "scroll_end", "Fin", show=False, id="article.bottom"),
        Binding("pagedown,space", "page_down", "Page suivante", show=False, id="article.page_down"),
        Binding("pageup", "page_up", "Page précédente", show=False, id="article.page_up"),
        Binding("ctrl+d", "half_page_down", "Demi-page", show=False, id="article.half_down"),
        Binding("ctrl+u", "half_page_up", "Demi-page", show=False, id="article.half_up"),
    ]

    DEFAULT_CSS = """
    ArticleView { background: $surface; padding: 0 1; }
    """

    class LinkClicked(Message):
        def __init__(self, link: DocumentLink) -> None:
            super().__init__()
            self.link = link

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.document = ""
        self.links: list[DocumentLink] = []
        self._link_numbers: dict[str, int] = {}  # url -> its number in links
        self._lines: list[Strip] = []
        self._rendered_width = -1
        self._query = ""
        self._chunks: list[str] = []
        self._generation = 0  # bumped by every new render, so a stale continuation stops
        self.matches: list[tuple[int, int, int]] = []  # (line, start cell, end cell)
        self._matches_by_line: dict[int, list[int]] = {}  # line -> indexes into matches
        self._searched_lines = 0  # lines already searched for the query
        self._base: Style | None = None  # the widget's style while a frame is drawn
        self.current_match = -1
        self.pictures = PictureBook()
        self._shown = object()  # which show() a layout finished in a thread belongs to
        self._unused: list[list[Strip]] = []  # lines no longer shown, freed after the frame
        self._chunks_unbarred = 0  # chunks of the rest laid out since the scrollbar was drawn

    def show(self, document: str) -> None:
        """Show a new Markdown document from its top.

        A long one is cut into blocks and its links listed in a process of its own (a parse of
        the whole Markdown): meanwhile its beginning is shown, and the keys keep answering.
        """
        from tui.article_layout import beginning, lay_out

        self.pictures.clear()
        self.document = document
        self._shown = shown = object()
        if len(document) <= LAID_OUT_HERE:
            links, self._chunks = lay_out(document)
            self._set_links(links)
        else:
            self._set_links([])
            self._chunks = beginning(document)
            # After the frame that shows the beginning: the frame comes first.
            self.call_after_refresh(self._start_lay_out, document, shown)
        self._rendered_width = -1
        if self.size.width:
            self._render_document()
        # else the view is not laid out yet (the article pane appears with the first article):
        # rendered at its width by the frame that lays it out (render_lines), not at a width it
        # never shows.
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    def _set_links(self, links: list[DocumentLink]) -> None:
        self.links = links
        self._link_numbers = {link.url: number for number, link in enumerate(links)}

    def _start_lay_out(self, document: str, shown: object) -> None:
        if shown is self._shown:  # still the document shown
            threading.Thread(target=self._lay_out, args=(document, shown), daemon=True).start()

    def _lay_out(self, document: str, shown: object) -> None:
        # In a daemon thread, which only waits for the layout process: quitting never waits.
        from tui.layout_process import shared

        laid_out = shared().lay_out(document)
        if laid_out is None and shown is self._shown:  # no process here: in this thread, then
            from tui.article_layout import lay_out

            laid_out = lay_out(document)
        if laid_out is None:
            return  # another document was shown meanwhile
        try:
            self.app.call_from_thread(self._laid_out, shown, *laid_out)
        except Exception:  # the app ended meanwhile
            pass

    def _laid_out(self, shown: object, links: list[DocumentLink], chunks: list[str]) -> None:
        if shown is not self._shown:
            return  # another article since
        self._set_links(links)
        self._chunks = chunks
        self._rendered_width = -1
        self._render_document(keep=True)
        self.refresh()

    def clear(self) -> None:
        self.show("")

    def picture_arrived(self, document: str, result) -> None:
        """A picture of ``document`` was loaded or refused: drawn in place if it is still the
        document shown, the lines after it moving down."""
        if document != self.document:
            return
        self.pictures.results[result.url] = result
        if result.picture is not None and self.pictures.mode != "off":
            self._rendered_width = -1
            self._render_document(keep=True)
            self.refresh()

    def picture_problem(self, url: str) -> str:
        """The reason code why the picture at ``url`` is not drawn ("" when it is, or is loading)."""
        result = self.pictures.results.get(url)
        return result.reason if result is not None else ""

    def picture_detail(self, url: str) -> str:
        result = self.pictures.results.get(url)
        return clean_text(result.detail, multiline=False) if result is not None else ""

    def show_placeholder(self, text: str) -> None:
        """One line of the UI's own (no Markdown: the renderer is not loaded before it is needed)."""
        self.document = ""
        self._set_links([])
        self._chunks = []
        self._generation += 1
        self._rendered_width = -1
        self._lines = [Strip([Segment(text, Style(italic=True, dim=True))])]
        self.virtual_size = Size(len(text), 1)
        self.refresh()

    @property
    def text_width(self) -> int:
        return max(20, self.scrollable_content_region.width - 1)

    def _render_document(self, keep: bool = False) -> None:
        """Render the first screenful now and the rest a chunk per frame: a 200 KB article shows
        at once and the app keeps answering keys while the end of it is laid out. With ``keep``
        (the same document laid out again), down to the lines shown now, so a key pressed
        meanwhile is not undone."""
        width = self.text_width
        if width == self._rendered_width or (not self._chunks and not self.document):
            return
        self._rendered_width = width
        self._generation += 1
        self._let_go(self._lines)
        self._lines = []
        self._searched_lines = 0
        self.matches, self._matches_by_line = [], {}
        shown_to = (round(self.scroll_y) if keep else 0) + self.scrollable_content_region.height
        if self._chunks:
            self._lines = self._render_chunk(self._chunks[0], width)
            index = 1
            while index < min(len(self._chunks), KEPT_CHUNKS) and len(self._lines) < shown_to:
                self._lines += [Strip.blank(0)] + self._render_chunk(self._chunks[index], width)
                index += 1
            if index < len(self._chunks):
                self.call_after_refresh(self._render_rest, self._generation, index)
        self._lines_changed(width)

    def _render_rest(self, generation: int, index: int) -> None:
        if generation != self._generation or index >= len(self._chunks):
            return  # another article or another width since
        width = self._rendered_width
        first = len(self._lines)
        self._lines += [Strip.blank(0)] + self._render_chunk(self._chunks[index], width)
        self._lines_changed(width, more=index + 1 < len(self._chunks))
        if first < self.scroll_y + self.scrollable_content_region.height:
            self.refresh()  # else the new lines are out of sight: nothing on screen changes
        if index + 1 < len(self._chunks):
            # A pause between two chunks: a key's way to the view (a few hops between message
            # queues) is never taken in turns with the laying out of chunk after chunk.
            self.set_timer(REST_PAUSE, partial(self._render_rest, generation, index + 1))

    def _lines_changed(self, width: int, *, more: bool = False) -> None:
        """The lines grew or were rendered anew; ``more``: chunks of the rest of the document
        follow (its scrollbar may wait for them)."""
        size = Size(width, len(self._lines))
        if only_scrollbar_changes(self, size):
            # At each chunk of a long article. The scrollbar itself is drawn again once every
            # SCROLLBAR_CHUNKS chunks of the rest of a document, and after its last: each time
            # is a frame.
            set_length(self, size)
            self._chunks_unbarred += 1
            if not more or self._chunks_unbarred >= SCROLLBAR_CHUNKS:
                self._chunks_unbarred = 0
                draw_scrollbar(self, size)
        else:
            self.virtual_size = size
        if self._query:
            self._find_matches()

    def _let_go(self, lines: list[Strip]) -> None:
        """Free ``lines`` (no longer shown) after the next frame, a slice at a time: freeing the
        thousands of lines of a long article at once delayed the next article's first frame."""
        if len(lines) > FREED_AT_ONCE:
            self._unused.append(lines)
            if len(self._unused) == 1:
                self.call_after_refresh(self._free_some)

    def _free_some(self) -> None:
        lines = self._unused[0]
        del lines[-FREED_AT_ONCE:]
        if not lines:
            self._unused.pop(0)
        if self._unused:
            self.set_timer(REST_PAUSE, self._free_some)

    def _render_chunk(self, markdown: str, width: int) -> list[Strip]:
        from tui.ui.markdown_render import ArticleMarkdown  # not needed before the first article is opened

        console = self.app.console
        options = console.options.update(width=width, height=None, highlight=False)
        self.pictures.max_rows = max(2, self.app.size.height // 3)
        rendered = console.render_lines(
            ArticleMarkdown(markdown, pictures=self.pictures, hyperlinks=True, code_theme="ansi_dark"),
            options,
            pad=False,
        )
        clicks: dict[tuple[int, bool], Style] = {}
        return [Strip(self._clickable(line, self._link_numbers, clicks)) for line in rendered]

    @staticmethod
    def _clickable(
        line: list[Segment], index: dict[str, int], clicks: dict[tuple[int, bool], Style]
    ) -> list[Segment]:
        """``line`` with each link's OSC 8 address replaced by a click that follows it;
        ``clicks`` keeps each link's click style for the lines after (a picture is hundreds
        of cells of one link)."""
        result = []
        for text, style, control in line:
            # Rendering Markdown decodes entities (&rlm; &#x202e;) after the core's sanitizer
            # ran: what reaches the screen is filtered once more.
            text = clean_text(text)
            if style is not None and style.link:
                number = index.get(style.link)
                style = style.update_link(None)
                if number is not None:
                    picture = bool(style.meta.get("picture"))
                    click = clicks.get((number, picture))
                    if click is None:
                        # A picture's cells are a link too, never underlined (a line across it).
                        underline = Style() if picture else Style(underline=True)
                        click = underline + Style.from_meta(
                            {"@click": f"follow_link({number})", "link": number}
                        )
                        clicks[number, picture] = click
                    style = style + click
            result.append(Segment(text, style, control))
        return result

    def render_lines(self, crop: Region) -> list[Strip]:
        if self._rendered_width == -1 and self.size.width:
            # Shown before the view had a width (the article pane appears with the first
            # article): rendered at the width this frame lays it out at, so the frame that
            # shows the pane shows the text, not the frame after the Resize event.
            self._render_document()
        # The widget's style walks the DOM at every call: read it once per frame.
        self._base = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._base = None

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        base = self._base or self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, base)
        line = self._lines[index]
        if index in self._matches_by_line:
            line = self._highlight(index, line)
        shown = line.crop_extend(scroll_x, scroll_x + width, base).apply_style(base)
        if self.pictures.mode == "sixel":
            return self._with_sixel(shown, index, y)
        return shown

    def _with_sixel(self, shown: Strip, index: int, y: int) -> Strip:
        """``shown`` (row ``y`` on screen), followed by the Sixel drawing of the picture whose
        last row it is, when the whole picture is in view: the cursor taken to the picture's
        first cell, the drawing, the cursor put back. Only the picture renderer's sequence is
        written so: every text of an article went through the sanitizer, which removes ESC."""
        column = 0
        for text, style, control in shown:
            number = style.meta.get("sixel") if style is not None and not control else None
            if number is not None:
                break
            column += 0 if control else cell_len(text)
        else:
            return shown
        rows, sixel = self.pictures.sixel(number)
        top = y - rows + 1
        if not sixel or top < 0 or not self.screen.is_active:
            return shown  # partly scrolled out, or under a dialog: its half-blocks
        region = self.content_region
        drawing = [
            Segment(
                "\x1b7" + Control.move_to(region.x + column, region.y + top).segment.text, None, _CONTROL
            ),
            Segment(sixel, None, _CONTROL),
            Segment("\x1b8", None, _CONTROL),
        ]
        return Strip([*shown, *drawing], shown.cell_length)

    # -- finding text (Ctrl+F) ----------------------------------------------------------------

    def find(self, query: str) -> int:
        """Highlight every match of ``query`` (case- and accent-insensitive); returns how many,
        and scrolls to the first one below the top of the view."""
        self._query = _fold(query.strip())
        self.matches, self._matches_by_line, self._searched_lines = [], {}, 0
        self._find_matches()
        self.current_match = -1
        if self.matches:
            top = self.scroll_offset.y
            self.current_match = next((i for i, m in enumerate(self.matches) if m[0] >= top), 0)
            self._show_match()
        self.refresh()
        return len(self.matches)

    def find_next(self, step: int = 1) -> None:
        if self.matches:
            self.current_match = (self.current_match + step) % len(self.matches)
            self._show_match()
            self.refresh()

    def _find_matches(self) -> None:
        """Search the lines not searched yet (the chunks rendered since): each line is searched
        once per query, however many chunks follow it."""
        first, self._searched_lines = self._searched_lines, len(self._lines)
        if not self._query:
            return
        size = len(self._query)
        for number in range(first, len(self._lines)):
            text = _fold(self._lines[number].text)
            start = text.find(self._query)
            while start >= 0:
                self._matches_by_line.setdefault(number, []).append(len(self.matches))
                self.matches.append((number, start, start + size))
                start = text.find(self._query, start + size)

    def _show_match(self) -> None:
        line = self.matches[self.current_match][0]
        height = self.scrollable_content_region.height
        if not self.scroll_offset.y <= line < self.scroll_offset.y + height:
            self.scroll_to(y=max(0, line - height // 3), animate=False, immediate=True)

    def _highlight(self, index: int, line: Strip) -> Strip:
        for number in self._matches_by_line.get(index, ()):
            _, start, end = self.matches[number]
            style = Style(
                reverse=True, bold=number == self.current_match, underline=number == self.current_match
            )
            before, middle, after = [*line.divide([start, end, line.cell_length]), *[Strip([])] * 3][:3]
            line = Strip.join([before, middle.apply_style(style), after])
        return line

    def on_resize(self, event: events.Resize) -> None:
        self._render_document(keep=True)
        self.refresh()

    def picture_at_pointer(self) -> DocumentLink | None:
        """The picture under the mouse pointer, drawn or as its placeholder (None: no picture)."""
        number = self.hover_style.meta.get("link")
        if isinstance(number, int) and 0 <= number < len(self.links) and self.links[number].image:
            return self.links[number]
        return None

    def action_follow_link(self, number: int) -> None:
        if 0 <= number < len(self.links):
            self.post_message(self.LinkClicked(self.links[number]))

    # Keys jump, never animate: an animated End redraws the view dozens of times, which over
    # SSH is slow and costs bandwidth. The mouse wheel keeps Textual's smoothing.

    def _jump(self, y: float) -> None:
        self.scroll_to(y=y, animate=False, immediate=True)

    def action_scroll_down(self) -> None:
        self._jump(self.scroll_y + 1)

    def action_scroll_up(self) -> None:
        self._jump(self.scroll_y - 1)

    def action_scroll_home(self) -> None:
        self._jump(0)

    def action_scroll_end(self) -> None:
        self._jump(self.max_scroll_y)

    def action_page_down(self) -> None:
        self._jump(self.scroll_y + self.scrollable_content_region.height)

    def action_page_up(self) -> None:
        self._jump(self.scroll_y - self.scrollable_content_region.height)

    def action_half_page_down(self) -> None:
        self._jump(self.scroll_y + self.scrollable_content_region.height // 2)

    def action_half_page_up(self) -> None:
        self._jump(self.scroll_y - self.scrollable_content_region.height // 2)


# A control segment moves nothing in a line's cells: Rich and Textual count it as no cells.
_CONTROL = ((ControlType.CURSOR_FORWARD, 0),)


def _fold(text: str) -> str:
    """Lower case without accents, one character for one, so positions stay those of the line."""
    return "".join(unicodedata.normalize("NFD", c)[0].casefold()[:1] or c for c in text)


#: Seconds between laying out two chunks of the rest of a document.
REST_PAUSE = 0.02
#: While the rest of a document is laid out, its scrollbar is drawn again once every this many chunks.
SCROLLBAR_CHUNKS = 8
#: Lines no longer shown are freed this many at a time, between frames.
FREED_AT_ONCE = 1000
#: At most this many chunks are laid out at once to keep the reader's place when the document
#: is laid out again (its blocks arrive, a picture, a new width); further down, it starts over.
KEPT_CHUNKS = 40
#: Documents up to this many characters are cut into blocks at once; longer ones in a process.
LAID_OUT_HERE = 100_000
