"""The reader driven with the keyboard, as a user would, under Pilot."""

from __future__ import annotations

import pytest

from tests.conftest import counts_shown
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.links import LinksScreen
from tui.ui.widgets.article_list import ArticleList
from tui.ui.widgets.article_view import ArticleView
from tui.ui.widgets.sidebar import Sidebar

NEWEST = "Diaspora : les billets d'avion pour l'été s'envolent"
SECOND = "Coopération sécuritaire : Rabat et Paris resserrent les rangs"


def titles(app) -> list[str]:
    article_list = app.screen.query_one(ArticleList)
    rows = app.store.rows(article_list.rowids)
    return [rows[r].title for r in article_list.rowids]


def highlighted_title(app) -> str:
    article_list = app.screen.query_one(ArticleList)
    return app.store.rows([article_list.highlighted])[article_list.highlighted].title


def open_title(app) -> str:
    return app.screen.open_article.article.title


async def test_starts_with_focus_on_the_newest_article(reader_app):
    async with reader_app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(reader_app.focused, ArticleList)
        assert titles(reader_app)[0] == NEWEST
        assert highlighted_title(reader_app) == NEWEST
        # Newest first, all four fixture articles.
        assert len(titles(reader_app)) == 4


async def test_moving_with_vim_keys_arrows_and_jumps(reader_app):
    async with reader_app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j")
        assert highlighted_title(reader_app) == SECOND
        await pilot.press("down", "down")
        assert highlighted_title(reader_app) == titles(reader_app)[3]
        await pilot.press("k")
        assert highlighted_title(reader_app) == titles(reader_app)[2]
        await pilot.press("g")
        assert highlighted_title(reader_app) == NEWEST
        await pilot.press("G")
        assert highlighted_title(reader_app) == titles(reader_app)[-1]
        await pilot.press("home")
        assert highlighted_title(reader_app) == NEWEST
        await pilot.press("end")
        assert highlighted_title(reader_app) == titles(reader_app)[-1]
        await pilot.press("pageup")
        assert highlighted_title(reader_app) == NEWEST
        await pilot.press("ctrl+d")
        assert highlighted_title(reader_app) == titles(reader_app)[-1]
        await pilot.press("ctrl+u")
        assert highlighted_title(reader_app) == NEWEST


async def test_highlighting_does_not_mark_read_but_opening_does(reader_app):
    async with reader_app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j")
        article_list = reader_app.screen.query_one(ArticleList)
        first = article_list.rowids[0]
        second = article_list.rowids[1]
        assert not reader_app.store.rows([first])[first].read
        await pilot.press("enter")
        assert reader_app.store.rows([second])[second].read
        assert not reader_app.store.rows([first])[first].read


async def test_enter_opens_the_article_and_escape_goes_back(reader_app):
    async with reader_app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "enter")
        view = reader_app.screen.query_one(ArticleView)
        assert reader_app.focused is view
        assert open_title(reader_app) == SECOND
        document = view.document
        # Title, the date line as the site writes it (a no-break space before its colon, so
        # that it never wraps there), lead, body, then the site's sections.
        assert document.index("Rabat et Paris") < document.index(
            "16 décembre 2023 - 15h00 - Maroc - Ecrit par\u00a0: S.A"
        )
        assert "Deux jours de réunions à Rabat" in document
        assert "Phrase témoin unique" in document
        assert (
            document.index("À lire") < document.index("Sujets associés") < document.index("Aller plus loin")
        )
        assert document.index("Aller plus loin") < document.index("Ces articles devraient vous intéresser")
        await pilot.press("escape")
        assert isinstance(reader_app.focused, ArticleList)
        assert highlighted_title(reader_app) == SECOND


async def test_narrow_terminal_shows_the_article_in_the_list_place(reader_app):
    async with reader_app.run_test(size=(80, 24)) as pilot:
        screen = reader_app.screen
        assert screen.narrow
        assert screen.sidebar.display and screen.query_one("#list-pane").display
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one(ArticleView).region.width > 0
        assert screen.query_one("#list-pane").region.width == 0
        await pilot.press("pagedown", "j", "k")
        await pilot.press("escape")
        await pilot.pause()
        assert screen.query_one("#list-pane").region.width > 0
        assert screen.query_one(ArticleView).region.width == 0
        assert isinstance(reader_app.focused, ArticleList)


