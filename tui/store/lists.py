"""What the store reads for the reader's lists: a topic's list a window at a time, search.

The UI never loads articles wholesale: it asks for a topic's count (one indexed query), then for
the window of rows it draws, then for one article when it is opened (:mod:`tui.store.articles`). Each function is given a
connection to read with (:meth:`tui.store.connection.StoreConnections.reading`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from tui.store.connection import chunks
from tui.store.listing_sources import listing_key
from tui.store.search import match_expression
from tui.topic import ALL, Topic


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """What the article list draws for one row."""

    rowid: int
    id: str
    title: str
    date: datetime | None
    rubrique: str
    source: str
    read: bool
    saved: bool


@dataclass(frozen=True, slots=True)
class ListScope:
    """Which articles a list shows: a topic within some sources, as it was when it was read.

    ``newest`` is the highest row id at that moment: articles stored later wait until the list
    is read again, so the rows under the cursor do not shift. ``kept`` are articles whose mark
    changed while the list was shown: they stay in an unread or saved list until then too.
    """

    topic: Topic
    source_keys: Sequence[str] | None = None  # kept as a tuple: a scope is compared and hashed
    newest: int | None = None
    kept: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        if self.source_keys is not None and not isinstance(self.source_keys, tuple):
            object.__setattr__(self, "source_keys", tuple(self.source_keys))


#: The list's order, as the index ``articles_in_list_order`` holds it: newest first, undated last.
_LIST_ORDER = "a.ts IS NULL, a.ts DESC, a.rowid DESC"


def _source_ids(db: sqlite3.Connection, source_keys: Sequence[str] | None) -> list[int] | None:
    if source_keys is None:
        return None
    marks = ",".join("?" * len(source_keys))
    rows = db.execute(f"SELECT id FROM sources WHERE key IN ({marks})", list(source_keys))
    return [row[0] for row in rows]


def scope_filter(db: sqlite3.Connection, source_keys: Sequence[str] | None) -> tuple[str, list]:
    ids = _source_ids(db, source_keys)
    # Every source of the store in scope (the usual case): no filter, so the ordering index
    # alone answers, without sorting 100,000 rows.
    if ids is None or len(ids) == db.execute("SELECT COUNT(*) FROM sources").fetchone()[0]:
        return "1", []
    return f"a.source_id IN ({','.join('?' * len(ids))})", list(ids)


def topic_filter(
    db: sqlite3.Connection, topic: Topic, source_keys: Sequence[str] | None
) -> tuple[str, list, str, list]:
    """(join, its params, where, its params) selecting a topic's articles ``a``."""
    return list_filter(db, ListScope(topic, source_keys))


def list_filter(db: sqlite3.Connection, scope: ListScope) -> tuple[str, list, str, list]:
    """(join, its params, where, its params) selecting the articles ``a`` of a list."""
    topic = scope.topic
    where, params = scope_filter(db, scope.source_keys)
    join, join_params = "", []
    # Rows whose mark changed while the list was shown stay in an unread or saved list.
    kept = f" OR a.rowid IN ({','.join('?' * len(scope.kept))})" if scope.kept else ""
    if topic.kind == "unread":
        where += f" AND (a.read = 0{kept})"
        params += list(scope.kept)
    elif topic.kind == "saved":
        where += f" AND (a.saved = 1{kept})"
        params += list(scope.kept)
    elif topic.kind == "source":
        # With the articles read from its listings (tui.store.topics).
        where += " AND a.source_id IN (SELECT id FROM sources WHERE key IN (?, ?))"
        params += [topic.key, listing_key(topic.key)]
    elif topic.kind == "rubrique":
        where += " AND a.rubrique_key = ?"
        params.append(topic.key)
    elif topic.kind == "tag":
        join = " JOIN article_tags t ON t.article = a.rowid AND t.tag_key = ?"
        join_params.append(topic.key)
    if scope.newest is not None:
        # Articles stored after the list was read wait for the next reading (a higher row
        # id). The unary + keeps SQLite on the ordering index instead of the rowid range.
        where += " AND +a.rowid <= ?"
        params.append(scope.newest)
    return join, join_params, where, params


