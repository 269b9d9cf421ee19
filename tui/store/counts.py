"""What the sidebar counts: each source's state, the views, rubriques and tags; and the few
facts kept per source and per document (its wait after failures, its HTTP validators)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from tui.store.listing_sources import fold_listing_sources
from tui.store.lists import scope_filter
from tui.topic import Topic, fold


@dataclass(frozen=True, slots=True)
class SourceState:
    key: str
    name: str
    kind: str
    count: int
    unread: int
    last_error: str
    last_fetch: float | None
    reason: str = ""  # a code for the UI to word ("refused_by_site"), "" if the error says all
    retry_at: float | None = None  # not asked again before this time (epoch seconds), unless on demand


@dataclass(frozen=True, slots=True)
class TopicCount:
    topic: Topic
    count: int
    unread: int


def sources(
    db: sqlite3.Connection,
    source_keys: Sequence[str] | None = None,
    unread_changes: dict[str, int] | None = None,
) -> list[SourceState]:
    """Each source's state; ``unread_changes`` (source key -> change) adds marks not written yet."""
    where, params = scope_filter(db, source_keys)
    where = where.replace("a.source_id", "s.id")
    rows = db.execute(
        "SELECT s.key, s.name, s.kind, COUNT(a.rowid), COALESCE(SUM(a.read = 0), 0), "
        "s.last_error, s.last_fetch, s.last_reason, s.retry_at "
        "FROM sources s LEFT JOIN articles a ON a.source_id = s.id "
        f"WHERE {where} GROUP BY s.id ORDER BY s.id",
        params,
    ).fetchall()
    if unread_changes:
        rows = [(*row[:4], row[4] + unread_changes.get(row[0], 0), *row[5:]) for row in rows]
    return [SourceState(*row) for row in fold_listing_sources(rows)]


def view_counts(
    db: sqlite3.Connection, source_keys: Sequence[str] | None = None
) -> dict[str, tuple[int, int]]:
    """(count, unread) for the views "all", "unread" and "saved"."""
    where, params = scope_filter(db, source_keys)
    total, unread, saved, saved_unread = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(read = 0), 0), COALESCE(SUM(saved), 0), "
        f"COALESCE(SUM(saved AND read = 0), 0) FROM articles a WHERE {where}",
        params,
    ).fetchone()
    return {"all": (total, unread), "unread": (unread, unread), "saved": (saved, saved_unread)}


@dataclass(frozen=True, slots=True)
class SidebarCounts:
    """What the sidebar shows of the store, the marks not written yet included."""

    sources: list[SourceState]
    views: dict[str, tuple[int, int]]
    rubriques: list[TopicCount]


@dataclass(frozen=True, slots=True)
class MarkChange:
    """What a mark not written yet changes in the counts of one article's source and rubrique."""

    source_key: str
    rubrique_key: str
    unread: int  # -1, 0 or +1
    saved: int
    saved_unread: int


def mark_changes(
    db: sqlite3.Connection,
    source_keys: Sequence[str] | None,
    read: dict[int, bool],
    saved: dict[int, bool],
) -> list[MarkChange]:
    """How the marks still queued (rowid -> value) change the committed counts, per article in
    scope: the sidebar shows a mark at once, though another process may hold the store."""
    where, params = scope_filter(db, source_keys)
    marked = sorted(set(read) | set(saved))
    changes = []
    for start in range(0, len(marked), _CHUNK):
        chunk = marked[start : start + _CHUNK]
        rows = db.execute(
            "SELECT a.rowid, a.read, a.saved, s.key, a.rubrique_key FROM articles a "
            "JOIN sources s ON s.id = a.source_id "
            f"WHERE {where} AND a.rowid IN ({','.join('?' * len(chunk))})",
            [*params, *chunk],
        )
        for rowid, was_read, was_saved, key, rubrique_key in rows:
            now_read, now_saved = read.get(rowid, bool(was_read)), saved.get(rowid, bool(was_saved))
            before = (not was_read, bool(was_saved), bool(was_saved) and not was_read)
            after = (not now_read, now_saved, now_saved and not now_read)
            if before != after:
                deltas = [int(b) - int(a) for a, b in zip(before, after, strict=True)]
                changes.append(MarkChange(key, rubrique_key, *deltas))
    return changes


