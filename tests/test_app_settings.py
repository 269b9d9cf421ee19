"""Keymap, themes, the command palette, languages and find-in-article, in the real app."""

from __future__ import annotations

import tomllib
from dataclasses import replace

import pytest

from tests.conftest import FIXED_NOW, FIXTURES, counts_shown, loaded_store
from tui.config import Config
from tui.ui.app import BladiApp
from tui.ui.widgets.article_list import ArticleList
from tui.ui.widgets.article_view import ArticleView


@pytest.fixture
def make_app(tmp_path):
    """A factory of apps over the fixture articles, with a config changed as asked."""
    store, specs = loaded_store(tmp_path, FIXTURES / "articles")

    def make(language="fr", **config_changes):
        config = replace(Config(sources=tuple(specs)), **config_changes)
        return BladiApp(
            store,
            specs,
            config,
            offline=True,
            clock=lambda: FIXED_NOW,
            refresh_on_start=False,
            language=language,
            state_file=tmp_path / "state.toml",
        )

    yield make
    store.close()


def highlighted(app) -> int:
    return app.screen.query_one(ArticleList).cursor


async def test_keymap_remaps_a_binding_by_id(make_app, tmp_path):
    app = make_app(keys={"list.down": "x", "app.quit": "ctrl+q"})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("x")
        assert highlighted(app) == 1
        await pilot.press("j")  # j no longer moves: it was replaced
        assert highlighted(app) == 1
        await pilot.press("q")  # q no longer quits
        assert app.is_running
        # The help screen shows the keys in force.
        await pilot.press("question_mark")
        rows = {row[2] + ":" + row[1]: row[0] for row in app.screen._rows}
        assert rows["liste:Bas"] == "x"
        await pilot.press("escape")
        await pilot.press("ctrl+q")
    assert app.return_code == 0


async def test_unknown_and_conflicting_keys_are_reported_by_name(make_app, tmp_path):
    app = make_app(keys={"list.dwon": "x", "reader.next": "r"})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("'list.dwon' n'est pas un identifiant de touche" in m for m in messages), messages
        assert any("'r' est donnée à la fois à app.refresh et reader.next" in m for m in messages), messages
    english = make_app(language="en", keys={"list.dwon": "x"})
    async with english.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert any("'list.dwon' is not a binding id" in n.message for n in english._notifications)


async def test_config_warnings_are_shown_in_the_ui_language(make_app, tmp_path):
    app = make_app(warnings=("config.toml: fetch.speed: unknown key, ignored.",))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert "config.toml : fetch.speed : clé inconnue, ignorée." in messages, messages


async def test_theme_from_config_and_palette_choice_kept_in_state(make_app, tmp_path):
    app = make_app(theme="bladi-contrast")
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.theme == "bladi-contrast"
        app.theme = "bladi-light"  # what the palette's "Change theme" does
        await pilot.pause()
    state = tomllib.loads((tmp_path / "state.toml").read_text())
    assert state["theme"] == "bladi-light"


async def test_the_stylesheet_starts_with_the_chosen_themes_colours(make_app):
    """The stylesheet's variables are computed once, for the theme chosen (not first for
    Textual's default, before the app's themes are registered); a light theme's screen is light."""
    from textual.color import Color

    from tui.ui.themes import BLADI, BLADI_LIGHT

    for name, theme in (("bladi", BLADI), ("bladi-light", BLADI_LIGHT)):
        app = make_app(theme=name)
        assert Color.parse(app.theme_variables["panel"]) == Color.parse(theme.panel)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            background = app.screen.styles.background
            assert background == Color.parse(theme.background), name


async def test_unknown_theme_falls_back_with_a_warning(make_app, tmp_path):
    app = make_app(theme="rainbow")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.theme == "bladi"
        assert any("Thème « rainbow » inconnu" in n.message for n in app._notifications)