def count_statement(join: str, where: str) -> str:
    """The statement counting the articles ``a`` of a list's filter (:func:`list_filter`)."""
    if not join and where == "1":
        # A whole table is counted by its pages only with no WHERE at all: "WHERE 1" made
        # SQLite step through every row of an index.
        return "SELECT COUNT(*) FROM articles a"
    return f"SELECT COUNT(*) FROM articles a{join} WHERE {where}"


def open_list(
    db: sqlite3.Connection, topic: Topic, source_keys: Sequence[str] | None = None
) -> tuple[ListScope, int]:
    """A topic's list as it is now, and how many articles it holds (one indexed count)."""
    # One read transaction: the count and the newest row id describe the same moment.
    db.execute("BEGIN")
    try:
        newest = db.execute("SELECT MAX(rowid) FROM articles").fetchone()[0] or 0
        join, join_params, where, params = list_filter(db, ListScope(topic, source_keys))
        count = db.execute(count_statement(join, where), [*join_params, *params]).fetchone()[0]
    finally:
        db.execute("COMMIT")
    keys = tuple(source_keys) if source_keys is not None else None
    return ListScope(topic, keys, newest), count


def list_count(db: sqlite3.Connection, scope: ListScope) -> int:
    join, join_params, where, params = list_filter(db, scope)
    return db.execute(count_statement(join, where), [*join_params, *params]).fetchone()[0]


def list_rowids(db: sqlite3.Connection, scope: ListScope, offset: int = 0, limit: int = -1) -> list[int]:
    """Row ids of a list in its order (newest first, undated last), from ``offset``."""
    join, join_params, where, params = list_filter(db, scope)
    rows = db.execute(
        f"SELECT a.rowid FROM articles a{join} WHERE {where} ORDER BY {_LIST_ORDER} LIMIT ? OFFSET ?",
        [*join_params, *params, limit, offset],
    ).fetchall()
    return [row[0] for row in rows]


def list_rows(db: sqlite3.Connection, scope: ListScope, offset: int, limit: int) -> list[ArticleRow]:
    """The rows the list draws, from ``offset``: the ids come from the ordering index,
    then only these few rows are read."""
    rowids = list_rowids(db, scope, offset, limit)
    found = rows(db, rowids)
    return [found[rowid] for rowid in rowids if rowid in found]


def list_position(db: sqlite3.Connection, scope: ListScope, rowid: int) -> int | None:
    """Where an article stands in a list (how many come before it), or None when it is not
    in it. Counts through the date index up to the article, not the whole list."""
    join, join_params, where, params = list_filter(db, scope)
    found = db.execute(
        f"SELECT a.ts FROM articles a{join} WHERE {where} AND a.rowid = ?",
        [*join_params, *params, rowid],
    ).fetchone()
    if found is None:
        return None
    ts = found[0]
    if ts is None:
        before, more = "(a.ts IS NOT NULL OR a.rowid > ?)", [rowid]
    else:
        # `a.ts >= ?` lets the date index bound the count; the rest orders equal dates.
        before, more = "a.ts >= ? AND (a.ts > ? OR a.rowid > ?)", [ts, ts, rowid]
    return db.execute(
        f"SELECT COUNT(*) FROM articles a{join} WHERE {where} AND {before}",
        [*join_params, *params, *more],
    ).fetchone()[0]


def list_first_unread(
    db: sqlite3.Connection, scope: ListScope, start: int, read_marks: Mapping[int, bool]
) -> tuple[int, int] | None:
    """(position, row id) of the first unread article of a list at ``start`` or after it;
    ``read_marks`` are marks not written yet, which win over the stored ones."""
    join, join_params, where, params = list_filter(db, scope)
    # Streamed in list order and stopped at the first unread one: no count of the rest.
    cursor = db.execute(
        f"SELECT a.rowid, a.read FROM articles a{join} WHERE {where} "
        f"ORDER BY {_LIST_ORDER} LIMIT -1 OFFSET ?",
        [*join_params, *params, start],
    )
    try:
        for index, (rowid, read) in enumerate(cursor, start):
            if not read_marks.get(rowid, read):
                return index, rowid
    finally:
        cursor.close()
    return None


