"""The store's schema and its forward migrations, versioned with ``PRAGMA user_version``.

Each migration is a list of statements taking the schema from version N-1 to N; a store written
by an older bladi-tui is carried forward in one transaction, never rebuilt.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: list[list[str]] = [
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
]

SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNew(sqlite3.DatabaseError):
    pass


def migrate(db: sqlite3.Connection) -> int:
    """Bring the schema to SCHEMA_VERSION; returns the version found before."""
    found = db.execute("PRAGMA user_version").fetchone()[0]
    if found > SCHEMA_VERSION:
        raise SchemaTooNew(f"it was written by a newer bladi-tui (schema {found})")
    if found == SCHEMA_VERSION:
        return found
    db.execute("BEGIN IMMEDIATE")
    # Another process may have migrated while this one waited for the write lock.
    found = db.execute("PRAGMA user_version").fetchone()[0]
    try:
        for version in range(found, SCHEMA_VERSION):
            for statement in MIGRATIONS[version]:
                db.execute(statement)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return found
