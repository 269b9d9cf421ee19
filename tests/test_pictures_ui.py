"""Article pictures in the real app under Pilot, against a loopback Bladi.net: with ``blocks`` the
lead photo is drawn in half-block cells above the lead, in place; with ``off`` placeholders hold
their places; offline after one opening, the cached photo still shows; hostile pictures are
placeholders whose reason the links dialog gives."""

from __future__ import annotations

import re

from rich.color import Color

from tests.bladi_site import FEED_URL
from tests.conftest import FIXED_NOW
from tests.picture_site import BLUE, HOSTILE, MAP_URL, PAGE, PHOTO_URL, RED
from tui.config import SourceSpec
from tui.images.cache import PictureCache, pictures_folder
from tui.store import Store
from tui.ui.app import BladiApp
from tui.ui.screens.links import LinksScreen
from tui.ui.widgets.article_view import ArticleView

BLADI = SourceSpec(name="Bladi.net", url=FEED_URL, kind="auto")


async def settle(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def texts(view: ArticleView) -> list[str]:
    return [strip.text for strip in view._lines]


def block_rows(view: ArticleView) -> list[int]:
    """Indexes of the lines drawn in half-block cells."""
    return [
        i for i, strip in enumerate(view._lines) if strip.text.strip() and set(strip.text.strip()) == {"▀"}
    ]


def line_of(view: ArticleView, text: str) -> int:
    return next(i for i, line in enumerate(texts(view)) if text in line)


async def open_article(app, pilot) -> ArticleView:
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    return app.reader.query_one(ArticleView)


async def test_blocks_draw_the_lead_photo_above_the_lead_and_the_map_in_place(picture_site, tmp_path):
    store = Store(tmp_path / "store.sqlite3")
    app = BladiApp(store, [BLADI], clock=lambda: FIXED_NOW, language="fr", pictures="blocks")
    async with app.run_test(size=(120, 45)) as pilot:
        view = await open_article(app, pilot)
        rows = block_rows(view)
        assert rows, texts(view)
        title, lead = line_of(view, PAGE.title), line_of(view, "Le port de Tanger Med a battu")
        photo = [r for r in rows if title < r < lead]
        assert photo == list(range(photo[0], photo[-1] + 1))  # one block of rows, between title and lead
        assert len(photo) <= 45 // 3  # a third of the screen at most
        assert max(len(view._lines[r].text.rstrip()) for r in photo) <= view.text_width
        # The photo's colours: red on top, blue below (each cell's upper and lower half).
        top = view._lines[photo[0]]._segments[0].style
        bottom = view._lines[photo[-1]]._segments[0].style
        assert top.color == Color.from_rgb(*RED) or _near(top.color, RED)
        assert _near(bottom.bgcolor, BLUE)
        # The map, in the body between its two paragraphs.
        quais, after = line_of(view, "nouveaux quais"), line_of(view, "nouveau record")
        assert [r for r in rows if quais < r < after]
        assert "[Image" not in "\n".join(texts(view))  # every picture drawn
        assert picture_site.hits(PHOTO_URL) == 1 and picture_site.hits(MAP_URL) == 1
    store.close()
    assert app.errors == []


def _near(color: Color | None, rgb: tuple[int, int, int]) -> bool:
    triplet = color.get_truecolor() if color is not None else None
    return triplet is not None and all(abs(a - b) <= 40 for a, b in zip(triplet, rgb, strict=True))


async def test_off_shows_placeholders_and_loads_nothing(picture_site, tmp_path):
    store = Store(tmp_path / "store.sqlite3")
    app = BladiApp(store, [BLADI], clock=lambda: FIXED_NOW, language="fr", pictures="off")
    async with app.run_test(size=(120, 45)) as pilot:
        view = await open_article(app, pilot)
        lines = texts(view)
        assert not block_rows(view)
        photo = line_of(view, "[Image\u00a0: Les quais de Tanger Med]")
        assert line_of(view, PAGE.title) < photo < line_of(view, "Le port de Tanger Med a battu")
        assert any(line.strip() == "[Image\u00a0: La carte des quais]" for line in lines)
        assert picture_site.hits(PHOTO_URL) == 0 and picture_site.hits(MAP_URL) == 0
        # The links dialog lists the pictures; choosing one opens it like any link (o: the browser).
        opened: list[str] = []
        app.open_in_browser = opened.append  # what cannot run here: a browser
        await pilot.press("l")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, LinksScreen)
        pictures = [link for link in dialog._links if link.image]
        assert [link.url for link in pictures] == [PHOTO_URL, MAP_URL]
        index = dialog._links.index(pictures[0])
        dialog.query_one("OptionList").highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        assert opened == [PHOTO_URL]
    store.close()


