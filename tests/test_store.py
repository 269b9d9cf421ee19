"""The store on real SQLite files: migrations, dedup, read and saved marks, retention, search,
and the sentences a user gets when the file cannot be used."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import fsynced_paths
from tui.model import ALL, Article, Topic
from tui.store import FetchLock, Store, StoreError
from tui.store.db import WRITERS_LOCK_SUFFIX
from tui.store.schema import MIGRATIONS, NEW_STORE, SCHEMA_VERSION, migrate
from tui.store.search import _fold_any, fold_for_search, match_expression, register_functions

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def article(guid: str, title: str = "", *, days_ago: float | None = 1, **fields) -> Article:
    date = None if days_ago is None else NOW - timedelta(days=days_ago)
    return Article(guid=guid, title=title or f"Article {guid}", date=date, **fields)


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "store.sqlite3")
    store.ensure_source("bladi", "Bladi.net")
    yield store
    store.close()


def titles(store: Store, rowids) -> list[str]:
    return [store.article(rowid).article.title for rowid in rowids]


def search(store: Store, query: str, **scope) -> list[str]:
    return titles(store, store.search_rowids(query, **scope))


def schema(path: Path) -> tuple[int, set[str]]:
    db = sqlite3.connect(path)
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    finally:
        db.close()
    return version, names


# -- migrations ------------------------------------------------------------------------------------


@pytest.mark.parametrize("existing", [False, True], ids=["no file", "empty file"])
def test_a_new_store_gets_the_latest_schema(tmp_path, existing):
    path = tmp_path / "store.sqlite3"
    if existing:
        path.write_bytes(b"")
    store = Store(path)
    store.ensure_source("bladi", "Bladi.net")
    store.upsert_articles("bladi", [article("a", "La sécurité routière")])
    assert search(store, "securite") == ["La sécurité routière"]
    store.close()
    version, names = schema(path)
    assert version == SCHEMA_VERSION == 14
    assert {"articles", "article_search", "purged", "topic_pages", "listing_reads"} <= names
    db = sqlite3.connect(path)
    assert db.execute("SELECT v FROM article_search_config WHERE k = 'automerge'").fetchone() == (8,)
    db.close()


def schema_as_made(path: Path) -> dict[str, object]:
    """What a store's schema is, whichever road made it: each object's SQL with its spacing
    normalised (a column added by ALTER TABLE is spliced into the table's SQL as written), each
    table's columns, the search index's settings and the version."""
    db = sqlite3.connect(path)
    try:

        def spaced(sql: str | None) -> str | None:
            if sql is None:
                return None
            sql = re.sub(r"\s+", " ", sql)
            return re.sub(r"\s*([(),])\s*", r"\1", sql).strip()

        objects = sorted(
            (kind, name, table, spaced(sql))
            for kind, name, table, sql in db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
        )
        columns = {
            name: db.execute(f"PRAGMA table_xinfo('{name}')").fetchall()
            for kind, name, _, _ in objects
            if kind == "table"
        }
        indexed = {
            name: db.execute(f"PRAGMA index_xinfo('{name}')").fetchall()
            for kind, name, _, _ in objects
            if kind == "index"
        }
        return {
            "objects": objects,
            "columns": columns,
            "indexed": indexed,
            "search settings": sorted(db.execute("SELECT k, v FROM article_search_config")),
            "version": db.execute("PRAGMA user_version").fetchone()[0],
        }
    finally:
        db.close()


def test_a_new_store_made_in_one_step_has_the_schema_of_every_migration_in_turn(tmp_path):
    new = tmp_path / "new.sqlite3"
    Store(new).close()
    # The other road: a store as the first version made it, then every migration since.
    migrated = tmp_path / "migrated.sqlite3"
    db = sqlite3.connect(migrated, isolation_level=None)
    for statement in MIGRATIONS[0]:
        db.execute(statement)
    db.execute("PRAGMA user_version = 1")
    db.close()
    Store(migrated).close()
    made, carried = schema_as_made(new), schema_as_made(migrated)
    assert made["version"] == SCHEMA_VERSION
    assert len(made["objects"]) > 30  # type: ignore[arg-type]
    assert made == carried


def test_a_new_store_is_made_by_its_one_step_alone(tmp_path):
    """An empty file goes through no migration: each table and index is made once, at its
    latest form, and nothing is dropped or indexed again (what a first fetch waits for)."""
    db = sqlite3.connect(tmp_path / "store.sqlite3", isolation_level=None)
    run: list[str] = []
    db.set_trace_callback(run.append)
    assert migrate(db) == 0
    db.close()
    made = [statement for statement in run if statement.startswith(("CREATE", "DROP", "ALTER"))]
    assert made == NEW_STORE


def test_a_store_without_the_search_index_settings_gets_them_when_free(tmp_path):
    path = tmp_path / "store.sqlite3"
    Store(path).close()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("DELETE FROM article_search_config WHERE k = 'automerge'")  # as schema 6 made it
    automerge = "SELECT v FROM article_search_config WHERE k = 'automerge'"
    # Another process is writing: the store opens at once, without them (no wait at start-up).
    db.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    store = Store(path)
    assert time.monotonic() - started < 5  # not the busy timeout's wait
    store.close()
    db.execute("ROLLBACK")
    assert db.execute(automerge).fetchone() is None
    # Free: the next opening writes them, once.
    Store(path).close()
    assert db.execute(automerge).fetchone() == (8,)
    db.close()


def build_v1_store(path: Path) -> None:
    """A store as bladi-tui wrote it before search: only the first migration, filled by hand."""
    db = sqlite3.connect(path, isolation_level=None)
    for statement in MIGRATIONS[0]:
        db.execute(statement)
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO sources(id, key, name, kind) VALUES (1, 'bladi', 'Bladi.net', 'feed')")
    rows = [
        (
            "a1",
            "g1",
            "L'œuvre de Tahar Ben Jelloun",
            "2024-05-01T10:00:00+00:00",
            1714557600.0,
            ["Culture", "Littérature"],
            "Samir Tazi",
            "Un roman sur la mémoire.",
            1,
            0,
        ),
        (
            "a2",
            "g2",
            "Sécurité routière : le bilan",
            "2024-05-02T10:00:00+00:00",
            1714644000.0,
            ["Maroc"],
            "Rédaction",
            "L'économie des autoroutes et la sécurité-énergie.",
            0,
            1,
        ),
        ("a3", "g3", "Sans date", None, None, [], "", "Un texte sans date.", 0, 0),
    ]
    for aid, guid, title, date, ts, tags, author, body, read, saved in rows:
        db.execute(
            "INSERT INTO articles(id, source_id, guid, title, date, ts, tags, author, body, read, saved, added) "
            "VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1714500000)",
            (aid, guid, title, date, ts, json.dumps(tags, ensure_ascii=False), author, body, read, saved),
        )
        rowid = db.execute("SELECT rowid FROM articles WHERE id = ?", (aid,)).fetchone()[0]
        for tag in tags:
            db.execute(
                "INSERT INTO article_tags(tag_key, article, tag) VALUES (?, ?, ?)", (tag.lower(), rowid, tag)
            )
    db.execute(
        "INSERT INTO http_validators(url, etag, last_modified) VALUES ('https://x/feed', '\"e1\"', '')"
    )
    db.close()


def test_a_v1_store_is_carried_forward_with_its_data_and_becomes_searchable(tmp_path):
    path = tmp_path / "store.sqlite3"
    build_v1_store(path)
    assert schema(path)[0] == 1

    store = Store(path)
    assert schema(path)[0] == SCHEMA_VERSION
    assert titles(store, store.topic_rowids(ALL)) == [
        "Sécurité routière : le bilan",
        "L'œuvre de Tahar Ben Jelloun",
        "Sans date",
    ]
    oeuvre = store.find("a1")
    assert (oeuvre.read, oeuvre.saved, oeuvre.article.tags) == (True, False, ["Culture", "Littérature"])
    assert store.find("a2").saved
    assert store.validators("https://x/feed") == ('"e1"', "")
    # Every old article is in the index: title, body, tags and author.
    assert search(store, "oeuvre") == ["L'œuvre de Tahar Ben Jelloun"]
    assert search(store, "securite") == ["Sécurité routière : le bilan"]
    assert search(store, "l'économie") == ["Sécurité routière : le bilan"]
    assert search(store, "littérature") == ["L'œuvre de Tahar Ben Jelloun"]
    assert search(store, "tazi") == ["L'œuvre de Tahar Ben Jelloun"]
    assert search(store, "texte sans") == ["Sans date"]
    store.close()
    # Opening it again migrates nothing more.
    Store(path).close()
    assert schema(path)[0] == SCHEMA_VERSION


def test_a_store_from_a_newer_bladi_tui_is_refused_in_one_sentence(tmp_path):
    path = tmp_path / "store.sqlite3"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(StoreError) as caught:
        Store(path)
    message = str(caught.value)
    assert "newer bladi-tui" in message and "upgrade" in message
    assert "\n" not in message and message.count(". ") == 0
    assert schema(path)[0] == SCHEMA_VERSION + 1  # left as it was


@pytest.mark.parametrize(
    "content",
    [
        b"garbage bytes, not a database\n" * 200,
        bytes(range(256)) * 16,
        b"SQLite format 3\x00" + b"\xff" * 4000,
    ],
    ids=["text", "binary", "bad header"],
)
def test_a_file_that_is_not_a_store_is_reported_with_the_command_that_moves_it_aside(tmp_path, content):
    path = tmp_path / "bladi's store.sqlite3"
    path.write_bytes(content)
    with pytest.raises(StoreError) as caught:
        Store(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"The store {path} is damaged")
    command = message.rsplit(": ", 1)[1]
    assert command.startswith("mv ")
    # The command works as given, and the file was never touched by bladi-tui.
    assert path.read_bytes() == content
    subprocess.run(["sh", "-c", command], check=True)
    assert not path.exists() and (tmp_path / "bladi's store.sqlite3.broken").read_bytes() == content
    Store(path).close()  # a new store starts where the old one was


def test_a_truncated_store_is_reported_at_open(tmp_path):
    path = tmp_path / "store.sqlite3"
    store = Store(path)
    store.ensure_source("bladi", "Bladi.net")
    store.upsert_articles("bladi", [article(str(n), body="texte " * 500) for n in range(300)])
    store.close()
    with path.open("r+b") as file:
        file.truncate(path.stat().st_size // 2)
    with pytest.raises(StoreError, match="damaged.*mv "):
        Store(path)


# -- dedup and marks -------------------------------------------------------------------------------


def test_the_same_guid_from_two_sources_is_one_article(store):
    store.ensure_source("other", "Autre flux")
    assert store.upsert_articles("bladi", [article("https://www.bladi.net/a.html", "Le titre")]) == 1
    assert store.upsert_articles("other", [article("https://www.bladi.net/a.html", "Le titre")]) == 0
    assert store.upsert_articles("bladi", [article("https://www.bladi.net/a.html", "Le titre")]) == 0
    assert len(store.topic_rowids(ALL)) == 1
    assert store.search_rowids("titre") == store.topic_rowids(ALL)


def test_marks_survive_an_update_and_the_index_follows_the_new_text(store):
    store.upsert_articles("bladi", [article("g", "Ancien titre", tags=["Maroc"])])
    (rowid,) = store.topic_rowids(ALL)
    store.set_read([rowid])
    store.set_saved(rowid, True)
    store.upsert_articles("bladi", [article("g", "Nouveau titre", tags=["Économie"])])
    stored = store.article(rowid)
    assert (stored.article.title, stored.read, stored.saved) == ("Nouveau titre", True, True)
    assert search(store, "nouveau") == ["Nouveau titre"]
    assert search(store, "ancien") == []
    assert search(store, "economie") == ["Nouveau titre"] and search(store, "maroc") == []
    assert store.topic_rowids(Topic.of("tag", "Économie")) == [rowid]


def test_an_update_the_row_keeps_old_values_of_is_tagged_and_indexed_as_the_row_says(store):
    # The tags and the index of a new article are made from the article before the write;
    # an update the row keeps some old values of (a complete text, tags) is indexed from the row.
    store.upsert_articles(
        "bladi",
        [article("g", "Titre", body="Le texte complet sur Lixus", tags=["Rabat"], full_text=True)],
    )
    (rowid,) = store.topic_rowids(ALL)
    store.upsert_articles("bladi", [article("g", "Titre revu", summary="Une intro sur Volubilis")])
    stored = store.article(rowid).article
    assert (stored.title, stored.body, stored.tags) == ("Titre revu", "Le texte complet sur Lixus", ["Rabat"])
    assert search(store, "lixus") == search(store, "rabat") == search(store, "revu") == ["Titre revu"]
    assert search(store, "volubilis") == ["Titre revu"]  # the new intro, indexed with the text
    assert store.topic_rowids(Topic.of("tag", "Rabat")) == [rowid]
    store._connections.writer.execute(
        "INSERT INTO article_search(article_search, rank) VALUES ('integrity-check', 0)"
    )


def test_a_batch_is_written_row_after_row_whatever_its_size(store):
    """Many rows go to one statement (64, 32... at a time): an article the batch repeats ends
    as its last occurrence says, as it would one row at a time, and every row of a batch that
    needs statements of several sizes is written with its tags and its words."""
    many = [
        article(f"n{number}", f"Titre numéro {number}", tags=[f"Tag {number}", "Maroc"])
        for number in range(103)
    ]
    repeated = [
        article("g", "Premier titre", tags=["Maroc"]),
        *many,
        article("g", "Dernier titre", tags=["Économie"]),
    ]
    assert store.upsert_articles("bladi", repeated, listing=True) == 104
    assert len(store.topic_rowids(ALL)) == 104
    assert search(store, "dernier") == ["Dernier titre"] and search(store, "premier") == []
    assert store.topic_rowids(Topic.of("tag", "Économie")) == [store.find(article("g").id).rowid]
    assert len(store.topic_rowids(Topic.of("tag", "Maroc"))) == 103
    assert search(store, "numero 102") == ["Titre numéro 102"]
    assert store.topic_rowids(Topic.of("tag", "Tag 0")) == [store.find(article("n0").id).rowid]


def test_a_batch_fits_an_older_sqlites_limit_of_variables(tmp_path):
    """SQLite before 3.32 takes at most 999 ? in a statement, fewer than 64 articles hold: the
    rows per statement follow the connection's own limit (here 25: two rows of 10 at a time)."""
    from tui.store.writes import insert_rows

    db = sqlite3.connect(tmp_path / "limit.sqlite3")
    try:
        db.execute("CREATE TABLE t(a, b, c, d, e, f, g, h, i, j)")
        db.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 25)
        rows = [tuple(range(number, number + 10)) for number in range(7)]
        insert_rows(db, "INSERT INTO t VALUES ", rows)
        assert db.execute("SELECT * FROM t ORDER BY a").fetchall() == rows
    finally:
        db.close()


