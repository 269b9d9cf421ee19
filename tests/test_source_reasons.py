"""A failing source says why on screen, in the UI's language, long after its toast is gone:
in the list's place when it is selected (its cached articles still listed), in its sidebar row's
tooltip, and in the help screen with every source's status."""

from __future__ import annotations

import asyncio
import io

import pytest
from rich.console import Console

from tests.conftest import FIXED_NOW, counts_shown
from tui import reasons as r
from tui.config import SourceSpec
from tui.model import ALL
from tui.reasons import code_of, decode, encode, notice_sentence, page_unavailable
from tui.refresh import refresh_sources
from tui.store import Store
from tui.ui.reasons import notice_text, reason_text


def rss(title: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.org/</link>"
        "<item><title>Un article gardé</title><link>http://example.org/a</link>"
        "<description>Texte.</description></item></channel></rss>"
    )


# One stored reason per code (tui.reasons), as the core writes it, and its words in French and English.
WORDED = [
    (encode(r.REFUSED_BY_SITE, status=403), "le site refuse les lecteurs automatiques (HTTP 403)",
     "the site refuses automated readers (HTTP 403)"),
    (encode(r.UNAUTHORIZED, status=401), "le site demande une identification (HTTP 401)",
     "the site asks to log in (HTTP 401)"),
    (encode(r.FORBIDDEN, status=403), "le site refuse l'accès (HTTP 403)", "the site refuses access (HTTP 403)"),
    (encode(r.NOT_FOUND, status=404), "adresse introuvable sur le serveur (HTTP 404)",
     "address not found on the server (HTTP 404)"),
    (encode(r.GONE, status=410), "le flux n'existe plus (HTTP 410)", "the feed no longer exists (HTTP 410)"),
    (encode(r.TOO_MANY_REQUESTS, status=429), "le site demande de ralentir (HTTP 429)",
     "the site asks to slow down (HTTP 429)"),
    (encode(r.SERVER_ERROR, status=503), "le serveur est en difficulté (HTTP 503)",
     "the server is in trouble (HTTP 503)"),
    (encode(r.HTTP_STATUS, status=418), "le serveur a répondu HTTP 418", "the server answered HTTP 418"),
    (encode(r.NAME_NOT_RESOLVED, host="nulle-part.example"), "nom de domaine introuvable (nulle-part.example)",
     "name not resolved (nulle-part.example)"),
    (encode(r.CONNECTION_REFUSED, host="127.0.0.1"), "connexion refusée par 127.0.0.1",
     "connection refused by 127.0.0.1"),
    (encode(r.CONNECT_TIMEOUT, host="a.example", seconds=10), "pas de connexion à a.example en 10 s",
     "no connection to a.example within 10 s"),
    (encode(r.READ_TIMEOUT, seconds=2), "le serveur n'a rien envoyé pendant 2 s", "the server sent nothing for 2 s"),
    (encode(r.TIMEOUT, host="a.example"), "la requête vers a.example a pris trop de temps",
     "the request to a.example timed out"),
    (encode(r.DEADLINE, seconds=3), "pas de réponse complète en 3 s", "no complete answer within 3 s"),
    (encode(r.CONNECTION_CUT, host="a.example"), "la connexion à a.example a été coupée",
     "the connection to a.example was cut"),
    (encode(r.INCOMPLETE_ANSWER), "le serveur a fermé la connexion avant la fin de la réponse",
     "the server closed the connection before the answer was complete"),
    (encode(r.CERTIFICATE_INVALID, host="a.example", detail="expired"), "le certificat de a.example n'est pas valide (expired)",
     "the certificate of a.example is not valid (expired)"),
    (encode(r.TLS_FAILED, host="a.example"), "la connexion sécurisée à a.example a échoué",
     "the secure connection to a.example failed"),
    (encode(r.UNREACHABLE, host="a.example"), "a.example est injoignable (pas de réseau ?)",
     "a.example is unreachable (no network?)"),
    (encode(r.CONNECT_FAILED, host="a.example"), "connexion impossible à a.example", "could not connect to a.example"),
    (encode(r.PROXY_REFUSED), "le proxy a refusé la requête", "the proxy refused the request"),
    (encode(r.INVALID_HEADER), "la requête n'a pas pu partir (en-tête invalide)",
     "the request could not be sent (invalid header)"),
    (encode(r.REQUEST_FAILED, host="a.example", error="DecodingError"),
     "la requête vers a.example a échoué (DecodingError)", "the request to a.example failed (DecodingError)"),
    (encode(r.TOO_MANY_REDIRECTS, limit=5), "trop de redirections (plus de 5)", "too many redirects (more than 5)"),
    (encode(r.REDIRECT_REFUSED, location="file:///etc/passwd"), "redirection vers une adresse qui n'est pas web, refusée (file:///etc/passwd)",
     "redirect to an address that is not a web address refused (file:///etc/passwd)"),
    (encode(r.NOT_A_WEB_ADDRESS, url="ftp://a"), "pas une adresse web http(s) : ftp://a",
     "not an http(s) web address: ftp://a"),
    (encode(r.TOO_LARGE, size="8 MiB"), "la réponse dépasse 8 MiB", "the response exceeded 8 MiB"),
    (encode(r.CORRUPT_BODY, coding="gzip"), "le serveur a envoyé un contenu gzip corrompu",
     "the server sent a corrupt gzip body"),
    (encode(r.UNSUPPORTED_ENCODING, coding="br"), "encodage du contenu non pris en charge (br)",
     "the server sent an unsupported content encoding (br)"),
    (encode(r.NO_FEED_FOUND), "aucun flux trouvé sur ce site", "no feed found on this site"),
    (encode(r.NOT_A_FEED), "ce n'est pas un flux RSS, Atom ou JSON Feed", "not an RSS, Atom or JSON Feed"),
    (encode(r.NO_ARTICLE_TEXT), "la page ne contient pas de texte d'article", "the page holds no article text"),
    (encode(r.OVER_BUDGET, seconds=5), "la source a dépassé son temps de 5 s pour une actualisation",
     "the source took longer than its budget of 5 s"),
    (encode(r.LOCAL_UNREADABLE, detail="/x cannot be read: Permission denied"),
     "source locale illisible : /x cannot be read: Permission denied",
     "local source unreadable: /x cannot be read: Permission denied"),
    (encode(r.UNREADABLE_FILES, count=2, first="a.md: not UTF-8"), "2 fichier(s) illisible(s) : a.md: not UTF-8",
     "2 file(s) could not be read: a.md: not UTF-8"),
    (encode(r.UNEXPECTED_ERROR, error="MemoryError"), "erreur inattendue en lisant cette source (MemoryError)",
     "unexpected error while reading this source (MemoryError)"),
    (page_unavailable(encode(r.NOT_FOUND, status=404), "the server answered 404 Not Found"),
     "Texte complet indisponible (adresse introuvable sur le serveur (HTTP 404)) : voici l'introduction du flux.",
     "Full text unavailable (address not found on the server (HTTP 404)): here is the feed's introduction."),
]  # fmt: skip