async def test_next_and_previous_from_the_article_view(reader_app):
    async with reader_app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        assert open_title(reader_app) == NEWEST
        await pilot.press("n")
        assert open_title(reader_app) == SECOND
        await pilot.press("n")
        assert open_title(reader_app) == titles(reader_app)[2]
        await pilot.press("p")
        assert open_title(reader_app) == SECOND
        assert highlighted_title(reader_app) == SECOND


async def test_tab_moves_between_panes(reader_app):
    async with reader_app.run_test(size=(200, 50)) as pilot:
        # No article open: no article pane to visit.
        await pilot.press("tab")
        assert isinstance(reader_app.focused, Sidebar)
        await pilot.press("tab")
        assert isinstance(reader_app.focused, ArticleList)
        await pilot.press("enter")
        assert isinstance(reader_app.focused, ArticleView)
        await pilot.press("tab")
        assert isinstance(reader_app.focused, Sidebar)
        await pilot.press("shift+tab")
        assert isinstance(reader_app.focused, ArticleView)


async def test_sidebar_topic_filters_the_list(reader_app):
    async with reader_app.run_test(size=(120, 40)) as pilot:
        await counts_shown(pilot)  # the sidebar's counts come after the first frame
        sidebar = reader_app.screen.query_one(Sidebar)
        labels = [str(node.label) for node in sidebar.root.children[4].children]
        # "Économie" and "economie" are one rubrique.
        assert any(label.startswith("Économie 2") for label in labels), labels
        from tui.model import Topic

        assert sidebar.select_topic(Topic.of("rubrique", "ECONOMIE"))
        await pilot.pause()
        assert sorted(titles(reader_app)) == sorted([NEWEST, "Tourisme : une saison record à Marrakech"])
        # Keyboard: back to the sidebar, up to "Tous", Enter.
        await pilot.press("shift+tab")
        assert isinstance(reader_app.focused, Sidebar)
        await pilot.press("g", "enter")
        await pilot.pause()
        assert len(titles(reader_app)) == 4
        assert isinstance(reader_app.focused, ArticleList)


async def test_tags_are_lazy_and_filter(reader_app):
    async with reader_app.run_test(size=(120, 40)) as pilot:
        await counts_shown(pilot)  # the sidebar's counts come after the first frame
        sidebar = reader_app.screen.query_one(Sidebar)
        tags_node = sidebar.root.children[-1]
        assert not tags_node.children  # not loaded before it is opened
        tags_node.expand()
        await pilot.pause()
        labels = [str(node.label) for node in tags_node.children]
        assert any(label.startswith("France 3") for label in labels), labels


async def test_links_list_follows_an_a_lire_link_and_a_tag(reader_app):
    async with reader_app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "enter", "l")
        assert isinstance(reader_app.screen, LinksScreen)
        # The first link is the inline "À lire" one: Enter opens that local article.
        await pilot.press("enter")
        await pilot.pause()
        assert open_title(reader_app) == "JO de Paris : l'expertise marocaine sollicitée"
        assert isinstance(reader_app.focused, ArticleView)
        # Its links: the "À lire" back, then the tags. Follow the tag "JO 2024".
        await pilot.press("l")
        links = reader_app.screen._links
        index = next(i for i, link in enumerate(links) if link.text == "JO 2024")
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        reader = reader_app.screen
        assert reader.topic.kind == "tag" and reader.topic.label == "JO 2024"
        assert titles(reader_app) == ["JO de Paris : l'expertise marocaine sollicitée"]
        assert isinstance(reader_app.focused, ArticleList)


async def test_links_are_not_opened_in_a_browser(reader_app, monkeypatch):
    import webbrowser

    opened = []
    monkeypatch.setattr(webbrowser, "open", lambda *a, **k: opened.append(a))
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 1 10.0.0.2 22")
    async with reader_app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "enter", "o")
        await pilot.pause()
        assert opened == []
        assert reader_app.clipboard == "https://www.bladi.net/cooperation-securitaire-rabat-paris,100501.html"