def test_a_full_body_is_not_replaced_by_an_intro(store):
    store.upsert_articles("bladi", [article("g", body="Le texte complet de l'article.", full_text=True)])
    store.upsert_articles("bladi", [article("g", body="L'intro seulement…", summary="Résumé du flux")])
    stored = store.find(article("g").id)
    assert stored.article.body == "Le texte complet de l'article." and stored.article.full_text
    assert search(store, "complet") and search(store, "resume")
    assert search(store, "seulement") == []


def test_marking_ten_thousand_articles_read_is_one_quick_transaction(store):
    store.upsert_articles("bladi", [article(str(n), days_ago=n / 1000) for n in range(10_000)])
    rowids = store.topic_rowids(ALL)
    statements: list[str] = []
    store._connections.writer.set_trace_callback(statements.append)
    store.mark_all_read(rowids)
    store._connections.writer.set_trace_callback(None)
    assert [s for s in statements if s.startswith(("BEGIN", "COMMIT"))] == ["BEGIN IMMEDIATE", "COMMIT"]
    assert store.view_counts()["all"] == (10_000, 0)


# -- retention -------------------------------------------------------------------------------------


def stored_guids(store: Store) -> set[str]:
    return {store.article(rowid).article.guid for rowid in store.topic_rowids(ALL)}