@pytest.mark.parametrize(("reason", "french", "english"), WORDED, ids=[code_of(w[0]) for w in WORDED])
def test_each_reason_code_is_worded_in_both_languages(reason, french, english):
    assert reason_text(reason, "the English sentence", "fr") == french
    assert reason_text(reason, "the English sentence", "en") == english


def test_every_code_has_its_words_and_its_test():
    assert {code_of(w[0]) for w in WORDED} == set(r.CODES)


def test_a_reason_keeps_its_parameters_through_the_store_text():
    text = encode(r.REDIRECT_REFUSED, location="javascript:alert(1)&x=?y")
    assert decode(text) == (r.REDIRECT_REFUSED, {"location": "javascript:alert(1)&x=?y"})
    assert encode(r.NO_FEED_FOUND) == "no_feed_found"  # what schema 9's refused_by_site rows look like
    assert decode("refused_by_site") == (r.REFUSED_BY_SITE, {})


def test_old_rows_and_unknown_codes_fall_back_to_the_stored_sentence():
    # A row written before reasons had parameters, or by a newer bladi-tui, or with no reason.
    assert reason_text("", "the server answered 403 Forbidden") == "the server answered 403 Forbidden"
    assert reason_text("a_code_from_the_future?x=1", "something new") == "something new"
    assert (
        reason_text("not_found", "the server answered 404 Not Found") == "the server answered 404 Not Found"
    )
    old_notice = "Texte complet indisponible (the server answered 500) : voici l'introduction du flux."
    assert notice_text(old_notice, "fr") == old_notice and notice_sentence(old_notice) == old_notice


