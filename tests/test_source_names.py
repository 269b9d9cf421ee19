"""Sources named by their feed's title: a source given by its URL takes the title at each refresh,
one the user named keeps its name, and two with one title are told apart by their host."""

from __future__ import annotations

import asyncio

from tui.config import SourceSpec
from tui.refresh import refresh_sources
from tui.store import Store


def rss(title: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.org/</link>"
        "<item><title>Un article</title><link>http://example.org/a</link>"
        "<description>Texte.</description></item></channel></rss>"
    )


def names(store: Store) -> dict[str, str]:
    return {state.key: state.name for state in store.sources()}


def test_a_source_given_by_url_takes_its_feeds_title_at_each_refresh(loopback, tmp_path):
    loopback.route("/feed.xml", rss("Le Journal du soir"), content_type="application/rss+xml")
    store = Store(tmp_path / "s.sqlite3")
    spec = SourceSpec.from_url(loopback.url("/feed.xml"))
    assert spec.name == "127.0.0.1" and not spec.named
    outcomes = asyncio.run(refresh_sources(store, [spec]))
    assert names(store)[spec.key] == "Le Journal du soir"
    assert outcomes[0].name == "Le Journal du soir"  # what `fetch` and the notices say
    # The next start registers the source again: the title stays, the host does not come back.
    asyncio.run(refresh_sources(store, [spec], offline=True))
    assert names(store)[spec.key] == "Le Journal du soir"
    # A new title is taken at the next refresh.
    loopback.route("/feed.xml", rss("Le Journal du matin " + "x" * 200), content_type="application/rss+xml")
    asyncio.run(refresh_sources(store, [spec]))
    assert names(store)[spec.key].startswith("Le Journal du matin")
    assert len(names(store)[spec.key]) <= 80  # capped
    store.close()


def test_a_name_the_user_gave_is_kept(loopback, tmp_path):
    loopback.route("/feed.xml", rss("Le titre du flux"), content_type="application/rss+xml")
    store = Store(tmp_path / "s.sqlite3")
    spec = SourceSpec.from_url(loopback.url("/feed.xml"), name="Mon journal")
    asyncio.run(refresh_sources(store, [spec]))
    assert names(store)[spec.key] == "Mon journal"
    store.close()


def test_sources_with_one_title_get_their_host_added(loopback, tmp_path):
    for path in ("/a.xml", "/b.xml", "/c.xml"):
        loopback.route(path, rss("Actualités"), content_type="application/rss+xml")
    store = Store(tmp_path / "s.sqlite3")
    specs = [SourceSpec.from_url(loopback.url(path)) for path in ("/a.xml", "/b.xml", "/c.xml")]
    for spec in specs:  # one after the other, so the names are known in advance
        asyncio.run(refresh_sources(store, [spec]))
    assert [names(store)[spec.key] for spec in specs] == [
        "Actualités",
        "Actualités (127.0.0.1)",
        "Actualités (127.0.0.1/c.xml)",
    ]
    # Refreshing them again changes nothing.
    asyncio.run(refresh_sources(store, specs))
    assert len(set(names(store).values())) == 3
    store.close()


def test_an_unnamed_source_in_state_toml_stays_unnamed(tmp_path):
    from tui.config import Config, merge_state, save_state

    state = tmp_path / "state.toml"
    save_state(state, added_sources=[SourceSpec.from_url("https://example.org/feed.xml")])
    assert "name" not in state.read_text(encoding="utf-8")
    added = merge_state(Config(sources=()), state).sources
    assert [(s.name, s.named) for s in added] == [("example.org", False)]


def test_a_site_whose_feed_has_no_title_takes_the_pages(loopback, tmp_path):
    loopback.route(
        "/",
        '<html><head><title>Le Site du Coin</title><link rel="alternate" type="application/rss+xml" '
        'href="/feed.xml"></head><body><p>Accueil</p></body></html>',
    )
    loopback.route("/feed.xml", rss(""), content_type="application/rss+xml")
    store = Store(tmp_path / "s.sqlite3")
    spec = SourceSpec.from_url(loopback.url("/"))
    asyncio.run(refresh_sources(store, [spec]))
    assert names(store)[spec.key] == "Le Site du Coin"
    store.close()
