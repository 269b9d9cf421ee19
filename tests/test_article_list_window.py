"""The article list over a large store: it reads a window at a time, and the user sees the same
list as if it held every row id (order, End, paging, the cursor kept, marks, counts)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import timedelta

import pytest
from rich.text import Text

from tests.conftest import FIXED_NOW
from tui.article_keys import owned
from tui.config import SourceSpec
from tui.dates import short_date
from tui.model import ALL, Article, Topic
from tui.store import Store
from tui.store.lists import ListScope
from tui.ui.app import BladiApp
from tui.ui.widgets.article_list import PREFETCH, ArticleList, fit_cells

FEED = SourceSpec(name="Grand flux", url="https://feed.invalid/rss", kind="rss")
COUNT = 1_200


def make_articles(
    count: int, *, prefix: str = "a", start_minutes: int = 0, undated: int = 5
) -> list[Article]:
    """Dated a minute apart, every tenth sharing its neighbour's date (ties are ordered by
    row id, the later stored first) and the last few undated (they go last)."""
    articles = []
    for number in range(count):
        minutes = start_minutes + number - (number % 10 == 1)
        date = None if number >= count - undated else FIXED_NOW - timedelta(minutes=minutes)
        articles.append(
            Article(
                guid=f"{prefix}{number}",
                title=f"Titre {prefix}{number:05d}",
                date=date,
                rubrique="Maroc" if number % 3 == 0 else "Monde",
            )
        )
    return articles


def expected_order(store: Store, articles: list[Article]) -> list[str]:
    """The list's order computed apart from the store's query: date, newest first, undated last,
    ties by insertion order, later first."""
    # Opaque guids: each is keyed by its feed as the store writes it (tui/article_keys.py).
    rowids = {a.guid: store.find(owned(a, FEED.key).id).rowid for a in articles}

    def key(a: Article) -> tuple[bool, float, int]:
        return (a.date is None, -(a.date.timestamp() if a.date else 0), -rowids[a.guid])

    return [a.title for a in sorted(articles, key=key)]


@pytest.fixture
def big_store(tmp_path):
    store = Store(tmp_path / "store.sqlite3")
    store.ensure_source(FEED.key, FEED.name, FEED.kind)
    articles = make_articles(COUNT)
    # Stored in an order unlike the list's, so that row ids do not give the order away.
    store.upsert_articles(FEED.key, articles[::2] + articles[1::2])
    yield store, expected_order(store, articles)
    store.close()


def app_for(store: Store) -> BladiApp:
    return BladiApp(
        store, [FEED], offline=True, clock=lambda: FIXED_NOW, refresh_on_start=False, language="fr"
    )


def drawn(article_list: ArticleList, y: int) -> str:
    return "".join(segment.text for segment in article_list.render_line(y))


def cursor_line(article_list: ArticleList) -> str:
    return drawn(article_list, article_list.cursor - round(article_list.scroll_y))


def title_of(app: BladiApp) -> str:
    renderable = app.screen.query_one("#list-title").render()
    return renderable.plain if isinstance(renderable, Text) else str(renderable)


# -- the store's windows -------------------------------------------------------------------------


def test_windows_positions_and_counts_agree_with_the_whole_list(big_store):
    store, order = big_store
    scope, count = store.open_list(ALL)
    assert count == COUNT
    rowids = store.list_rowids(scope)
    assert [store.article(r).article.title for r in rowids] == order
    for start in (0, 1, 63, 64, 600, COUNT - 7, COUNT - 1):
        window = store.list_rows(scope, start, 50)
        assert [row.rowid for row in window] == rowids[start : start + 50]
    # Every position, ties and undated rows included, is the row's index in the list.
    assert [store.list_position(scope, r) for r in rowids] == list(range(COUNT))
    rubrique, maroc = store.open_list(Topic("rubrique", "maroc", "Maroc"))
    assert maroc == COUNT // 3 == store.list_count(rubrique)
    monde = rowids[order.index("Titre a00002")]
    assert store.list_position(rubrique, monde) is None


def test_a_list_keeps_its_rows_until_read_again(big_store):
    store, order = big_store
    scope, count = store.open_list(Topic("unread"))
    first = store.list_rows(scope, 0, 3)
    store.upsert_articles(FEED.key, make_articles(10, prefix="new", start_minutes=-100, undated=0))
    store.set_read([first[0].rowid])
    # Neither the new articles nor the one just read move the rows of a list already shown...
    kept = scope.__class__(scope.topic, scope.source_keys, scope.newest, frozenset([first[0].rowid]))
    assert [row.rowid for row in store.list_rows(kept, 0, 3)] == [row.rowid for row in first]
    assert store.list_count(kept) == count
    # ... read again, the list has them (and no longer the read one).
    again, count_again = store.open_list(Topic("unread"))
    assert count_again == count + 10 - 1
    assert store.list_rows(again, 0, 1)[0].title == "Titre new00001"


def test_marking_a_list_read_leaves_articles_stored_since_unread(big_store):
    store, order = big_store
    scope, count = store.open_list(Topic("rubrique", "monde", "Monde"))
    store.upsert_articles(FEED.key, make_articles(4, prefix="late", start_minutes=-50, undated=0))
    store.mark_list_read(scope)
    assert store.view_counts()["unread"][0] == COUNT + 4 - count
    assert not any(row.read for row in store.list_rows(store.open_list(ALL)[0], 0, 4))


# -- the list on screen --------------------------------------------------------------------------


def test_a_whole_list_is_counted_by_the_pages_of_an_index_not_row_by_row(big_store):
    """The first frame counts the whole list: SQLite's count of a table's pages (opcode Count)
    is used only without a WHERE clause."""
    from tui.store.lists import count_statement, list_filter

    store, _order = big_store
    with closing(sqlite3.connect(store.path)) as db:
        join, _join_params, where, params = list_filter(db, ListScope(ALL, None))
        assert (join, where, params) == ("", "1", [])
        opcodes = [row[1] for row in db.execute("EXPLAIN " + count_statement(join, where))]
        assert "Count" in opcodes and "AggStep" not in opcodes
        filtered = count_statement(join, f"{where} AND a.read IN (0, 1)")
        assert db.execute(count_statement(join, where)).fetchone()[0] == COUNT
        assert db.execute(filtered).fetchone()[0] == COUNT


async def test_end_home_and_paging_show_the_rows_of_the_whole_list(big_store):
    store, order = big_store
    app = app_for(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        article_list = app.screen.query_one(ArticleList)
        assert article_list.count == COUNT
        assert f"({COUNT})" in title_of(app)
        assert order[0] in drawn(article_list, 0)
        await pilot.press("end")
        assert order[-1] in cursor_line(article_list)  # the oldest (undated, stored first)
        assert article_list.cursor == COUNT - 1
        await pilot.press("home")
        assert order[0] in cursor_line(article_list)
        # Page by page across many windows: every row where the whole list has it.
        page = article_list.size.height - 1
        for index in range(page, COUNT, page):
            await pilot.press("pagedown")
            assert article_list.cursor == index
            assert order[index] in cursor_line(article_list)
            assert order[round(article_list.scroll_y)] in drawn(article_list, 0)
        await pilot.press("pageup")
        assert order[article_list.cursor] in cursor_line(article_list)


async def test_next_and_previous_step_across_windows(big_store):
    store, order = big_store
    app = app_for(store)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list = app.screen.query_one(ArticleList)
        article_list.move_to(PREFETCH + 30)
        await pilot.press("enter")
        for _ in range(50):
            await pilot.press("n")
        index = PREFETCH + 80
        assert app.screen.open_article.article.title == order[index]
        assert article_list.cursor == index and order[index] in cursor_line(article_list)
        await pilot.press("p")
        assert app.screen.open_article.article.title == order[index - 1]


async def test_the_cursor_stays_on_its_article_when_new_ones_arrive(big_store):
    store, order = big_store
    app = app_for(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        article_list = app.screen.query_one(ArticleList)
        article_list.move_to(700)
        on_screen = article_list.cursor - round(article_list.scroll_y)
        highlighted = article_list.highlighted
        store.upsert_articles(FEED.key, make_articles(30, prefix="new", start_minutes=-60, undated=0))
        # Not read again yet: the rows under the cursor do not move.
        article_list.forget_rows()
        assert article_list.highlighted == highlighted and order[700] in cursor_line(article_list)
        app.screen.reload(keep=True)
        await pilot.pause()
        assert article_list.count == COUNT + 30
        assert article_list.highlighted == highlighted and article_list.cursor == 730
        assert article_list.cursor - round(article_list.scroll_y) == on_screen
        assert order[700] in cursor_line(article_list)
        assert f"({COUNT + 30})" in title_of(app)
        await pilot.press("home")
        assert "Titre new00001" in cursor_line(article_list)


async def test_the_unread_list_keeps_what_was_read_in_it_until_read_again(big_store):
    store, order = big_store
    app = app_for(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.go_to_topic(Topic("unread"))
        await pilot.pause()
        article_list = app.screen.query_one(ArticleList)
        article_list.move_to(500)
        await pilot.press("enter")  # opened, so read: it stays where it is
        await pilot.press("n")
        assert app.screen.open_article.article.title == order[501]
        assert article_list.count == COUNT
        assert order[500] in drawn(article_list, 500 - round(article_list.scroll_y))
        article_list.focus()
        await pilot.press("A")
        assert store.flush_marks(30)  # written in the background (tui.store.marks)
        assert store.view_counts()["unread"][0] == 0
        assert article_list.count == COUNT and order[501] in cursor_line(article_list)
        assert cursor_line(article_list).startswith(" ")  # the unread dot is gone
        app.screen.reload(keep=True)
        await pilot.pause()
        assert article_list.count == 0


async def test_a_long_list_draws_its_rows_beside_its_scrollbar_not_under_it(big_store):
    """The dates end where the scrollbar begins (not one cell under it), and no horizontal
    scrollbar takes the last row."""
    store, order = big_store
    app = app_for(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")  # beside the article: the date is the row's last column
        await pilot.pause()
        article_list = app.screen.query_one(ArticleList)
        assert article_list.show_vertical_scrollbar and not article_list.show_horizontal_scrollbar
        width = article_list.scrollable_content_region.width
        assert width == article_list.size.width - 1
        for y in (0, 5, article_list.scrollable_content_region.height - 1):
            line = drawn(article_list, y)
            date = short_date(article_list._row(y).date, FIXED_NOW, "fr")
            assert len(line) == width and line.endswith(date), (line, date)


async def test_each_frame_shows_the_dates_of_its_own_clock(big_store):
    """The dates are written once per frame, with the clock read for that frame: when the clock
    moves between two frames, the second shows the rows' dates as of then (column widths too)."""
    store, order = big_store
    now = [FIXED_NOW]
    app = BladiApp(store, [FEED], offline=True, clock=lambda: now[0], refresh_on_start=False, language="fr")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        article_list = app.screen.query_one(ArticleList)

        def frame() -> list[str]:
            region = article_list.scrollable_content_region
            strips = article_list.render_lines(region.reset_offset)
            return ["".join(segment.text for segment in strip).rstrip() for strip in strips]

        def dates_at(when) -> list[str]:
            return [short_date(article_list._row(y).date, when, "fr") for y in range(3)]

        first = frame()
        assert [date in line for date, line in zip(dates_at(FIXED_NOW), first, strict=False)] == [True] * 3
        now[0] = FIXED_NOW + timedelta(days=2)
        article_list.refresh()
        await pilot.pause()
        second = frame()
        later = dates_at(now[0])
        assert later != dates_at(FIXED_NOW)
        assert [date in line for date, line in zip(later, second, strict=False)] == [True] * 3
        assert not any(date in line for date, line in zip(dates_at(FIXED_NOW), second, strict=False))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Maroc",
        "Enquête : les MRE face à la flambée des loyers",
        "摩洛哥新闻标题很长",
        "a摩b洛c",
        "🇲🇦 Maroc 🎉",
        "e\u0301te\u0301",
    ],
)
def test_a_column_is_cut_and_padded_as_rich_cuts_and_pads_text(text):
    """The rows are drawn as segments, not Rich Text: their columns must be the cells Text's
    ellipsis truncation and padding gave (wide characters, combining marks, emoji)."""
    for width in range(1, 24):
        expected = Text(text, overflow="ellipsis")
        expected.truncate(width, overflow="ellipsis", pad=True)
        fitted = fit_cells(text, width)
        assert fitted == expected.plain, (text, width)
