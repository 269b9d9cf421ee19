"""The sources that hold the articles read from other sources' listing pages, and their keys.

Articles found on a topic's listing pages (:mod:`tui.store.topics`) are stored under a source of
their own (kind ``listing``) beside the one that gave the URL; the reader lists and counts them
with it. Apart from the rest of the topics' module: the reader's first frame needs these keys,
not the articles' model.
"""

from __future__ import annotations

from collections.abc import Sequence

from tui.sources.kinds import LISTING_KIND

_LISTING_PREFIX = "listing:"


def listing_key(source_key: str) -> str:
    """The key of the source holding the articles read from ``source_key``'s listing pages."""
    return source_key if source_key.startswith(_LISTING_PREFIX) else _LISTING_PREFIX + source_key


def origin_key(source_key: str) -> str:
    """The source whose listings a listing source holds (any other source: itself)."""
    return source_key.removeprefix(_LISTING_PREFIX)


def with_listing_sources(source_keys: Sequence[str]) -> list[str]:
    """Sources in scope together with the articles read from their listings."""
    return [*source_keys, *(listing_key(key) for key in source_keys if not key.startswith(_LISTING_PREFIX))]


def fold_listing_sources(rows: Sequence[tuple]) -> list[tuple]:
    """Source rows (key, name, kind, count, unread, …) with each listing source's counts added to
    the source it belongs to, when that one is among them: one source, however its articles came."""
    origins = {row[0]: index for index, row in enumerate(rows) if row[2] != LISTING_KIND}
    merged = [list(row) for row in rows]
    folded = set()
    for index, row in enumerate(rows):
        origin = origins.get(origin_key(row[0])) if row[2] == LISTING_KIND else None
        if origin is not None:
            merged[origin][3] += row[3]
            merged[origin][4] += row[4]
            folded.add(index)
    return [tuple(row) for index, row in enumerate(merged) if index not in folded]