def index_size(store: Store) -> int:
    return store._connections.writer.execute("SELECT count(*) FROM article_search").fetchone()[0]


def test_retention_by_age_spares_saved_articles(store):
    store.upsert_articles(
        "bladi",
        [
            article("new", days_ago=2, tags=["Maroc"]),
            article("old", "Vieil article", days_ago=40, tags=["Maroc"]),
            article("old-saved", days_ago=400, tags=["Maroc"]),
            article("undated", days_ago=None),  # judged by when it was stored: just now
        ],
    )
    store.set_saved(store.find(article("old-saved").id).rowid, True)

    # Age counts from when an article was stored: a feed's old items show once, then go.
    assert store.purge(30, 0) == 0
    assert store.purge(30, 0, now=time.time() + 31 * 86400) == 3
    assert stored_guids(store) == {"old-saved"}
    assert search(store, "vieil") == [] and index_size(store) == 1


def test_retention_by_count_keeps_the_newest_and_every_saved_article(store):
    store.upsert_articles("bladi", [article(f"n{n}", days_ago=n) for n in range(10)])
    for guid in ("n8", "n1"):
        store.set_saved(store.find(article(guid).id).rowid, True)
    # Three articles in all: the saved ones stay and count, the newest of the rest fills the cap.
    assert store.purge(0, 3, now=NOW.timestamp()) == 7
    assert stored_guids(store) == {"n0", "n1", "n8"}
    assert index_size(store) == 3
    assert store.purge(0, 0) == 0  # both rules off


