"""Benchmark stores: made by ``tui.store.Store`` (so the schema is the app's), filled by batched SQL.

``Store.upsert_articles`` checks each article against what is stored, one statement at a time:
right for a refresh, minutes for 100,000 articles. The benchmark writes the same rows with
``executemany`` instead, and proves they are the same: :func:`check_fast_path` stores a sample
both ways and compares every table. If the app's schema or its way of storing an article has
changed since this was written, the check fails and the benchmark falls back to the app's own
``upsert_articles`` (slower, but right by construction).
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.corpus import GeneratedArticle, generate_articles, tag_pool
from tui.article_keys import owned
from tui.model import Article, Link, fold
from tui.store import Store

STORE_FILE = "bladi-tui.sqlite3"  # the name tui.cli gives the store inside --data-dir


@dataclass(frozen=True)
class SourceDef:
    key: str
    name: str
    kind: str


@dataclass
class StoreInfo:
    """What the benchmark needs to know about a generated store to recognise its screens."""

    data_dir: Path
    sources: list[SourceDef]
    count: int
    rubriques: list[tuple[str, int]] = field(default_factory=list)  # as the sidebar orders them
    tags: list[tuple[str, int]] = field(default_factory=list)  # as the sidebar orders them
    seconds: float = 0.0
    method: str = "sql"


def _links(links: Sequence[Link]) -> str:
    return json.dumps([[link.title, link.url, link.summary] for link in links], ensure_ascii=False)


def _article_row(rowid: int, source_id: int, article: Article, now: float) -> tuple:
    date = article.date
    return (
        rowid,
        article.id,
        source_id,
        article.guid,
        article.url,
        article.location,
        article.title,
        date.isoformat() if date else None,
        date.timestamp() if date else None,
        article.rubrique,
        fold(article.rubrique),
        json.dumps(article.tags, ensure_ascii=False),
        article.author,
        article.date_line,
        article.summary,
        article.lead,
        article.body,
        _links(article.related),
        _links(article.suggested),
        int(article.full_text),
        article.notice,
        now,
    )


_INSERT_ARTICLE = (
    "INSERT INTO articles(rowid, id, source_id, guid, url, location, title, date, ts, rubrique, "
    "rubrique_key, tags, author, date_line, summary, lead, body, related, suggested, full_text, "
    "notice, added) VALUES (" + ",".join("?" * 22) + ")"
)


def _tables(db: sqlite3.Connection) -> set[str]:
    return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def write_fast(store: Store, sources: Sequence[SourceDef], items: Sequence[GeneratedArticle]) -> None:
    """Store ``items`` (newest first) with batched SQL; the oldest gets the smallest rowid, as
    if they had arrived over time."""
    source_ids = [store.ensure_source(s.key, s.name, s.kind) for s in sources]
    db = sqlite3.connect(store.path, isolation_level=None)
    try:
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA cache_size = -262144")  # 256 MiB: the FTS index merges in memory
        search = None
        if "article_search" in _tables(db):
            from tui.store.search import search_columns as search

        now = time.time()
        db.execute("BEGIN IMMEDIATE")
        start = (db.execute("SELECT MAX(rowid) FROM articles").fetchone()[0] or 0) + 1
        ordered = list(reversed(items))
        for chunk_start in range(0, len(ordered), 2000):
            chunk = ordered[chunk_start : chunk_start + 2000]
            rows, tags, indexed = [], [], []
            for offset, item in enumerate(chunk):
                rowid = start + chunk_start + offset
                # The store keys an article by its source (tui.article_keys.owned): so do we.
                a = owned(item.article, sources[item.source].key)
                rows.append(_article_row(rowid, source_ids[item.source], a, now))
                tags.extend((fold(tag), rowid, tag) for tag in a.tags if fold(tag))
                if search is not None:
                    indexed.append((rowid, *search(a.title, a.lead, a.body, a.summary, a.tags, a.author)))
            db.executemany(_INSERT_ARTICLE, rows)
            db.executemany("INSERT OR IGNORE INTO article_tags(tag_key, article, tag) VALUES (?, ?, ?)", tags)
            if indexed:
                db.executemany(
                    "INSERT INTO article_search(rowid, title, body, tags, author) VALUES (?, ?, ?, ?, ?)",
                    indexed,
                )
        db.execute("COMMIT")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()


def write_with_store(
    store: Store,
    sources: Sequence[SourceDef],
    items: Sequence[GeneratedArticle],
    *,
    per_article: bool = False,
) -> None:
    """Store ``items`` through the app's own ``upsert_articles``, oldest first.

    ``per_article`` keeps the exact arrival order (one transaction each: for small samples);
    otherwise each batch of 2,000 is stored source by source.
    """
    for s in sources:
        store.ensure_source(s.key, s.name, s.kind)
    ordered = list(reversed(items))
    if per_article:
        for item in ordered:
            store.upsert_articles(sources[item.source].key, [item.article])
        return
    for chunk_start in range(0, len(ordered), 2000):
        by_source: dict[int, list[Article]] = {}
        for item in ordered[chunk_start : chunk_start + 2000]:
            by_source.setdefault(item.source, []).append(item.article)
        for index, articles in by_source.items():
            store.upsert_articles(sources[index].key, articles)


def _dump(path: str) -> dict[str, list]:
    """Every row of every table, without the insertion time and FTS5's own shadow tables."""
    db = sqlite3.connect(path)
    try:
        shadow = {row[1] for row in db.execute("PRAGMA table_list") if row[2] == "shadow"}
        result = {}
        for name in sorted(_tables(db) - shadow):
            if name.startswith("sqlite_"):
                continue
            if name == "article_search":
                # The index keeps no text (contentless): compare what it holds, every word where.
                db.execute(
                    "CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, 'article_search', 'instance')"
                )
                result[name] = sorted(db.execute("SELECT term, doc, col, offset FROM temp.words").fetchall())
                continue
            columns = [row[1] for row in db.execute(f"PRAGMA table_xinfo('{name}')") if row[1] != "added"]
            listed = ", ".join(f'"{c}"' for c in columns)
            result[name] = sorted(db.execute(f'SELECT {listed} FROM "{name}"').fetchall(), key=repr)
        return result
    finally:
        db.close()


