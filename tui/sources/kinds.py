"""Source kinds: their names, in one place, and their registration in the store, without importing
what reads them (the app's start-up registers its sources before anything is fetched).

A source given by URL is ``auto`` until read (its content says whether it is a feed, a site whose
feed is discovered, or one article), or what the config's ``kind`` says; a source given by path
is always ``local``. :mod:`tui.sources.web` reads the web kinds, :mod:`tui.sources.local` the local
one, :mod:`tui.sources.listing` the listing sources the reader adds for a topic.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

AUTO = "auto"
FEED = "feed"
SITE = "site"
ARTICLE = "article"
LOCAL = "local"
#: The kinds a configuration may name.
CONFIG_KINDS = (AUTO, FEED, SITE, ARTICLE, LOCAL)
#: The web kinds whose first request asks for a feed (a site's page leads to its feed).
FEED_KINDS = (AUTO, FEED, SITE)

#: Articles read from a site's listing pages (a rubrique's, a tag's), stored under a source of this
#: kind beside the source that gave the listing's URL (tui.sources.listing, tui.store.topics).
LISTING_KIND = "listing"

if TYPE_CHECKING:
    from tui.config import SourceSpec
    from tui.store import Store


def register_sources(store: Store, specs: Sequence[SourceSpec]) -> None:
    """Make every source known to the store, so the sidebar lists it before its first refresh."""
    store.ensure_sources([(spec.key, spec.name, spec.kind, spec.named) for spec in specs])