def test_retention_never_purges_what_the_feed_still_lists(store):
    feed = [article(f"f{n}", days_ago=n) for n in range(5)]
    store.upsert_articles("bladi", feed, listing=True)
    later = time.time() + 400 * 86400
    assert store.purge(30, 1, now=later) == 0
    assert stored_guids(store) == {f"f{n}" for n in range(5)}
    # The feed moves on: what it no longer lists may go, what it lists stays.
    store.upsert_articles("bladi", [article("g0", days_ago=0), *feed[:2]], listing=True)
    assert store.purge(30, 0, now=later) == 3
    assert stored_guids(store) == {"g0", "f0", "f1"}
    # A page completing an item is no listing: it leaves the feed's listing as it was.
    store.upsert_articles("bladi", [article("f0", body="Texte complet", full_text=True)])
    assert store.purge(30, 1, now=later) == 0 and stored_guids(store) == {"g0", "f0", "f1"}


def test_a_count_cap_takes_read_articles_before_unread_ones_then_the_oldest(store):
    store.upsert_articles("bladi", [article(f"n{n}", days_ago=n) for n in range(8)])
    for guid in ("n1", "n2"):
        store.set_read([store.find(article(guid).id).rowid])
    assert store.purge(0, 7) == 1 and "n2" not in stored_guids(store)  # the older read one
    assert store.purge(0, 6) == 1 and "n1" not in stored_guids(store)  # then the other read one
    assert store.purge(0, 4) == 2 and stored_guids(store) == {"n0", "n3", "n4", "n5"}  # the oldest unread


def test_a_source_may_have_its_own_cap(store):
    store.ensure_source("other", "Autre")
    store.upsert_articles("bladi", [article(f"b{n}", days_ago=n) for n in range(4)])
    store.upsert_articles("other", [article(f"o{n}", days_ago=n) for n in range(4)])
    assert store.purge(0, 0, source_caps={"other": 1, "unknown": 1}) == 3
    assert stored_guids(store) == {"b0", "b1", "b2", "b3", "o0"}
    assert store.purge(0, 0, source_caps={"other": 0}) == 0  # 0: no cap of its own


def test_retention_with_nothing_to_remove_reads_only_indexes(store):
    # After every fetch: the search for articles to remove reads each article (its last column
    # lies past the body), so it only runs when an index says something is old or too many.
    store.upsert_articles("bladi", [article(f"n{n}", days_ago=n) for n in range(5)])
    statements = []
    store._connections.writer.set_trace_callback(statements.append)
    plans = []
    for rules in [(30, 10), (30, 0), (0, 10)]:
        assert store.purge(*rules) == 0
    for statement in statements:
        if statement.lstrip().upper().startswith("SELECT"):
            plans += [row[3] for row in store._connections.writer.execute("EXPLAIN QUERY PLAN " + statement)]
    store._connections.writer.set_trace_callback(None)
    assert plans and all("USING COVERING INDEX" in plan for plan in plans), plans
    assert store.purge(30, 4) == 1 and store.purge(30, 0, now=time.time() + 31 * 86400) == 4


def test_a_purged_article_comes_back_when_its_feed_lists_it_again(store):
    feed = [article("keep", days_ago=1), article("gone", "Article purgé", days_ago=60)]
    store.upsert_articles("bladi", feed)
    store.set_saved(store.find(feed[0].id).rowid, True)
    assert store.purge(30, 0, now=time.time() + 31 * 86400) == 1
    assert stored_guids(store) == {"keep"}
    ids = [a.id for a in feed] + [article("unknown").id]
    assert store.known_ids(ids) == {feed[0].id}  # its page is read again if it comes back
    # A page that completes an item is no listing: a purged article stays out.
    assert store.upsert_articles("bladi", [feed[1]]) == 0
    # Its feed lists it again after the purge: it is news again.
    assert store.upsert_articles("bladi", feed, listing=True) == 1
    assert search(store, "purge") == ["Article purgé"]
    # Or the user asks for that very article (a followed link).
    assert store.purge(30, 0, now=time.time() + 31 * 86400) == 0  # listed now: it stays
    store.upsert_articles("bladi", [feed[0]], listing=True)
    assert store.purge(30, 0, now=time.time() + 31 * 86400) == 1
    assert store.upsert_articles("bladi", [feed[1]], revive=True) == 1


# -- search ----------------------------------------------------------------------------------------


@pytest.fixture
def searchable(store):
    store.ensure_source("other", "Autre")
    store.upsert_articles(
        "bladi",
        [
            article("1", "La sécurité routière au Maroc", days_ago=5, body="Un bilan des accidents."),
            article("2", "Securite sans accents", days_ago=4, body="Titre tapé sans accents."),
            article(
                "3", "L'œuvre de Leïla Slimani", days_ago=3, body="Un roman en cours.", tags=["Littérature"]
            ),
            article("4", "Une oeuvre sans ligature", days_ago=2, body="Le curriculum vitæ du peintre."),
            article(
                "5",
                "Les chiffres de l’économie",
                days_ago=1,
                body="La sécurité-énergie du royaume, AND, OR et NEAR (sic).",
                author="Hassan Alaoui",
            ),
            article("6", "Article sans date", days_ago=None, body="Une sécurité d'un autre temps."),
        ],
    )
    store.upsert_articles(
        "other", [article("7", "Sécurité ailleurs", days_ago=0.5, tags=["Région de l'Oriental"])]
    )
    return store


