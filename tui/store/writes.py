"""What the store writes: sources, articles with their tags and search index, marks.

Each function is the body of one write transaction: it is given the writing connection inside
``BEGIN IMMEDIATE`` (:meth:`tui.store.connection.StoreConnections.write`).
"""

from __future__ import annotations

import functools
import json
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple
from urllib.parse import urlsplit

from tui.model import Article, Link, fold
from tui.sanitize import clean_line
from tui.store.connection import chunks
from tui.store.search import search_columns
from tui.store.topics import record_topic_pages

SOURCE_NAME_LIMIT = 80  # a feed title longer than this is no name for a sidebar

#: The article columns a row is written from and read back into an Article.
ARTICLE_COLUMNS = (
    "guid, url, location, title, date, ts, rubrique, rubrique_key, tags, author, date_line, "
    "summary, lead, body, related, suggested, full_text, notice, labels, cut, entry_digest"
)


# The columns an article's values give first (PreparedArticle.row), then the write's own.
_INSERT_ARTICLES = "INSERT INTO articles(id, " + ARTICLE_COLUMNS + ", source_id, added, listed) VALUES "
_ON_CONFLICT_UPDATE = (
    " ON CONFLICT(id) DO UPDATE SET "
    "url = excluded.url, location = excluded.location, title = excluded.title, "
    "date = COALESCE(excluded.date, articles.date), ts = COALESCE(excluded.ts, articles.ts), "
    "rubrique = CASE WHEN excluded.rubrique != '' THEN excluded.rubrique ELSE articles.rubrique END, "
    "rubrique_key = CASE WHEN excluded.rubrique != '' THEN excluded.rubrique_key ELSE articles.rubrique_key END, "
    "tags = CASE WHEN excluded.tags != '[]' THEN excluded.tags ELSE articles.tags END, "
    "author = CASE WHEN excluded.author != '' THEN excluded.author ELSE articles.author END, "
    "summary = CASE WHEN excluded.summary != '' THEN excluded.summary ELSE articles.summary END, "
    "date_line = CASE WHEN excluded.full_text OR NOT articles.full_text THEN excluded.date_line ELSE articles.date_line END, "
    "lead = CASE WHEN excluded.full_text OR NOT articles.full_text THEN excluded.lead ELSE articles.lead END, "
    "body = CASE WHEN excluded.full_text OR NOT articles.full_text THEN excluded.body ELSE articles.body END, "
    "related = CASE WHEN excluded.full_text OR NOT articles.full_text THEN excluded.related ELSE articles.related END, "
    "suggested = CASE WHEN excluded.full_text OR NOT articles.full_text THEN excluded.suggested ELSE articles.suggested END, "
    # A feed's intro read again keeps the notice of a page that failed: its page is not asked again.
    "notice = CASE WHEN excluded.full_text THEN excluded.notice WHEN articles.full_text THEN articles.notice "
    "WHEN excluded.notice != '' THEN excluded.notice ELSE articles.notice END, "
    "labels = CASE WHEN excluded.full_text OR NOT articles.full_text THEN excluded.labels ELSE articles.labels END, "
    "cut = CASE WHEN excluded.full_text OR NOT articles.full_text THEN excluded.cut ELSE articles.cut END, "
    "full_text = MAX(excluded.full_text, articles.full_text), "
    "listed = MAX(excluded.listed, articles.listed), "
    # What the row was last read from: a write from elsewhere (a listing) forgets it, so that
    # the feed's entry is read again rather than taken for what the row holds.
    "entry_digest = excluded.entry_digest"
)


_SAVE_VALIDATORS = (
    "INSERT INTO http_validators(url, etag, last_modified) VALUES (?, ?, ?) "
    "ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified"
)
_UNINDEX = "INSERT INTO article_search(article_search, rowid, title, body, tags, author) VALUES ('delete', ?, ?, ?, ?, ?)"


def insert_rows(db: sqlite3.Connection, insert: str, rows: Sequence[tuple], tail: str = "") -> None:
    """``insert`` ("INSERT ... VALUES ") of every row, many rows to a statement (sqlite3's
    executemany binds and steps each row from Python). Statements of 64, 32, 16... rows, so
    that a few prepared statements serve every batch (sqlite3 keeps them by their text)."""
    if not rows:
        return
    row = "(" + ",".join("?" * len(rows[0])) + ")"
    # Never more ? than this SQLite takes in one statement: 999 before 3.32 (Ubuntu 20.04's),
    # which 64 articles of 25 columns exceed.
    most = max(1, db.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(rows[0]))
    start, size = 0, _ROWS_PER_STATEMENT
    while size > most:
        size //= 2
    while start < len(rows):
        while size > len(rows) - start:
            size //= 2
        values = [value for written in rows[start : start + size] for value in written]
        db.execute(insert + ",".join([row] * size) + tail, values)
        start += size


