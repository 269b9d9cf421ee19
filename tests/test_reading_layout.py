"""The reading screen's layout and motion: titles get the width, the sidebar gives way first,
`b` is remembered per width class, and keys jump without animating."""

from __future__ import annotations

import pytest

from tests.conftest import FIXED_NOW, loaded_store
from tui.ui.widgets.article_list import TITLE_FIRST, column_widths
from tui.ui.widgets.article_view import ArticleView
from tui.ui.widgets.sidebar import Sidebar


def test_the_title_takes_the_width_before_the_rubrique_does():
    dates = ["14/12/24", "3 mai"]
    rubriques = ["Sport", "Marocains du monde"]
    # A wide list: the rubrique column is as wide as the longest rubrique, the title the rest.
    title, date, rubrique = column_widths(174, dates, rubriques)
    assert (date, rubrique) == (8, 18) and title == 174 - 3 - 9 - 19
    # 120 columns with the sidebar: the title keeps its 70 characters, the rubrique is cut.
    title, date, rubrique = column_widths(94, dates, rubriques)
    assert title == TITLE_FIRST and 0 < rubrique < 18
    # Beside an open article: no rubrique column at all.
    title, date, rubrique = column_widths(56, dates, rubriques)
    assert rubrique == 0 and title == 56 - 3 - 9
    # No dates (local notes without one): no date column.
    assert column_widths(56, [], [])[1:] == (0, 0)


@pytest.fixture
def long_article_app(tmp_path):
    from tui.ui.app import BladiApp

    folder = tmp_path / "long"
    folder.mkdir()
    paragraph = "Une phrase de l'article qui revient, assez longue pour remplir une ligne ou deux. " * 4
    body = "\n\n".join(f"## Partie {n}\n\n{paragraph}" for n in range(600))
    assert len(body.encode()) > 200_000
    (folder / "long.md").write_text(
        f'+++\ntitle = "Un très long article"\ndate = 2024-05-01T10:00:00+02:00\n+++\n{body}\n',
        encoding="utf-8",
    )
    store, specs = loaded_store(tmp_path, folder)
    app = BladiApp(store, specs, offline=True, clock=lambda: FIXED_NOW, refresh_on_start=False)
    yield app
    store.close()
    assert app.errors == []


async def key(pilot, name: str) -> None:
    """Press a key and let the app handle it, without waiting for animations as pilot.press
    does: whatever a key animates is then still under way."""
    from textual import events

    pilot.app._driver.send_message(events.Key(name, None))
    await pilot.pause()


async def test_end_in_a_200_kb_article_jumps_at_once(long_article_app):
    async with long_article_app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        view = long_article_app.screen.query_one(ArticleView)
        # Until the whole article is laid out (a chunk per frame), the end moves.
        for _ in range(400):
            await pilot.pause()
            if "Partie 599" in "".join(line.text for line in view._lines[-40:]):
                break
        assert view.max_scroll_y > 1000
        await key(pilot, "end")
        assert view.scroll_y == view.max_scroll_y
        await key(pilot, "home")
        assert view.scroll_y == 0
        await key(pilot, "space")
        assert view.scroll_y == view.scrollable_content_region.height
        await key(pilot, "pageup")
        assert view.scroll_y == 0


async def laid_out_whole(pilot, view: ArticleView) -> None:
    for _ in range(600):
        await pilot.pause()
        if "Partie 599" in "".join(line.text for line in view._lines[-40:]):
            return
    raise AssertionError("the long article was never laid out to its end")


async def test_a_long_article_s_scrollbar_is_drawn_again_every_few_chunks_and_at_its_end(long_article_app):
    from tui.ui.widgets.article_view import SCROLLBAR_CHUNKS

    async with long_article_app.run_test(size=(120, 40)) as pilot:
        view = long_article_app.screen.query_one(ArticleView)
        await pilot.press("enter")
        await pilot.pause()
        scrollbar = view.vertical_scrollbar
        drawn = []
        refresh = scrollbar.refresh

        def counted_refresh(*args, **kwargs):
            drawn.append(scrollbar.window_virtual_size)
            return refresh(*args, **kwargs)

        scrollbar.refresh = counted_refresh  # type: ignore[method-assign]
        await laid_out_whole(pilot, view)
        await pilot.pause()
        chunks = len(view._chunks)
        assert chunks > 4 * SCROLLBAR_CHUNKS
        # Once every few chunks, not at each (each time is a frame), and right at the end.
        lengths = sorted(set(drawn))  # the lengths it was drawn for (each drawing refreshes it twice)
        assert 0 < len(lengths) <= chunks // SCROLLBAR_CHUNKS + 2, (lengths, chunks)
        assert drawn[-1] == scrollbar.window_virtual_size == len(view._lines) == view.virtual_size.height