def test_accents_are_ignored_both_ways(searchable):
    assert (
        search(searchable, "securite")
        == search(searchable, "SÉCURITÉ")
        == [
            "Sécurité ailleurs",
            "Les chiffres de l’économie",
            "Securite sans accents",
            "La sécurité routière au Maroc",
            "Article sans date",
        ]
    )
    assert search(searchable, "tape") == ["Securite sans accents"]  # "tapé" in the body


def test_ligatures_are_spelled_out_both_ways(searchable):
    both = ["Une oeuvre sans ligature", "L'œuvre de Leïla Slimani"]
    assert search(searchable, "oeuvre") == both
    assert search(searchable, "œuvre") == both
    assert search(searchable, "ŒUVRE") == both
    assert search(searchable, "vitae") == search(searchable, "vitæ") == ["Une oeuvre sans ligature"]
    assert search(searchable, "leila") == ["L'œuvre de Leïla Slimani"]


def test_words_with_apostrophes_hyphens_and_operators_are_only_words(searchable):
    assert search(searchable, "l'économie") == ["Les chiffres de l’économie"]  # typographic ’ in the title
    assert search(searchable, "l’economie") == ["Les chiffres de l’économie"]
    assert search(searchable, "sécurité-énergie") == ["Les chiffres de l’économie"]
    for word in ("AND", "NEAR", "and", "(sic)", "NEAR(sic", "AND AND"):
        assert search(searchable, word) == ["Les chiffres de l’économie"], word
    assert search(searchable, "OR") == ["Sécurité ailleurs", "Les chiffres de l’économie"]  # and "Oriental"
    assert search(searchable, "l'Oriental") == ["Sécurité ailleurs"]


@pytest.mark.parametrize(
    "query", ["", "   ", '"', '""', "*", "(", ")", "-", "'", "^", ":", "« »", "\x00", "...", "« NOT »"]
)
def test_queries_without_a_word_find_nothing_and_never_fail(searchable, query):
    assert searchable.search_rowids(query) == []


def test_words_are_prefixes_and_all_must_match(searchable):
    assert search(searchable, "secur") == search(searchable, "securite")
    assert search(searchable, "secur maroc") == ["La sécurité routière au Maroc"]
    assert search(searchable, "secur rout acc") == ["La sécurité routière au Maroc"]
    assert search(searchable, "maroc absent") == []


def test_tags_and_author_are_searched(searchable):
    assert search(searchable, "litterature") == ["L'œuvre de Leïla Slimani"]
    assert search(searchable, "oriental") == ["Sécurité ailleurs"]
    assert search(searchable, "alaoui hassan") == ["Les chiffres de l’économie"]


def test_results_are_newest_first_and_undated_last(searchable):
    found = searchable.search_rowids("un")
    assert titles(searchable, found) == [
        "Une oeuvre sans ligature",
        "L'œuvre de Leïla Slimani",
        "La sécurité routière au Maroc",
        "Article sans date",
    ]
    assert found == [rowid for rowid in searchable.topic_rowids(ALL) if rowid in found]


def test_search_stays_within_the_sources_and_the_topic(searchable):
    assert search(searchable, "securite", source_keys=["other"]) == ["Sécurité ailleurs"]
    assert "Sécurité ailleurs" not in search(searchable, "securite", source_keys=["bladi"])
    rowid = searchable.search_rowids("routiere")[0]
    searchable.set_saved(rowid, True)
    searchable.set_read([rowid])
    assert search(searchable, "securite", topic=Topic("saved")) == ["La sécurité routière au Maroc"]
    assert "La sécurité routière au Maroc" not in search(searchable, "securite", topic=Topic("unread"))
    assert search(searchable, "securite", topic=Topic.of("tag", "Région de l'Oriental")) == [
        "Sécurité ailleurs"
    ]
    assert search(searchable, "securite", topic=Topic("source", "other"), source_keys=["bladi", "other"]) == [
        "Sécurité ailleurs"
    ]


def test_the_query_is_built_of_quoted_prefix_phrases():
    assert match_expression("l'économie AND \"x") == '"l\'économie"* "and"* """x"*'
    assert match_expression("Œuvre") == '"oeuvre"*'
    assert match_expression(" \t\n") is None
    assert fold_for_search("ŒUVRE Æ ﬁn\x00") == "oeuvre ae fin "


def test_a_latin_1_text_folds_by_the_table_as_any_text_folds():
    """The Latin-1 road of fold_for_search gives what the general one gives: every character
    and every pair of them, and texts of them; a change of the index's words would corrupt a
    contentless index (its deletes give the words to forget)."""
    latin_1 = [chr(code) for code in range(256)]
    for first in latin_1:
        for second in latin_1:
            assert fold_for_search(first + second) == _fold_any(first + second)
    text = "À l'ÉTÉ, l'Œil de Cæsar\xa0: ½ µg, ¨ Æ ß ÿ ÞÐ\x00 ²³ ª º"
    for end in range(len(text) + 1):
        assert fold_for_search(text[:end]) == _fold_any(text[:end])


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x2FF), max_size=30))
def test_fold_for_search_is_the_same_by_every_road(text):
    assert fold_for_search(text) == _fold_any(text)


# French typesetting beyond Latin-1 (the table's road), and characters that must leave it.
_TYPESET_SIGNS = "’‘“”–—€•…\u202fœŒ\u2009"
_OTHER_SIGNS = "‚„‹›™ﬁ\u0301\u0308ΣςمⵣİK\ud800"


def test_typeset_french_folds_by_the_table_as_any_text_folds():
    """The typeset road of fold_for_search gives what the general one gives: every pair of a
    Latin-1 character, a typographic sign or a character the road must hand over, in both
    orders, and texts of them."""
    alphabet = [chr(code) for code in range(256)] + list(_TYPESET_SIGNS) + list(_OTHER_SIGNS)
    signs = list(_TYPESET_SIGNS + _OTHER_SIGNS)
    for first in alphabet:
        for second in signs:
            for pair in (first + second, second + first):
                assert fold_for_search(pair) == _fold_any(pair), pair
    text = "« L’ŒUVRE » — l’été\u202f: 5\u2009€ … “½ µg” ‘Æ’ • ¨¼¾"
    for end in range(len(text) + 1):
        for part in (text[:end], text[end:]):
            assert fold_for_search(part) == _fold_any(part)


