"""One list of bindings and their owners (tui.ui.bindings): what the README documents, the keymap
check accepts, the help screen shows and Textual applies are the same ids."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from tests.conftest import FIXED_NOW, FIXTURES, ROOT, loaded_store
from tui.config import Config, load_config, template
from tui.ui.bindings import BINDING_OWNERS
from tui.ui.keymap import check_keymap

README_ID = re.compile(r"^\| .* \| .*\(`([a-z_]+\.[a-z_]+)`\) \|$", re.MULTILINE)


def documented_ids() -> list[str]:
    return README_ID.findall((ROOT / "README.md").read_text(encoding="utf-8"))


def owned_ids() -> list[str]:
    return [b.id for owner in BINDING_OWNERS for b in owner.bindings if b.id]


def test_the_readme_documents_every_binding_id_and_only_those():
    documented = documented_ids()
    assert "find.next" in documented and "app.refresh" in documented
    assert sorted(documented) == sorted(owned_ids())
    assert len(set(documented)) == len(documented)


def every_id_remapped() -> dict[str, str]:
    """Each documented id given a key of its own that no binding has."""
    keys = [f"f{n}" for n in range(1, 25)] + [f"ctrl+f{n}" for n in range(1, 25)]
    ids = documented_ids()
    assert len(keys) >= len(ids)
    return dict(zip(ids, keys, strict=False))


def test_every_documented_id_is_accepted_by_the_keymap_check():
    assert check_keymap(every_id_remapped()) == []
    assert check_keymap({"find.next": "ctrl+n"}) == []
    assert check_keymap({"find.nxet": "ctrl+n"}) == [
        "[keys] 'find.nxet' is not a binding id (see the help screen, '?')."
    ]


@pytest.fixture
def stored(tmp_path):
    store, specs = loaded_store(tmp_path, FIXTURES / "articles")
    yield store, specs
    store.close()


async def test_every_documented_id_remapped_in_the_real_app_shows_in_help(stored):
    from tui.ui.app import BladiApp
    from tui.ui.screens.help import HelpScreen

    store, specs = stored
    keymap = every_id_remapped()
    config = replace(Config(sources=tuple(specs)), keys=keymap)
    app = BladiApp(
        store, specs, config, offline=True, clock=lambda: FIXED_NOW, refresh_on_start=False, language="fr"
    )
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        assert [n.message for n in app._notifications if n.severity == "warning"] == []
        app.action_help()  # `?` is remapped too
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = set(app.screen._rows)  # (keys, description, where)
        for owner in BINDING_OWNERS:
            where = app.t(f"help.{owner.name}")
            for binding in owner.bindings:
                if binding.id:
                    assert (keymap[binding.id], binding.description, where) in shown, binding.id


async def test_the_find_bar_takes_a_key_of_the_users(stored):
    from tui.ui.app import BladiApp
    from tui.ui.widgets.article_view import ArticleView

    store, specs = stored
    config = replace(Config(sources=tuple(specs)), keys={"find.next": "ctrl+n"})
    app = BladiApp(
        store, specs, config, offline=True, clock=lambda: FIXED_NOW, refresh_on_start=False, language="fr"
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "ctrl+f", *"le")
        view = app.screen.query_one(ArticleView)
        assert len(view.matches) > 2 and view.current_match == 0
        await pilot.press("ctrl+n")
        assert view.current_match == 1
        await pilot.press("down")  # replaced by ctrl+n
        assert view.current_match == 1
        assert [n.message for n in app._notifications if n.severity == "warning"] == []


def test_the_templates_key_examples_are_binding_ids(tmp_path):
    """`config init`'s [keys] examples, uncommented, are ids the keymap check accepts."""
    text = template()
    keys_part = text[text.index("\n[keys]") :]
    example = re.compile(r'^# ("[a-z_]+\.[a-z_]+" = .*)$')
    lines = [m.group(1) if (m := example.match(line)) else line for line in keys_part.splitlines()]
    assert any(line.startswith('"') for line in lines), "the template shows no example"
    file = tmp_path / "config.toml"
    file.write_text(text[: text.index("\n[keys]")] + "\n".join(lines) + "\n", encoding="utf-8")
    config = load_config(file, explicit=True)
    assert config.warnings == () and config.keys
    assert check_keymap(config.keys) == []