async def test_palette_lists_the_commands_and_runs_them(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        titles = {command.title: command for command in app.get_system_commands(app.screen)}
        # Commands naming content (topics, sources) come from the app's own provider, as plain text.
        titles |= {command.title: command for command in app.palette_commands(app.screen)}
        for title in (
            "Actualiser les sources",
            "Chercher",
            "Tout marquer comme lu",
            "Copier le lien",
            "Ouvrir le lien dans le navigateur",
            "Afficher / masquer le panneau",
            "Ajouter une source",
            "Aller à : Économie",
            "Aller à : France",
        ):
            assert title in titles, title
        assert any(title.startswith("Désactiver la source") for title in titles)
        titles["Aller à : Économie"].callback()
        await pilot.pause()
        assert app.screen.topic.kind == "rubrique" and len(app.screen.query_one(ArticleList).rowids) == 2
        titles["Tout marquer comme lu"].callback()
        assert app.store.flush_marks(30)  # marks are written in the background (tui.store.marks)
        assert app.store.view_counts()["unread"][0] == 2
        titles["Afficher / masquer le panneau"].callback()
        await pilot.pause()
        assert not app.screen.sidebar.display
        # Ctrl+P opens Textual's palette with these commands in it.
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert type(app.screen).__name__ == "CommandPalette"


async def test_adding_and_disabling_sources_goes_to_state_toml_only(make_app, tmp_path):
    config_file = tmp_path / "config.toml"
    config_file.write_text("# the user's own file\n")
    before = config_file.read_bytes()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.add_source("https://example.org/feed.xml")
        for worker in [w for w in app.workers if w.group == "sources"]:
            await worker.wait()  # state.toml and the store are written off the UI thread
        assert any(spec.url == "https://example.org/feed.xml" for spec in app.sources)
        app.drop_source(app.sources[0], "disabled_sources")
        await pilot.pause()
        app.workers.cancel_all()
    state = tomllib.loads((tmp_path / "state.toml").read_text())
    assert state["added_sources"][0]["url"] == "https://example.org/feed.xml"
    assert state["disabled_sources"] == [str((FIXTURES / "articles").resolve())]
    assert config_file.read_bytes() == before


async def test_english_ui_keeps_the_article_content_french(make_app):
    app = make_app(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await counts_shown(pilot)  # the sidebar's counts come after the first frame
        sidebar = app.screen.sidebar.topics
        assert str(sidebar.root.children[0].label).startswith("All")
        await pilot.press("j", "enter")
        document = app.screen.query_one(ArticleView).document
        assert "Sujets associés" in document and "Aller plus loin" in document
        assert "16 décembre 2023" in document
        footer_keys = {b.description for _, b in app.screen._bindings if b.id == "reader.links"}
        assert footer_keys == {"Links"}


def test_language_follows_config_then_locale_then_french():
    from tui.ui.strings import resolve_language

    assert resolve_language("en", {"LANG": "fr_FR.UTF-8"}) == "en"
    assert resolve_language("", {"LANG": "fr_MA.UTF-8"}) == "fr"
    assert resolve_language("", {"LANG": "en_GB.UTF-8"}) == "en"
    assert resolve_language("", {"LC_ALL": "C"}) == "fr"
    assert resolve_language("", {}) == "fr"


async def test_find_in_the_article_ignores_accents_and_steps(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "enter", "ctrl+f")
        for key in "securite":
            await pilot.press(key)
        view = app.screen.query_one(ArticleView)
        # "sécuritaire" in the title and the "Sécurité" of a related section, whatever the accents.
        assert len(view.matches) >= 2
        first = view.current_match
        await pilot.press("enter")
        assert view.current_match == (first + 1) % len(view.matches)
        await pilot.press("up")
        assert view.current_match == first
        await pilot.press("escape")
        assert app.focused is view


async def test_textual_commands_are_french_in_the_french_ui(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Thème", "Touches", "Capture d'écran", "Quitter"} <= set(titles), titles
        assert not {"Theme", "Keys", "Screenshot", "Quit"} & set(titles)
        from textual.command import CommandInput

        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.query_one(CommandInput).placeholder.startswith("Chercher une commande")


async def test_removing_a_source_from_the_palette_asks_first(make_app, tmp_path):
    from tui.ui.screens.confirm import ConfirmScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        remove = next(c for c in app.palette_commands(app.screen) if c.title.startswith("Retirer la source"))
        remove.callback()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # no: nothing happens
        assert len(app.sources) == 1
        remove.callback()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.sources == []
    state = tomllib.loads((tmp_path / "state.toml").read_text())
    assert state["removed_sources"] == [str((FIXTURES / "articles").resolve())]


async def test_mark_all_read_says_so_and_u_takes_it_back(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.store.view_counts()["unread"][0] == 4
        await pilot.press("A")
        assert app.store.flush_marks(30)  # written in the background (tui.store.marks)
        assert app.store.view_counts()["unread"][0] == 0
        assert any("4 article(s) marqué(s) lu(s) — u pour annuler" in n.message for n in app._notifications)
        await pilot.press("u")
        assert app.store.flush_marks(30)
        assert app.store.view_counts()["unread"][0] == 4
        await pilot.press("u")
        assert any(n.message == "Rien à annuler" for n in app._notifications)