def test_the_typeset_road_folds_nothing_into_its_stand_ins():
    """Each typographic sign the table's road keeps stands in for a Latin-1 character while
    the table runs: no other character that reaches the table (Latin-1) nor a sign's fold may
    fold into one of those, or the sign would come back in its place."""
    from tui.store.search import _TYPESET_FOLDS, _stand_ins

    stand_ins = set(_stand_ins())
    assert len(stand_ins) == 8
    for code in range(256):
        if chr(code) not in stand_ins:
            assert not set(_fold_any(chr(code))) & stand_ins, hex(code)
    for _, fold in _TYPESET_FOLDS:
        assert not set(fold) & stand_ins


@settings(max_examples=2000, deadline=None)
@given(
    st.text(
        alphabet=st.characters(max_codepoint=0xFF) | st.sampled_from(_TYPESET_SIGNS + _OTHER_SIGNS),
        max_size=40,
    )
)
def test_typeset_text_folds_the_same_by_every_road(text):
    assert fold_for_search(text) == _fold_any(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("\"*()^:-+'’ANDORNEAR\x00"), max_size=40)
)
def test_no_query_makes_search_fail(searchable, query):
    assert isinstance(searchable.search_rowids(query), list)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(max_size=40))
def test_any_title_is_found_by_its_words(store, title):
    store.upsert_articles("bladi", [Article(guid=title, title=title)])
    rowid = store.find(Article(guid=title, title="").id).rowid
    words = [w for w in title.split() if any(c.isalnum() for c in w)]
    if words:
        assert rowid in store.search_rowids(" ".join(words))
    else:
        # No word as typed; one may appear once folded ("⒜" is "(a)"): never anything else.
        assert set(store.search_rowids(title)) <= {rowid}


# -- the fetch lock, within one process -----------------------------------------------------------


def test_the_fetch_lock_is_exclusive_and_says_who_holds_it(tmp_path):
    first, second = FetchLock(tmp_path), FetchLock(tmp_path)
    assert first.acquire(wait=False)
    assert not second.acquire(wait=False)
    assert not second.acquire(wait=True, timeout=0.2)
    assert second.holder() == os.getpid()
    first.release()
    with second:
        assert second.held and not first.acquire(wait=False)
    assert first.acquire(wait=False)
    first.release()


def test_the_store_never_imports_textual():
    code = "import sys, tui.store, tui.store.lock; sys.exit('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parent.parent).returncode == 0


def test_articles_of_local_sources_are_never_purged(tmp_path):
    import asyncio

    from tests.conftest import FIXTURES
    from tui.config import SourceSpec
    from tui.refresh import refresh_sources

    store = Store(tmp_path / "local.sqlite3")
    spec = SourceSpec(name="Fichiers", path=str(FIXTURES / "articles"), kind="auto")
    asyncio.run(refresh_sources(store, [spec], offline=True))
    assert store.purge(1, 1, now=time.time() + 400 * 86400) == 0
    assert len(store.topic_rowids(ALL)) == 4


def test_tags_can_be_limited_to_the_most_used(store):
    store.upsert_articles("bladi", [article(f"a{n}", tags=["Commun", f"Rare {n}"]) for n in range(5)])
    assert store.tag_count() == 6
    top = store.tags(limit=2)
    assert [t.topic.label for t in top][0] == "Commun" and len(top) == 2 and top[0].count == 5
    assert len(store.tags()) == 6


def test_writers_take_turns_through_a_lock_beside_the_store(tmp_path):
    # Two connections (two processes in a refresh): the second writer waits on the lock, not in
    # SQLite's sleeps, and writes as soon as the first is done.
    first, second = Store(tmp_path / "s.sqlite3"), Store(tmp_path / "s.sqlite3")
    assert (tmp_path / ("s.sqlite3" + WRITERS_LOCK_SUFFIX)).exists()
    first.ensure_source("bladi", "Bladi.net")
    done = threading.Event()
    with first._writers_turn():
        writer = threading.Thread(
            target=lambda: (second.upsert_articles("bladi", [article("a")]), done.set())
        )
        writer.start()
        assert not done.wait(0.3)  # waiting for its turn
    assert done.wait(10)
    writer.join()
    assert first.known_ids([article("a").id]) == {article("a").id}
    first.close()
    second.close()


def test_a_refresh_worker_leaves_checkpoints_to_the_other_connections(tmp_path):
    path = tmp_path / "s.sqlite3"
    worker, main = Store(path, checkpoints=False), Store(path)
    main._connections.writer.execute("PRAGMA wal_autocheckpoint = 100")  # 100 pages: a small test suffices
    page = main._connections.writer.execute("PRAGMA page_size").fetchone()[0]
    main.ensure_source("bladi", "Bladi.net")
    before = path.stat().st_size
    worker.upsert_articles("bladi", [article(f"a{n}", body=f"mot{n} " * 1000) for n in range(600)])
    assert (tmp_path / "s.sqlite3-wal").stat().st_size > 100 * page  # past the main's autocheckpoint
    assert path.stat().st_size == before  # yet nothing copied into the store by the worker
    main.set_source_status("bladi")  # the fetching process's next write does it
    assert path.stat().st_size > before + 100 * page
    worker.close()
    main.close()


