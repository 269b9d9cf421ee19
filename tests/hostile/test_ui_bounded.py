"""The UI thread never waits on content (issue 14, item 5), asserted as bounded work rather than
speed (benchmarks/ui_content.py and BENCHMARKS.md hold the figures): an article of megabytes
shows its beginning while a thread cuts it into blocks, a single huge block is cut into pieces
of a frame each, finding in it searches each line once, and the palette and the sidebar never
build 200,000 rubriques. Every fixture is generated here.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import FIXED_NOW, local_spec
from tests.hostile.articles import links_article
from tui.article_layout import BEGINNING_CHUNKS, FIRST_CHUNK, LONGEST_BLOCK, lay_out, pieces
from tui.model import Article, Topic
from tui.store import Store
from tui.ui.screens.reader import PALETTE_TOPICS, RUBRIQUES_SHOWN
from tui.ui.widgets.article_view import LAID_OUT_HERE, ArticleView

WORDS = "Le Maroc avance vite et bien sur tous les fronts de l'économie. "


def eight_mb_paragraph() -> str:
    return WORDS * (8 * 1024 * 1024 // len(WORDS))


# -- one huge block ---------------------------------------------------------------------------


def test_one_paragraph_of_8_mb_is_cut_into_pieces_a_frame_each():
    document = eight_mb_paragraph()
    _, cut = lay_out(document)
    assert len(cut) >= len(document) // (FIRST_CHUNK + LONGEST_BLOCK)
    assert max(len(chunk) for chunk in cut) <= FIRST_CHUNK + LONGEST_BLOCK
    # Cut only between words: every word is still there, in order.
    assert "".join(cut).replace(" ", "") == document.replace(" ", "")


def test_a_huge_code_block_and_a_huge_table_keep_their_fence_and_their_header():
    code = "```\n" + "\n".join(f"ligne {n} = {n * 2}" for n in range(5000)) + "\n```"
    cut = pieces(code)
    assert len(cut) > 2 and all(p.startswith("```\n") and p.endswith("\n```") for p in cut)
    table = "| a | b |\n|---|---|\n" + "\n".join(f"| {n} | {n * 2} |" for n in range(5000))
    cut = pieces(table)
    assert len(cut) > 2 and all(p.startswith("| a | b |\n|---|---|\n") for p in cut)
    assert pieces("court") == ["court"]


# -- the article view in the app -----------------------------------------------------------


def write_article(folder: Path, name: str, title: str, body: str, day: int) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(
        f"---\ntitle: {title}\ndate: 2024-05-{day:02d}\n---\n\n{body}\n", encoding="utf-8"
    )


async def app_over(tmp_path, folder: Path):
    from tui.refresh import refresh_sources
    from tui.ui.app import BladiApp

    store = Store(tmp_path / "store.sqlite3")
    specs = [local_spec(folder, "Gros")]
    await refresh_sources(store, specs, offline=True)
    app = BladiApp(store, specs, offline=True, clock=lambda: FIXED_NOW, refresh_on_start=False, language="fr")
    return app, store


async def test_an_article_of_megabytes_shows_its_beginning_at_once_and_the_rest_in_chunks(tmp_path):
    folder = tmp_path / "gros"
    write_article(folder, "gros.md", "Un paragraphe de 8 Mo", eight_mb_paragraph(), 2)
    app, store = await app_over(tmp_path, folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        await pilot.press("enter")
        await pilot.pause()
        # Shown again and looked at before the loop runs: the beginning only, laid out here;
        # the whole is cut in a thread, whose answer the loop has not taken yet.
        assert len(view.document) > LAID_OUT_HERE
        view.show(view.document)
        assert 1 <= len(view._chunks) <= BEGINNING_CHUNKS
        assert max(len(chunk) for chunk in view._chunks) <= 2 * FIRST_CHUNK + 8
        assert 0 < len(view._lines) < 200  # the first of them only, before the first frame
        await pilot.press("j")  # a key right after: answered
        assert view.scroll_y == 1
        for _ in range(300):  # the thread's cut arrives
            await pilot.pause(0.05)
            if len(view._chunks) > BEGINNING_CHUNKS:
                break
        assert len(view._chunks) > 100
        # Then a chunk per frame: never the whole document at once.
        rendered = len(view._lines)
        await pilot.pause(0.2)
        assert rendered < len(view._lines)  # more chunks laid out, frame after frame
        assert max(len(chunk) for chunk in view._chunks) <= FIRST_CHUNK + LONGEST_BLOCK
    store.close()
    assert app.errors == []


async def test_keys_pressed_while_a_long_article_is_cut_are_not_undone_when_the_cut_arrives(tmp_path):
    """24,000 links (1 MB, paragraphs of 100): the beginning can be
    scrolled while a thread cuts the article and lists its links, and once they arrive the reader
    stays where the keys took it."""
    count = 24_000
    links = links_article(count)
    folder = tmp_path / "liens"
    write_article(folder, "liens.md", "Huit mille liens", links, 2)
    app, store = await app_over(tmp_path, folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        await pilot.press("enter")
        view.show(view.document)  # looked at before the loop takes the thread's answer
        assert 1 < len(view._chunks) <= BEGINNING_CHUNKS and not view.links
        for _ in range(BEGINNING_CHUNKS):  # the beginning's other chunks, a frame each
            await pilot.pause()
        await pilot.press("pagedown")  # a screen down, meanwhile
        position = view.scroll_y
        assert position > 30
        if view.links:  # a fast machine cut it already: there was no key to undo
            pytest.skip("the cut arrived before the key; nothing to check on this machine")
        for _ in range(1200):  # the thread's cut arrives
            await pilot.pause(0.05)
            if view.links:
                break
        assert len(view.links) == count and len(view._chunks) > BEGINNING_CHUNKS
        assert view.scroll_y == position  # laid out again down to where the reader is: not undone
    store.close()
    assert app.errors == []


async def test_finding_in_an_article_searches_each_line_once(tmp_path):
    folder = tmp_path / "find"
    paragraphs = "\n\n".join(f"Paragraphe {n} : le Maroc et Fès." for n in range(4000))
    write_article(folder, "long.md", "Long", paragraphs, 3)
    app, store = await app_over(tmp_path, folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        await pilot.press("enter")
        view.find("fes")  # accents and case aside
        for _ in range(600):  # every chunk rendered
            await pilot.pause(0.02)
            if len(view._lines) and view._searched_lines == len(view._lines) and len(view.matches) >= 4000:
                break
        assert len(view.matches) == 4000
        assert view._searched_lines == len(view._lines)  # each line once, not once per chunk
        # A line's highlights come from its own matches, not from a walk over all of them.
        assert sum(len(numbers) for numbers in view._matches_by_line.values()) == 4000
    store.close()


# -- 200,000 rubriques -------------------------------------------------------------------------

RUBRIQUES = 200_000


@pytest.fixture(scope="module")
def many_rubriques(tmp_path_factory) -> Path:
    """A store of 200,000 articles, each in a rubrique of its own."""
    path = tmp_path_factory.mktemp("rubriques") / "store.sqlite3"
    store = Store(path)
    store.ensure_source("many", "Beaucoup")
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for first in range(0, RUBRIQUES, 20_000):
        store.upsert_articles(
            "many",
            [
                Article(
                    guid=f"g{n}", title=f"T{n}", rubrique=f"Rubrique {n}", date=start + timedelta(minutes=n)
                )
                for n in range(first, first + 20_000)
            ],
        )
    store.close()
    return path


async def test_200000_rubriques_are_searched_never_built_whole(many_rubriques, tmp_path):
    from textual.command import CommandList, CommandPalette

    from tests.conftest import counts_shown
    from tui.config import SourceSpec
    from tui.ui.app import BladiApp
    from tui.ui.widgets.sidebar import Sidebar

    store = Store(many_rubriques)
    specs = [SourceSpec(name="Beaucoup", url="many")]
    app = BladiApp(store, specs, offline=True, clock=lambda: FIXED_NOW, refresh_on_start=False, language="fr")
    async with app.run_test(size=(120, 40)) as pilot:
        await counts_shown(pilot)  # the sidebar's counts come after the first frame
        reader = app.reader
        # The sidebar: the most used rubriques and a line saying how many more.
        sidebar = app.screen.query_one(Sidebar)
        leaves = [node for node in sidebar._walk(sidebar.root) if node.data is not None]
        rubriques = [node for node in leaves if node.data.kind == "rubrique"]
        assert len(rubriques) == RUBRIQUES_SHOWN
        assert any("199500 autres" in str(node.label) for node in sidebar._walk(sidebar.root))
        # The palette's topics: a few hundred, whatever the store holds.
        assert len(reader.palette_topics()) <= 3 + 1 + 2 * PALETTE_TOPICS
        found = reader.palette_topics(matching="Rubrique 123456")
        assert Topic.of("rubrique", "Rubrique 123456") in found and len(found) <= 3 + 1 + 2 * PALETTE_TOPICS
        # Typed in the palette: the commands it scores are the store's answer, not 200,000.
        commands = list(app.palette_commands(app.screen, "Aller à : Rubrique 123456"))
        assert len(commands) <= 3 + 1 + 2 * PALETTE_TOPICS + 2
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Rubrique 123456")
        for _ in range(100):
            await pilot.pause(0.1)
            options = app.screen.query_one(CommandList)
            shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
            if any("Rubrique 123456" in text for text in shown):
                break
        assert any("Aller à : Rubrique 123456" in text for text in shown), shown[:5]
        await pilot.press("enter")
        await pilot.pause()
        assert reader.topic == Topic.of("rubrique", "Rubrique 123456")
    store.close()
    assert app.errors == []


# -- regexes over content ----------------------------------------------------------------------


def tui_patterns() -> list[tuple[str, re.Pattern]]:
    """Every regex made at module level in tui/ (the ones that meet content), compiled."""
    import importlib
    import pkgutil

    import tui
    from tui.lazy_pattern import LazyPattern

    found = []
    for module_info in pkgutil.walk_packages(tui.__path__, "tui."):
        if ".ui" in module_info.name or module_info.name.endswith("__main__"):
            continue  # the UI's patterns see the UI's own strings
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if isinstance(value, LazyPattern):  # compiled when first used, the same regex
                value = value.compiled
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found.append((f"{module_info.name}.{name}", value))
    return found


def test_no_regex_over_content_nests_quantifiers_on_whitespace():
    # A group that repeats and holds a repeated whitespace class is what backtracks
    # quadratically (or worse) on a long run of spaces: none in the core.
    nested = re.compile(r"\((?:\?:)?[^()]*(?:\\s|\[[^\]]*\\s[^\]]*\]| )[*+][^()]*\)[*+{]")
    offenders = [name for name, pattern in tui_patterns() if nested.search(pattern.pattern)]
    assert offenders == []


def test_the_regexes_a_scan_found_quadratic_are_linear_or_never_see_long_runs():
    """A scan of every pattern in tui/ over runs of 5,000 spaces found four that backtrack: the
    config's error-position pattern (fixed: no leading \\s*), the date line's segments (only
    ever given clean_line's output, whose whitespace is one space), the SPIP lead (searched in
    a 200-character window) and a warning's shape (the app's own sentences). Bounds as in
    test_linear_content: ten times what linear code needs on a loaded machine."""
    from tui.config.files import _AT_END, _AT_LINE
    from tui.sanitize import clean_line

    for pattern in (_AT_LINE, _AT_END):
        started = time.perf_counter()
        assert pattern.search(" " * 200_000 + "x") is None
        assert time.perf_counter() - started < 2.0
    assert clean_line("a" + " \t\n" * 100_000 + "- b") == "a - b"