def check_fast_path() -> str:
    """'' when batched SQL stores exactly what ``upsert_articles`` stores, else what differs."""
    sources = [
        SourceDef("https://a.bench.invalid/feed", "A", "feed"),
        SourceDef("https://b.bench.invalid/feed", "B", "feed"),
    ]
    items = generate_articles(60, sources=2, tags=tag_pool(40), seed=7, big_articles=True)
    with tempfile.TemporaryDirectory(prefix="bladi-bench-check-") as folder:
        paths = []
        for name in ("fast", "app"):
            path = Path(folder) / name / STORE_FILE
            store = Store(path)
            if name == "fast":
                write_fast(store, sources, items)
            else:
                write_with_store(store, sources, items, per_article=True)
            store.close()
            paths.append(str(path))
        fast, app = (_dump(p) for p in paths)
    if fast.keys() != app.keys():
        return f"tables differ: {sorted(fast.keys() ^ app.keys())}"
    for name in fast:
        if fast[name] != app[name]:
            return f"table {name} differs ({len(fast[name])} rows against {len(app[name])})"
    return ""


def build_store(
    data_dir: Path,
    *,
    count: int,
    sources: Sequence[SourceDef],
    tags: int,
    seed: int,
    big_articles: bool = False,
    fast: bool = True,
) -> StoreInfo:
    started = time.perf_counter()
    data_dir.mkdir(parents=True, exist_ok=True)
    items = generate_articles(
        count, sources=len(sources), tags=tag_pool(tags), seed=seed, big_articles=big_articles
    )
    store = Store(data_dir / STORE_FILE)
    try:
        (write_fast if fast else write_with_store)(store, sources, items)
        # What the sidebar will show, in its order (count descending, then the folded key).
        rubriques = Counter(item.article.rubrique for item in items)
        tag_counts = Counter(tag for item in items for tag in item.article.tags)
        stored = store.view_counts([s.key for s in sources])["all"][0]
    finally:
        store.close()
    if stored != count:
        raise RuntimeError(f"the store holds {stored} articles, {count} were written")
    return StoreInfo(
        data_dir=data_dir,
        sources=list(sources),
        count=count,
        rubriques=sorted(rubriques.items(), key=lambda kv: (-kv[1], fold(kv[0]))),
        tags=sorted(tag_counts.items(), key=lambda kv: (-kv[1], fold(kv[0]))),
        seconds=time.perf_counter() - started,
        method="sql" if fast else "upsert_articles",
    )