async def test_the_lines_of_a_long_article_are_freed_after_the_next_one_shows(long_article_app):
    async with long_article_app.run_test(size=(120, 40)) as pilot:
        view = long_article_app.screen.query_one(ArticleView)
        await pilot.press("enter")
        await laid_out_whole(pilot, view)
        before = view._lines
        assert len(before) > 3000
        view.show("# Un court article\n\nQuelques mots.")
        # Not before the next article's frame; then a slice at a time.
        assert len(before) > 3000 and "Quelques mots." in [line.text.strip() for line in view._lines]
        for _ in range(200):
            await pilot.pause()
            if not before:
                break
        assert before == []


async def test_the_sidebar_folds_beside_an_article_and_b_is_kept_per_width(reader_app):
    async with reader_app.run_test(size=(120, 40)) as pilot:
        screen = reader_app.screen
        sidebar = screen.sidebar  # the pane: its tree is mounted after the first frame
        # No article open: the list has the article pane's place.
        assert sidebar.display and screen.query_one(ArticleView).region.width == 0
        await pilot.press("enter")
        await pilot.pause()
        assert sidebar.region.width == 0  # folded at 120 columns
        assert screen.query_one(ArticleView).region.width >= 64
        await pilot.press("b")
        await pilot.pause()
        assert sidebar.region.width > 0  # the user's choice for this width wins
        await pilot.press("escape", "escape")  # list, then sidebar
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(reader_app.focused, ArticleView)  # the article fills the screen
        assert sidebar.region.width == 0
        await pilot.press("escape")
        await pilot.pause()
        assert sidebar.region.width > 0  # 80 columns: its own default
        await pilot.press("b")
        await pilot.pause()
        assert sidebar.region.width == 0
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert sidebar.region.width > 0  # the 120-column choice, not the 80-column one
        await pilot.resize_terminal(200, 50)
        await pilot.press("enter")
        await pilot.pause()
        assert sidebar.region.width > 0 and screen.query_one(ArticleView).region.width >= 90


def test_the_screen_s_classes_style_only_the_panes_styled_again_when_they_change():
    """The reader styles again only LAID_OUT_PANES when its classes change: a rule of the
    stylesheet on those classes must style one of them, or it would not take effect."""
    import re
    from pathlib import Path

    from tui.ui.screens.reader_panes import LAID_OUT_PANES

    css = Path(__file__).resolve().parents[1].joinpath("styles", "app.tcss").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    selectors = [s.strip() for head in re.findall(r"([^{}]+)\{", css) for s in head.split(",")]
    on_classes = [s for s in selectors if s.startswith("ReaderScreen.")]
    assert len(on_classes) >= 5  # reading, narrow, no-sidebar and their pairs
    for selector in on_classes:
        assert selector.split()[-1] in LAID_OUT_PANES, selector


async def test_the_first_article_opened_is_drawn_in_the_frame_that_shows_its_pane(reader_app):
    """The article pane appears with the first article: the view has no width when the article
    is given to it, and its text must still be in the frame that lays the pane out, not in a
    frame after it."""
    async with reader_app.run_test(size=(120, 40)) as pilot:
        view = reader_app.screen.query_one(ArticleView)
        frames: list[tuple[int, str]] = []
        render_lines = view.render_lines

        def recorded(crop):
            lines = render_lines(crop)
            frames.append((view.size.width, "\n".join(line.text for line in lines)))
            return lines

        view.render_lines = recorded  # type: ignore[method-assign]
        await pilot.press("enter")
        await pilot.pause()
        title = reader_app.screen.open_article.article.title
        drawn = [text for width, text in frames if width]  # before: the pane was hidden
        assert drawn and title in drawn[0]


async def test_the_footer_fits_80_columns_with_the_most_useful_keys(reader_app):
    from tui.ui.widgets.key_hints import KeyHints

    async with reader_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        hints = reader_app.screen.query_one(KeyHints).render().plain
        assert len(hints) <= 80
        for hint in ("⏎ Ouvrir", "? Aide", "r Actualiser", "^p Commandes", "/ Chercher"):
            assert hint in hints, hints
        assert hints.index("? Aide") < hints.index("r Actualiser")  # the most useful first


async def test_the_sidebar_cuts_a_long_name_not_its_count(tmp_path):
    from tests.conftest import local_spec
    from tui.refresh import refresh_sources
    from tui.store import Store
    from tui.ui.app import BladiApp

    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.md").write_text(
        '+++\ntitle = "Un article"\nrubrique = "Marocains du monde et de la diaspora"\n+++\nTexte.\n',
        encoding="utf-8",
    )
    store = Store(tmp_path / "s.sqlite3")
    spec = local_spec(folder, "Une source au nom vraiment très long")
    await refresh_sources(store, [spec], offline=True)
    app = BladiApp(store, [spec], offline=True, clock=lambda: FIXED_NOW, refresh_on_start=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        sidebar = app.screen.query_one(Sidebar)
        lines = [strip.text for strip in sidebar.render_lines(sidebar.region.reset_offset)]
        source = next(line for line in lines if "Une source" in line)
        rubrique = next(line for line in lines if "Marocains" in line)
        assert source.rstrip("▕ ").endswith("… 1/1") and rubrique.rstrip("▕ ").endswith("… 1/1"), lines
    store.close()