def test_fetch_failures_carry_their_code_into_the_store(loopback, tmp_path):
    import socket

    from tui.config import FetchSettings

    loopback.route("/missing.xml", "absent", status=404)
    loopback.route("/gone.xml", "parti", status=410)
    loopback.route("/login.xml", "qui ?", status=401)
    loopback.route("/teapot.xml", "théière", status=418)
    loopback.route("/big.xml", b"x" * (200 * 1024), content_type="application/rss+xml")
    loopback.route(
        "/page", "<html><head><title>Rien</title></head><body>Rien</body></html>", content_type="text/html"
    )
    loopback.route("/notfeed.xml", "{not a feed", content_type="application/rss+xml")
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        refused_url = f"http://127.0.0.1:{closed.getsockname()[1]}/feed.xml"
    specs = [
        SourceSpec.from_url(loopback.url("/missing.xml"), name="missing", kind="feed"),
        SourceSpec.from_url(loopback.url("/gone.xml"), name="gone", kind="feed"),
        SourceSpec.from_url(loopback.url("/login.xml"), name="login", kind="feed"),
        SourceSpec.from_url(loopback.url("/teapot.xml"), name="teapot", kind="feed"),
        SourceSpec.from_url(loopback.url("/big.xml"), name="big", kind="feed"),
        SourceSpec.from_url(loopback.url("/page"), name="page", kind="site"),
        SourceSpec.from_url(loopback.url("/notfeed.xml"), name="notfeed", kind="feed"),
        SourceSpec.from_url(refused_url, name="refused", kind="feed"),
    ]
    store = Store(tmp_path / "s.sqlite3")
    settings = FetchSettings(max_bytes=64 * 1024, deadline=10)
    asyncio.run(refresh_sources(store, specs, fetch=settings))
    stored = {state.name: decode(state.reason) for state in store.sources()}
    assert stored == {
        "missing": (r.NOT_FOUND, {"status": "404"}),
        "gone": (r.GONE, {"status": "410"}),
        "login": (r.UNAUTHORIZED, {"status": "401"}),
        "teapot": (r.HTTP_STATUS, {"status": "418"}),
        "big": (r.TOO_LARGE, {"size": "64 KiB"}),
        "page": (r.NO_FEED_FOUND, {}),
        "notfeed": (r.NOT_A_FEED, {}),
        "refused": (r.CONNECTION_REFUSED, {"host": "127.0.0.1"}),
    }
    states = {state.name: state for state in store.sources()}
    assert reason_text(states["missing"].reason, states["missing"].last_error) == (
        "adresse introuvable sur le serveur (HTTP 404)"
    )
    assert states["missing"].last_error == "address not found on the server (HTTP 404)"  # the log's sentence
    store.close()


def test_no_french_sentence_is_stored_for_a_page_that_failed(loopback, tmp_path):
    loopback.route(
        "/feed.xml",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Q</title><link>http://example.org/</link>'
        f"<item><title>Intro seule</title><link>{loopback.url('/a')}</link>"
        "<description>Intro.</description></item></channel></rss>",
        content_type="application/rss+xml",
    )
    loopback.route("/a", "absent", status=404)
    spec = SourceSpec.from_url(loopback.url("/feed.xml"), name="Q", kind="feed")
    store = Store(tmp_path / "s.sqlite3")
    asyncio.run(refresh_sources(store, [spec]))
    (rowid,) = store.topic_rowids(ALL)
    notice = store.article(rowid).article.notice
    assert decode(notice)[0] == r.PAGE_UNAVAILABLE and "Texte" not in notice
    assert notice_text(notice, "fr") == (
        "Texte complet indisponible (adresse introuvable sur le serveur (HTTP 404)) : voici l'introduction du flux."
    )
    assert notice_text(notice, "en").startswith("Full text unavailable (address not found")
    assert notice_sentence(notice) == (
        "Full text unavailable (address not found on the server (HTTP 404)): here is the feed's introduction."
    )
    store.close()


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
        await counts_shown(pilot)
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