def test_a_process_about_to_exit_leaves_its_last_writes_in_the_log_synced(tmp_path, monkeypatch):
    path = tmp_path / "s.sqlite3"
    store = Store(path)
    store._connections.writer.execute("PRAGMA wal_autocheckpoint = 1")  # each commit copies the log in
    store.ensure_source("bladi", "Bladi.net")
    store.upsert_articles("bladi", [article("a")])
    store.leave_checkpoints()
    store.upsert_articles("bladi", [article("b")])
    synced = fsynced_paths(monkeypatch)
    store.settle_log(copy=False)
    assert synced == [str(path.resolve()) + "-wal"]  # the log synced once, at the end

    def ids_in(file: Path) -> set[str]:
        db = sqlite3.connect(file)
        try:
            return {row[0] for row in db.execute("SELECT id FROM articles")}
        finally:
            db.close()

    alone = tmp_path / "alone.sqlite3"
    alone.write_bytes(path.read_bytes())  # the store's file without its log
    assert ids_in(alone) == {article("a").id}  # the first write was copied in, the last was not
    # Writes after it (fetch --images) checkpoint again.
    assert store._connections.writer.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1
    store.close()
    assert ids_in(path) == {article("a").id, article("b").id}  # committed all the same


def test_a_process_about_to_exit_syncs_its_log_while_it_writes(tmp_path, monkeypatch):
    path = tmp_path / "s.sqlite3"
    store = Store(path)
    synced = fsynced_paths(monkeypatch, "fdatasync")
    with store.syncing_log():
        store.ensure_source("bladi", "Bladi.net")
        store.upsert_articles("bladi", [article("a")])
        until = time.monotonic() + 30
        while not synced and time.monotonic() < until:  # a wait, not a measure
            time.sleep(0.01)
        assert synced and set(synced) == {str(path.resolve()) + "-wal"}  # the log, as it is written
    # The syncing thread ends with the block: none is left to outlive the writes.
    assert not [thread for thread in threading.enumerate() if thread.name == "log-sync"]
    count = len(synced)
    store.upsert_articles("bladi", [article("b")])
    time.sleep(0.2)  # longer than the pause between two syncs: none comes after the block
    assert len(synced) == count
    store.close()


def wait_for(condition, what: str) -> None:
    until = time.monotonic() + 30
    while not condition():  # a wait, not a measure
        assert time.monotonic() < until, what
        time.sleep(0.01)


def test_the_log_syncing_thread_leaves_a_log_unchanged_since_its_last_sync(tmp_path, monkeypatch):
    path = tmp_path / "s.sqlite3"
    log = str(path.resolve()) + "-wal"
    store = Store(path)
    synced = fsynced_paths(monkeypatch, "fdatasync")
    rounds = []  # each of the thread's rounds looks at the log's size
    fstat = os.fstat

    def looked(fd: int) -> os.stat_result:
        if threading.current_thread().name == "log-sync":
            rounds.append(fd)
        return fstat(fd)

    monkeypatch.setattr(os, "fstat", looked)
    store.ensure_source("bladi", "Bladi.net")
    store.upsert_articles("bladi", [article("a")])  # written before the thread starts
    with store.syncing_log():
        wait_for(lambda: synced, "the log was not synced")
        seen = len(rounds)
        wait_for(lambda: len(rounds) >= seen + 3, "the thread stopped going round")
        assert synced == [log]  # three rounds more, the log unchanged: not synced again
        store.upsert_articles("bladi", [article("b")])
        wait_for(lambda: len(synced) >= 2, "the log written again was not synced")
    assert set(synced) == {log}
    store.close()


def test_where_the_system_has_no_fdatasync_the_log_syncing_thread_uses_fsync(tmp_path, monkeypatch):
    path = tmp_path / "s.sqlite3"
    store = Store(path)
    monkeypatch.delattr(os, "fdatasync")  # as on macOS
    synced = fsynced_paths(monkeypatch)
    with store.syncing_log():
        store.ensure_source("bladi", "Bladi.net")
        store.upsert_articles("bladi", [article("a")])
        wait_for(lambda: synced, "the log was not synced")
    assert set(synced) == {str(path.resolve()) + "-wal"}
    store.close()


def test_a_process_about_to_exit_copies_its_log_in_after_a_purge(tmp_path):
    path = tmp_path / "s.sqlite3"
    store = Store(path)
    store.ensure_source("bladi", "Bladi.net")
    store.upsert_articles("bladi", [article("a"), article("b")])
    store.leave_checkpoints()
    store.purge(0, 1)  # the last writes rewrite pages: the next opener would read them back
    store.settle_log(copy=True)
    alone = tmp_path / "alone.sqlite3"
    alone.write_bytes(path.read_bytes())  # the store's file without its log
    db = sqlite3.connect(alone)
    try:
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 1  # the purge is in the file
    finally:
        db.close()
    store.close()