_CHUNK = 500  # rowids per query: SQLite's limit on parameters is 999 on old builds


def like_subsequence(query: str) -> str:
    """A LIKE pattern (escaped with ``\\``) for the folded keys that hold the folded ``query``'s
    letters in order, spaces aside: what a fuzzy search of the palette can match, and more."""
    letters = [c for c in fold(query) if not c.isspace()]
    escaped = ["\\" + c if c in "\\%_" else c for c in letters]
    return "%" + "%".join(escaped) + "%" if escaped else "%"


def rubriques(
    db: sqlite3.Connection,
    source_keys: Sequence[str] | None = None,
    limit: int | None = None,
    matching: str = "",
) -> list[TopicCount]:
    """Rubriques merged case- and accent-insensitively, the most frequent spelling shown. With
    ``limit``, only that many, the most used; with ``matching``, only those whose name holds
    its letters in order (:func:`like_subsequence`): a store may hold hundreds of thousands."""
    where, params = scope_filter(db, source_keys)
    keys_only = ""
    if matching:
        where, params = f"{where} AND rubrique_key LIKE ? ESCAPE '\\'", [*params, like_subsequence(matching)]
    if limit is not None:
        top = (
            f"SELECT rubrique_key FROM articles a WHERE {where} AND rubrique_key != '' "
            "GROUP BY rubrique_key ORDER BY COUNT(*) DESC, rubrique_key LIMIT ?"
        )
        keys = [row[0] for row in db.execute(top, [*params, limit])]
        keys_only = f" AND rubrique_key IN ({','.join('?' * len(keys))})" if keys else " AND 0"
        params = params + keys
    rows = db.execute(
        "SELECT rubrique_key, rubrique, COUNT(*), SUM(read = 0) FROM articles a "
        f"WHERE {where}{keys_only} AND rubrique_key != '' GROUP BY rubrique_key, rubrique",
        params,
    ).fetchall()
    return _merge_spellings("rubrique", rows)


def rubrique_count(db: sqlite3.Connection, source_keys: Sequence[str] | None = None) -> int:
    where, params = scope_filter(db, source_keys)
    return db.execute(
        f"SELECT COUNT(DISTINCT rubrique_key) FROM articles a WHERE {where} AND rubrique_key != ''", params
    ).fetchone()[0]


def tags(
    db: sqlite3.Connection,
    source_keys: Sequence[str] | None = None,
    limit: int | None = None,
    matching: str = "",
) -> list[TopicCount]:
    """Tags merged like rubriques, the most used first; with ``limit``, only that many
    (there can be tens of thousands: the sidebar shows the top of the list); with
    ``matching``, as for :func:`rubriques`."""
    where, params = scope_filter(db, source_keys)
    pattern = [like_subsequence(matching)] if matching else []
    like = " AND t.tag_key LIKE ? ESCAPE '\\'" if matching else ""
    keys_only = ""
    if limit is not None or matching:
        # First the keys worth showing, then their spellings. With every source in
        # scope the tags table answers alone, in its own key order.
        top = (
            f"SELECT t.tag_key FROM article_tags t WHERE 1{like} "
            "GROUP BY t.tag_key ORDER BY COUNT(*) DESC, t.tag_key LIMIT ?"
            if where == "1"
            else "SELECT t.tag_key FROM article_tags t JOIN articles a ON a.rowid = t.article "
            f"WHERE {where}{like} GROUP BY t.tag_key ORDER BY COUNT(*) DESC, t.tag_key LIMIT ?"
        )
        keys = [row[0] for row in db.execute(top, [*params, *pattern, -1 if limit is None else limit])]
        keys_only = f" AND t.tag_key IN ({','.join('?' * len(keys))})" if keys else " AND 0"
        params = params + keys
    rows = db.execute(
        "SELECT t.tag_key, t.tag, COUNT(*), SUM(a.read = 0) FROM article_tags t "
        f"JOIN articles a ON a.rowid = t.article WHERE {where}{keys_only} GROUP BY t.tag_key, t.tag",
        params,
    ).fetchall()
    return _merge_spellings("tag", rows)


