"""Which article an item is (tui.article_keys): the key a source gives its items."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from tui.article_keys import article_key, owned
from tui.model import Article, Link, TopicPage

FEED = "http://127.0.0.1:8000/feed/01.xml"


def every_field_set(guid: str) -> Article:
    """An article whose every field holds something other than its default."""
    return Article(
        guid=guid,
        title="Titre",
        url="https://presse.example/a.html",
        date=datetime(2026, 12, 7, 4, 0, tzinfo=UTC),
        rubrique="Maroc",
        tags=["Économie", "Rabat"],
        author="K. Alaoui",
        date_line="7 décembre 2026 - 04h00",
        summary="Le résumé.",
        lead="Le chapeau.",
        body="Le texte.",
        related=[Link("Lire aussi", "https://presse.example/b.html")],
        suggested=[Link("Autre", "https://presse.example/c.html", "Résumé")],
        labels={"related": "Aller plus loin"},
        source="Presse",
        full_text=True,
        notice="Une notice",
        location="https://presse.example/a.html?page=1",
        topic_pages=[TopicPage("tag", "Rabat", "https://presse.example/tag/rabat")],
        cut=True,
        entry_digest="0123456789abcdef",
    )


def test_an_owned_article_keeps_every_field_but_its_guid() -> None:
    article = every_field_set("https://presse.example/a.html")
    keyed = owned(article, FEED)
    assert keyed.guid == "//127.0.0.1:8000/feed/01.xml https://presse.example/a.html"
    assert dataclasses.replace(keyed, guid=article.guid) == article
    assert owned(keyed, FEED) is keyed  # keyed already: the same article


def test_an_item_of_the_sources_own_site_keeps_its_url_and_a_sites_item_its_canonical_id() -> None:
    feed = "https://presse.example/feed.xml"
    assert (
        article_key("https://www.presse.example/a.html", "", "", feed) == "https://www.presse.example/a.html"
    )
    # The guid is opaque, the URL on the site: the guid, keyed by the source.
    assert article_key("a-1", "https://presse.example/a.html", "", feed) == "//presse.example/feed.xml a-1"
    bladi = "https://www.bladi.net/spip.php?page=backend"
    url = "https://www.bladi.net/maroc-economie,103006.html"
    assert article_key(url, url, "", bladi) == "bladi:103006"
    # A guid that is not the page's URL: the canonical id comes from the URL.
    assert article_key("opaque-guid", url, "", bladi) == "bladi:103006"
    assert article_key("bladi:103006", "", "", bladi) == "bladi:103006"
    assert article_key("bladi:103006", "", "", feed) == "//presse.example/feed.xml bladi:103006"


def test_a_simple_urls_site_is_read_as_urlsplit_reads_it() -> None:
    """The host of a simple web URL is read by its pattern, of any other by urlsplit: the same."""
    import random
    from urllib.parse import urlsplit

    from tui.article_keys import _site_host
    from tui.sanitize import SIMPLE_WEB_URL

    def by_urlsplit(url: str) -> str:
        try:
            return (urlsplit(url).hostname or "").rstrip(".").removeprefix("www.")
        except ValueError:
            return ""

    r = random.Random(16)
    labels = ["www", "WWW", "Bladi", "net", "e", "ma", "a-1", "9", "xn--w", "", "é", "u:p@x", "[::1]"]
    tails = ["", "/", "/a,1.html", "?q=1", "#x", "/a;p", "/a b", ":8080/", ":99999", ":", "%41", "\\x"]

    def generated() -> str:
        host = ".".join(r.choice(labels) for _ in range(r.randint(1, 4))) + r.choice(["", "", "."])
        return r.choice(["http", "https", "HTTP", "ftp"]) + "://" + host + r.choice(tails)

    urls = [
        "https://www.bladi.net/a,1.html",
        "http://WWW.Presse.Example.:80/",
        "https://e.ma#f",
        "ftp://e.ma/",
    ]
    urls += [generated() for _ in range(20_000)]
    simple = sum(1 for url in urls if SIMPLE_WEB_URL.fullmatch(url))
    assert 1_000 < simple < 19_000  # both roads taken
    for url in urls:
        _site_host.cache_clear()
        assert _site_host(url) == by_urlsplit(url), repr(url)
    assert _site_host("https://www.Bladi.NET./a,1.html") == "bladi.net"
