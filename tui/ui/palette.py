"""The command palette's commands that quote content: go to a topic, disable or remove a source.

Textual's own provider reads every command title as markup (``Matcher.highlight`` and the palette
both call ``Content.from_markup``), so a rubrique named ``Maroc [/]`` ends the app and one named
``[@click=app.quit]x[/]`` is a live action. These hits are built as ``Content`` from plain text,
which the palette shows as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import islice
from typing import NamedTuple, Protocol

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.screen import Screen


class PaletteCommand(NamedTuple):
    title: str  # plain text: never read as markup
    help: str  # plain text too
    callback: Callable[[], object]


class HasPaletteCommands(Protocol):
    def palette_commands(self, screen: Screen, query: str = "") -> Iterable[PaletteCommand]: ...


#: Shown before anything is typed: the first commands only, whatever the store holds
#: (there can be hundreds of thousands of rubriques; typing searches them).
DISCOVERY_LIMIT = 100


def literal_highlight(matcher: Matcher, text: str) -> Content:
    """``text`` as literal content, the letters the query matched highlighted."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if not score:
        return content
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class ContentCommands(Provider):
    def _commands(self, query: str = "") -> Iterable[PaletteCommand]:
        app: HasPaletteCommands = self.app  # type: ignore[assignment]
        return app.palette_commands(self.screen, query)

    async def discover(self) -> Hits:
        for command in islice(self._commands(), DISCOVERY_LIMIT):
            yield DiscoveryHit(
                Content(command.title),
                command.callback,
                text=command.title,
                help=Content(command.help),  # type: ignore[arg-type]  # Content is shown as is
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands(query):
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(
                    score,
                    literal_highlight(matcher, command.title),
                    command.callback,
                    text=command.title,
                    help=Content(command.help),  # type: ignore[arg-type]
                )