async def test_english_placeholder(picture_site, tmp_path):
    store = Store(tmp_path / "store.sqlite3")
    app = BladiApp(store, [BLADI], clock=lambda: FIXED_NOW, language="en", pictures="off")
    async with app.run_test(size=(120, 45)) as pilot:
        view = await open_article(app, pilot)
        assert "[Image: Les quais de Tanger Med]" in "\n".join(texts(view))
    store.close()


async def test_offline_after_one_opening_the_cached_photo_still_shows(picture_site, tmp_path):
    path = tmp_path / "store.sqlite3"
    store = Store(path)
    app = BladiApp(store, [BLADI], clock=lambda: FIXED_NOW, language="fr", pictures="blocks")
    async with app.run_test(size=(120, 45)) as pilot:
        view = await open_article(app, pilot)
        assert block_rows(view)
    store.close()
    assert PictureCache(pictures_folder(path)).get(PHOTO_URL) is not None
    hits = picture_site.hits(PHOTO_URL)

    store = Store(path)
    app = BladiApp(store, [BLADI], clock=lambda: FIXED_NOW, language="fr", pictures="blocks", offline=True)
    async with app.run_test(size=(120, 45)) as pilot:
        view = await open_article(app, pilot)
        title, lead = line_of(view, PAGE.title), line_of(view, "Le port de Tanger Med a battu")
        assert [r for r in block_rows(view) if title < r < lead]
    store.close()
    assert picture_site.hits(PHOTO_URL) == hits  # nothing asked offline
    assert app.errors == []


async def test_hostile_pictures_are_placeholders_with_their_reason(hostile_picture_site, tmp_path):
    store = Store(tmp_path / "store.sqlite3")
    app = BladiApp(store, [BLADI], clock=lambda: FIXED_NOW, language="fr", pictures="blocks")
    async with app.run_test(size=(120, 45)) as pilot:
        view = await open_article(app, pilot)
        document = "\n".join(texts(view))
        for name in HOSTILE:
            assert f"[Image\u00a0: Piège {name}]" in document, name
        assert len(block_rows(view)) > 0  # the good ones are drawn all the same
        reasons = {url: view.picture_problem(url) for url in HOSTILE.values()}
        assert reasons == {
            HOSTILE["bomb"]: "too_many_pixels",
            HOSTILE["pixel"]: "tiny",
            HOSTILE["truncated"]: "broken",
            HOSTILE["huge"]: "too_large",
            HOSTILE["svg"]: "format",
        }
        await pilot.press("l")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, LinksScreen)
        shown = "\n".join(str(option.prompt) for option in dialog.query_one("OptionList")._options)
        assert "Image refusée : trop de pixels" in shown
        assert "Image refusée : plus de 5 Mo" in shown
        assert "Image refusée : format non pris en charge" in shown
        assert "Image illisible : fichier tronqué ou abîmé" in shown
        assert "Image ignorée : un pixel de suivi" in shown
    store.close()
    assert app.errors == []


async def test_o_on_a_picture_under_the_pointer_opens_the_picture_like_any_link(picture_site, tmp_path):
    store = Store(tmp_path / "store.sqlite3")
    app = BladiApp(store, [BLADI], clock=lambda: FIXED_NOW, language="fr", pictures="blocks")
    async with app.run_test(size=(120, 45)) as pilot:
        view = await open_article(app, pilot)
        opened: list[str] = []
        app.open_in_browser = opened.append  # what cannot run here: a browser
        photo = [r for r in block_rows(view) if r < line_of(view, "Le port de Tanger Med a battu")]
        await pilot.hover(ArticleView, offset=(3, photo[1]))  # the pointer on the photo's cells
        await pilot.press("o")
        await pilot.hover(ArticleView, offset=(3, line_of(view, PAGE.title)))  # on the title: the article
        await pilot.press("o")
        assert opened == [PHOTO_URL, PAGE.url]
        # In the links dialog, `o` opens the highlighted picture and the dialog stays.
        await pilot.press("l")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, LinksScreen)
        dialog.query_one("OptionList").highlighted = next(
            i for i, link in enumerate(dialog._links) if link.url == MAP_URL
        )
        await pilot.press("o")
        await pilot.pause()
        assert opened[-1] == MAP_URL and app.screen is dialog
    store.close()
    assert app.errors == []


