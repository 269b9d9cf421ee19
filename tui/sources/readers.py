"""What reads each source kind: one class per kind behind one interface, :class:`SourceReader`,
found by the kind's name here and nowhere else (:func:`reader_for`).

Adding a kind: its name and what is known of it in :mod:`tui.sources.kinds`, a class with its
``kind`` and ``refresh`` (a web kind subclasses :class:`tui.sources.web_kinds.WebSource`), and that
class in :data:`READERS`. The kinds only bladi-tui adds are not refreshed with the sources: a
topic's ``listing`` is read when the topic is shown (:class:`tui.sources.listing.ListingSource`),
a ``followed`` link when it is followed (:meth:`tui.sources.web.LiveReader.load_article`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from tui.sources.local import LocalSource
from tui.sources.web_kinds import ArticleSource, AutoSource, FeedSource, SiteSource

if TYPE_CHECKING:
    from tui.config import SourceSpec
    from tui.model import SourceOutcome
    from tui.sources.web import LiveReader
    from tui.store import Store


@dataclass(frozen=True, slots=True)
class Reading:
    """What the readers of one refresh share."""

    store: Store
    #: The one HTTP client and its per-host limits, for the web kinds; None when none is read.
    web: LiveReader | None = None
    #: A refresh nobody asked for: a source still waiting after a refusal is skipped.
    respect_backoff: bool = False


class SourceReader(Protocol):
    kind: str

    async def refresh(self, spec: SourceSpec, reading: Reading) -> SourceOutcome:
        """Read one source into the store: what was stored, or why nothing was."""
        ...


READERS: dict[str, SourceReader] = {
    reader.kind: reader
    for reader in (AutoSource(), FeedSource(), SiteSource(), ArticleSource(), LocalSource())
}


def reader_for(kind: str) -> SourceReader:
    """What reads sources of ``kind``."""
    try:
        return READERS[kind]
    except KeyError:
        raise ValueError(f"no reader for sources of kind {kind!r}") from None
