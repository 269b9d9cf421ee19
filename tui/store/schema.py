"""The store's schema and its forward migrations, versioned with ``PRAGMA user_version``.

Each migration is a list of steps taking the schema from version N-1 to N: SQL statements, or
Python functions of the connection where SQL alone cannot do it (the search index is filled with
text folded in Python). A store written by an older bladi-tui is carried forward in one
transaction, never rebuilt.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable

from tui.store.search import search_columns

Step = str | Callable[[sqlite3.Connection], None]


def _index_existing_articles(db: sqlite3.Connection) -> None:
    rows = db.execute("SELECT rowid, title, lead, body, summary, tags, author FROM articles")
    db.executemany(
        "INSERT INTO article_search(rowid, title, body, tags, author) VALUES (?, ?, ?, ?, ?)",
        ((rowid, *search_columns(*columns)) for rowid, *columns in rows),
    )


def _key_articles_by_their_sources(db: sqlite3.Connection) -> None:
    from tui.article_keys import article_key
    from tui.model import article_id

    rows = db.execute(
        "SELECT a.rowid, a.id, a.guid, a.url, a.location, s.key, a.full_text "
        "FROM articles a JOIN sources s ON s.id = a.source_id"
    ).fetchall()
    groups: dict[str, list[tuple[int, int, int, str]]] = {}  # new id -> (moves, !full, rowid, key)
    for rowid, old_id, guid, url, location, source_key, full_text in rows:
        key = article_key(guid, url, location, source_key)
        new_id = article_id(key or url)
        if new_id != old_id:
            db.execute("INSERT OR REPLACE INTO article_aliases(old, id) VALUES (?, ?)", (old_id, new_id))
            # Out of the way of the ids taken below (the table holds each id once).
            db.execute("UPDATE articles SET id = ? WHERE rowid = ?", (f"moving:{rowid}", rowid))
        groups.setdefault(new_id, []).append((int(new_id != old_id), int(not full_text), rowid, key))
    for new_id, forms in groups.items():
        # One article: the row that keeps its id, else a complete one, else the first stored.
        forms.sort()
        _, _, kept, key = forms[0]
        for _, _, gone, _ in forms[1:]:  # another form of the same article: its marks join
            db.execute(
                "UPDATE articles SET read = MAX(read, (SELECT read FROM articles WHERE rowid = :gone)), "
                "saved = MAX(saved, (SELECT saved FROM articles WHERE rowid = :gone)) WHERE rowid = :kept",
                {"gone": gone, "kept": kept},
            )
            db.execute("DELETE FROM articles WHERE rowid = ?", (gone,))
        db.execute("UPDATE articles SET id = ?, guid = ? WHERE rowid = ?", (new_id, key, kept))


MIGRATIONS: list[list[Step]] = [
    # 1: sources, articles, tags, HTTP validators.
    [
        """CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT '',
            last_error TEXT NOT NULL DEFAULT '',
            last_fetch REAL
        )""",
        """CREATE TABLE articles (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            guid TEXT NOT NULL,
            url TEXT NOT NULL DEFAULT '',
            location TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL DEFAULT '',
            date TEXT,
            ts REAL,
            rubrique TEXT NOT NULL DEFAULT '',
            rubrique_key TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]',
            author TEXT NOT NULL DEFAULT '',
            date_line TEXT NOT NULL DEFAULT '',
            summary TEXT NOT NULL DEFAULT '',
            lead TEXT NOT NULL DEFAULT '',
            body TEXT NOT NULL DEFAULT '',
            related TEXT NOT NULL DEFAULT '[]',
            suggested TEXT NOT NULL DEFAULT '[]',
            full_text INTEGER NOT NULL DEFAULT 0,
            notice TEXT NOT NULL DEFAULT '',
            read INTEGER NOT NULL DEFAULT 0,
            saved INTEGER NOT NULL DEFAULT 0,
            added REAL NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX articles_by_date ON articles(ts DESC)",
        "CREATE INDEX articles_by_source ON articles(source_id, ts DESC)",
        "CREATE INDEX articles_by_rubrique ON articles(rubrique_key, ts DESC)",
        "CREATE INDEX articles_by_url ON articles(url)",
        "CREATE INDEX articles_by_location ON articles(location)",
        """CREATE TABLE article_tags (
            tag_key TEXT NOT NULL,
            article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (tag_key, article)
        ) WITHOUT ROWID""",
        "CREATE INDEX article_tags_by_article ON article_tags(article)",
        """CREATE TABLE http_validators (
            url TEXT PRIMARY KEY,
            etag TEXT NOT NULL DEFAULT '',
            last_modified TEXT NOT NULL DEFAULT ''
        )""",
    ],
    # 2: full-text search, and the ids of purged articles.
    [
        # The index keeps its own folded copy of the text (see tui.store.search). It cannot be
        # external-content over `articles`, which holds the text unfolded; and a contentless
        # table cannot delete rows before SQLite 3.43. The store writes it on every upsert;
        # the trigger removes an article's row however the article goes (purge, cascade).
        """CREATE VIRTUAL TABLE article_search USING fts5(
            title, body, tags, author, tokenize = 'unicode61 remove_diacritics 2'
        )""",
        """CREATE TRIGGER articles_unindex AFTER DELETE ON articles BEGIN
            DELETE FROM article_search WHERE rowid = old.rowid;
        END""",
        _index_existing_articles,
        # Articles removed by retention: a feed still listing one must not bring it back as new.
        """CREATE TABLE purged (
            id TEXT PRIMARY KEY,
            purged_at REAL NOT NULL
        ) WITHOUT ROWID""",
        "CREATE INDEX purged_by_time ON purged(purged_at)",
    ],
    # 3: covering indexes for the sidebar's counts, so they read an index, not every article
    # (BENCHMARKS.md).
    [
        "CREATE INDEX articles_marks ON articles(source_id, read, saved)",
        "CREATE INDEX articles_rubrique_marks ON articles(source_id, rubrique_key, rubrique, read)",
    ],
    # 4: the list's own order as an index: newest first, undated last.
    [
        "CREATE INDEX articles_in_list_order ON articles(ts IS NULL, ts DESC, rowid DESC)",
        # The rubriques of every source at once, grouped straight from an index.
        "CREATE INDEX articles_rubrique_counts ON articles(rubrique_key, rubrique, read)",
    ],
    # 5: when each article was stored, so that retention finds in the index whether any is old
    # enough to go (the column sits after the body, on overflow pages: a scan of every article
    # cost a fetch of 50 feeds a third of a second).
    [
        "CREATE INDEX articles_by_added ON articles(added)",
    ],
    # 6: the search index keeps no copy of the text (contentless): a third less written by a
    # fetch, and a smaller file. Such a table forgets a row only when told the values it
    # indexed, which the store gives on update and the trigger computes on delete (with the
    # functions of tui.store.search.register_functions).
    [
        "DROP TRIGGER articles_unindex",
        "DROP TABLE article_search",
        """CREATE VIRTUAL TABLE article_search USING fts5(
            title, body, tags, author, content = '', tokenize = 'unicode61 remove_diacritics 2'
        )""",
        """CREATE TRIGGER articles_unindex AFTER DELETE ON articles BEGIN
            INSERT INTO article_search(article_search, rowid, title, body, tags, author) VALUES (
                'delete', old.rowid, bladi_fold(old.title), bladi_fold_body(old.lead, old.body, old.summary),
                bladi_fold_tags(old.tags), bladi_fold(old.author)
            );
        END""",
        _index_existing_articles,
    ],
    # 7: where each rubrique and tag is listed on its site (tui.store.topics), how far the
    # "older articles" of each listing have been read, and when each listing page was read.
    [
        """CREATE TABLE topic_pages (
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            source_key TEXT NOT NULL,
            label TEXT NOT NULL,
            url TEXT NOT NULL,
            next_url TEXT NOT NULL DEFAULT '',
            ended INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (kind, key, source_key)
        ) WITHOUT ROWID""",
        """CREATE TABLE listing_reads (
            url TEXT PRIMARY KEY,
            read_at REAL NOT NULL,
            next_url TEXT NOT NULL DEFAULT ''
        ) WITHOUT ROWID""",
    ],
    # 8: retention never purges what a source's latest document still lists (tui.store.retention).
    [
        "ALTER TABLE articles ADD COLUMN listed INTEGER NOT NULL DEFAULT 0",
        # What the feeds list now is unknown until each is read again: until then every article
        # counts as listed (kept); the next document a feed sends records what it lists.
        "UPDATE articles SET listed = 1",
        # Purged ids used to keep an article its feed still listed out of the store for good;
        # a listed article now comes back (it is news again): nothing remembered blocks it.
        "DELETE FROM purged",
        # A source's articles its last document listed, to unmark those it no longer lists.
        "CREATE INDEX articles_listed ON articles(source_id, listed)",
        # "Is anything old enough to go?" answered from this index alone, after every refresh.
        "DROP INDEX articles_by_added",
        "CREATE INDEX articles_retention ON articles(listed, saved, added)",
    ],
    # 9: a source the site turns away waits before it is asked again: why it failed (a reason
    # code, worded by the UI), how long it waited last (doubling from the refresh interval) and
    # until when it waits.
    [
        "ALTER TABLE sources ADD COLUMN last_reason TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE sources ADD COLUMN backoff REAL NOT NULL DEFAULT 0",
        "ALTER TABLE sources ADD COLUMN retry_at REAL",
    ],
    # 10: an article's section headings as its page printed them ("Tags", "Nous vous
    # recommandons"): labels are content. Rows stored before read with the site's current wording.
    ["ALTER TABLE articles ADD COLUMN labels TEXT NOT NULL DEFAULT '{}'"],
    # 11: a digest of the last feed document each source's articles were read from (with what
    # the reading depended on): the same document again is not parsed again (tui.sources.web).
    [
        "ALTER TABLE sources ADD COLUMN body_digest TEXT NOT NULL DEFAULT ''",
    ],
    # 12: an article whose text was longer than the caps (tui.model) is stored cut, and says so.
    [
        "ALTER TABLE articles ADD COLUMN cut INTEGER NOT NULL DEFAULT 0",
    ],
    # 13: articles keyed by their sources (tui.article_keys): no source writes another's. Each
    # stored article takes its new id (the forms of one Bladi article become one, their marks
    # merged); the ids it had still find it.
    [
        """CREATE TABLE article_aliases (
            old TEXT PRIMARY KEY,
            id TEXT NOT NULL
        ) WITHOUT ROWID""",
        _key_articles_by_their_sources,
    ],
    # 14: a digest of the feed entry each article was last read from (tui.feeds.normalise): an
    # entry that comes again unchanged in a changed feed is neither converted nor written. The
    # index answers "which entries does this source hold?" without reading the articles' rows.
    # Rows stored before have none, and are read once more.
    [
        "ALTER TABLE articles ADD COLUMN entry_digest TEXT NOT NULL DEFAULT ''",
        "CREATE INDEX articles_by_entry ON articles(source_id, entry_digest, id)",
    ],
]