def test_a_picture_s_cells_follow_its_link_without_the_underline_a_text_link_to_it_has():
    from rich.segment import Segment
    from rich.style import Style

    picture = Style(link=PHOTO_URL) + Style.from_meta({"picture": True})
    cells = [Segment("▀", Style(color="red", bgcolor="blue") + picture) for _ in range(3)]
    clicks: dict = {}
    drawn = ArticleView._clickable(cells, {PHOTO_URL: 0}, clicks)
    text = ArticleView._clickable([Segment("la photo", Style(link=PHOTO_URL))], {PHOTO_URL: 0}, clicks)
    for segment in [*drawn, *text]:
        assert segment.style.meta["@click"] == "follow_link(0)" and not segment.style.link
    assert not any(segment.style.underline for segment in drawn)
    assert [segment.style.color.name for segment in drawn] == ["red"] * 3
    assert text[0].style.underline


async def test_o_on_a_placeholder_opens_its_picture(picture_site, tmp_path):
    store = Store(tmp_path / "store.sqlite3")
    app = BladiApp(store, [BLADI], clock=lambda: FIXED_NOW, language="fr", pictures="off")
    async with app.run_test(size=(120, 45)) as pilot:
        view = await open_article(app, pilot)
        opened: list[str] = []
        app.open_in_browser = opened.append
        await pilot.hover(ArticleView, offset=(3, line_of(view, "[Image\u00a0: Les quais de Tanger Med]")))
        await pilot.press("o")
        assert opened == [PHOTO_URL]
    store.close()


def written(view: ArticleView) -> str:
    """What the view's visible rows write to the terminal, escape sequences included."""
    return "".join(view.render_line(y).render(view.app.console) for y in range(view.size.height))


async def test_each_mode_writes_its_own_protocol_and_only_for_the_picture(picture_site, tmp_path, capfd):
    """Sixel: a Device Control String per picture wholly in view, written with the view's rows;
    kitty: the Kitty graphics APC (textual-image writes the picture's transmission to the
    terminal itself, the rows hold its Unicode placeholders); blocks: half-blocks, neither."""
    store = Store(tmp_path / "store.sqlite3")
    seen = {}
    capfd.readouterr()
    for mode in ("sixel", "kitty", "blocks"):
        app = BladiApp(store, [BLADI], clock=lambda: FIXED_NOW, language="fr", pictures=mode)
        async with app.run_test(size=(120, 45)) as pilot:
            view = await open_article(app, pilot)
            rows = written(view)
            half_blocks = block_rows(view)
        seen[mode] = rows + capfd.readouterr().out
        assert app.errors == []
        # Sixel and blocks keep half-block cells (under the Sixel drawing); kitty draws its own.
        assert bool(half_blocks) == (mode != "kitty"), mode
    sixel = re.findall(r"\x1bP[0-9;]*q", seen["sixel"])
    assert len(sixel) == 2  # the lead photo and the map, wholly in view, each drawn once
    assert "\x1b_G" not in seen["sixel"]
    assert re.search(r"\x1b_G[^\x1b]*a=p", seen["kitty"]) and "\x1bP" not in seen["kitty"]
    assert "\x1bP" not in seen["blocks"] and "\x1b_G" not in seen["blocks"]
    store.close()


async def test_sixel_is_drawn_only_for_a_picture_wholly_in_view_and_not_under_a_dialog(
    picture_site, tmp_path
):
    store = Store(tmp_path / "store.sqlite3")
    app = BladiApp(store, [BLADI], clock=lambda: FIXED_NOW, language="fr", pictures="sixel")
    async with app.run_test(size=(120, 30)) as pilot:
        view = await open_article(app, pilot)
        photo = [r for r in block_rows(view) if r < line_of(view, "Le port de Tanger Med a battu")]
        assert photo[-1] < view.size.height  # the photo wholly in view: drawn in Sixel
        before = len(re.findall(r"\x1bP[0-9;]*q", written(view)))
        assert before >= 1
        view.scroll_to(y=photo[0] + 1, animate=False, immediate=True)  # its first row scrolled out
        await pilot.pause()
        assert view.scroll_offset.y == photo[0] + 1
        assert len(re.findall(r"\x1bP[0-9;]*q", written(view))) <= before - 1 + _map_came_into_view(view)
        await pilot.press("l")  # the links dialog over the article: no picture drawn over it
        await pilot.pause()
        assert "\x1bP" not in written(view)
    store.close()
    assert app.errors == []


def _map_came_into_view(view: ArticleView) -> int:
    """1 when the second picture is wholly in view now and was not before the scroll."""
    rows = [r for r in block_rows(view) if r > line_of(view, "nouveaux quais")]
    top = view.scroll_offset.y
    return int(bool(rows) and rows[-1] < top + view.size.height and rows[-1] >= view.size.height)