def search_rowids(
    db: sqlite3.Connection, query: str, source_keys: Sequence[str] | None = None, topic: Topic = ALL
) -> list[int]:
    """Row ids of the articles of a topic matching what a user typed, newest first.

    Title, body, tags and author are searched; case, accents and the ligatures œ and æ are
    ignored; every word must appear, as a word or the start of one. Whatever the query, this
    never raises: a query without any word finds nothing.
    """
    expression = match_expression(query)
    if expression is None:
        return []
    join, join_params, where, params = topic_filter(db, topic, source_keys)
    rows = db.execute(
        "SELECT a.rowid FROM article_search JOIN articles a ON a.rowid = article_search.rowid"
        f"{join} WHERE article_search MATCH ? AND {where} ORDER BY {_LIST_ORDER}",
        [*join_params, expression, *params],
    ).fetchall()
    return [row[0] for row in rows]


def rows(db: sqlite3.Connection, rowids: Sequence[int]) -> dict[int, ArticleRow]:
    """The list rows for some row ids (the few the list is about to draw)."""
    if not rowids:
        return {}
    result = {}
    for start in range(0, len(rowids), 500):
        chunk = list(rowids[start : start + 500])
        query = (
            "SELECT a.rowid, a.id, a.title, a.date, a.rubrique, s.name, a.read, a.saved "
            "FROM articles a JOIN sources s ON s.id = a.source_id "
            f"WHERE a.rowid IN ({','.join('?' * len(chunk))})"
        )
        for rowid, aid, title, date, rubrique, source, read, saved in db.execute(query, chunk):
            result[rowid] = ArticleRow(
                rowid,
                aid,
                title,
                datetime.fromisoformat(date) if date else None,
                rubrique,
                source,
                bool(read),
                bool(saved),
            )
    return result


def matching_rowids(
    db: sqlite3.Connection,
    source_keys: Sequence[str] | None,
    *,
    unread: bool = False,
    saved: bool = False,
    topic_key: str = "",
    query: str = "",
    limit: int = -1,
) -> list[int]:
    """Row ids of the articles meeting every condition given, newest first: unread, saved, of a
    rubrique or a tag (``topic_key``, folded), matching a search; at most ``limit``."""
    where, params = scope_filter(db, source_keys)
    tables = "articles a"
    if unread:
        where += " AND a.read = 0"
    if saved:
        where += " AND a.saved = 1"
    if topic_key:
        where += (
            " AND (a.rubrique_key = ? OR EXISTS "
            "(SELECT 1 FROM article_tags t WHERE t.tag_key = ? AND t.article = a.rowid))"
        )
        params += [topic_key, topic_key]
    if query:
        expression = match_expression(query)
        if expression is None:
            return []
        tables = "article_search JOIN articles a ON a.rowid = article_search.rowid"
        where = f"article_search MATCH ? AND {where}"
        params.insert(0, expression)
    rows = db.execute(
        f"SELECT a.rowid FROM {tables} WHERE {where} ORDER BY {_LIST_ORDER} LIMIT ?", [*params, limit]
    ).fetchall()
    return [row[0] for row in rows]


def unread_in_list(db: sqlite3.Connection, scope: ListScope, also: Sequence[int]) -> list[int]:
    """Row ids of a list's unread articles, and of those among ``also`` that it holds, in the
    list's order."""
    join, join_params, where, params = list_filter(db, scope)
    marks = ",".join("?" * len(also))
    rows = db.execute(
        f"SELECT a.rowid FROM articles a{join} WHERE {where} AND (a.read = 0 OR a.rowid IN ({marks})) "
        f"ORDER BY {_LIST_ORDER}",
        [*join_params, *params, *also],
    ).fetchall()
    return [row[0] for row in rows]


def unread_among(db: sqlite3.Connection, rowids: Sequence[int]) -> set[int]:
    """Which of these articles are unread."""
    found: set[int] = set()
    for chunk in chunks(rowids):
        query = f"SELECT rowid FROM articles WHERE read = 0 AND rowid IN ({','.join('?' * len(chunk))})"
        found.update(row[0] for row in db.execute(query, chunk))
    return found
