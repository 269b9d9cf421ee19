"""The store: one SQLite file holding sources, articles, read/saved marks and HTTP validators.

:class:`Store` is the one door to it. Behind it: the connections and the writers' turns
(:mod:`tui.store.connection`), what is written (:mod:`tui.store.writes`), the lists, search and
articles the reader reads (:mod:`tui.store.lists`), the sidebar's counts
(:mod:`tui.store.sidebar_reads`, :mod:`tui.store.counts`), the reader's marks written in the
background (:mod:`tui.store.marks`).
Reads go through the reading thread's own read-only connection and never wait for a writer, in
this process or another.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from tui.sanitize import clean_line
from tui.store import lists
from tui.store.connection import WRITERS_LOCK_SUFFIX, StoreConnections, StoreError, move_aside_command
from tui.store.lists import ArticleRow, ListScope
from tui.store.marks import READ, SAVED, MarkQueue
from tui.store.sidebar_reads import SidebarReads
from tui.topic import ALL, Topic

# What the reader's first frame does without is imported by the methods that use it: the writes
# (tui.store.writes) and whole articles (tui.store.articles, with the articles' model), the counts
# (tui.store.counts) and retention (tui.store.retention). That frame reads a list's rows, and
# writes, opens, counts and purges nothing.
if TYPE_CHECKING:
    from tui.model import Article
    from tui.store.articles import StoredArticle
    from tui.store.counts import RefreshState
    from tui.store.writes import SourceStatus

__all__ = [
    "WRITERS_LOCK_SUFFIX",
    "ArticleRow",
    "ListScope",
    "Store",
    "StoreError",
    "move_aside_command",
]

T = TypeVar("T")


class Store(SidebarReads):
    """A SQLite store, shared by the threads of a process (each reads with its own connection)."""

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
        self._connections = StoreConnections(self.path, checkpoints=checkpoints)
        self.journal_mode = self._connections.journal_mode
        self._marks: MarkQueue | None = None  # started by the first queued mark

    def close(self) -> None:
        """Close the store, once the marks still queued are written."""
        if self._marks is not None:
            self._marks.close()
        self._connections.close()

    def leave_checkpoints(self) -> None:
        """See :meth:`tui.store.connection.StoreConnections.leave_checkpoints`."""
        self._connections.leave_checkpoints()

    def syncing_log(self) -> AbstractContextManager[None]:
        """See :meth:`tui.store.connection.StoreConnections.syncing_log`."""
        return self._connections.syncing_log()

    def settle_log(self, *, copy: bool) -> None:
        """See :meth:`tui.store.connection.StoreConnections.settle_log`."""
        self._connections.settle_log(copy=copy)

    # For the store's own modules (tui.store.topics): a connection to read with, a transaction.

    def _reading(self) -> AbstractContextManager:
        return self._connections.reading()

    def _write(self, statements: Callable[..., T]) -> T:
        return self._connections.write(statements)

    def _writers_turn(self) -> AbstractContextManager:
        return self._connections.writers_turn()

    def _read(self, reads: Callable[..., T], /, *args, **kwargs) -> T:
        with self._connections.reading() as db:
            return reads(db, *args, **kwargs)

    @property
    def schema_version(self) -> int:
        return self._read(lambda db: db.execute("PRAGMA user_version").fetchone()[0])

    # -- sources ------------------------------------------------------------------------------

    def ensure_source(self, key: str, name: str, kind: str = "") -> int:
        from tui.store import writes

        return self._write(partial(writes.ensure_source, key=key, name=name, kind=kind))

    def ensure_sources(self, sources: Sequence[tuple[str, str, str] | tuple[str, str, str, bool]]) -> None:
        """:meth:`ensure_source` for each ``(key, name, kind[, named])``, writing only what differs
        (at every start and refresh nothing does: no write transaction before the first frame).
        A name the user did not give (``named`` false) does not replace a feed's title."""
        known = self._read(
            lambda db: {row[0]: tuple(row) for row in db.execute("SELECT key, name, kind FROM sources")}
        )
        from tui.store import writes

        changed = writes.sources_to_ensure(known, sources)
        if changed:
            self._write(partial(writes.ensure_sources, sources=changed))

    def set_source_title(self, key: str, title: str) -> None:
        """Name a source after its feed's title (cleaned, capped, told apart from the others);
        no write when it is named so already (every refresh of a feed gives its title)."""
        from tui.store import writes

        name = self._read(lambda db: db.execute("SELECT name FROM sources WHERE key = ?", (key,)).fetchone())
        if name is not None and name[0] == clean_line(title, limit=writes.SOURCE_NAME_LIMIT):
            return
        self._write(partial(writes.set_source_title, key=key, title=title))

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
        from tui.store.writes import SourceStatus

        self.set_source_statuses([SourceStatus(key, error, fetched, reason, backoff, retry_at)])

    def set_source_statuses(self, statuses: Sequence[SourceStatus]) -> None:
        """:meth:`set_source_status` for many sources, in one transaction."""
        from tui.store import writes

        if statuses:
            self._write(partial(writes.set_source_statuses, statuses=statuses))

    def refresh_states(
        self, keys: Sequence[str], urls: Sequence[str]
    ) -> tuple[dict[str, RefreshState], dict[str, tuple[str, str]]]:
        """What a refresh of these sources starts from, in one read: each known source's
        :class:`RefreshState` by key, and the saved validators (ETag, Last-Modified) by URL."""
        from tui.store import counts

        return self._read(counts.refresh_states, keys, urls)

    def pending_pages(self, source_key: str) -> list[Article]:
        """The articles of a source's latest document still waiting for their page (a refresh
        stopped before it read them)."""
        from tui.store import articles

        return self._read(articles.pending_pages, source_key)

    def entry_digests(self, source_key: str) -> dict[str, str]:
        """The digest of the feed entry each of the source's articles was read from
        (:func:`tui.feeds.normalise.entry_digest`) -> the article's id."""
        from tui.store import articles

        return self._read(articles.entry_digests, source_key)

    def source_backoff(self, key: str) -> tuple[float, float | None, str, str]:
        """(backoff in seconds, retry_at, last error, last reason) of a source; zeros if unknown."""
        from tui.store import counts

        return self._read(counts.source_backoff, key)

    def validators(self, url: str) -> tuple[str, str]:
        """(ETag, Last-Modified) of a document as last read, or empty strings."""
        from tui.store import counts

        return self._read(counts.validators, url)

    # -- articles -----------------------------------------------------------------------------

    def upsert_articles(
        self,
        source_key: str,
        articles: Iterable[Article],
        *,
        listing: bool = False,
        revive: bool = False,
        validators: tuple[str, str, str] | None = None,
        digest: str | None = None,
        unchanged: Sequence[str] = (),
        source_title: str | None = None,
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
        ``digest`` (:func:`tui.sources.web.document_digest`) of that document is saved with them too:
        the same document is then known to be in the store already. ``unchanged``: the ids of
        the source's stored articles the document lists again from the same entries (not
        written again, but listed as ``articles`` are). ``source_title``: the source is named
        after it in the same transaction (:meth:`set_source_title`).
        """
        from tui.article_keys import owned
        from tui.model import capped
        from tui.store import writes

        return self._write(
            partial(
                writes.upsert_articles,
                source_key=source_key,
                # Each keyed by its source (no source writes another's) and capped: SECURITY.md.
                articles=writes.prepare_articles(
                    [capped(owned(article, source_key)) for article in articles]
                ),
                listing=listing,
                revive=revive,
                validators=validators,
                digest=digest,
                unchanged=unchanged,
                source_title=source_title,
            )
        )

    def known_ids(self, ids: Sequence[str]) -> set[str]:
        """Which of these article ids the store holds (their pages were read already)."""
        from tui.store import writes

        return self._read(writes.ids_in, "SELECT id FROM articles WHERE id IN ({})", ids)

    def article(self, rowid: int) -> StoredArticle | None:
        from tui.store import articles

        return self._with_marks(self._read(articles.article_where, "a.rowid = ?", (rowid,)))

    def find(self, ref: str, same_article: Sequence[str] = ()) -> StoredArticle | None:
        """An article by its id, its guid, its URL or the file it was read from; else, by the
        GLOB patterns of ``same_article``: the other URL forms a site gives one article
        (:func:`tui.extract.page.same_article_globs`)."""
        from tui.store import articles

        return self._with_marks(self._read(articles.find, ref, same_article))

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
        from tui.store import retention

        rules = retention.RetentionRules(max_age_days, max_articles, dict(source_caps or {}))
        if max_age_days <= 0 and max_articles <= 0 and not any(c > 0 for c in rules.source_caps.values()):
            return 0
        return self._write(lambda db: retention.purge(db, rules, time.time() if now is None else now))

    # -- marks --------------------------------------------------------------------------------

    def set_read(self, rowids: Sequence[int], read: bool = True) -> None:
        """Mark articles read (or unread), all in one transaction."""
        from tui.store import writes

        self._write(partial(writes.set_read, rowids=rowids, read=read))

    def mark_all_read(self, rowids: Sequence[int]) -> list[int]:
        """Mark a whole view read at once, in one transaction; returns the ones that were
        unread, so that the user can take it back."""
        from tui.store import writes

        return self._write(partial(writes.mark_read_returning, rowids=rowids))

    def mark_list_read(self, scope: ListScope) -> list[int]:
        """Mark every article of a list read, in one statement. Only what the list held when
        it was read (``scope.newest``): an article stored since, never shown, stays unread.
        Returns the ones that were unread, so that the user can take it back."""
        from tui.store import writes

        join, join_params, where, params = self._read(lists.list_filter, scope)
        select = f"SELECT a.rowid FROM articles a{join} WHERE {where}"
        return self._write(partial(writes.mark_selected_read, select=select, params=[*join_params, *params]))

    def set_saved(self, rowid: int, saved: bool) -> None:
        from tui.store import writes

        self._write(partial(writes.set_saved, rowids=[rowid], saved=saved))

    # The reader's marks: queued, shown at once by every read of this Store, written by a thread
    # of their own (another process may hold the writers' turn for seconds).

    def queue_read(self, rowids: Sequence[int], read: bool = True) -> None:
        self._mark_queue.put(READ, rowids, read)

    def queue_saved(self, rowid: int, saved: bool) -> None:
        self._mark_queue.put(SAVED, [rowid], saved)

    def queue_all_read(self, rowids: Sequence[int]) -> list[int]:
        """Mark these articles read; returns the ones that were unread, for an undo."""
        marks = self._pending(READ)
        stored_unread = self._read(lists.unread_among, [r for r in rowids if r not in marks])
        changed = [r for r in rowids if marks.get(r, r not in stored_unread) is False]
        self.queue_read(changed)
        return changed

    def queue_list_read(self, scope: ListScope) -> list[int]:
        """Mark every article of a list read (only what it held when read: ``scope.newest``);
        returns the ones that were unread, for an undo."""
        marks = self._pending(READ)
        unread_marks = [rowid for rowid, read in marks.items() if not read]
        found = self._read(lists.unread_in_list, scope, unread_marks)
        changed = [rowid for rowid in found if not marks.get(rowid, False)]
        self.queue_read(changed)
        return changed

    def flush_marks(self, timeout: float | None = None) -> bool:
        """Wait until the queued marks are written; False if ``timeout`` passed first."""
        return self._marks.flush(timeout) if self._marks is not None else True

    def on_marks_written(self, listener: Callable[[], None] | None) -> None:
        """Call ``listener`` from the marks' thread after each mark is written (None: stop)."""
        if listener is not None or self._marks is not None:
            self._mark_queue.on_written(listener)

    @property
    def _mark_queue(self) -> MarkQueue:
        if self._marks is None:
            self._marks = MarkQueue(self._write_marks)
        return self._marks

    def _write_marks(self, kind: str, rowids: Sequence[int], value: bool) -> None:
        from tui.store import writes

        if kind == READ:
            self._write(partial(writes.set_read, rowids=rowids, read=value))
        else:
            self._write(partial(writes.set_saved, rowids=rowids, saved=value))

    def _pending(self, kind: str) -> dict[int, bool]:
        return self._marks.pending(kind) if self._marks is not None else {}

    def _with_marks(self, found: T) -> T:
        """``found`` (an ArticleRow, a StoredArticle or None) with the marks not written yet."""
        if found is None or not self._marks:
            return found
        read, saved = self._pending(READ), self._pending(SAVED)
        rowid = found.rowid  # type: ignore[attr-defined]
        if rowid not in read and rowid not in saved:
            return found
        return replace(
            found,  # type: ignore[type-var]
            read=read.get(rowid, found.read),  # type: ignore[attr-defined]
            saved=saved.get(rowid, found.saved),  # type: ignore[attr-defined]
        )

    # -- lists --------------------------------------------------------------------------------

    # The article list reads a topic a window at a time, never the whole of it.

    def open_list(self, topic: Topic, source_keys: Sequence[str] | None = None) -> tuple[ListScope, int]:
        """A topic's list as it is now, and how many articles it holds (one indexed count)."""
        return self._read(lists.open_list, topic, source_keys)

    def list_count(self, scope: ListScope) -> int:
        return self._read(lists.list_count, scope)

    def list_rowids(self, scope: ListScope, offset: int = 0, limit: int = -1) -> list[int]:
        """Row ids of a list in its order (newest first, undated last), from ``offset``."""
        return self._read(lists.list_rowids, scope, offset, limit)

    def list_rows(self, scope: ListScope, offset: int, limit: int) -> list[ArticleRow]:
        """The rows the list draws, from ``offset``: the ids come from the ordering index,
        then only these few rows are read."""
        return [self._with_marks(row) for row in self._read(lists.list_rows, scope, offset, limit)]

    def list_position(self, scope: ListScope, rowid: int) -> int | None:
        """Where an article stands in a list (how many come before it), or None when it is not
        in it. Counts through the date index up to the article, not the whole list."""
        return self._read(lists.list_position, scope, rowid)

    def list_first_unread(self, scope: ListScope, start: int) -> tuple[int, int] | None:
        """(position, row id) of the first unread article of a list at ``start`` or after it."""
        return self._read(lists.list_first_unread, scope, start, self._pending(READ))

    def topic_rowids(self, topic: Topic, source_keys: Sequence[str] | None = None) -> list[int]:
        """Row ids of a topic's articles, newest first (undated ones last)."""
        return self.list_rowids(ListScope(topic, source_keys))

    def rows(self, rowids: Sequence[int]) -> dict[int, ArticleRow]:
        """The list rows for some row ids (the few the list is about to draw)."""
        found = self._read(lists.rows, rowids)
        if self._marks:
            found = {rowid: self._with_marks(row) for rowid, row in found.items()}
        return found

    def search_rowids(
        self, query: str, source_keys: Sequence[str] | None = None, topic: Topic = ALL
    ) -> list[int]:
        """Row ids of the articles of a topic matching what a user typed, newest first.

        Title, body, tags and author are searched; case, accents and the ligatures œ and æ are
        ignored; every word must appear, as a word or the start of one. Whatever the query, this
        never raises: a query without any word finds nothing.
        """
        return self._read(lists.search_rowids, query, source_keys, topic)

    def matching_rowids(
        self,
        source_keys: Sequence[str] | None = None,
        *,
        unread: bool = False,
        saved: bool = False,
        topic_key: str = "",
        query: str = "",
        limit: int = -1,
    ) -> list[int]:
        """Row ids of the articles meeting every condition given, newest first (``list``'s
        filters): unread, saved, of the rubrique or tag ``topic_key`` (folded), matching a
        search as :meth:`search_rowids` does; at most ``limit`` (-1: all)."""
        return self._read(
            lists.matching_rowids,
            source_keys,
            unread=unread,
            saved=saved,
            topic_key=topic_key,
            query=query,
            limit=limit,
        )