def tag_count(db: sqlite3.Connection, source_keys: Sequence[str] | None = None) -> int:
    where, params = scope_filter(db, source_keys)
    if where == "1":
        return db.execute("SELECT COUNT(DISTINCT tag_key) FROM article_tags").fetchone()[0]
    return db.execute(
        "SELECT COUNT(DISTINCT t.tag_key) FROM article_tags t "
        f"JOIN articles a ON a.rowid = t.article WHERE {where}",
        params,
    ).fetchone()[0]


def validators(db: sqlite3.Connection, url: str) -> tuple[str, str]:
    row = db.execute("SELECT etag, last_modified FROM http_validators WHERE url = ?", (url,)).fetchone()
    return (row[0], row[1]) if row else ("", "")


@dataclass(frozen=True, slots=True)
class RefreshState:
    """What refreshing a source starts from: its wait after a refusal (backoff, retry_at, and
    the error and reason that caused it) and the digest of the document last read from it."""

    backoff: float = 0.0
    retry_at: float | None = None
    last_error: str = ""
    last_reason: str = ""
    body_digest: str = ""


def refresh_states(
    db: sqlite3.Connection, keys: Sequence[str], urls: Sequence[str]
) -> tuple[dict[str, RefreshState], dict[str, tuple[str, str]]]:
    """Each known source's :class:`RefreshState` by key, and the saved validators (ETag,
    Last-Modified) by URL, in one read."""
    states: dict[str, RefreshState] = {}
    validators: dict[str, tuple[str, str]] = {}
    for start in range(0, len(keys), 500):  # SQLite caps the ? of one statement
        chunk = list(keys[start : start + 500])
        rows = db.execute(
            "SELECT key, backoff, retry_at, last_error, last_reason, body_digest FROM sources "
            f"WHERE key IN ({','.join('?' * len(chunk))})",
            chunk,
        )
        states.update((row[0], RefreshState(*row[1:])) for row in rows)
    for start in range(0, len(urls), 500):
        chunk = list(urls[start : start + 500])
        rows = db.execute(
            "SELECT url, etag, last_modified FROM http_validators "
            f"WHERE url IN ({','.join('?' * len(chunk))})",
            chunk,
        )
        validators.update((row[0], (row[1], row[2])) for row in rows)
    return states, validators


def source_backoff(db: sqlite3.Connection, key: str) -> tuple[float, float | None, str, str]:
    """(backoff in seconds, retry_at, last error, last reason) of a source; zeros if unknown."""
    row = db.execute(
        "SELECT backoff, retry_at, last_error, last_reason FROM sources WHERE key = ?", (key,)
    ).fetchone()
    return (row[0], row[1], row[2], row[3]) if row else (0.0, None, "", "")


def _merge_spellings(kind, rows) -> list[TopicCount]:
    merged: dict[str, list] = {}
    for key, label, count, unread in rows:
        entry = merged.setdefault(key, [label, 0, 0, 0])
        # The spelling used most wins; on a tie the one with capitals and accents.
        if (count, label != label.lower(), label) > (entry[3], entry[0] != entry[0].lower(), entry[0]):
            entry[0], entry[3] = label, count
        entry[1] += count
        entry[2] += unread or 0
    topics = [
        TopicCount(Topic(kind, key, label), count, unread)
        for key, (label, count, unread, _) in merged.items()
    ]
    topics.sort(key=lambda t: (-t.count, t.topic.key))
    return topics
