"""Source kinds: their names and what the rest of bladi-tui needs to know of each, in one place,
without importing what reads them (the config and the app's start-up need them before anything is
fetched). What reads each kind is :mod:`tui.sources.readers`.

A source given by URL is ``auto`` until read (its content says whether it is a feed, a site whose
feed is discovered, or one article), or what the config's ``kind`` says; a source given by path
is always ``local``. :mod:`tui.sources.web` reads the web kinds, :mod:`tui.sources.local` the local
one, :mod:`tui.sources.listing` the listing sources the reader adds for a topic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

AUTO = "auto"
FEED = "feed"
SITE = "site"
ARTICLE = "article"
LOCAL = "local"
#: Articles read from a site's listing pages (a rubrique's, a tag's), stored under a source of this
#: kind beside the source that gave the listing's URL (tui.sources.listing, tui.store.topics).
LISTING_KIND = "listing"
#: The articles of the links the user followed, one source for them all (tui.sources.web).
FOLLOWED = "followed"

if TYPE_CHECKING:
    from tui.config import SourceSpec
    from tui.store import Store


@dataclass(frozen=True, slots=True)
class SourceKind:
    """What is known of a kind before any of its sources is read."""

    name: str
    #: Read from this machine: no network, so read offline and without the fetch lock.
    local: bool = False
    #: What a configuration gives a source of this kind; "" for the kinds only bladi-tui adds.
    takes: Literal["url", "path", ""] = "url"
    #: Its address is a feed's, or may be: what other readers subscribe to (OPML's ``xmlUrl``).
    feed_address: bool = False


#: Every kind, by name: the one place a kind's name is looked up (:func:`kind_of`).
KINDS: dict[str, SourceKind] = {
    kind.name: kind
    for kind in (
        SourceKind(AUTO, feed_address=True),
        SourceKind(FEED, feed_address=True),
        SourceKind(SITE),
        SourceKind(ARTICLE),
        SourceKind(LOCAL, local=True, takes="path"),
        SourceKind(LISTING_KIND, takes=""),
        SourceKind(FOLLOWED, takes=""),
    )
}
#: The kinds a configuration may name.
CONFIG_KINDS = tuple(name for name, kind in KINDS.items() if kind.takes)


def kind_of(name: str) -> SourceKind:
    """The kind named ``name``. A name none of :data:`KINDS` has (a store written by another
    version holds it) is a web source that no configuration may name."""
    return KINDS.get(name) or SourceKind(name, takes="")


def register_sources(store: Store, specs: Sequence[SourceSpec]) -> None:
    """Make every source known to the store, so the sidebar lists it before its first refresh."""
    store.ensure_sources([(spec.key, spec.name, spec.kind, spec.named) for spec in specs])
