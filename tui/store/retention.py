"""Retention: which articles leave the store, and the rules no setting overrides.

Never purged, whatever the settings: a saved article, an article its source's latest document
still lists (``articles.listed``, kept by :meth:`tui.store.Store.upsert_articles`), and the
articles of local sources (their files are the record). Of the rest, age (counted from when an
article was stored, so that older articles brought in by a listing do not go at the next refresh)
removes what is too old, and a count cap, overall or per source, removes the oldest, read ones
first: an unread one goes only when the cap cannot be met otherwise.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field

from tui.store.connection import chunks

#: How long the ids of purged articles are remembered (see Store.upsert_articles).
PURGED_MEMORY_DAYS = 365

# What may go: neither saved, nor still listed, nor from a local source. The index
# `articles_retention` (listed, saved, added) answers "is anything old enough to go?" without
# reading an article.
_PURGEABLE = "listed = 0 AND saved = 0 AND source_id NOT IN (SELECT id FROM sources WHERE kind = 'local')"
# Which go first under a count cap: read before unread, then the oldest (undated: by when stored).
_FIRST_TO_GO = "read DESC, COALESCE(ts, added) ASC, rowid ASC"


@dataclass(frozen=True, slots=True)
class RetentionRules:
    """``max_age_days`` and ``max_articles`` (0 turns a rule off); ``source_caps``: source key ->
    the most articles that source keeps (its own ``max_articles``)."""

    max_age_days: int
    max_articles: int
    source_caps: Mapping[str, int] = field(default_factory=dict)


def _delete(db: sqlite3.Connection, doomed: list[tuple[int, str]], now: float) -> int:
    db.executemany(
        "INSERT INTO purged(id, purged_at) VALUES (?, ?) "
        "ON CONFLICT(id) DO UPDATE SET purged_at = excluded.purged_at",
        [(article_id, now) for _, article_id in doomed],
    )
    rowids = [rowid for rowid, _ in doomed]
    for chunk in chunks(rowids):
        marks = ",".join("?" * len(chunk))
        # Tags and the search index go with them (foreign key, trigger); said again here for
        # tags in case a connection runs without foreign keys.
        db.execute(f"DELETE FROM article_tags WHERE article IN ({marks})", chunk)
        db.execute(f"DELETE FROM articles WHERE rowid IN ({marks})", chunk)
    return len(rowids)


def _over_cap(db: sqlite3.Connection, cap: int, source_id: int | None, now: float) -> int:
    """Bring the store (or one source) down to ``cap`` articles, as far as the rules allow."""
    where, params = ("source_id = ?", [source_id]) if source_id is not None else ("1", [])
    excess = db.execute(f"SELECT COUNT(*) FROM articles WHERE {where}", params).fetchone()[0] - cap
    if excess <= 0:
        return 0
    doomed = db.execute(
        f"SELECT rowid, id FROM articles WHERE {where} AND {_PURGEABLE} ORDER BY {_FIRST_TO_GO} LIMIT ?",
        [*params, excess],
    ).fetchall()
    return _delete(db, doomed, now)


def purge(db: sqlite3.Connection, rules: RetentionRules, now: float) -> int:
    """Delete what ``rules`` say goes, inside the caller's write transaction; how many went."""
    db.execute("DELETE FROM purged WHERE purged_at < ?", (now - PURGED_MEMORY_DAYS * 86400,))
    gone = 0
    if rules.max_age_days > 0:
        cutoff = now - rules.max_age_days * 86400
        # Most of the time nothing is old enough, which the index tells at once; the
        # search for what goes reads articles (past their body, on overflow pages).
        if db.execute(
            "SELECT 1 FROM articles WHERE listed = 0 AND saved = 0 AND added < ? LIMIT 1", (cutoff,)
        ).fetchone():
            doomed = db.execute(
                f"SELECT rowid, id FROM articles WHERE added < ? AND {_PURGEABLE}", (cutoff,)
            ).fetchall()
            gone += _delete(db, doomed, now)
    for key, cap in rules.source_caps.items():
        row = db.execute("SELECT id FROM sources WHERE key = ?", (key,)).fetchone()
        if cap > 0 and row is not None:
            gone += _over_cap(db, cap, row[0], now)
    if rules.max_articles > 0:
        gone += _over_cap(db, rules.max_articles, None, now)
    return gone