_ROWS_PER_STATEMENT = 64


# What the tags and the search index are made of: when none of it changes, neither do they.
_INDEXED_COLUMNS = "SELECT id, rowid, title, lead, body, summary, tags, author FROM articles WHERE id IN ({})"


def ids_in(db: sqlite3.Connection, query: str, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in chunks(ids):
        found.update(row[0] for row in db.execute(query.format(",".join("?" * len(chunk))), chunk))
    return found


def _indexed_rows(db: sqlite3.Connection, ids: Sequence[str]) -> dict[str, tuple]:
    """id -> (rowid, title, lead, body, summary, tags, author) of the stored articles among ``ids``."""
    rows: dict[str, tuple] = {}
    for chunk in chunks(ids):
        query = _INDEXED_COLUMNS.format(",".join("?" * len(chunk)))
        rows.update((row[0], row[1:]) for row in db.execute(query, chunk))
    return rows


def _unlist_others(db: sqlite3.Connection, source_id: int, listed: set[str]) -> None:
    """Mark the source's articles its latest document no longer lists: retention may take them."""
    gone = [
        rowid
        for rowid, article_id in db.execute(
            "SELECT rowid, id FROM articles WHERE source_id = ? AND listed = 1", (source_id,)
        )
        if article_id not in listed
    ]
    for chunk in chunks(gone):
        db.execute(f"UPDATE articles SET listed = 0 WHERE rowid IN ({','.join('?' * len(chunk))})", chunk)


def _rowids(db: sqlite3.Connection, ids: Sequence[str]) -> dict[str, int]:
    rowids: dict[str, int] = {}
    for chunk in chunks(ids):
        query = f"SELECT id, rowid FROM articles WHERE id IN ({','.join('?' * len(chunk))})"
        rowids.update(db.execute(query, chunk).fetchall())
    return rowids


def _date_to_db(date: datetime | None) -> tuple[str | None, float | None]:
    if date is None:
        return None, None
    return date.isoformat(), date.timestamp()


def _links_to_db(links: Sequence[Link]) -> str:
    return _JSON.encode([[link.title, link.url, link.summary] for link in links])


# json.dumps(value, ensure_ascii=False), without making an encoder at each call.
_JSON = json.JSONEncoder(ensure_ascii=False)


_ENSURE_SOURCE = (
    "INSERT INTO sources(key, name, kind) VALUES (?, ?, ?) "
    "ON CONFLICT(key) DO UPDATE SET name = excluded.name, kind = excluded.kind"
)


def ensure_source(db: sqlite3.Connection, key: str, name: str, kind: str) -> int:
    db.execute(_ENSURE_SOURCE, (key, name, kind))
    return db.execute("SELECT id FROM sources WHERE key = ?", (key,)).fetchone()[0]


def sources_to_ensure(
    known: dict[str, tuple[str, str, str]],
    sources: Sequence[tuple[str, str, str] | tuple[str, str, str, bool]],
) -> list[tuple[str, str, str]]:
    """The ``(key, name, kind)`` of ``sources`` that differ from the ``known`` ones. A name the
    user did not give (``named`` false: the host, the folder) is only a first name: the one a
    refresh took from the feed's title stays."""
    wanted = {}
    for key, name, kind, *named in sources:
        if key in known and named and not named[0]:
            name = known[key][1]
        wanted[key] = (key, name, kind)
    return [source for source in wanted.values() if known.get(source[0]) != source]


def ensure_sources(db: sqlite3.Connection, sources: Sequence[tuple[str, str, str]]) -> None:
    db.executemany(_ENSURE_SOURCE, sources)


def set_source_title(db: sqlite3.Connection, key: str, title: str) -> None:
    """Name a source after its feed's title (cleaned, capped). A name another source has
    already gets this one's host added, so the sidebar tells them apart."""
    name = clean_line(title, limit=SOURCE_NAME_LIMIT)
    if not name:
        return
    current = db.execute("SELECT name FROM sources WHERE key = ?", (key,)).fetchone()
    if current is not None and current[0] == name:
        return  # every refresh of a feed gives its title
    # Every source's name, folded: cached, as a refresh names each of hundreds of sources.
    others = {_folded(row[0]) for row in db.execute("SELECT name FROM sources WHERE key != ?", (key,))}
    parts = urlsplit(key)
    host = (parts.hostname or "").removeprefix("www.")
    for candidate in (name, f"{name} ({host})", f"{name} ({host}{parts.path})"):
        if _folded(candidate) not in others:
            name = candidate
            break
    db.execute("UPDATE sources SET name = ? WHERE key = ? AND name != ?", (name, key, name))


@functools.lru_cache(maxsize=4096)
def _folded(name: str) -> str:
    """fold() of a source's name, a rubrique or a tag, cached for the process: a feed repeats
    its rubriques and tags from item to item, and a refresh's feeds (those a worker process
    reads one after the other) from feed to feed."""
    return fold(name)


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """The outcome of one source's refresh, as :meth:`tui.store.Store.set_source_status` says."""

    key: str
    error: str = ""
    fetched: bool = True
    reason: str = ""
    backoff: float = 0.0
    retry_at: float | None = None


def set_source_statuses(db: sqlite3.Connection, statuses: Sequence[SourceStatus]) -> None:
    now = time.time()
    db.executemany(
        "UPDATE sources SET last_error = ?, last_reason = ?, backoff = ?, retry_at = ?, "
        "last_fetch = COALESCE(?, last_fetch) WHERE key = ?",
        [
            (s.error, s.reason, s.backoff, s.retry_at, now if s.fetched and not s.error else None, s.key)
            for s in statuses
        ],
    )


class PreparedArticle(NamedTuple):
    """An article as the store writes it, made before the writers' turn (every worker of a
    refresh waits for that turn): its row, what its tags and search index are made of, its tags'
    keys and its search index's columns. Only the store's answers (which articles are new,
    their row ids) are left to the write."""

    article: Article
    id: str
    row: tuple  # the id, then ARTICLE_COLUMNS in their order
    indexed: tuple[str, str, str, str, str, str]  # title, lead, body, summary, tags (JSON), author
    tags: list[tuple[str, str]]  # (key, tag) of each tag that has a key
    search: tuple[str, str, str, str]  # search_columns() of ``indexed``


def prepare_articles(articles: Sequence[Article]) -> list[PreparedArticle]:
    prepared = []
    for article in articles:
        date_iso, ts = _date_to_db(article.date)
        tags = _JSON.encode(article.tags)
        article_id = article.id
        prepared.append(
            PreparedArticle(
                article,
                article_id,
                (
                    article_id,
                    article.guid,
                    article.url,
                    article.location,
                    article.title,
                    date_iso,
                    ts,
                    article.rubrique,
                    _folded(article.rubrique),
                    tags,
                    article.author,
                    article.date_line,
                    article.summary,
                    article.lead,
                    article.body,
                    _links_to_db(article.related) if article.related else "[]",
                    _links_to_db(article.suggested) if article.suggested else "[]",
                    int(article.full_text),
                    article.notice,
                    _JSON.encode(article.labels) if article.labels else "{}",
                    int(article.cut),
                    article.entry_digest,
                ),
                (article.title, article.lead, article.body, article.summary, tags, article.author),
                [(key, tag) for tag in article.tags if (key := _folded(tag))],
                search_columns(
                    article.title, article.lead, article.body, article.summary, article.tags, article.author
                ),
            )
        )
    return prepared


def upsert_articles(
    db: sqlite3.Connection,
    source_key: str,
    articles: Sequence[PreparedArticle],
    *,
    listing: bool,
    revive: bool,
    validators: tuple[str, str, str] | None,
    digest: str | None = None,
    unchanged: Sequence[str] = (),
    source_title: str | None = None,
) -> int:
    """See :meth:`tui.store.Store.upsert_articles`. A batch is written in a few statements
    whatever its size (executemany), not in seven per article."""
    if source_title is not None:
        set_source_title(db, source_key, source_title)
    row = db.execute("SELECT id FROM sources WHERE key = ?", (source_key,)).fetchone()
    if row is None:
        raise KeyError(source_key)
    source_id = row[0]
    ids = [prepared.id for prepared in articles]
    if listing:
        _unlist_others(db, source_id, {*ids, *unchanged})
        for chunk in chunks(unchanged):
            db.execute(
                "UPDATE articles SET listed = 1 WHERE listed = 0 AND source_id = ? "
                f"AND id IN ({','.join('?' * len(chunk))})",
                [source_id, *chunk],
            )
    if revive or listing:
        # One statement per chunk, not per article: a refresh lists hundreds, purged are few.
        for chunk in chunks(ids):
            db.execute(f"DELETE FROM purged WHERE id IN ({','.join('?' * len(chunk))})", chunk)
        kept = list(articles)
    else:
        purged = ids_in(db, "SELECT id FROM purged WHERE id IN ({})", ids)
        kept = [prepared for prepared in articles if prepared.id not in purged]
    # The last form of each article in the batch: the one its row ends with.
    last = {prepared.id: prepared for prepared in kept}
    kept_ids = list(last)
    before = _indexed_rows(db, kept_ids)
    tail = (source_id, time.time(), int(listing))
    insert_rows(db, _INSERT_ARTICLES, [prepared.row + tail for prepared in kept], _ON_CONFLICT_UPDATE)
    # Rows that were there before are read back (the upsert keeps some of their old
    # values); new ones hold what was written, unless the batch repeats the article (then
    # read back too).
    repeated = len(kept) != len(kept_ids)
    written = [i for i in kept_ids if i not in before]
    after = _indexed_rows(db, [i for i in kept_ids if i in before or repeated])
    if not repeated:
        rowids = _rowids(db, written)
        after.update((i, (rowids[i], *last[i].indexed)) for i in written)
    # A refresh re-reads the same items: their tags and index are left as they are.
    changed_ids = [article_id for article_id, row in after.items() if row != before.get(article_id)]
    changed = [after[article_id] for article_id in changed_ids]
    for chunk in chunks([row[0] for row in changed]):
        db.execute(f"DELETE FROM article_tags WHERE article IN ({','.join('?' * len(chunk))})", chunk)
    # What a row holds is most often what its article gave (always for a new one): its tags'
    # keys and search columns were made before the writers' turn.
    same = [row[1:] == last[i].indexed for i, row in zip(changed_ids, changed, strict=True)]
    tag_rows = []
    for article_id, row, given in zip(changed_ids, changed, same, strict=True):
        tags = (
            last[article_id].tags
            if given
            else [(key, tag) for tag in json.loads(row[5]) if (key := _folded(tag))]
        )
        tag_rows += [(key, row[0], tag) for key, tag in tags]
    insert_rows(db, "INSERT OR IGNORE INTO article_tags(tag_key, article, tag) VALUES ", tag_rows)
    # The index keeps no text (schema 6): it forgets an article's old words when told them.
    db.executemany(
        _UNINDEX,
        [
            (rowid, *search_columns(*columns))
            for rowid, *columns in (before[i] for i in changed_ids if i in before)
        ],
    )
    db.executemany(
        "INSERT INTO article_search(rowid, title, body, tags, author) VALUES (?, ?, ?, ?, ?)",
        [
            (row[0], *(last[article_id].search if given else search_columns(*row[1:])))
            for article_id, row, given in zip(changed_ids, changed, same, strict=True)
        ],
    )
    if validators is not None:
        db.execute(_SAVE_VALIDATORS, validators)
    if digest is not None:
        db.execute("UPDATE sources SET body_digest = ? WHERE id = ?", (digest, source_id))
    record_topic_pages(db, source_key, [prepared.article for prepared in articles])
    return sum(1 for article_id in kept_ids if article_id not in before)


def set_read(db: sqlite3.Connection, rowids: Sequence[int], read: bool) -> None:
    for chunk in chunks(rowids):
        db.execute(
            f"UPDATE articles SET read = ? WHERE rowid IN ({','.join('?' * len(chunk))})",
            [int(read), *chunk],
        )


def mark_read_returning(db: sqlite3.Connection, rowids: Sequence[int]) -> list[int]:
    """Mark articles read; returns the ones that were unread."""
    changed: list[int] = []
    for chunk in chunks(rowids):
        changed += [
            row[0]
            for row in db.execute(
                f"UPDATE articles SET read = 1 WHERE read = 0 AND rowid IN ({','.join('?' * len(chunk))}) "
                "RETURNING rowid",
                chunk,
            )
        ]
    return changed


def mark_selected_read(db: sqlite3.Connection, select: str, params: Sequence) -> list[int]:
    """Mark read the articles ``select`` (a query of their row ids) finds; returns the ones that
    were unread."""
    return [
        row[0]
        for row in db.execute(
            f"UPDATE articles SET read = 1 WHERE read = 0 AND rowid IN ({select}) RETURNING rowid", params
        )
    ]


def set_saved(db: sqlite3.Connection, rowids: Sequence[int], saved: bool) -> None:
    for chunk in chunks(rowids):
        db.execute(
            f"UPDATE articles SET saved = ? WHERE rowid IN ({','.join('?' * len(chunk))})",
            [int(saved), *chunk],
        )