async def test_help_lists_every_key_and_closes(reader_app):
    async with reader_app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(reader_app.screen, HelpScreen)
        keys = " ".join(row[0] for row in reader_app.screen._rows)
        for key in (
            "q",
            "question_mark",
            "enter",
            "escape",
            "n",
            "p",
            "l",
            "j",
            "k",
            "g",
            "G",
            "ctrl+d",
            "tab",
        ):
            assert key in keys.split(",") or key in keys, key
        await pilot.press("escape")
        assert not isinstance(reader_app.screen, HelpScreen)


async def test_q_and_ctrl_c_quit_with_status_zero(reader_app):
    async with reader_app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")
    assert reader_app.return_code == 0


async def test_ctrl_c_quits(reader_app):
    async with reader_app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+c")
    assert reader_app.return_code == 0


async def test_bindings_carry_ids(reader_app):
    from tui.ui.app import BladiApp
    from tui.ui.screens.reader import ReaderScreen

    for cls in (BladiApp, ReaderScreen, ArticleList, ArticleView, Sidebar):
        for binding in cls.BINDINGS:
            assert binding.id, (cls.__name__, binding.key)


async def test_an_unexpected_error_is_one_sentence_and_the_app_stays_up(reader_app, tmp_path, monkeypatch):
    from tui.logs import setup_logging
    from tui.ui.screens.reader import ReaderScreen

    log = setup_logging(tmp_path, verbose=False)

    def broken(self, rowid):
        raise RuntimeError("the store went away")

    monkeypatch.setattr(ReaderScreen, "open_rowid", broken)
    async with reader_app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert reader_app.errors == ["RuntimeError: the store went away"]
        # Still running and answering keys.
        await pilot.press("j")
        assert highlighted_title(reader_app) == SECOND
        reader_app.errors.clear()
    assert "Traceback" in log.read_text() and "the store went away" in log.read_text()


@pytest.fixture
def samples_store(tmp_path):
    from tests.conftest import loaded_store
    from tui.paths import bundled_path

    store, specs = loaded_store(tmp_path, bundled_path("sample_articles"))
    yield store, specs
    store.close()


async def test_a_long_article_shows_at_once_and_is_laid_out_to_its_end(samples_store):
    from tests.conftest import FIXED_NOW
    from tui.ui.app import BladiApp

    store, specs = samples_store
    app = BladiApp(store, specs, offline=True, clock=lambda: FIXED_NOW, refresh_on_start=False, language="fr")
    async with app.run_test(size=(100, 30)) as pilot:
        dossier = store.find(
            "https://www.bladi.net/dossier-marocains-de-france-trois-generations,100050.html"
        )
        app.screen.show_article(dossier)
        view = app.screen.query_one(ArticleView)
        assert len(view._chunks) > 5 and view._lines  # a first screenful now, the rest to come
        assert not any("Ces articles devraient" in line.text for line in view._lines)
        for _ in range(40):
            await pilot.pause()
        await pilot.press("G")
        await pilot.pause()
        # The end of the article, and its related sections, are there once laid out.
        assert any("Ces articles devraient vous intéresser" in line.text for line in view._lines)
    assert app.errors == []


async def test_only_the_most_used_tags_are_listed_and_the_rest_counted(reader_app, monkeypatch):
    import tui.ui.screens.reader as reader_module

    monkeypatch.setattr(reader_module, "TAGS_SHOWN", 2)
    async with reader_app.run_test(size=(120, 40)) as pilot:
        await counts_shown(pilot)  # the sidebar's counts come after the first frame
        sidebar = reader_app.screen.query_one(Sidebar)
        tags_node = sidebar.root.children[-1]
        tags_node.expand()
        await pilot.pause()
        labels = [str(node.label) for node in tags_node.children]
        assert labels[0].startswith("France 3") and len(labels) == 3
        assert labels[-1].startswith("… et 6 autres")


