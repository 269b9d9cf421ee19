"""The reader never waits for another process's write: it reads through a connection of its own,
its marks are queued and shown at once, and written once the other writer is done.

A second process (tests/helpers/store_child.py hold-writes) holds the writers' turn and SQLite's
write lock — as a `bladi-tui fetch` from cron does while it stores a feed — while the real app
under Pilot scrolls, opens, marks and searches."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from tests.conftest import FIXED_NOW, ROOT, counts_shown
from tui.config import SourceSpec
from tui.model import Article, Topic
from tui.store import Store
from tui.store.connection import WRITERS_LOCK_SUFFIX
from tui.ui.widgets.article_list import ArticleList
from tui.ui.widgets.sidebar import Sidebar

HOLD_SECONDS = 5.0
FEED = "https://feed.example.test/rss.xml"


def articles(count: int) -> list[Article]:
    start = datetime(2024, 5, 1, tzinfo=UTC)
    return [
        Article(
            guid=f"https://feed.example.test/{n}",
            title=f"Article {n}" + (" sur la pêche" if n % 10 == 0 else ""),
            date=start + timedelta(hours=n),
            body=f"Texte {n}.",
            full_text=True,
        )
        for n in range(count)
    ]


def reader_over_one_feed(path, count: int, **options):
    """The real reader, offline, over a store at ``path`` holding one feed of ``count`` articles
    (``options``: more of BladiApp's); the store is ``app.store``, closed by the test."""
    from tui.ui.app import BladiApp

    store = Store(path)
    store.ensure_sources([(FEED, "Feed", "feed")])
    store.upsert_articles(FEED, articles(count), listing=True)
    options = {"offline": True, "clock": lambda: FIXED_NOW, "refresh_on_start": False, **options}
    return BladiApp(store, [SourceSpec(name="Feed", url=FEED, kind="feed")], **options)


def stored_marks(path) -> dict[int, tuple[int, int]]:
    """rowid -> (read, saved) as committed, read by a connection of the test's own."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {
            rowid: (read, saved)
            for rowid, read, saved in db.execute("SELECT rowid, read, saved FROM articles")
        }
    finally:
        db.close()


def writers_turn_taken(path) -> bool:
    """Whether another process holds the writers' turn of the store at ``path`` right now."""
    fd = os.open(str(path) + WRITERS_LOCK_SUFFIX, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def screen_line(article_list: ArticleList, index: int) -> str:
    """What the list draws for its row ``index`` (on screen)."""
    return "".join(segment.text for segment in article_list.render_line(index - round(article_list.scroll_y)))


@contextlib.contextmanager
def another_process_writing(path, seconds: float):
    """A second process holding the store's writers' turn and write lock (see the module's
    docstring) until :func:`release` is called and ``seconds`` have passed; ended on the way out
    whatever happened, so that the app under test can end too."""
    holder = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.store_child", "hold-writes", str(path), str(seconds)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        yield holder
    finally:
        if holder.poll() is None:
            holder.kill()
        holder.wait()


def release(holder: subprocess.Popen) -> str:
    """Tell the holder to let go (after its seconds); what it says once it has."""
    holder.stdin.write("release\n")
    holder.stdin.flush()
    return holder.stdout.readline().strip()


async def test_scrolling_opening_marking_and_searching_complete_while_another_process_writes(tmp_path):
    path = tmp_path / "store.sqlite3"
    app = reader_over_one_feed(path, 120, language="fr")
    store = app.store
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            article_list = app.screen.query_one(ArticleList)
            first = article_list.highlighted
            with another_process_writing(path, HOLD_SECONDS) as holder:
                # Scroll, open (marks read), mark, save, search, mark a whole list read.
                await pilot.press("j", "j", "pagedown", "G", "g")
                assert article_list.highlighted == first
                await pilot.press("enter")
                assert app.screen.open_article.rowid == first and app.store.rows([first])[first].read
                await pilot.press("escape", "j")
                second = article_list.highlighted
                await pilot.press("s", "m")
                await pilot.press("slash", *"pêche", "enter")
                assert app.screen.topic.kind == "search" and article_list.count == 12
                found = article_list.rowids
                await pilot.press("A")
                await pilot.pause()
                # The screen says so at once, from memory: ● unread, ★ saved.
                assert all(app.store.rows([rowid])[rowid].read for rowid in found)
                assert "●" not in screen_line(article_list, 0)
                await pilot.press("escape")
                assert app.screen.topic.kind == "all"
                assert "★" in screen_line(article_list, 1) and "●" not in screen_line(article_list, 1)
                assert "●" not in screen_line(article_list, 0) and "●" in screen_line(article_list, 2)

                # All of it done, and the other process still holds the store: nothing written.
                assert holder.poll() is None and writers_turn_taken(path)
                committed = stored_marks(path)
                assert committed[first] == (0, 0) and committed[second] == (0, 0)
                assert not any(committed[rowid][0] for rowid in found)

                assert await asyncio.to_thread(release, holder) == "released"
            assert await asyncio.to_thread(app.store.flush_marks, 60)
            committed = stored_marks(path)
            assert committed[first] == (1, 0) and committed[second] == (1, 1)
            assert all(committed[rowid][0] for rowid in found)
            assert sum(read for read, _ in committed.values()) == 2 + len(found)  # nothing else
    finally:
        store.close()
    assert app.errors == []


async def test_marks_still_queued_are_written_when_the_reader_quits(tmp_path):
    path = tmp_path / "store.sqlite3"
    app = reader_over_one_feed(path, 5)
    store = app.store
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            saved = app.screen.query_one(ArticleList).highlighted
            with another_process_writing(path, 2) as holder:
                await pilot.press("s")
                assert stored_marks(path)[saved] == (0, 0)  # queued behind the other writer
                holder.stdin.write("release\n")  # let go 2 s after it took the store
                holder.stdin.flush()
                await pilot.press("q")  # the mark still queued: the app writes it as it ends
                assert await asyncio.to_thread(holder.stdout.readline) == "released\n"
        assert stored_marks(path)[saved] == (0, 1)
    finally:
        store.close()


def test_queued_marks_show_at_once_and_an_undo_takes_back_only_what_was_unread(tmp_path):
    path = tmp_path / "store.sqlite3"
    store = Store(path)
    store.ensure_sources([(FEED, "Feed", "feed")])
    store.upsert_articles(FEED, articles(6), listing=True)
    try:
        scope, _ = store.open_list(Topic("all"))
        rowids = store.list_rowids(scope)
        store.set_read([rowids[0]])  # read before
        with another_process_writing(path, 0) as holder:
            store.queue_read([rowids[1]])
            changed = store.queue_list_read(scope)
            assert changed == rowids[2:]  # neither the one read before nor the one queued
            assert all(row.read for row in store.list_rows(scope, 0, 6))
            assert store.list_first_unread(scope, 0) is None
            store.queue_read(changed, False)  # u
            assert store.list_first_unread(scope, 0) == (2, rowids[2])
            assert store.queue_all_read(rowids) == rowids[2:]
            store.queue_saved(rowids[3], True)
            assert store.article(rowids[3]).saved and store.find(store.article(rowids[3]).article.id).read
            assert {rowid for rowid, (read, _) in stored_marks(path).items() if read} == {rowids[0]}
            assert release(holder) == "released"
        assert store.flush_marks(30)
        assert {rowid for rowid, (read, _) in stored_marks(path).items() if read} == set(rowids)
        assert stored_marks(path)[rowids[3]] == (1, 1)
    finally:
        store.close()


async def test_adding_and_removing_a_source_never_wait_for_another_process(tmp_path):
    """The palette's add and remove write state.toml and the store in a thread: while another process
    holds the store, the keys still answer, state.toml is written, and the source added shows once
    the store is free."""
    import tomllib

    path = tmp_path / "store.sqlite3"
    state = tmp_path / "state.toml"
    other = "https://other.example.test/rss.xml"
    app = reader_over_one_feed(path, 30, state_file=state)
    store = app.store
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            article_list = app.screen.query_one(ArticleList)
            with another_process_writing(path, HOLD_SECONDS) as holder:
                first = article_list.highlighted
                app.add_source(other)
                await pilot.press("j", "j")
                assert article_list.highlighted != first  # the keys answered
                while "added_sources" not in (state.read_text() if state.exists() else ""):
                    await asyncio.sleep(0.05)
                assert tomllib.loads(state.read_text())["added_sources"][0]["url"] == other
                assert holder.poll() is None and writers_turn_taken(path)
                assert other not in [spec.key for spec in app.sources]  # not in the store yet
                app.drop_source(app.sources[0], "removed_sources")
                assert [spec.key for spec in app.sources] == []  # at once, from memory
                await pilot.press("k")
                assert holder.poll() is None and writers_turn_taken(path)
                assert await asyncio.to_thread(release, holder) == "released"
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert [spec.key for spec in app.sources] == [other]
            assert other in {source.key for source in app.store.sources([other])}
            written = tomllib.loads(state.read_text())
            assert written["removed_sources"] == [FEED]
    finally:
        store.close()
    assert app.errors == []


def sidebar_labels(sidebar: Sidebar) -> list[str]:
    labels, nodes = [], list(sidebar.root.children)
    while nodes:
        node = nodes.pop(0)
        labels.append(str(node.label))
        nodes[:0] = list(node.children)
    return labels


async def test_the_sidebar_counts_a_mark_at_once_while_another_process_writes(tmp_path):
    """Views and sources count the marks still queued: reading, saving and marking a list read
    change the sidebar's numbers at once, the same numbers once the marks are written."""
    path = tmp_path / "store.sqlite3"
    app = reader_over_one_feed(path, 30, language="fr")
    store = app.store
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await counts_shown(pilot)
            sidebar = app.screen.query_one(Sidebar)
            assert {"Tous 30/30", "Non lus 30", "Sauvegardés 0", "○ Feed 30/30"} <= set(
                sidebar_labels(sidebar)
            )
            with another_process_writing(path, HOLD_SECONDS) as holder:
                await pilot.press("m", "j", "s")
                await counts_shown(pilot)
                shown = set(sidebar_labels(sidebar))
                assert {"Tous 29/30", "Non lus 29", "Sauvegardés 1/1", "○ Feed 29/30"} <= shown, shown
                assert holder.poll() is None and writers_turn_taken(path)
                assert stored_marks(path) == {rowid: (0, 0) for rowid in stored_marks(path)}
                assert await asyncio.to_thread(release, holder) == "released"
            assert await asyncio.to_thread(app.store.flush_marks, 60)
            await counts_shown(pilot)
            shown = set(sidebar_labels(sidebar))
            assert {"Tous 29/30", "Non lus 29", "Sauvegardés 1/1", "○ Feed 29/30"} <= shown, shown
    finally:
        store.close()
    assert app.errors == []


def test_counts_of_views_sources_and_rubriques_include_the_marks_still_queued(tmp_path):
    path = tmp_path / "store.sqlite3"
    store = Store(path)
    store.ensure_sources([(FEED, "Feed", "feed")])
    stored = articles(6)
    for n, article in enumerate(stored):
        article.rubrique = "Sport" if n % 2 else "Économie"
    store.upsert_articles(FEED, stored, listing=True)
    try:
        rowids = store.list_rowids(store.open_list(Topic("all"))[0])
        with another_process_writing(path, 0) as holder:
            store.queue_read(rowids[:3])
            store.queue_saved(rowids[5], True)
            store.queue_read([rowids[0]], False)  # taken back before it was written
            expected_rubriques = {"sport": 0, "economie": 0}
            for rowid in rowids[1:3]:
                key = "sport" if store.rows([rowid])[rowid].rubrique == "Sport" else "economie"
                expected_rubriques[key] -= 1
            views = store.view_counts()
            assert views == {"all": (6, 4), "unread": (4, 4), "saved": (1, 1)}
            assert [(s.key, s.count, s.unread) for s in store.sources()] == [(FEED, 6, 4)]
            unread = {t.topic.key: t.unread for t in store.rubriques()}
            assert unread == {key: 3 + change for key, change in expected_rubriques.items()}
            # The sidebar's recount: the same three, the queued marks looked up once for all.
            statements: list[str] = []
            with store._connections.reading() as db:  # this thread's reader
                db.set_trace_callback(statements.append)
            together = store.sidebar_counts()
            with store._connections.reading() as db:
                db.set_trace_callback(None)
            assert together.views == views
            assert together.sources == store.sources()
            assert together.rubriques == store.rubriques()
            assert sum("a.rowid IN (" in statement for statement in statements) == 1, statements
            assert stored_marks(path) == {rowid: (0, 0) for rowid in rowids}  # nothing written yet
            assert release(holder) == "released"
        assert store.flush_marks(60)
        assert store.view_counts() == views  # the same numbers, now from what is written
        assert {t.topic.key: t.unread for t in store.rubriques()} == unread
    finally:
        store.close()


async def test_the_sidebar_is_counted_in_a_thread_and_a_recount_overtaken_by_a_mark_is_not_shown(tmp_path):
    """The reader's thread never waits for the sidebar's counts: while a recount is held in
    its read, the keys still move and mark. The counts it read before the mark are never shown
    (they miss it): it reads again, and the sidebar shows the mark."""
    import threading

    app = reader_over_one_feed(tmp_path / "store.sqlite3", 30, language="fr")
    store = app.store
    count = store.sidebar_counts
    readers: list[threading.Thread] = []
    held, release = threading.Event(), threading.Event()

    def held_count(*args, **kwargs):
        readers.append(threading.current_thread())
        found = count(*args, **kwargs)
        if len(readers) == 2:  # the recount after the first mark: held until released
            held.set()
            release.wait(30)
        return found

    store.sidebar_counts = held_count  # type: ignore[method-assign]
    shown: list[set[str]] = []
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await counts_shown(pilot)
            sidebar = app.screen.query_one(Sidebar)
            article_list = app.screen.query_one(ArticleList)
            update_topics = sidebar.update_topics

            def recorded_update(sections):
                update_topics(sections)
                shown.append(set(sidebar_labels(sidebar)))

            sidebar.update_topics = recorded_update  # type: ignore[method-assign]
            await pilot.press("m")  # the first article read: a recount, held in its read
            assert await asyncio.to_thread(held.wait, 30)
            await pilot.press("j", "m")  # the reader answers meanwhile: a second article read
            assert article_list.cursor == 1
            release.set()
            await counts_shown(pilot)
    finally:
        release.set()
        store.close()
    assert threading.main_thread() not in readers
    assert len(readers) == 3  # at start, the held one, the one read again after the second mark
    assert shown and all("Non lus 28" in labels for labels in shown), shown
    assert app.errors == []
