"""Rich's Markdown with what an article needs: pictures where the text puts them (a paragraph
that is one picture draws it once loaded, any other holds its placeholder), numbered
items with their dot, and one blank line between blocks.

Rich renders an inline image as a block of its own before the paragraph that holds it ("Image :
![Photo](…)" came out as "🌆 Photo Image :"), numbers items without a dot ("1 Un"), and pads
tables and code blocks with a blank line of their own after the blank line between blocks. No
library renders Markdown to terminal lines as fast (FIELD_NOTES), so these are small overrides of
Rich's elements rather than another renderer.
"""

from __future__ import annotations

from typing import ClassVar, cast

from rich.console import Console, ConsoleOptions, RenderResult
from rich.markdown import (
    CodeBlock,
    ImageItem,
    ListItem,
    Markdown,
    MarkdownContext,
    MarkdownElement,
    Paragraph,
    TableElement,
)
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from tui.sanitize import clean_line
from tui.ui.pictures import PictureBook

# Rich wraps at every whitespace, no-break spaces too ("Ecrit par" / ": S.A"): while a paragraph
# is wrapped, each no-break space stands in for a private-use character of the same width.
NO_BREAK = "\u00a0"
_HOLD = "\ue000"


class _Paragraph(Paragraph):
    pictures: PictureBook
    images: list[tuple[str, str]]  # (placeholder, address) of the pictures in the paragraph

    @classmethod
    def create(cls, markdown: Markdown, token) -> _Paragraph:
        paragraph = cast(_Paragraph, super().create(markdown, token))  # Rich's create builds a cls
        paragraph.pictures = getattr(markdown, "pictures", None) or _NO_PICTURES
        paragraph.images = []
        return paragraph

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # A paragraph that is one picture and nothing else is the picture, once it is loaded.
        if len(self.images) == 1 and self.text.plain.strip() == self.images[0][0]:
            drawing = self.pictures.drawing(self.images[0][1], options.max_width)
            if drawing is not None:
                yield drawing
                return
        if NO_BREAK not in self.text.plain:
            yield from super().__rich_console__(console, options)
            return
        text = self.text
        held = Text(text.plain.replace(NO_BREAK, _HOLD), style=text.style, justify=self.justify, end="")
        held.spans = list(text.spans)
        for line in held.wrap(console, options.max_width, justify=self.justify):
            shown = Text(line.plain.replace(_HOLD, NO_BREAK), style=line.style, no_wrap=True, end="\n")
            shown.spans = list(line.spans)
            yield shown

    def on_child_close(self, context: MarkdownContext, child: MarkdownElement) -> bool:
        # A picture stays where it is in the sentence.
        if isinstance(child, ImageItem):
            # Its placeholder, "[Image : alt]", a link to the picture; the picture itself
            # replaces a paragraph that holds nothing else once it is loaded.
            alt = clean_line(child.text.plain if child.text else "", 200)
            placeholder = self.pictures.label(alt)
            self.text.append(placeholder, context.current_style + Style(link=child.destination or None))
            self.images.append((placeholder, child.destination))
            # Rich puts a blank line before a block when the element closed last asks for one:
            # the picture is no block, the paragraph keeps the blank line it is owed.
            child.new_line = True  # type: ignore[misc]  # Rich's class default, set for this element
            return False
        return super().on_child_close(context, child)


class _ListItem(ListItem):
    def render_number(
        self, console: Console, options: ConsoleOptions, number: int, last_number: int
    ) -> RenderResult:
        width = len(str(last_number)) + 3  # "12. "
        lines = console.render_lines(self.elements, options.update(width=options.max_width - width))
        style = console.get_style("markdown.item.number", default="none")
        for first, line in enumerate(lines):
            yield Segment(f"{number}.".rjust(width - 1) + " " if first == 0 else " " * width, style)
            yield from line
            yield Segment("\n")


class _CodeBlock(CodeBlock):
    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for syntax in super().__rich_console__(console, options):
            syntax.padding = (0, 1)  # type: ignore[union-attr]  # the blank line between blocks is enough
            yield syntax


class _Table(TableElement):
    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for table in super().__rich_console__(console, options):
            if isinstance(table, Table):
                table.show_edge = False  # no blank edge rows above and below
            yield table


_NO_PICTURES = PictureBook()


class ArticleMarkdown(Markdown):
    """``pictures``: the article's pictures as the view draws them (placeholders when None)."""

    elements: ClassVar[dict[str, type[MarkdownElement]]] = {
        **Markdown.elements,
        "paragraph_open": _Paragraph,
        "list_item_open": _ListItem,
        "fence": _CodeBlock,
        "code_block": _CodeBlock,
        "table_open": _Table,
    }

    def __init__(self, markup: str, *, pictures: PictureBook | None = None, **options) -> None:
        self.pictures = pictures
        super().__init__(markup, **options)