async def test_escape_walks_the_link_history_back_to_the_list(reader_app):
    async with reader_app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "enter")
        first = open_title(reader_app)
        # Follow "À lire" to another article, then a tag of that one.
        await pilot.press("l", "enter")
        await pilot.pause()
        second = open_title(reader_app)
        assert second != first
        await pilot.press("l")
        links = reader_app.screen._links
        assert len({link.url for link in links}) == len(links)  # each target once
        index = next(i for i, link in enumerate(links) if link.text == "JO 2024")
        await pilot.press(*["down"] * index, "enter")
        await pilot.pause()
        reader = reader_app.screen
        assert reader.topic.kind == "tag" and not reader.reading
        # Escape: back to the article the tag was taken from, in the list it was read in.
        await pilot.press("escape")
        await pilot.pause()
        assert reader.reading and open_title(reader_app) == second and reader.topic.kind == "all"
        # Alt+Left (or Backspace): back to the first article.
        await pilot.press("alt+left")
        await pilot.pause()
        assert open_title(reader_app) == first
        # History walked back: Escape goes to the list, as always.
        await pilot.press("escape")
        assert isinstance(reader_app.focused, ArticleList)


async def test_find_in_the_article_counts_its_matches(reader_app):
    from tui.ui.widgets.find_bar import FindBar

    async with reader_app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+f")  # in the list: no article to find in, and it says so
        assert any("Ouvrez un article" in n.message for n in reader_app._notifications)
        assert not reader_app.screen.query(FindBar)  # mounted when first asked for, with an article
        await pilot.press("enter", "ctrl+f", *"le")
        await pilot.pause()
        bar = reader_app.screen.query_one(FindBar)
        total = len(reader_app.screen.query_one(ArticleView).matches)
        assert total > 2
        assert str(bar.border_title) == f"Trouvé : 1/{total}"
        await pilot.press("enter")
        assert str(bar.border_title) == f"Trouvé : 2/{total}"
        await pilot.press(*"zzqx")
        await pilot.pause()
        assert str(bar.border_title) == "Aucun résultat"
        await pilot.press("escape")  # the bar closes, the article keeps the keys
        await pilot.pause()
        assert bar.has_class("hidden") and str(bar.border_title) == ""
        assert reader_app.focused is reader_app.screen.query_one(ArticleView)


async def test_n_from_the_list_opens_the_highlighted_article_first(reader_app):
    async with reader_app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j")  # highlighted, nothing open
        await pilot.press("n")
        assert open_title(reader_app) == SECOND  # the highlighted one, not the one after it
        await pilot.press("n")
        assert open_title(reader_app) == titles(reader_app)[2]
        # Back in the list, the highlight moved elsewhere: n steps from the open article.
        await pilot.press("escape", "g", "n")
        assert open_title(reader_app) == titles(reader_app)[3]


async def test_keys_that_cannot_act_say_why(reader_app):
    def said(text: str) -> bool:
        return any(text in n.message for n in reader_app._notifications)

    async with reader_app.run_test(size=(120, 40)) as pilot:
        await pilot.press("l")  # no article open
        assert said("Ouvrez un article pour voir ses liens")
        await pilot.press("G", "enter", "n")
        assert said("Pas d'article suivant")
        await pilot.press("escape", "g", "enter", "p")
        assert said("Pas d'article précédent")
        await pilot.press("A", "N")
        assert said("Plus d'article non lu")


async def test_refresh_and_adding_a_source_offline_say_why(tmp_path, monkeypatch):
    from tests.conftest import FIXED_NOW
    from tui.config import SourceSpec
    from tui.store import Store
    from tui.ui.app import BladiApp

    store = Store(tmp_path / "s.sqlite3")
    spec = SourceSpec.from_url("https://example.org/feed.xml")
    app = BladiApp(store, [spec], offline=True, clock=lambda: FIXED_NOW, refresh_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("r")
        assert any(n.message == "Hors ligne : rien à actualiser" for n in app._notifications)
        app.add_source("https://example.org/other.xml")
        await pilot.pause()
        assert any("hors ligne, elle sera lue" in n.message for n in app._notifications)
        # No display and no SSH: the link is copied, and the notice says why.
        for name in ("DISPLAY", "WAYLAND_DISPLAY", "SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"):
            monkeypatch.delenv(name, raising=False)
        app.open_in_browser("https://example.org/a")
        await pilot.pause()
        assert any(n.message.startswith("Pas d'affichage graphique") for n in app._notifications), [
            n.message for n in app._notifications
        ]
        monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")
        app.open_in_browser("https://example.org/a")
        await pilot.pause()
        assert any(n.message.startswith("Session distante") for n in app._notifications)
    store.close()