SCHEMA_VERSION = len(MIGRATIONS)

# A new store made at SCHEMA_VERSION in one step: what MIGRATIONS make of an empty file, without
# the tables made and dropped on the way, the search index made twice, or the indexing of
# articles there are none of (a new store is what a first fetch opens, before its first request;
# BENCHMARKS.md). A migration added above changes this too: a test compares the two roads.
NEW_STORE: list[str] = [
    """CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT '',
        last_error TEXT NOT NULL DEFAULT '',
        last_fetch REAL,
        last_reason TEXT NOT NULL DEFAULT '',
        backoff REAL NOT NULL DEFAULT 0,
        retry_at REAL,
        body_digest TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE articles (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        guid TEXT NOT NULL,
        url TEXT NOT NULL DEFAULT '',
        location TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        date TEXT,
        ts REAL,
        rubrique TEXT NOT NULL DEFAULT '',
        rubrique_key TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '[]',
        author TEXT NOT NULL DEFAULT '',
        date_line TEXT NOT NULL DEFAULT '',
        summary TEXT NOT NULL DEFAULT '',
        lead TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT '',
        related TEXT NOT NULL DEFAULT '[]',
        suggested TEXT NOT NULL DEFAULT '[]',
        full_text INTEGER NOT NULL DEFAULT 0,
        notice TEXT NOT NULL DEFAULT '',
        read INTEGER NOT NULL DEFAULT 0,
        saved INTEGER NOT NULL DEFAULT 0,
        added REAL NOT NULL DEFAULT 0,
        listed INTEGER NOT NULL DEFAULT 0,
        labels TEXT NOT NULL DEFAULT '{}',
        cut INTEGER NOT NULL DEFAULT 0,
        entry_digest TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX articles_by_date ON articles(ts DESC)",
    "CREATE INDEX articles_by_source ON articles(source_id, ts DESC)",
    "CREATE INDEX articles_by_rubrique ON articles(rubrique_key, ts DESC)",
    "CREATE INDEX articles_by_url ON articles(url)",
    "CREATE INDEX articles_by_location ON articles(location)",
    "CREATE INDEX articles_marks ON articles(source_id, read, saved)",
    "CREATE INDEX articles_rubrique_marks ON articles(source_id, rubrique_key, rubrique, read)",
    "CREATE INDEX articles_in_list_order ON articles(ts IS NULL, ts DESC, rowid DESC)",
    "CREATE INDEX articles_rubrique_counts ON articles(rubrique_key, rubrique, read)",
    "CREATE INDEX articles_listed ON articles(source_id, listed)",
    "CREATE INDEX articles_retention ON articles(listed, saved, added)",
    "CREATE INDEX articles_by_entry ON articles(source_id, entry_digest, id)",
    """CREATE TABLE article_tags (
        tag_key TEXT NOT NULL,
        article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (tag_key, article)
    ) WITHOUT ROWID""",
    "CREATE INDEX article_tags_by_article ON article_tags(article)",
    """CREATE TABLE http_validators (
        url TEXT PRIMARY KEY,
        etag TEXT NOT NULL DEFAULT '',
        last_modified TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE purged (
        id TEXT PRIMARY KEY,
        purged_at REAL NOT NULL
    ) WITHOUT ROWID""",
    "CREATE INDEX purged_by_time ON purged(purged_at)",
    """CREATE VIRTUAL TABLE article_search USING fts5(
        title, body, tags, author, content = '', tokenize = 'unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER articles_unindex AFTER DELETE ON articles BEGIN
        INSERT INTO article_search(article_search, rowid, title, body, tags, author) VALUES (
            'delete', old.rowid, bladi_fold(old.title), bladi_fold_body(old.lead, old.body, old.summary),
            bladi_fold_tags(old.tags), bladi_fold(old.author)
        );
    END""",
    """CREATE TABLE topic_pages (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        source_key TEXT NOT NULL,
        label TEXT NOT NULL,
        url TEXT NOT NULL,
        next_url TEXT NOT NULL DEFAULT '',
        ended INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (kind, key, source_key)
    ) WITHOUT ROWID""",
    """CREATE TABLE listing_reads (
        url TEXT PRIMARY KEY,
        read_at REAL NOT NULL,
        next_url TEXT NOT NULL DEFAULT ''
    ) WITHOUT ROWID""",
    """CREATE TABLE article_aliases (
        old TEXT PRIMARY KEY,
        id TEXT NOT NULL
    ) WITHOUT ROWID""",
]

# Settings of the search index, kept in the store. They change no format (a bladi-tui that does
# not know them reads and writes the store as well), so they are no migration: a store gets them
# the first time it is opened without them. automerge 8: merge the index's segments eight at a
# time rather than four (FTS5's default); a refresh adds one segment per feed and rewrote them
# too often (BENCHMARKS.md); searches take as long.
SEARCH_INDEX_SETTINGS = {"automerge": 8}


class SchemaTooNew(Exception):
    """The store was written by a newer bladi-tui; ``args[0]`` is its schema version."""


def apply_settings(db: sqlite3.Connection) -> None:
    """Give the store the :data:`SEARCH_INDEX_SETTINGS` it lacks, if it can at once: never
    waiting for another writer, never failing (a read-only store is read as it is)."""
    held = dict(db.execute("SELECT k, v FROM article_search_config").fetchall())
    missing = [(key, value) for key, value in SEARCH_INDEX_SETTINGS.items() if held.get(key) != value]
    if not missing:
        return
    timeout = db.execute("PRAGMA busy_timeout").fetchone()[0]
    db.execute("PRAGMA busy_timeout = 0")
    try:
        _give_settings(db, missing)
    except sqlite3.OperationalError:  # busy, read-only: next time
        pass
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(timeout)}")


def _give_settings(db: sqlite3.Connection, settings: Iterable[tuple[str, int]]) -> None:
    for key, value in settings:
        db.execute("INSERT INTO article_search(article_search, rank) VALUES (?, ?)", (key, value))


def migrate(db: sqlite3.Connection) -> int:
    """Bring the schema to SCHEMA_VERSION; returns the version found before. An empty file
    (version 0, nothing in it) is made at once from :data:`NEW_STORE`, with the search index's
    settings; an older store goes through each migration since its version."""
    found = db.execute("PRAGMA user_version").fetchone()[0]
    if found > SCHEMA_VERSION:
        raise SchemaTooNew(found)
    if found == SCHEMA_VERSION:
        return found
    db.execute("BEGIN IMMEDIATE")
    # Another process may have migrated while this one waited for the write lock.
    found = db.execute("PRAGMA user_version").fetchone()[0]
    if found > SCHEMA_VERSION:
        db.execute("ROLLBACK")
        raise SchemaTooNew(found)
    try:
        if found == 0 and db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is None:
            for statement in NEW_STORE:
                db.execute(statement)
            _give_settings(db, SEARCH_INDEX_SETTINGS.items())
        else:
            for version in range(found, SCHEMA_VERSION):
                for step in MIGRATIONS[version]:
                    if callable(step):
                        step(db)
                    else:
                        db.execute(step)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return found
