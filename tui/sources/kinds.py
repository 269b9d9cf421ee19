"""Source kinds as the store records them, without importing what reads them (the app's start-up
registers its sources before anything is fetched)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

#: Articles read from a site's listing pages (a rubrique's, a tag's), stored under a source of this
#: kind beside the source that gave the listing's URL (tui.sources.listing, tui.store.topics).
LISTING_KIND = "listing"

if TYPE_CHECKING:
    from tui.config import SourceSpec
    from tui.store import Store


def register_sources(store: Store, specs: Sequence[SourceSpec]) -> None:
    """Make every source known to the store, so the sidebar lists it before its first refresh."""
    store.ensure_sources(
        [(spec.key, spec.name, "local" if spec.path else spec.kind, spec.named) for spec in specs]
    )
