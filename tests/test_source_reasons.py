"""A failing source says why on screen, in the UI's language, long after its toast is gone:
in the list's place when it is selected (its cached articles still listed), in its sidebar row's
tooltip, and in the help screen with every source's status."""

from __future__ import annotations

import io

from rich.console import Console

from tests.conftest import FIXED_NOW
from tui.config import SourceSpec
from tui.refresh import refresh_sources
from tui.store import Store
from tui.ui.reasons import reason_text


def rss(title: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.org/</link>"
        "<item><title>Un article gardé</title><link>http://example.org/a</link>"
        "<description>Texte.</description></item></channel></rss>"
    )


def test_reasons_are_french_in_the_french_ui():
    assert reason_text("the server answered 403 Forbidden") == "le site refuse l'accès (HTTP 403)"
    assert reason_text("the site refuses automated readers (HTTP 403)") == (
        "le site refuse les lecteurs automatiques (HTTP 403)"
    )
    assert reason_text("name not resolved (nulle-part.example)") == (
        "nom de domaine introuvable (nulle-part.example)"
    )
    assert reason_text("connection refused by 127.0.0.1") == "connexion refusée par 127.0.0.1"
    assert reason_text("the server answered 403 Forbidden", "en") == "the server answered 403 Forbidden"
    # A sentence the table does not know is shown as it is, never lost.
    assert reason_text("something new") == "something new"


async def test_a_failing_sources_reason_stays_on_screen(loopback, tmp_path):
    from textual.widgets import Static

    from tui.ui.app import BladiApp
    from tui.ui.screens.help import HelpScreen
    from tui.ui.widgets.sidebar import Sidebar

    loopback.route("/feed.xml", rss("Le Quotidien"), content_type="application/rss+xml")
    spec = SourceSpec.from_url(loopback.url("/feed.xml"), name="Le Quotidien")
    store = Store(tmp_path / "s.sqlite3")
    await refresh_sources(store, [spec])  # one good refresh: an article in cache
    loopback.route("/feed.xml", "interdit", status=403)
    app = BladiApp(store, [spec], clock=lambda: FIXED_NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.clear_notifications()  # the toast is gone
        await pilot.pause()
        assert not app._notifications
        sidebar = app.screen.query_one(Sidebar)
        node = next(n for n in sidebar.root.children[3].children if n.data and n.data.key == spec.key)
        sidebar.select_node(node)
        await pilot.pause()
        status = str(app.screen.query_one("#source-status", Static).render())
        assert status.startswith("Le Quotidien : le site refuse l'accès (HTTP 403)")
        assert "dernière réussite" in status and "1 article(s) en cache" in status
        assert app.screen.query_one("#source-status").region.height >= 1  # on screen
        assert len(app.screen.query_one("#article-list").rowids) == 1  # the cached article, below
        # The row's tooltip says the same, under the pointer.
        await pilot.hover(Sidebar, offset=(2, node.line - sidebar.scroll_offset.y))
        assert str(sidebar.tooltip).startswith("Le Quotidien : le site refuse")
        # `?` lists every source's status.
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#help-sources", Static).content)
        text = console.export_text()
        assert "Le Quotidien" in text and "HTTP 403" in text
    store.close()


def test_warnings_about_the_users_files_in_french():
    from tui.ui.reasons import warning_text

    assert warning_text("state.toml: theme: expected a string, got an integer; ignored.") == (
        "state.toml : theme : attendu : une chaîne, trouvé : an integer ; ignoré."
    )
    assert warning_text("config.toml: sources[2]: same source as sources[0], ignored.") == (
        "config.toml : sources[2] : même source que sources[0], ignorée."
    )
    assert warning_text("anything else") == "anything else"
