"""The article's links (`l`): pick one with the keyboard, Enter follows it inside the reader, `o`
opens it in the browser."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.article_markdown import DocumentLink


class LinksScreen(ModalScreen[DocumentLink | None]):
    DEFAULT_CSS = """
    LinksScreen { align: center middle; }
    #links-box {
        width: 90%;
        max-width: 100;
        height: 80%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    #links-title { margin-bottom: 1; }
    #links-list { height: 1fr; border: none; }
    """
    BINDINGS = [
        Binding("escape,l,q", "dismiss_none", "Retour", id="links.close"),
        Binding("j", "cursor_down", show=False, id="links.down"),
        Binding("k", "cursor_up", show=False, id="links.up"),
        Binding("o", "open_highlighted", show=False, id="links.open"),
    ]

    def __init__(
        self,
        title: str,
        empty: str,
        links: list[DocumentLink],
        topic_hint: str = "",
        picture_note: Callable[[DocumentLink], tuple[str, str]] | None = None,
    ) -> None:
        """``topic_hint``: the second line of a link to a rubrique or tag, read in the reader;
        ``picture_note``: a picture's placeholder and why it is not drawn ("" when it is)."""
        super().__init__()
        self._picture_note = picture_note
        self._topic_hint = topic_hint
        self._title = title
        self._empty = empty
        self._links = links

    def compose(self) -> ComposeResult:
        with Vertical(id="links-box"):
            yield Static(Text(self._title, style="bold"), id="links-title")
            options = []
            for index, link in enumerate(self._links):
                label = Text(no_wrap=False)
                text, reason = link.text or link.url, ""
                if link.image and self._picture_note is not None:
                    text, reason = self._picture_note(link)
                label.append(text, style="bold")
                if reason:
                    label.append("\n")
                    label.append(reason, style="italic")
                second = link.url if not link.url.startswith("bladi-topic:") else self._topic_hint
                if second and second != link.text:  # a bare address is shown once
                    label.append("\n")
                    label.append(second, style="dim")
                options.append(Option(label, id=str(index)))
            if not options:
                yield Static(Text(self._empty))
            yield OptionList(*options, id="links-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._links[int(event.option.id or 0)])

    def action_open_highlighted(self) -> None:
        """The highlighted link, a picture's too, in the browser (the app says where it cannot)."""
        index = self.query_one(OptionList).highlighted
        if index is not None and 0 <= index < len(self._links):
            self.app.open_in_browser(self._links[index].url)  # type: ignore[attr-defined]

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()
