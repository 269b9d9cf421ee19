"""Names that are Textual markup, through every place the app hands a string to Textual.

A rubrique, a tag, a title, an author or a source name (a feed's, an OPML outline's, one saved
in state.toml) may read as markup: ``[/]`` ends a markup parser, ``[link=…]`` writes an OSC 8
hyperlink, ``[@click=app.quit]`` is an action run on a click. Under the real app each must be
shown as written: no crash, no link, no click action, the text on screen as typed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from textual.command import CommandPalette

from tests.conftest import FIXED_NOW, loaded_store, local_spec
from tests.hostile.test_terminal import Terminal, config_file, screen_text, toml_string
from tests.hostile.test_terminal import assert_inert as assert_bytes_inert
from tui.config import Config, load_state, merge_state
from tui.model import Topic
from tui.opml import import_opml
from tui.store import Store
from tui.ui.app import BladiApp
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.links import LinksScreen

#: Markup a feed, a page or an OPML file can carry, each short enough for one screen line.
NAMES = (
    "Maroc [/]",
    "[link=http://evil.example/osc8]LINKED[/link]",
    '[link="http://evil.example"]QUOTED[/link]',
    "[@click=app.quit]CLICK[/]",
    "[reverse blink]BLINK",
    "unbalanced [b",
    "[bold]B[/bold] [/i]",
)


OWN_ACTION = re.compile(r"app\.simulate_key\('[^']*'\)|follow_link\(\d+\)")


def article(name: str, number: int) -> str:
    quoted = json.dumps(name)  # a TOML basic string is a JSON string for these characters
    return (
        "+++\n"
        f"title = {quoted}\n"
        f"date = 2024-05-{number + 1:02d}T10:00:00+00:00\n"
        f"rubrique = {quoted}\n"
        f"tags = [{quoted}]\n"
        f"author = {quoted}\n"
        f'url = "https://site.example/{number}.html"\n'
        f"lead = {quoted}\n"
        "[[related]]\n"
        f"title = {quoted}\n"
        f'url = "https://site.example/related-{number}.html"\n'
        "+++\n"
        f"Le corps : {name}\n\n"
        f"Un lien : [{name.replace('[', '(').replace(']', ')')}](https://site.example/l{number}.html)\n"
    )


@pytest.fixture
def hostile_names(tmp_path):
    """One local source per name, named by it, holding one article that is that name everywhere."""
    folders = []
    for number, name in enumerate(NAMES):
        folder = tmp_path / f"source-{number}"
        folder.mkdir()
        (folder / "a.md").write_text(article(name, number))
        folders.append(folder)
    store, _ = loaded_store(tmp_path, *folders)
    specs = [local_spec(folder, name) for folder, name in zip(folders, NAMES, strict=True)]
    yield store, specs
    store.close()


def screen_contents(app) -> tuple[str, list]:
    """What the top screen shows, as text, and every style drawn with it."""
    strips = app.screen._compositor.render_strips()
    text = "\n".join("".join(segment.text for segment in strip) for strip in strips)
    styles = [segment.style for strip in strips for segment in strip if segment.style is not None]
    return text, styles


def assert_inert(app) -> str:
    """No hyperlink and no click action but the app's own on screen; returns the screen's text."""
    text, styles = screen_contents(app)
    for style in styles:
        assert not style.link, style.link
        click = style.meta.get("@click")
        # The only actions on screen: a key hint presses its key, an article's link is followed
        # (inside the reader, and only an http(s) one: tests/hostile/test_links.py).
        assert click is None or OWN_ACTION.fullmatch(click), click
    return text


def shown(text: str, name: str) -> bool:
    return name in text


async def test_markup_names_are_shown_as_written_everywhere(hostile_names):
    store, specs = hostile_names
    app = BladiApp(store, specs, Config(sources=tuple(specs)), offline=True, clock=lambda: FIXED_NOW)
    async with app.run_test(size=(220, 60)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.reader.sidebar.topics.root.children[-1].expand()  # the tags too
        await pilot.pause()
        # The sidebar (sources, rubriques, tags) and the list (titles).
        text = assert_inert(app)
        for name in NAMES:
            # The sidebar cuts long names: their start shows as a source, a rubrique and a tag;
            # the list shows the title whole.
            assert text.count(name[:14]) >= 4 and name in text, (name, text)

        # Each article opened, its links dialog, and the help.
        for rowid in store.topic_rowids(Topic("all")):
            app.reader.open_rowid(rowid)
            await pilot.pause()
            text = assert_inert(app)
            opened = app.reader.open_article.article
            # The title, the author, the rubrique, the tags, the lead, the body: all that name.
            assert text.count(opened.title) >= 4, (opened.title, text)
            await pilot.press("l")
            assert isinstance(app.screen, LinksScreen)
            text = assert_inert(app)
            assert shown(text, opened.title), text  # the related article's title
            await pilot.press("escape")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert_inert(app)
        await pilot.press("escape")

        # Notices quoting content: a URL that is no web address, a failed source.
        for name in NAMES:
            app.add_source(name)
        app.notify(app.t("notice.failed_source", name=NAMES[0], error=NAMES[3]), markup=False)
        await pilot.pause()
        text = assert_inert(app)
        assert shown(text, NAMES[3])

        # The palette: every name offered before anything is typed, and found when typed.
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        palette = app.screen
        offered = [str(option.prompt) for option in palette.query_one("CommandList").options]
        for name in NAMES:
            assert any(name in prompt for prompt in offered), (name, offered)
        for query in ("click", "LINKED", "BLINK", "[/]", "["):
            palette.query_one("CommandInput").value = query
            await pilot.pause(0.3)
            await app.workers.wait_for_complete()
            await pilot.pause()
            text = assert_inert(app)
        palette.query_one("CommandInput").value = "click"
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = assert_inert(app)
        assert "Aller à : [@click=app.quit]CLICK[/]" in text, text
        # Choosing the command named like an action goes to that rubrique: it quits nothing.
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
        assert app.reader.topic.label == "[@click=app.quit]CLICK[/]", app.reader.topic
    assert app.errors == []


async def test_an_opml_outline_named_like_markup_never_breaks_the_palette(tmp_path):
    """An outline titled ``Broken [/]`` saved in state.toml: every later Ctrl+P still works."""
    opml = tmp_path / "subscriptions.opml"
    outlines = "".join(
        f'<outline type="rss" text="{name.replace(chr(34), "&quot;")}" '
        f'xmlUrl="https://feeds{number}.example/rss"/>'
        for number, name in enumerate(("Broken [/]", *NAMES))
    )
    opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>')
    state = tmp_path / "state.toml"
    import_opml(opml, state, Config(sources=()))
    assert [spec["name"] for spec in load_state(state)["added_sources"]][0] == "Broken [/]"

    for _start in range(2):  # one start after another: the name stays in state.toml
        config = merge_state(Config(sources=()), state)
        store = Store(tmp_path / f"run{_start}.sqlite3")
        app = BladiApp(store, config.sources, config, offline=True, clock=lambda: FIXED_NOW, state_file=state)
        async with app.run_test(size=(160, 50)) as pilot:
            await app.workers.wait_for_complete()
            for _ in range(3):
                await pilot.press("ctrl+p")
                await pilot.pause(0.3)
                await app.workers.wait_for_complete()
                assert isinstance(app.screen, CommandPalette)
                text = assert_inert(app)
                # Offered before anything is typed (further down than the screen shows, below
                # the app's own commands), and shown as written once searched for.
                offered = [str(option.prompt) for option in app.screen.query_one("CommandList").options]
                assert any("Broken [/]" in prompt for prompt in offered), offered
                app.screen.query_one("CommandInput").value = "broken"
                await pilot.pause(0.3)
                await app.workers.wait_for_complete()
                text = assert_inert(app)
                assert "Désactiver la source : Broken [/]" in text, text
                await pilot.press("escape")
                await pilot.pause()
            assert app.is_running
        store.close()
        assert app.errors == []


@pytest.mark.skipif(sys.platform != "linux", reason="needs a Linux pseudo-terminal and /proc")
def test_markup_names_in_a_real_terminal_write_no_hyperlink(tmp_path):
    """The same names, and ``Broken [/]`` imported from OPML into state.toml, in a pty: the palette
    opened and searched several times, and not one OSC 8 byte, nor any other escape of content."""
    sources = ""
    for number, name in enumerate(NAMES):
        folder = tmp_path / f"source-{number}"
        folder.mkdir()
        (folder / "a.md").write_text(article(name, number), encoding="utf-8")
        sources += f"\n[[sources]]\nname = {toml_string(name)}\npath = {toml_string(str(folder))}\n"
    config = config_file(tmp_path, sources)
    opml = tmp_path / "subscriptions.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline type="rss" text="Broken [/]" xmlUrl="https://broken.example/rss"/></body></opml>'
    )
    data = ["--config", str(config), "--data-dir", str(tmp_path / "data")]
    imported = subprocess.run(
        [sys.executable, "-m", "tui", *data, "opml", "import", str(opml)], capture_output=True, text=True
    )
    assert imported.returncode == 0, imported.stderr
    assert "Broken [/]" in (tmp_path / "state.toml").read_text()

    terminal = Terminal(["--offline", *data], {})
    try:
        assert terminal.wait_until(lambda: "Tous (7)" in screen_text(bytes(terminal.output)), 20)
        for query in (b"click", b"broken", b"linked", b"["):
            terminal.type([b"\x10"], pause=1.0)  # Ctrl+P
            terminal.type([bytes([c]) for c in query], pause=0.1)
            terminal.drain(1.5)
            terminal.type([b"\x1b"], pause=0.8)
        terminal.type([b"q"])
    finally:
        status = terminal.finish()
    output = bytes(terminal.output)
    assert status == 0, screen_text(output)[-3000:]
    assert b"Traceback" not in output
    assert b"\x1b]8;" not in output  # not even an empty OSC 8
    assert_bytes_inert(output)
    text = screen_text(output)
    for shown_literally in ("[@click=app.quit]CLICK[/]", "Broken [/]", "[reverse blink]BLINK"):
        assert shown_literally in text, shown_literally
