"""Bladi.net in every layout it has used, served on loopback as www.bladi.net through HTTP_PROXY.

The pages (tests/fixtures/bladi-eras) follow each era's real markup in the project's own words.
Whatever the layout, every article must read alike: a real rubrique, the feed's date, its
related titles and tags, no share lines, the lead once.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest

from tests.conftest import FIXTURES
from tests.test_cli import run
from tui.article_markdown import to_markdown
from tui.config import SourceSpec
from tui.extract.page import same_article_globs
from tui.extract.sites.bladi import RULES as BLADI
from tui.model import Article, article_id
from tui.refresh import refresh_sources
from tui.store import Store

ERAS = FIXTURES / "bladi-eras"
SITE = "http://www.bladi.net"
FEED = f"{SITE}/spip.php?page=backend"
TODAY = f"{SITE}/madrid-titres-sejour-en-ligne,116450.html"
Y2016 = f"{SITE}/visas-consulats-horaires,51200.html"
Y2019 = f"{SITE}/tanger-med-record-conteneurs,80100.html"
SHORT = f"{SITE}/103006"
PAGES = {
    TODAY: "today-dateless.html",
    Y2016: "2016-tags-recommandons.html",
    Y2019: "2019-bullets.html",
    SHORT: "2022-short-url.html",
}
SHARE_WORDS = ("Google News", "WhatsApp", "Suivez bladi.net")


@pytest.fixture
def bladi_eras(loopback, monkeypatch):
    """The loopback server, as the HTTP proxy through which www.bladi.net answers."""
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, loopback.base_url)
    for name in ("ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    loopback.route(FEED, (ERAS / "backend.xml").read_bytes(), content_type="application/rss+xml")
    for url, name in PAGES.items():
        loopback.route(url, (ERAS / name).read_bytes())
    return loopback


@pytest.fixture
def stored(bladi_eras, tmp_path) -> dict[str, Article]:
    store = Store(tmp_path / "s.sqlite3")
    (outcome,) = asyncio.run(refresh_sources(store, [SourceSpec(name="Bladi.net", url=FEED, kind="feed")]))
    assert outcome.error == "" and outcome.new == 4
    articles = {}
    for url in PAGES:
        found = store.find(url)
        assert found is not None, url
        articles[url] = found.article
    store.close()
    return articles


def test_every_request_went_through_the_proxy(stored, bladi_eras):
    # A proxied request names the whole URL: the loopback server saw www.bladi.net's, not its own.
    paths = {request.path for request in bladi_eras.requests}
    assert paths == {FEED, *PAGES}
    assert all(request.headers.get("host") == "www.bladi.net" for request in bladi_eras.requests)


def test_every_article_gets_a_real_rubrique_and_the_feeds_date(stored):
    rubriques = {url: article.rubrique for url, article in stored.items()}
    # Today's line has no date and starts with its time: the rubrique is still the linked one.
    # 2016's line names none: the feed's. 2022's link says Espagne, as the feed does.
    assert rubriques == {TODAY: "Monde", Y2016: "Maroc", Y2019: "Economie", SHORT: "Espagne"}
    dates = {url: article.date.isoformat() for url, article in stored.items()}
    assert dates == {
        TODAY: "2025-03-04T08:00:00+01:00",
        Y2016: "2016-11-21T12:30:00+00:00",
        Y2019: "2019-05-14T10:15:00+01:00",
        SHORT: "2022-07-02T16:20:00+01:00",
    }
    # The date line is shown as the site printed it.
    assert stored[TODAY].date_line == "- 08h00 - Monde - Ecrit par : Bladi.net"
    assert {article.author for article in stored.values()} == {"Bladi.net", "L.A", "P. A"}


def test_every_article_gets_its_tags_and_related_titles(stored):
    assert stored[TODAY].tags == ["Espagne", "Titre de séjour", "MRE"]
    assert stored[Y2016].tags == ["Visa", "Consulats", "France"]
    assert [link.title for link in stored[TODAY].suggested] == [
        "Espagne : un plan pour les travailleurs saisonniers",
        "Le consulat de Valence ouvre le samedi",
    ]
    # 2016: "Nous vous recommandons", bold titles in links, teasers after them.
    assert [(link.title, link.summary) for link in stored[Y2016].related] == [
        (
            "Schengen : les délais d’attente en question",
            "Plusieurs semaines pour un rendez-vous, parfois davantage...",
        ),
        ("Quand le visa se demandait par courrier", "Retour sur une époque où tout passait par la poste..."),
    ]
    # 2019: a bullet list, no heading.
    assert [(link.title, link.url) for link in stored[Y2019].related] == [
        ("Tanger Med prépare son extension", f"{SITE}/tanger-med-extension,79000.html"),
        ("Ports marocains : le bilan de l’année", f"{SITE}/ports-marocains-bilan,78500.html"),
    ]
    # 2022: titles in headings inside links, under "Aller plus loin".
    assert [link.title for link in stored[SHORT].related] == ["Espagne : les horaires des consulats"]
    assert [link.title for link in stored[SHORT].suggested] == [
        "Passeport biométrique : des délais plus courts"
    ]


def test_section_headings_are_shown_as_each_page_printed_them(stored):
    old = to_markdown(stored[Y2016], reader=False)
    assert "**Tags :** Visa - Consulats - France" in old and "## Nous vous recommandons" in old
    assert "Sujets associés" not in old and "Aller plus loin" not in old
    today = to_markdown(stored[TODAY], reader=False)
    assert "**Sujets associés :**" in today and "## Ces articles devraient vous intéresser :" in today
    assert "## Aller plus loin" in to_markdown(stored[SHORT], reader=False)
    # Bullets without a heading take the site's wording of today.
    assert "## Aller plus loin" in to_markdown(stored[Y2019], reader=False)


def test_no_share_lines_the_lead_once_and_read_also_links_whatever_the_spelling(stored):
    for article in stored.values():
        text = to_markdown(article)
        assert not [word for word in SHARE_WORDS if word in text], article.url
        assert "Phrase propre à la page" in article.body
    lead = "Le port a traité plus de trois millions de conteneurs en un an."
    assert to_markdown(stored[Y2019]).count(lead) == 1
    assert "A lire : [Tanger Med prépare son extension]" in stored[Y2019].body
    assert "À lire : [Le consulat de Valence ouvre le samedi]" in stored[TODAY].body
    # The bullets became related articles, not a list in the body.
    assert "Ports marocains" not in stored[Y2019].body


def test_the_sites_url_forms_are_one_article():
    forms = [
        "https://www.bladi.net/consulat-valence-samedi,103006.html",
        "https://www.bladi.net/103006",
        "http://bladi.net/103006",
    ]
    assert {BLADI.canonical_id(url) for url in forms} == {"bladi:103006"}
    assert BLADI.canonical_id("https://www.bladi.net/article3766,3766.html") == "bladi:3766"
    # Rubrique and tag pages are slug-only: no article.
    assert BLADI.canonical_id("https://www.bladi.net/maroc.html") is None
    assert BLADI.canonical_id("https://example.com/103006") is None
    assert BLADI.is_article_url("https://www.bladi.net/103006")


def test_a_link_in_another_url_form_finds_the_stored_article(stored, tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    long_form = "https://www.bladi.net/consulat-valence-samedi,103006.html"
    found = store.find(long_form, same_article_globs(long_form))
    assert found is not None and found.article.url == SHORT
    # And the other way round: the short form of an article stored under its long URL.
    found = store.find(f"{SITE}/51200", same_article_globs(f"{SITE}/51200"))
    assert found is not None and found.article.url == Y2016
    assert store.find(f"{SITE}/5120", same_article_globs(f"{SITE}/5120")) is None


def test_fetch_then_show_prints_what_each_layout_holds(bladi_eras, tmp_path):
    env = {"HTTP_PROXY": bladi_eras.base_url, "http_proxy": bladi_eras.base_url}
    result = run("fetch", FEED, tmp_path=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    # A Bladi article's id is that of its canonical key, whichever URL form named it.
    shown = run("--offline", "show", article_id("bladi:51200"), FEED, tmp_path=tmp_path, env=env)
    assert shown.returncode == 0, shown.stderr
    for expected in (
        "Visas : les consulats français allongent leurs horaires",
        "21 novembre 2016 - 12h30 - Ecrit par : Bladi.net",
        "Schengen : les délais d’attente en question",
        "Visa",
        "Consulats",
        "Tags :",
        "Nous vous recommandons",
    ):
        assert expected in shown.stdout.replace("\\", ""), expected
    # A link in the long form shows the article stored under the short one, offline.
    shown = run(
        "--offline", "show", "https://www.bladi.net/consulat-valence-samedi,103006.html", FEED,
        tmp_path=tmp_path, env=env,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert "Phrase propre à la page de 2022" in shown.stdout


def test_a_date_in_the_feed_beats_a_different_one_on_the_page():
    from tui.sources.web import merge_page

    feed = Article(
        guid="g", title="t", date=datetime.fromisoformat("2024-01-02T10:00:00+00:00"), rubrique="Maroc"
    )
    page = Article(
        guid="p", title="t", date=datetime.fromisoformat("2024-01-01T09:00:00+01:00"), rubrique="Monde"
    )
    merged = merge_page(feed, page, "http://www.bladi.net/x,1.html")
    assert merged.date == feed.date and merged.rubrique == "Monde"
    same = Article(guid="p", title="t", date=datetime.fromisoformat("2024-01-02T11:00:00+01:00"))
    assert merge_page(feed, same, "u").date.isoformat() == "2024-01-02T11:00:00+01:00"
