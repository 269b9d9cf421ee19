"""Source kinds: named in one place, each read by one class found from its name, and each kind
reading the same address its own way (a real server on loopback, a real store)."""

from __future__ import annotations

import asyncio

import pytest

from tests.conftest import FIXTURES
from tui import reasons
from tui.config import SourceSpec
from tui.opml import write_opml
from tui.refresh import refresh_sources
from tui.sources import kinds
from tui.sources.kinds import CONFIG_KINDS, KINDS, kind_of
from tui.sources.readers import READERS, reader_for
from tui.store import Store

ARTICLE_PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Un article</title><meta property="og:type" content="article">
<link rel="alternate" type="application/atom+xml" href="/atom"></head>
<body><article><h1>Un article</h1><p>Le texte de l'article, assez long pour en être un.</p>
<p>Un second paragraphe, pour que l'extraction y voie bien un article.</p></article></body></html>"""


def test_every_kind_is_named_once_and_looked_up_by_its_name():
    names = [value for name, value in vars(kinds).items() if name.isupper() and isinstance(value, str)]
    assert sorted(names) == sorted(KINDS)
    assert all(kind_of(name) is kind for name, kind in KINDS.items())


def test_every_kind_a_config_may_name_has_one_reader_and_the_others_none():
    assert sorted(READERS) == sorted(CONFIG_KINDS)
    for name in CONFIG_KINDS:
        assert reader_for(name).kind == name
    for name in set(KINDS) - set(CONFIG_KINDS):
        with pytest.raises(ValueError, match=name):
            reader_for(name)


def test_what_callers_ask_of_a_kind():
    assert [name for name, kind in KINDS.items() if kind.local] == ["local"]
    assert SourceSpec(name="Dossier", path="/tmp/x").is_local
    assert not SourceSpec.from_url("https://example.org/").is_local
    # A kind a store written by another version holds: a web source no config may name.
    assert not kind_of("from-elsewhere").local and kind_of("from-elsewhere").takes == ""
    opml = write_opml(
        [
            SourceSpec.from_url(f"https://example.org/{name}", kind=name)
            for name in ("auto", "feed", "site", "article")
        ]
    ).decode()
    assert 'xmlUrl="https://example.org/auto"' in opml and 'xmlUrl="https://example.org/feed"' in opml
    assert 'htmlUrl="https://example.org/site"' in opml and 'htmlUrl="https://example.org/article"' in opml


@pytest.mark.parametrize(
    ("kind", "accept", "new", "reason"),
    [
        ("article", "text/html", 1, ""),  # the page is the article
        ("auto", "application/rss+xml", 1, ""),  # its content says it is an article
        ("site", "application/rss+xml", 3, ""),  # the page leads to the site's feed (3 entries)
        ("feed", "application/rss+xml", 0, reasons.NOT_A_FEED),  # a page is no feed
    ],
)
def test_each_kind_reads_the_same_address_its_own_way(loopback, tmp_path, kind, accept, new, reason):
    loopback.route("/page", ARTICLE_PAGE)
    loopback.route(
        "/atom", (FIXTURES / "feeds" / "atom.xml").read_bytes(), content_type="application/atom+xml"
    )
    store = Store(tmp_path / "s.sqlite3")
    spec = SourceSpec(name="Page", url=loopback.url("/page"), kind=kind, full_text=False)
    (outcome,) = asyncio.run(refresh_sources(store, [spec]))
    assert outcome.new == new and outcome.reason == reason, outcome
    first = next(request for request in loopback.requests if request.path == "/page")
    assert first.headers["accept"].startswith(accept)
    assert loopback.hits("/atom") == (1 if kind == "site" else 0)
