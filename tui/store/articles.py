"""What the store reads of whole articles: the one the reader opens, the one a command shows,
those a refresh completes.

Apart from the lists (:mod:`tui.store.lists`): the reader's first frame lists rows and opens no
article, and these need the articles' model. Each function is given a connection to read with
(:meth:`tui.store.connection.StoreConnections.reading`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tui.model import Article, Link, article_id
from tui.store.writes import ARTICLE_COLUMNS


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article with its marks, as the CLI and the article view need it."""

    article: Article
    rowid: int
    read: bool
    saved: bool


def article_where(db: sqlite3.Connection, where: str, params: Sequence) -> StoredArticle | None:
    row = db.execute(
        "SELECT a.rowid, a.read, a.saved, s.name, "
        + ARTICLE_COLUMNS
        + f" FROM articles a JOIN sources s ON s.id = a.source_id WHERE {where} LIMIT 1",
        params,
    ).fetchone()
    return None if row is None else _stored_article(row)


def pending_pages(db: sqlite3.Connection, source_key: str) -> list[Article]:
    """The articles of a source's latest document still waiting for their page: no full text
    and no notice saying why not (a refresh stopped before it read their pages)."""
    rows = db.execute(
        "SELECT a.rowid, a.read, a.saved, s.name, "
        + ARTICLE_COLUMNS
        + " FROM articles a JOIN sources s ON s.id = a.source_id "
        "WHERE s.key = ? AND a.listed = 1 AND a.full_text = 0 AND a.notice = ''",
        (source_key,),
    ).fetchall()
    return [_stored_article(row).article for row in rows]


def entry_digests(db: sqlite3.Connection, source_key: str) -> dict[str, str]:
    """The digest of the feed entry each of a source's articles was read from -> its id."""
    return dict(
        db.execute(
            "SELECT a.entry_digest, a.id FROM articles a WHERE a.source_id = "
            "(SELECT id FROM sources WHERE key = ?) AND a.entry_digest != ''",
            (source_key,),
        ).fetchall()
    )


def _stored_article(row: Sequence) -> StoredArticle:
    """A row of ``a.rowid, a.read, a.saved, s.name, ARTICLE_COLUMNS``."""
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
        labels,
        cut,
        entry_digest,
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
        labels=_labels_from_db(labels),
        location=location,
        cut=bool(cut),
        entry_digest=entry_digest,
    )
    return StoredArticle(article, rowid, bool(read), bool(saved))


def find(db: sqlite3.Connection, ref: str, same_article: Sequence[str] = ()) -> StoredArticle | None:
    """An article by its id, its guid, its URL or the file it was read from; else, by the
    GLOB patterns of ``same_article``: the other URL forms a site gives one article
    (:func:`tui.extract.page.same_article_globs`)."""
    # By guid through the id it hashes to: every term then has its index (`guid = ?` would
    # scan every article).
    # An id from before the articles were keyed by their sources (schema 13) still finds its article.
    found = article_where(
        db,
        "a.id IN (?, ?, (SELECT id FROM article_aliases WHERE old = ?)) OR a.url = ? OR a.location = ?",
        (ref, article_id(ref), ref, ref, ref),
    )
    if found is None and same_article:
        # A scan, but only for a site's article URL that is not stored as it is written.
        where = " OR ".join("a.url GLOB ?" for _ in same_article)
        found = article_where(db, where, tuple(same_article))
    return found


def _labels_from_db(raw: str | None) -> dict[str, str]:
    """A row's section headings; a store written before they were kept has none."""
    try:
        labels = json.loads(raw or "{}")
    except ValueError:
        return {}
    if not isinstance(labels, dict):
        return {}
    return {str(k): v for k, v in labels.items() if isinstance(v, str)}


def _links_from_db(raw: str | None) -> list[Link]:
    if not raw:
        return []
    return [Link(title, url, summary) for title, url, summary in json.loads(raw)]
