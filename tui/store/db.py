"""The store: one SQLite file holding sources, articles, read/saved marks and HTTP validators.

The UI never loads articles wholesale: it asks for a topic's count (one indexed query), then for
the window of rows it draws, then for one article when it is opened.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from tui.model import ALL, Article, Link, Topic, article_id, fold
from tui.sanitize import clean_line
from tui.store import retention
from tui.store.retention import RetentionRules
from tui.store.schema import SCHEMA_VERSION, SchemaTooNew, apply_settings, migrate
from tui.store.search import match_expression, register_functions, search_columns
from tui.store.topics import fold_listing_sources, listing_key, record_topic_pages

try:
    import fcntl
except ImportError:  # Windows: SQLite's own waiting
    fcntl = None  # type: ignore[assignment]

# Beside the store, the lock its writers take turns with (see Store._writers_turn).
WRITERS_LOCK_SUFFIX = "-writers.lock"
WRITERS_WAIT = 10.0  # seconds, as SQLite's busy timeout
SOURCE_NAME_LIMIT = 80  # a feed title longer than this is no name for a sidebar


class StoreError(Exception):
    """The store file cannot be used; the message is one sentence for the user."""


def move_aside_command(path: str) -> str:
    """The shell command that moves a store aside, with the journal files that belong to it.

    A write-ahead log left beside a new store would be replayed into it: it moves too.
    """
    moves = [
        f"mv {shlex.quote(path + suffix)} {shlex.quote(path + '.broken' + suffix)}"
        for suffix in ("", "-wal", "-shm")
        if suffix == "" or os.path.exists(path + suffix)
    ]
    return " && ".join(moves)


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
    source_keys: tuple[str, ...] | None = None
    newest: int | None = None
    kept: frozenset[int] = frozenset()


#: The list's order, as the index ``articles_in_list_order`` holds it: newest first, undated last.
_LIST_ORDER = "a.ts IS NULL, a.ts DESC, a.rowid DESC"


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


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article with its marks, as the CLI and the article view need it."""

    article: Article
    rowid: int
    read: bool
    saved: bool


_ARTICLE_COLUMNS = (
    "guid, url, location, title, date, ts, rubrique, rubrique_key, tags, author, date_line, "
    "summary, lead, body, related, suggested, full_text, notice"
)


_UPSERT_ARTICLE = (
    "INSERT INTO articles(id, source_id, " + _ARTICLE_COLUMNS + ", added, listed) "
    "VALUES (" + ",".join("?" * 22) + ") "
    "ON CONFLICT(id) DO UPDATE SET "
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
    "notice = CASE WHEN excluded.full_text OR NOT articles.full_text THEN excluded.notice ELSE articles.notice END, "
    "full_text = MAX(excluded.full_text, articles.full_text), "
    "listed = MAX(excluded.listed, articles.listed)"
)


_SAVE_VALIDATORS = (
    "INSERT INTO http_validators(url, etag, last_modified) VALUES (?, ?, ?) "
    "ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified"
)
_UNINDEX = "INSERT INTO article_search(article_search, rowid, title, body, tags, author) VALUES ('delete', ?, ?, ?, ?, ?)"


def _chunks(items: Sequence, size: int = 500) -> Iterable[list]:
    # SQLite caps the number of ? in one statement (32,766 since 3.32, 999 before).
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


# What the tags and the search index are made of: when none of it changes, neither do they.
_INDEXED_COLUMNS = "SELECT id, rowid, title, lead, body, summary, tags, author FROM articles WHERE id IN ({})"