def test_sources_are_written_only_when_they_change(tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    statements = []
    store._connections.writer.set_trace_callback(statements.append)
    sources = [("bladi", "Bladi.net", "feed"), ("local", "Articles", "local")]
    store.ensure_sources(sources)
    store.ensure_sources(sources)  # as at every start: nothing to write
    store.ensure_sources([("bladi", "Bladi", "feed"), ("local", "Articles", "local")])  # renamed
    assert sum(statement == "BEGIN IMMEDIATE" for statement in statements) == 2
    assert [(state.key, state.name) for state in store.sources()] == [
        ("bladi", "Bladi"),
        ("local", "Articles"),
    ]
    store.close()


def test_the_contentless_index_forgets_old_words_on_update_and_purge(store):
    # The index keeps no text: an update must tell it the old words, or a search for them would
    # still find the article (and a deleted one, through its row id).
    store.upsert_articles(
        "bladi", [article("a", "Ancien titre", summary="Intro sur Volubilis", tags=["Fès"])]
    )
    store.upsert_articles("bladi", [article("b", "Autre", body="Texte sur Chefchaouen")])
    store.upsert_articles(
        "bladi",
        [
            article(
                "a",
                "Nouveau titre",
                summary="Intro sur Volubilis",
                body="Le texte complet sur Lixus",
                tags=["Rabat"],
                full_text=True,
            )
        ],
    )
    assert search(store, "ancien") == [] and search(store, "fes") == []
    assert search(store, "nouveau") == search(store, "lixus") == search(store, "rabat") == ["Nouveau titre"]
    assert search(store, "volubilis") == ["Nouveau titre"]  # the intro is still indexed with the text
    store.upsert_articles(
        "bladi",
        [
            article(
                "a",
                "Nouveau titre",
                summary="Intro sur Volubilis",
                body="Le texte complet sur Lixus",
                tags=["Rabat"],
                full_text=True,
            )
        ],
    )
    assert search(store, "lixus") == ["Nouveau titre"]  # unchanged: left as it was, still found once
    assert store.purge(0, 1, now=time.time()) == 1  # the older of the two goes, by the trigger
    remaining = stored_guids(store)
    gone = "a" if remaining == {"b"} else "b"
    assert search(store, "lixus" if gone == "a" else "chefchaouen") == []
    assert index_size(store) == 1
    store._connections.writer.execute(
        "INSERT INTO article_search(article_search, rank) VALUES ('integrity-check', 0)"
    )


def test_a_store_of_schema_5_gets_a_contentless_index_that_finds_the_same(tmp_path):
    path = tmp_path / "s.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    register_functions(db)
    for statement in [step for version in MIGRATIONS[:5] for step in version]:
        statement(db) if callable(statement) else db.execute(statement)
    db.execute("PRAGMA user_version = 5")
    db.execute("INSERT INTO sources(id, key, name) VALUES (1, 'bladi', 'Bladi.net')")
    db.execute(
        "INSERT INTO articles(id, source_id, guid, title, body, tags) "
        "VALUES ('x', 1, 'x', 'La sécurité routière', 'Un texte sur l''œuvre', '[\"Maroc\"]')"
    )
    db.execute(
        "INSERT INTO article_search(rowid, title, body, tags, author) SELECT rowid, 'la sécurité routière', "
        "'un texte sur l''oeuvre', 'maroc', '' FROM articles"
    )
    db.close()
    store = Store(path)
    assert store.schema_version == SCHEMA_VERSION
    assert (
        search(store, "securite")
        == search(store, "oeuvre")
        == search(store, "maroc")
        == ["La sécurité routière"]
    )
    assert store.purge(0, 0) == 0
    store.close()


def test_an_article_is_found_by_id_guid_url_or_file_through_indexes(store):
    store.upsert_articles(
        "bladi",
        [
            article("tag:bladi.net,2023:12345", "Par son guid", url="https://www.bladi.net/a,12345.html"),
            article("https://e.ma/b", "Par son adresse", location="/srv/articles/b.md"),
        ],
    )
    by_guid = store.find("tag:bladi.net,2023:12345")
    assert by_guid is not None and by_guid.article.title == "Par son guid"
    assert store.find(by_guid.article.id).article.title == "Par son guid"
    assert store.find("https://www.bladi.net/a,12345.html").article.title == "Par son guid"
    assert store.find("/srv/articles/b.md").article.title == "Par son adresse"
    assert store.find("https://e.ma/b").article.title == "Par son adresse"
    assert store.find("https://e.ma/nulle-part") is None
    statements = []
    with store._reading() as db:  # this thread's reading connection
        db.set_trace_callback(statements.append)
        store.find("https://e.ma/b")
        db.set_trace_callback(None)
        plan = [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + statements[0])]
    assert not any(step.startswith("SCAN a") for step in plan), plan


def test_a_new_store_has_large_pages_and_an_old_one_keeps_its_own(tmp_path):
    new = Store(tmp_path / "new.sqlite3")
    assert new._connections.writer.execute("PRAGMA page_size").fetchone()[0] == 16384
    new.close()
    old_path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(old_path)
    db.execute("PRAGMA page_size = 4096")
    db.execute("CREATE TABLE t(x)")
    db.close()
    old = Store(old_path)
    assert old._connections.writer.execute("PRAGMA page_size").fetchone()[0] == 4096
    old.ensure_source("bladi", "Bladi.net")
    old.upsert_articles("bladi", [article("a", "La sécurité routière")])
    assert search(old, "securite") == ["La sécurité routière"]
    old.close()


def test_a_store_from_before_listings_keeps_its_articles_and_forgets_the_purged_ids_that_block_feeds(
    tmp_path,
):
    # Before articles knew whether their feed lists them, retention could purge one its feed
    # still listed, and its purged id then kept it out of the store for good.
    before = next(n for n, steps in enumerate(MIGRATIONS) if "listed" in str(steps[0]))
    path = tmp_path / "s.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    register_functions(db)
    for statement in [step for version in MIGRATIONS[:before] for step in version]:
        statement(db) if callable(statement) else db.execute(statement)
    db.execute(f"PRAGMA user_version = {before}")
    db.execute("INSERT INTO sources(id, key, name) VALUES (1, 'bladi', 'Bladi.net')")
    db.execute(
        "INSERT INTO articles(id, source_id, guid, title, added) VALUES (?, 1, 'old', 'Ancien', 1)",
        (article("old").id,),
    )
    db.execute("INSERT INTO purged(id, purged_at) VALUES (?, ?)", (article("listed").id, time.time()))
    db.close()
    store = Store(path)
    assert store.schema_version == SCHEMA_VERSION
    # What a feed lists is unknown until it is read again: until then nothing is taken for gone.
    assert store.purge(30, 1) == 0 and stored_guids(store) == {"old"}
    assert store.upsert_articles("bladi", [article("listed")], listing=True) == 1
    assert stored_guids(store) == {"old", "listed"}
    assert store.purge(30, 0) == 1 and stored_guids(store) == {"listed"}  # "old" is no longer listed
    store.close()