def _ids_in(db: sqlite3.Connection, query: str, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(ids):
        found.update(row[0] for row in db.execute(query.format(",".join("?" * len(chunk))), chunk))
    return found


def _indexed_rows(db: sqlite3.Connection, ids: Sequence[str]) -> dict[str, tuple]:
    """id -> (rowid, title, lead, body, summary, tags, author) of the stored articles among ``ids``."""
    rows: dict[str, tuple] = {}
    for chunk in _chunks(ids):
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
    for chunk in _chunks(gone):
        db.execute(f"UPDATE articles SET listed = 0 WHERE rowid IN ({','.join('?' * len(chunk))})", chunk)


def _rowids(db: sqlite3.Connection, ids: Sequence[str]) -> dict[str, int]:
    rowids: dict[str, int] = {}
    for chunk in _chunks(ids):
        query = f"SELECT id, rowid FROM articles WHERE id IN ({','.join('?' * len(chunk))})"
        rowids.update(db.execute(query, chunk).fetchall())
    return rowids


class _Folded(dict):
    """fold() of the rubriques and tags of a batch, each computed once (a feed repeats them)."""

    def __call__(self, text: str) -> str:
        key = self.get(text)
        if key is None:
            key = self[text] = fold(text)
        return key


def _date_to_db(date: datetime | None) -> tuple[str | None, float | None]:
    if date is None:
        return None, None
    return date.isoformat(), date.timestamp()


def _links_to_db(links: Sequence[Link]) -> str:
    return json.dumps([[link.title, link.url, link.summary] for link in links], ensure_ascii=False)


def _links_from_db(raw: str | None) -> list[Link]:
    if not raw:
        return []
    return [Link(title, url, summary) for title, url, summary in json.loads(raw)]


class Store:
    """A SQLite store. Safe to share between the UI thread and one worker thread."""

    def __init__(self, path: Path | str, *, checkpoints: bool = True) -> None:
        """Open (or create) the store at ``path``.

        ``checkpoints=False`` leaves copying the write-ahead log into the store to the other
        connections (a refresh's worker processes: the fetching process, which waits on the
        network anyway, does it when it records each source's status).
        """
        self.path = str(path)
        if self.path != ":memory:":
            # What you read is yours: a new data folder is private to its user.
            Path(self.path).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(self.path, timeout=10.0, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as error:
            raise StoreError(f"The store {self.path} cannot be opened ({error}).") from None
        try:
            self._db.execute("PRAGMA busy_timeout = 10000")
            # An article (text, Markdown, search columns) takes ~6 KB: with SQLite's 4 KB pages
            # each spilled onto overflow pages. 16 KB pages hold it whole: a fetch writes 20% less
            # and costs 14% less. Only a new file takes it (an existing one keeps its own).
            self._db.execute("PRAGMA page_size = 16384")
            self.journal_mode = self._set_journal_mode()
            self._db.execute("PRAGMA synchronous = NORMAL")
            if not checkpoints:
                self._db.execute("PRAGMA wal_autocheckpoint = 0")
            self._db.execute("PRAGMA foreign_keys = ON")
            # Reading the schema is what finds a file that is not a database: SQLite opens any
            # file lazily. (A full `PRAGMA quick_check` would cost a read of the whole file at
            # every start; a damaged page is reported when it is read.)
            self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            register_functions(self._db)
            migrate(self._db)
            apply_settings(self._db)
        except SchemaTooNew as error:
            self._db.close()
            raise StoreError(
                f"The store {self.path} was written by a newer bladi-tui (schema {error.args[0]}, "
                f"this one knows {SCHEMA_VERSION}): upgrade bladi-tui, or give another --data-dir."
            ) from None
        except sqlite3.OperationalError as error:
            # Locked past the busy timeout, read-only, disk full: the file itself is fine.
            self._db.close()
            raise StoreError(f"The store {self.path} cannot be used ({error}).") from None
        except sqlite3.DatabaseError as error:
            self._db.close()
            raise StoreError(
                f"The store {self.path} is damaged ({error}); move it aside and bladi-tui will "
                f"start a new one: {move_aside_command(self.path)}"
            ) from None
        self._lock = threading.RLock()
        self._writers_fd: int | None = None
        if fcntl is not None and self.path != ":memory:":
            try:
                self._writers_fd = os.open(self.path + WRITERS_LOCK_SUFFIX, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:
                pass  # a read-only folder: SQLite's own waiting then

    @property
    def schema_version(self) -> int:
        with self._lock:
            return self._db.execute("PRAGMA user_version").fetchone()[0]

    def _set_journal_mode(self) -> str:
        # WAL lets the TUI read while `bladi-tui fetch` writes. It needs shared memory, which
        # network filesystems lack: there SQLite refuses, and the rollback journal still works.
        try:
            mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError:
            mode = "delete"
        if mode.lower() != "wal":
            mode = self._db.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        return mode.lower()

    def close(self) -> None:
        with self._lock:
            self._db.close()
            if self._writers_fd is not None:
                os.close(self._writers_fd)
                self._writers_fd = None

    # -- writing ------------------------------------------------------------------------------

    def _write(self, statements):
        """Run ``statements(db)`` in one immediate transaction (taken before any read)."""
        with self._lock:
            with self._writers_turn():
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    result = statements(self._db)
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
            # The next writer's turn begins as this COMMIT writes the pages out (a millisecond,
            # which SQLite's first retry covers): then, every few megabytes, it copies the log
            # into the store with an fsync, which no other writer has to wait for.
            self._db.execute("COMMIT")
            return result

    @contextlib.contextmanager
    def _writers_turn(self) -> Iterator[None]:
        """Wait for the other processes' writes to this store, as in a queue.

        SQLite makes a writer that finds the store busy sleep 1, 2, 5, 10, 15, 20, 25… ms before
        trying again: with two worker processes storing feeds turn about (tui.feed_job), that
        slept away a third of a refresh. An advisory lock beside the store wakes the next writer
        the moment the write ends. It is polled every millisecond rather than waited for, so
        that a writer stopped mid-write (Ctrl+Z) costs the others at most the busy timeout,
        after which SQLite's own waiting takes over.
        """
        fd = self._writers_fd
        if fd is None:
            yield
            return
        deadline = time.monotonic() + WRITERS_WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() > deadline:
                    yield
                    return
                time.sleep(0.001)
            except OSError:  # a file system without locks
                yield
                return
            else:
                break
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)

    def ensure_source(self, key: str, name: str, kind: str = "") -> int:
        def run(db: sqlite3.Connection) -> int:
            db.execute(
                "INSERT INTO sources(key, name, kind) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET name = excluded.name, kind = excluded.kind",
                (key, name, kind),
            )
            return db.execute("SELECT id FROM sources WHERE key = ?", (key,)).fetchone()[0]

        return self._write(run)

    def ensure_sources(self, sources: Sequence[tuple[str, str, str] | tuple[str, str, str, bool]]) -> None:
        """:meth:`ensure_source` for each ``(key, name, kind[, named])``, writing only what differs
        (at every start and refresh nothing does: no write transaction before the first frame).
        A name the user did not give (``named`` false: the host, the folder) is only a first
        name: the one a refresh took from the feed's title stays."""
        with self._lock:
            known = {row[0]: tuple(row) for row in self._db.execute("SELECT key, name, kind FROM sources")}
        wanted = {}
        for key, name, kind, *named in sources:
            if key in known and named and not named[0]:
                name = known[key][1]
            wanted[key] = (key, name, kind)
        changed = [source for source in wanted.values() if known.get(source[0]) != source]
        if changed:
            self._write(
                lambda db: db.executemany(
                    "INSERT INTO sources(key, name, kind) VALUES (?, ?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET name = excluded.name, kind = excluded.kind",
                    changed,
                )
            )

    def set_source_title(self, key: str, title: str) -> None:
        """Name a source after its feed's title (cleaned, capped). A name another source has
        already gets this one's host added, so the sidebar tells them apart."""
        name = clean_line(title, limit=SOURCE_NAME_LIMIT)
        if not name:
            return

        def run(db: sqlite3.Connection) -> None:
            nonlocal name
            others = {fold(row[0]) for row in db.execute("SELECT name FROM sources WHERE key != ?", (key,))}
            parts = urlsplit(key)
            host = (parts.hostname or "").removeprefix("www.")
            for candidate in (name, f"{name} ({host})", f"{name} ({host}{parts.path})"):
                if fold(candidate) not in others:
                    name = candidate
                    break
            db.execute("UPDATE sources SET name = ? WHERE key = ? AND name != ?", (name, key, name))

        self._write(run)

    def set_source_status(
        self,
        key: str,
        *,
        error: str = "",
        fetched: bool = True,
        reason: str = "",
        backoff: float = 0.0,
        retry_at: float | None = None,
    ) -> None:
        """The outcome of a refresh: ``last_error`` is why it failed ("" when it answered) and
        ``last_fetch`` when it last answered, so a failing source can say since when it fails;
        ``reason`` a code for the UI, ``backoff`` and ``retry_at`` its wait before the next
        (none after a success)."""
        self._write(
            lambda db: db.execute(
                "UPDATE sources SET last_error = ?, last_reason = ?, backoff = ?, retry_at = ?, "
                "last_fetch = COALESCE(?, last_fetch) WHERE key = ?",
                (error, reason, backoff, retry_at, time.time() if fetched and not error else None, key),
            )
        )

    def source_backoff(self, key: str) -> tuple[float, float | None, str, str]:
        """(backoff in seconds, retry_at, last error, last reason) of a source; zeros if unknown."""
        with self._lock:
            row = self._db.execute(
                "SELECT backoff, retry_at, last_error, last_reason FROM sources WHERE key = ?", (key,)
            ).fetchone()
        return (row[0], row[1], row[2], row[3]) if row else (0.0, None, "", "")

    def upsert_articles(
        self,
        source_key: str,
        articles: Iterable[Article],
        *,
        listing: bool = False,
        revive: bool = False,
        validators: tuple[str, str, str] | None = None,
    ) -> int:
        """Insert or update articles of a source in one transaction; returns how many were new.

        Read and saved marks survive an update, and a complete body is never replaced by an
        intro-only one. ``listing=True`` says the articles are the whole of the source's latest
        document (its feed, its page): retention keeps exactly those, and one of them that
        retention purged earlier comes back (it is news again). Otherwise (a page completing
        an item) a purged article is skipped, unless ``revive=True`` (the user asked for that
        very article, e.g. by following a link to it).
        ``validators`` (url, ETag, Last-Modified) of the document the articles came from are
        saved with them: a document that could not be read is asked for again in full.
        """

        articles = list(articles)

        # A batch is written in a few statements whatever its size (executemany), not in seven
        # per article: 50 feeds of 100 articles into an empty store, 0.91 s instead of 1.12 s.
        def run(db: sqlite3.Connection) -> int:
            row = db.execute("SELECT id FROM sources WHERE key = ?", (source_key,)).fetchone()
            if row is None:
                raise KeyError(source_key)
            source_id = row[0]
            ids = [article.id for article in articles]
            if listing:
                _unlist_others(db, source_id, set(ids))
            if revive or listing:
                db.executemany("DELETE FROM purged WHERE id = ?", [(article_id,) for article_id in ids])
                purged: set[str] = set()
            else:
                purged = _ids_in(db, "SELECT id FROM purged WHERE id IN ({})", ids)
            kept = [
                (article_id, article)
                for article_id, article in zip(ids, articles)
                if article_id not in purged
            ]
            kept_ids = list(dict.fromkeys(article_id for article_id, _ in kept))
            before = _indexed_rows(db, kept_ids)
            now = time.time()
            folded = _Folded()
            written: dict[str, tuple] = {}  # what a new row holds: the values it was inserted with
            values = []
            for article_id, article in kept:
                date_iso, ts = _date_to_db(article.date)
                tags = json.dumps(article.tags, ensure_ascii=False)
                values.append(
                    (
                        article_id,
                        source_id,
                        article.guid,
                        article.url,
                        article.location,
                        article.title,
                        date_iso,
                        ts,
                        article.rubrique,
                        folded(article.rubrique),
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
                        now,
                        int(listing),
                    )
                )
                if article_id not in before:
                    written.setdefault(
                        article_id,
                        (article.title, article.lead, article.body, article.summary, tags, article.author),
                    )
            db.executemany(_UPSERT_ARTICLE, values)
            # Rows that were there before are read back (the upsert keeps some of their old
            # values); new ones hold what was written, their first occurrence in the batch
            # unless the batch repeats the article (then read back too).
            repeated = len(kept) != len(kept_ids)
            after = _indexed_rows(db, [i for i in kept_ids if i in before or repeated])
            if not repeated:
                rowids = _rowids(db, list(written))
                after.update((i, (rowids[i], *written[i])) for i in written)
            # A refresh re-reads the same items: their tags and index are left as they are.
            changed_ids = [article_id for article_id, row in after.items() if row != before.get(article_id)]
            changed = [after[article_id] for article_id in changed_ids]
            db.executemany("DELETE FROM article_tags WHERE article = ?", [(row[0],) for row in changed])
            tag_rows = []
            for rowid, _, _, _, _, tags, _ in changed:
                tag_rows += [(key, rowid, tag) for tag in json.loads(tags) if (key := folded(tag))]
            db.executemany(
                "INSERT OR IGNORE INTO article_tags(tag_key, article, tag) VALUES (?, ?, ?)", tag_rows
            )
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
                [(rowid, *search_columns(*columns)) for rowid, *columns in changed],
            )
            if validators is not None:
                db.execute(_SAVE_VALIDATORS, validators)
            record_topic_pages(db, source_key, articles)
            return sum(1 for article_id in kept_ids if article_id not in before)

        return self._write(run)

    def set_read(self, rowids: Sequence[int], read: bool = True) -> None:
        """Mark articles read (or unread), all in one transaction."""

        def run(db: sqlite3.Connection) -> None:
            for chunk in _chunks(rowids):
                db.execute(
                    f"UPDATE articles SET read = ? WHERE rowid IN ({','.join('?' * len(chunk))})",
                    [int(read), *chunk],
                )

        self._write(run)

    def mark_all_read(self, rowids: Sequence[int]) -> list[int]:
        """Mark a whole view read at once (10,000 articles take a few milliseconds); returns
        the ones that were unread, so that the user can take it back."""

        def run(db: sqlite3.Connection) -> list[int]:
            changed: list[int] = []
            for chunk in _chunks(rowids):
                changed += [
                    row[0]
                    for row in db.execute(
                        f"UPDATE articles SET read = 1 WHERE read = 0 AND rowid IN ({','.join('?' * len(chunk))}) "
                        "RETURNING rowid",
                        chunk,
                    )
                ]
            return changed

        return self._write(run)

    def mark_list_read(self, scope: ListScope) -> list[int]:
        """Mark every article of a list read, in one statement. Only what the list held when
        it was read (``scope.newest``): an article stored since, never shown, stays unread.
        Returns the ones that were unread, so that the user can take it back."""
        with self._lock:
            join, join_params, where, params = self._list_filter(scope)
        return self._write(
            lambda db: [
                row[0]
                for row in db.execute(
                    f"UPDATE articles SET read = 1 WHERE read = 0 AND rowid IN (SELECT a.rowid FROM articles a{join} WHERE {where}) "
                    "RETURNING rowid",
                    [*join_params, *params],
                )
            ]
        )

    def set_saved(self, rowid: int, saved: bool) -> None:
        self._write(
            lambda db: db.execute("UPDATE articles SET saved = ? WHERE rowid = ?", (int(saved), rowid))
        )

    def purge(
        self,
        max_age_days: int,
        max_articles: int,
        now: float | None = None,
        *,
        source_caps: Mapping[str, int] | None = None,
    ) -> int:
        """Delete articles by retention (:mod:`tui.store.retention`); returns how many went.

        Saved articles, articles their source still lists and those of local sources never go.
        ``max_age_days`` counts from when an article was stored; ``max_articles`` caps the
        store, ``source_caps`` (source key -> count) single sources; 0 turns a rule off.
        """
        rules = RetentionRules(max_age_days, max_articles, dict(source_caps or {}))
        if max_age_days <= 0 and max_articles <= 0 and not any(c > 0 for c in rules.source_caps.values()):
            return 0
        return self._write(lambda db: retention.purge(db, rules, time.time() if now is None else now))

    # -- HTTP validators ----------------------------------------------------------------------

    def validators(self, url: str) -> tuple[str, str]:
        with self._lock:
            row = self._db.execute(
                "SELECT etag, last_modified FROM http_validators WHERE url = ?", (url,)
            ).fetchone()
        return (row[0], row[1]) if row else ("", "")

    # -- reading ------------------------------------------------------------------------------

    def _source_ids(self, source_keys: Sequence[str] | None) -> list[int] | None:
        if source_keys is None:
            return None
        marks = ",".join("?" * len(source_keys))
        rows = self._db.execute(f"SELECT id FROM sources WHERE key IN ({marks})", list(source_keys))
        return [row[0] for row in rows]

    def _scope(self, source_keys: Sequence[str] | None) -> tuple[str, list]:
        ids = self._source_ids(source_keys)
        # Every source of the store in scope (the usual case): no filter, so the ordering index
        # alone answers, without sorting 100,000 rows.
        if ids is None or len(ids) == self._db.execute("SELECT COUNT(*) FROM sources").fetchone()[0]:
            return "1", []
        return f"a.source_id IN ({','.join('?' * len(ids))})", list(ids)

    def _topic_filter(self, topic: Topic, source_keys: Sequence[str] | None) -> tuple[str, list, str, list]:
        """(join, its params, where, its params) selecting a topic's articles ``a``."""
        return self._list_filter(ListScope(topic, source_keys))

    def _list_filter(self, scope: ListScope) -> tuple[str, list, str, list]:
        """(join, its params, where, its params) selecting the articles ``a`` of a list."""
        topic = scope.topic
        where, params = self._scope(scope.source_keys)
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

    def topic_rowids(self, topic: Topic, source_keys: Sequence[str] | None = None) -> list[int]:
        """Row ids of a topic's articles, newest first (undated ones last)."""
        return self.list_rowids(ListScope(topic, source_keys))

    # The article list reads a topic a window at a time, never the whole of it.

    def open_list(self, topic: Topic, source_keys: Sequence[str] | None = None) -> tuple[ListScope, int]:
        """A topic's list as it is now, and how many articles it holds (one indexed count)."""
        with self._lock:
            # One read transaction: the count and the newest row id describe the same moment.
            self._db.execute("BEGIN")
            try:
                newest = self._db.execute("SELECT MAX(rowid) FROM articles").fetchone()[0] or 0
                join, join_params, where, params = self._list_filter(ListScope(topic, source_keys))
                count = self._db.execute(
                    f"SELECT COUNT(*) FROM articles a{join} WHERE {where}", [*join_params, *params]
                ).fetchone()[0]
            finally:
                self._db.execute("COMMIT")
        keys = tuple(source_keys) if source_keys is not None else None
        return ListScope(topic, keys, newest), count

    def list_count(self, scope: ListScope) -> int:
        with self._lock:
            join, join_params, where, params = self._list_filter(scope)
            return self._db.execute(
                f"SELECT COUNT(*) FROM articles a{join} WHERE {where}", [*join_params, *params]
            ).fetchone()[0]

    def list_rowids(self, scope: ListScope, offset: int = 0, limit: int = -1) -> list[int]:
        """Row ids of a list in its order (newest first, undated last), from ``offset``."""
        with self._lock:
            join, join_params, where, params = self._list_filter(scope)
            rows = self._db.execute(
                f"SELECT a.rowid FROM articles a{join} WHERE {where} ORDER BY {_LIST_ORDER} LIMIT ? OFFSET ?",
                [*join_params, *params, limit, offset],
            ).fetchall()
        return [row[0] for row in rows]

    def list_rows(self, scope: ListScope, offset: int, limit: int) -> list[ArticleRow]:
        """The rows the list draws, from ``offset``: the ids come from the ordering index,
        then only these few rows are read."""
        with self._lock:
            rowids = self.list_rowids(scope, offset, limit)
            found = self.rows(rowids)
        return [found[rowid] for rowid in rowids if rowid in found]

    def list_position(self, scope: ListScope, rowid: int) -> int | None:
        """Where an article stands in a list (how many come before it), or None when it is not
        in it. Counts through the date index up to the article, not the whole list."""
        with self._lock:
            join, join_params, where, params = self._list_filter(scope)
            found = self._db.execute(
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
            return self._db.execute(
                f"SELECT COUNT(*) FROM articles a{join} WHERE {where} AND {before}",
                [*join_params, *params, *more],
            ).fetchone()[0]

    def list_first_unread(self, scope: ListScope, start: int) -> tuple[int, int] | None:
        """(position, row id) of the first unread article of a list at ``start`` or after it."""
        with self._lock:
            join, join_params, where, params = self._list_filter(scope)
            # Streamed in list order and stopped at the first unread one: no count of the rest.
            cursor = self._db.execute(
                f"SELECT a.rowid, a.read FROM articles a{join} WHERE {where} "
                f"ORDER BY {_LIST_ORDER} LIMIT -1 OFFSET ?",
                [*join_params, *params, start],
            )
            try:
                for index, (rowid, read) in enumerate(cursor, start):
                    if not read:
                        return index, rowid
            finally:
                cursor.close()
        return None

    def search_rowids(
        self, query: str, source_keys: Sequence[str] | None = None, topic: Topic = ALL
    ) -> list[int]:
        """Row ids of the articles of a topic matching what a user typed, newest first.

        Title, body, tags and author are searched; case, accents and the ligatures œ and æ are
        ignored; every word must appear, as a word or the start of one. Whatever the query, this
        never raises: a query without any word finds nothing.
        """
        expression = match_expression(query)
        if expression is None:
            return []
        with self._lock:
            join, join_params, where, params = self._topic_filter(topic, source_keys)
            rows = self._db.execute(
                "SELECT a.rowid FROM article_search JOIN articles a ON a.rowid = article_search.rowid"
                f"{join} WHERE article_search MATCH ? AND {where} ORDER BY {_LIST_ORDER}",
                [*join_params, expression, *params],
            ).fetchall()
        return [row[0] for row in rows]

    def rows(self, rowids: Sequence[int]) -> dict[int, ArticleRow]:
        """The list rows for some row ids (the few the list is about to draw)."""
        if not rowids:
            return {}
        with self._lock:
            result = {}
            for start in range(0, len(rowids), 500):
                chunk = list(rowids[start : start + 500])
                query = (
                    "SELECT a.rowid, a.id, a.title, a.date, a.rubrique, s.name, a.read, a.saved "
                    "FROM articles a JOIN sources s ON s.id = a.source_id "
                    f"WHERE a.rowid IN ({','.join('?' * len(chunk))})"
                )
                for rowid, aid, title, date, rubrique, source, read, saved in self._db.execute(query, chunk):
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

    def _article_where(self, where: str, params: Sequence) -> StoredArticle | None:
        with self._lock:
            row = self._db.execute(
                "SELECT a.rowid, a.read, a.saved, s.name, "
                + _ARTICLE_COLUMNS
                + f" FROM articles a JOIN sources s ON s.id = a.source_id WHERE {where} LIMIT 1",
                params,
            ).fetchone()
        if row is None:
            return None
        (
            rowid,
            read,
            saved,
            source,
            guid,
            url,
            location,
            title,
            date,
            _ts,
            rubrique,
            _rkey,
            tags,
            author,
            date_line,
            summary,
            lead,
            body,
            related,
            suggested,
            full_text,
            notice,
        ) = row
        article = Article(
            guid=guid,
            title=title,
            url=url,
            date=datetime.fromisoformat(date) if date else None,
            rubrique=rubrique,
            tags=json.loads(tags),
            author=author,
            date_line=date_line,
            summary=summary,
            lead=lead,
            body=body,
            related=_links_from_db(related),
            suggested=_links_from_db(suggested),
            source=source,
            full_text=bool(full_text),
            notice=notice,
            location=location,
        )
        return StoredArticle(article, rowid, bool(read), bool(saved))

    def known_ids(self, ids: Sequence[str]) -> set[str]:
        """Which of these article ids the store holds (their pages were read already)."""
        with self._lock:
            return _ids_in(self._db, "SELECT id FROM articles WHERE id IN ({})", ids)

    def article(self, rowid: int) -> StoredArticle | None:
        return self._article_where("a.rowid = ?", (rowid,))

    def find(self, ref: str, same_article: Sequence[str] = ()) -> StoredArticle | None:
        """An article by its id, its guid, its URL or the file it was read from; else, by the
        GLOB patterns of ``same_article``: the other URL forms a site gives one article
        (:func:`tui.extract.page.same_article_globs`)."""
        # By guid through the id it hashes to: every term then has its index (a scan of every
        # article for `guid = ?` cost following a link 0.1 s at 100,000 articles).
        found = self._article_where(
            "a.id IN (?, ?) OR a.url = ? OR a.location = ?", (ref, article_id(ref), ref, ref)
        )
        if found is None and same_article:
            # A scan, but only for a site's article URL that is not stored as it is written.
            where = " OR ".join("a.url GLOB ?" for _ in same_article)
            found = self._article_where(where, tuple(same_article))
        return found

    def sources(self, source_keys: Sequence[str] | None = None) -> list[SourceState]:
        with self._lock:
            where, params = self._scope(source_keys)
            where = where.replace("a.source_id", "s.id")
            rows = self._db.execute(
                "SELECT s.key, s.name, s.kind, COUNT(a.rowid), COALESCE(SUM(a.read = 0), 0), "
                "s.last_error, s.last_fetch, s.last_reason, s.retry_at "
                "FROM sources s LEFT JOIN articles a ON a.source_id = s.id "
                f"WHERE {where} GROUP BY s.id ORDER BY s.id",
                params,
            ).fetchall()
        return [SourceState(*row) for row in fold_listing_sources(rows)]

    def view_counts(self, source_keys: Sequence[str] | None = None) -> dict[str, tuple[int, int]]:
        """(count, unread) for the views "all", "unread" and "saved"."""
        with self._lock:
            where, params = self._scope(source_keys)
            total, unread, saved, saved_unread = self._db.execute(
                "SELECT COUNT(*), COALESCE(SUM(read = 0), 0), COALESCE(SUM(saved), 0), "
                f"COALESCE(SUM(saved AND read = 0), 0) FROM articles a WHERE {where}",
                params,
            ).fetchone()
        return {"all": (total, unread), "unread": (unread, unread), "saved": (saved, saved_unread)}

    def rubriques(self, source_keys: Sequence[str] | None = None) -> list[TopicCount]:
        """Rubriques merged case- and accent-insensitively, the most frequent spelling shown."""
        with self._lock:
            where, params = self._scope(source_keys)
            rows = self._db.execute(
                "SELECT rubrique_key, rubrique, COUNT(*), SUM(read = 0) FROM articles a "
                f"WHERE {where} AND rubrique_key != '' GROUP BY rubrique_key, rubrique",
                params,
            ).fetchall()
        return _merge_spellings("rubrique", rows)

    def tags(self, source_keys: Sequence[str] | None = None, limit: int | None = None) -> list[TopicCount]:
        """Tags merged like rubriques, the most used first; with ``limit``, only that many
        (there can be tens of thousands: the sidebar shows the top of the list)."""
        with self._lock:
            where, params = self._scope(source_keys)
            keys_only = ""
            if limit is not None:
                # First the keys worth showing, then their spellings. With every source in
                # scope the tags table answers alone, in its own key order.
                top = (
                    "SELECT tag_key FROM article_tags GROUP BY tag_key ORDER BY COUNT(*) DESC, tag_key LIMIT ?"
                    if where == "1"
                    else "SELECT t.tag_key FROM article_tags t JOIN articles a ON a.rowid = t.article "
                    f"WHERE {where} GROUP BY t.tag_key ORDER BY COUNT(*) DESC, t.tag_key LIMIT ?"
                )
                keys = [row[0] for row in self._db.execute(top, (params if where != "1" else []) + [limit])]
                keys_only = f" AND t.tag_key IN ({','.join('?' * len(keys))})" if keys else " AND 0"
                params = params + keys
            rows = self._db.execute(
                "SELECT t.tag_key, t.tag, COUNT(*), SUM(a.read = 0) FROM article_tags t "
                f"JOIN articles a ON a.rowid = t.article WHERE {where}{keys_only} GROUP BY t.tag_key, t.tag",
                params,
            ).fetchall()
        return _merge_spellings("tag", rows)

    def tag_count(self, source_keys: Sequence[str] | None = None) -> int:
        with self._lock:
            where, params = self._scope(source_keys)
            if where == "1":
                return self._db.execute("SELECT COUNT(DISTINCT tag_key) FROM article_tags").fetchone()[0]
            return self._db.execute(
                "SELECT COUNT(DISTINCT t.tag_key) FROM article_tags t "
                f"JOIN articles a ON a.rowid = t.article WHERE {where}",
                params,
            ).fetchone()[0]


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
