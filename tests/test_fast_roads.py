"""The fast roads of a fetch give what the slow ones give.

- A feed read by lxml (tui.feeds.fast) and the same feed read by feedparser: the same
  articles, field for field, on the fixtures, on generated WordPress and SPIP feeds of 100 items
  and on randomly assembled feeds (feedparser's own corpus: tests/test_feeds_differential.py);
  anything the fast road does not know goes to feedparser.
- HTML → Markdown of plain article markup straight through nh3, and through the rebuild.
- A batch of articles stored at once, and the same articles stored one by one.
- Feeds read in worker processes, and read here.
"""

from __future__ import annotations

import asyncio
import dataclasses
import multiprocessing
import random
import re
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from selectolax.lexbor import LexborHTMLParser

from tests.conftest import FIXTURES
from tests.test_feeds import assert_safe
from tui.extract import markdown
from tui.feeds import fast_rules, normalise, pool
from tui.feeds.entry import FeedParseError, ParsedFeed
from tui.feeds.fast import read_well_formed
from tui.feeds.parse import parse_feed
from tui.feeds.sniff import charset_of
from tui.model import ALL, Article, Link
from tui.sanitize import clean_text
from tui.store import Store

FEEDS = FIXTURES / "feeds"


# ---------------------------------------------------------------------------------------------
# Both roads of parse_feed


def reading(feed: ParsedFeed | FeedParseError) -> tuple:
    """Everything a ParsedFeed holds, dates with their offsets (aware datetimes compare equal
    across offsets)."""
    if isinstance(feed, FeedParseError):
        return ("refused", str(feed))

    def plain(value):
        return (value, value.utcoffset()) if isinstance(value, datetime) else value

    articles = [{name: plain(value) for name, value in dataclasses.asdict(a).items()} for a in feed.articles]
    return (feed.title, feed.link, feed.bozo, articles)


def read(data: bytes, url: str, content_type: str, *, fast: bool) -> tuple:
    road = read_well_formed if fast else None
    try:
        return reading(parse_feed(data, url, source="Source", content_type=content_type, fast=road))
    except FeedParseError as error:
        return reading(error)


def assert_same_both_ways(
    data: bytes, url: str = "https://flux.exemple.ma/feed", content_type: str = ""
) -> bool:
    """The same reading with and without the fast path; True when the fast path read it."""
    fast = read_well_formed(data, charset_of(content_type)) is not None
    assert read(data, url, content_type, fast=True) == read(data, url, content_type, fast=False)
    return fast


FAST_FIXTURES = {"bladi-backend.xml", "wordpress-rss.xml", "bom-utf8.xml"}
SLOW_FIXTURES = {
    "atom.xml": "XHTML content (namespaces declared inside it)",
    "broken-truncated.xml": "malformed",
    "latin1.xml": "ISO-8859-1",
    "hostile.xml": "references to characters XML forbids",
    "feed.json": "JSON Feed",
}


def test_every_fixture_is_in_one_list_or_the_other():
    assert {path.name for path in FEEDS.iterdir()} == FAST_FIXTURES | set(SLOW_FIXTURES)


@pytest.mark.parametrize("name", sorted(FAST_FIXTURES | set(SLOW_FIXTURES)))
def test_fixture_feeds_read_the_same_both_ways(name):
    fast = assert_same_both_ways((FEEDS / name).read_bytes(), "https://www.bladi.net/spip.php?page=backend")
    assert fast == (name in FAST_FIXTURES), SLOW_FIXTURES.get(name, "should take the fast path")


def test_hostile_fixture_stays_safe():
    feed = parse_feed((FEEDS / "hostile.xml").read_bytes(), "https://hostile.exemple/rss", source="Test")
    assert len(feed.articles) == 4
    assert_safe(feed)


def test_hostile_text_in_a_well_formed_feed_takes_the_fast_path_and_stays_safe():
    document = rss(
        "<item><title><![CDATA[Titre &#27;]52;c;ZXZpbA==&#7; \x85 &#x9b;2J &#x202e;fin]]></title>"
        "<link>javascript:alert(1)</link><guid>g&#x9b;1</guid><dc:creator>\u202eAuteur \x9b</dc:creator>"
        "<category>Tag\u2066</category><description>&lt;a href='javascript:x'&gt;clic&lt;/a&gt; \u2028"
        "</description><content:encoded><![CDATA[<p>&#27;[31m rouge &#x202e;</p><script>alert(2)</script>"
        "<p>un corps plus long <a href='vbscript:x'>que</a> le résumé</p><img src=x onerror=alert(3)>]]>"
        "</content:encoded></item>",
        channel="<title>\u202eFlux&#x9b;</title><link>data:text/html,x</link>",
    )
    assert assert_same_both_ways(document)
    feed = parse_feed(document, "https://exemple.ma/rss")
    assert_safe(feed)
    assert feed.link == "" and feed.articles[0].url == ""


# -- generated feeds ----------------------------------------------------------------------------

WORDS = [
    "Le",
    "port",
    "de",
    "Tanger",
    "Med",
    "dépasse",
    "ses",
    "objectifs",
    "malgré",
    "la",
    "sécheresse",
    ";",
    "à",
    "Marrakech,",
    "l’ONEE",
    "«",
    "accélère",
    "»",
    "les",
    "travaux",
    "du",
    "dessalement",
    "&",
    "de",
    "l’eau",
    "potable",
    ":",
    "2",
    "000",
    "m³/jour",
]


SLUGS = ["port", "tanger-med", "secheresse", "marrakech", "onee", "dessalement", "eau", "2024"]


def rss(items: str, channel: str = "<title>Flux</title><link>https://flux.exemple.ma/</link>") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:atom="http://www.w3.org/2005/Atom">'
        f"<channel>{channel}{items}</channel></rss>"
    ).encode()


def words(r: random.Random, low: int, high: int) -> str:
    return " ".join(r.choice(WORDS) for _ in range(r.randint(low, high)))


def wordpress_feed(items: int = 100, seed: int = 1) -> bytes:
    """What WordPress serves at /feed/: full text in content:encoded, CDATA, comments, images."""
    r = random.Random(seed)
    now = datetime(2024, 5, 30, 18, 0, tzinfo=UTC)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"\n'
        '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
        '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '\txmlns:atom="http://www.w3.org/2005/Atom"\n\txmlns:sy="http://purl.org/rss/1.0/modules/syndication/"\n'
        '\txmlns:slash="http://purl.org/rss/1.0/modules/slash/"\n\t>\n<channel>\n'
        "\t<title>L&#8217;Hebdo d&#8217;exemple</title>\n"
        '\t<atom:link href="https://hebdo.exemple.ma/feed/" rel="self" type="application/rss+xml" />\n'
        "\t<link>https://hebdo.exemple.ma</link>\n\t<description>Le magazine</description>\n"
        f"\t<lastBuildDate>{format_datetime(now)}</lastBuildDate>\n\t<language>fr-FR</language>\n"
        "\t<sy:updatePeriod>\n\thourly\t</sy:updatePeriod>\n\t<sy:updateFrequency>1</sy:updateFrequency>\n"
        "\t<generator>https://wordpress.org/?v=6.4.2</generator>\n"
        "<image>\n\t<url>https://hebdo.exemple.ma/logo.png</url>\n\t<title>L&#8217;Hebdo</title>\n"
        "\t<link>https://hebdo.exemple.ma</link>\n\t<width>32</width>\n\t<height>32</height>\n</image>\n"
    ]
    for index in range(items):
        link = f"https://hebdo.exemple.ma/{seed}/{index:03d}/{'-'.join(r.sample(SLUGS, 3))}/"
        categories = r.sample(
            ["Économie", "économie", "Eau", "Casablanca", "Sport", "Culture & Arts"], r.randint(1, 4)
        )
        paragraphs = [f"<p>{escape(words(r, 20, 60))}</p>" for _ in range(r.randint(2, 6))]
        extras = [
            "<h2>Un chantier de trois ans</h2>",
            f'<p>À lire aussi&nbsp;: <a href="{link}lire/">{escape(words(r, 3, 6))}</a></p>',
            f'<p>Voir <a href="/2024/01/relatif/">l’archive</a> et <strong>{escape(words(r, 2, 4))}</strong>.</p>',
            '<figure><img src="https://hebdo.exemple.ma/station.jpg" alt="La station" /><figcaption>Le site'
            "</figcaption></figure>",
            '<script type="text/javascript">window.trackPageView("x");</script>',
            f"<ul><li>{escape(words(r, 2, 5))}</li><li><em>{escape(words(r, 2, 5))}</em></li></ul>",
            f"<blockquote><p>{escape(words(r, 5, 12))}</p></blockquote>",
            '<p><a href="https://hebdo.exemple.ma/x" rel="nofollow" title="Titre">un lien titré</a></p>',
        ]
        body = "\n".join(paragraphs + r.sample(extras, r.randint(0, 4)))
        title = escape(words(r, 4, 10)).replace("’", "&#8217;")
        out.append(
            "\t<item>\n"
            f"\t\t<title>{title}</title>\n\t\t<link>{link}</link>\n"
            f"\t\t<comments>{link}#respond</comments>\n"
            f"\t\t<dc:creator><![CDATA[{r.choice(['Karim Bennani', 'S.A', 'La rédaction'])}]]></dc:creator>\n"
            f"\t\t<pubDate>{format_datetime(now - timedelta(minutes=37 * index))}</pubDate>\n"
            + "".join(f"\t\t<category><![CDATA[{c}]]></category>\n" for c in categories)
            + f'\t\t<guid isPermaLink="false">https://hebdo.exemple.ma/?p={seed * 1000 + index}</guid>\n'
            f"\t\t<description><![CDATA[<p>{escape(words(r, 10, 30))} [&#8230;]</p>\n"
            f'<p>L’article <a rel="nofollow" href="{link}">{title}</a> est apparu en premier sur '
            '<a rel="nofollow" href="https://hebdo.exemple.ma">L&#8217;Hebdo</a>.</p>\n]]></description>\n'
            f"\t\t<content:encoded><![CDATA[{body}]]></content:encoded>\n"
            f"\t\t<wfw:commentRss>{link}feed/</wfw:commentRss>\n\t\t<slash:comments>{r.randint(0, 9)}</slash:comments>\n"
            "\t</item>\n"
        )
    out.append("</channel>\n</rss>\n")
    return "".join(out).encode("utf-8")


def spip_backend(items: int = 100, seed: int = 2) -> bytes:
    """Bladi.net's spip.php?page=backend: intros whose end names the rubrique and the keywords."""
    r = random.Random(seed)
    now = datetime(2024, 5, 30, 18, 0, tzinfo=timezone(timedelta(hours=1)))
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom">\n'
        '<channel xml:lang="fr">\n\t<title>Bladi.net</title>\n\t<link>https://www.bladi.net/</link>\n'
        "\t<description>Les Marocains du monde : l'actualit&#233; du Maroc</description>\n\t<language>fr</language>\n"
        "\t<generator>SPIP - www.spip.net</generator>\n"
        '\t<atom:link href="https://www.bladi.net/spip.php?page=backend" rel="self" type="application/rss+xml" />\n'
        "\t<image>\n\t\t<title>Bladi.net</title>\n\t\t<url>https://www.bladi.net/IMG/logo/siteon0.png</url>\n"
        "\t\t<link>https://www.bladi.net/</link>\n\t</image>\n"
    ]
    rubriques = ["Economie", "Marocains du monde", "Maroc", "Sport", "Société"]
    for index in range(items):
        url = f"https://www.bladi.net/{'-'.join(r.sample(['sebta', 'douane', 'mre', 'tanger', 'eau'], 3))},{116000 + index}.html"
        keywords = r.sample(
            ["Contrebande", "Sebta", "Melilla", "Transferts d’argent", "Sécurité routière"], r.randint(0, 3)
        )
        rubrique = r.choice(rubriques)
        tail = (
            ("&amp;nbsp;(...)" if r.random() < 0.7 else "")
            + f'\n\n-\n&lt;a href="https://www.bladi.net/{rubrique.lower()}.html" rel="directory"&gt;{rubrique}&lt;/a&gt;\n\n'
            + (
                " / \n"
                + ", \n".join(
                    f'&lt;a href="https://www.bladi.net/t.html" rel="tag"&gt;{k}&lt;/a&gt;' for k in keywords
                )
                if keywords
                else ""
            )
        )
        intro = escape(words(r, 15, 40)).replace("é", "&#233;").replace("’", "&#8217;")
        out.append(
            '\t<item xml:lang="fr">\n'
            f"\t\t<title>{escape(words(r, 4, 12)).replace('’', '&#8217;')}</title>\n"
            f'\t\t<link>{url}</link>\n\t\t<guid isPermaLink="true">{url}</guid>\n'
            f"\t\t<dc:date>{(now - timedelta(hours=3 * index)).isoformat()}</dc:date>\n"
            "\t\t<dc:format>text/html</dc:format>\n\t\t<dc:language>fr</dc:language>\n"
            f"\t\t<dc:creator>{r.choice(['S.A', 'Bladi.net', 'A. Lemrini'])}</dc:creator>\n"
            + "".join(f"\t\t<dc:subject>{k}</dc:subject>\n" for k in keywords if r.random() < 0.5)
            + f"\t\t<description>{intro}{tail}\n\t\t</description>\n"
            + (
                f'\t\t<enclosure url="https://www.bladi.net/IMG/jpg/{index}.jpg" length="48213" type="image/jpeg" />\n'
                if r.random() < 0.5
                else ""
            )
            + "\t</item>\n"
        )
    out.append("</channel>\n</rss>\n")
    return "".join(out).encode("utf-8")


def test_a_wordpress_feed_of_100_items_reads_the_same_both_ways():
    document = wordpress_feed()
    assert assert_same_both_ways(
        document, "https://hebdo.exemple.ma/feed/", "application/rss+xml; charset=UTF-8"
    )
    feed = parse_feed(document, "https://hebdo.exemple.ma/feed/")
    assert len(feed.articles) == 100 and sum(a.full_text for a in feed.articles) > 90
    assert feed.title == "L’Hebdo d’exemple" and feed.articles[0].author


def test_a_spip_backend_of_100_items_reads_the_same_both_ways():
    document = spip_backend()
    assert assert_same_both_ways(document, "https://www.bladi.net/spip.php?page=backend", "text/xml")
    feed = parse_feed(document, "https://www.bladi.net/spip.php?page=backend")
    assert len(feed.articles) == 100
    assert all(a.rubrique and "(...)" not in a.summary and "rel=" not in a.summary for a in feed.articles)


# -- what goes to feedparser --------------------------------------------------------------------


@pytest.mark.parametrize(
    "document, content_type",
    [
        pytest.param((FEEDS / "broken-truncated.xml").read_bytes(), "", id="truncated"),
        pytest.param(rss("<item><title>T</title><link>x</item>"), "", id="unclosed"),
        pytest.param(rss("<item><title>Tom & Jerry</title></item>"), "", id="bare-ampersand"),
        pytest.param(rss("<item><title>&eacute;t&eacute;</title></item>"), "", id="undefined-entity"),
        pytest.param(rss("<item><title>x</title></item>") + b"<rss/>", "", id="junk-after-root"),
        pytest.param((FEEDS / "latin1.xml").read_bytes(), "", id="latin1-declared"),
        pytest.param(
            rss("<item><title>S\xe9curit\xe9</title></item>".encode("latin-1").decode("utf-8", "replace")),
            "text/xml; charset=ISO-8859-1",
            id="latin1-by-the-server",
        ),
        pytest.param(
            rss("<item><title>x</title></item>").replace(b"utf-8", b"windows-1252"), "", id="cp1252-declared"
        ),
        pytest.param(
            "<?xml version='1.0' encoding='utf-16'?><rss><channel><title>x</title></channel></rss>".encode(
                "utf-16"
            ),
            "",
            id="utf16",
        ),
        pytest.param(
            b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY x "y">]>\n<rss version="2.0"><channel>'
            b"<title>&x;</title></channel></rss>",
            "",
            id="doctype-subset",
        ),
        pytest.param(
            b'<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
            b'"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="0.91"><channel>'
            b"<title>x</title></channel></rss>",
            "",
            id="doctype",
        ),
        pytest.param(
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
            b"]><rss><channel><title>&lol2;</title></channel></rss>",
            "",
            id="entity-expansion",
        ),
        pytest.param(
            b"<!DOCTYPE html><html><head><title>Accueil</title></head><body>x</body></html>", "", id="html"
        ),
        pytest.param(
            b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', "", id="xhtml"
        ),
        pytest.param((FEEDS / "feed.json").read_bytes(), "application/feed+json", id="json-feed"),
        pytest.param(
            b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            b'xmlns="http://purl.org/rss/1.0/"><channel><title>x</title></channel>'
            b'<item rdf:about="https://a.ma/1"><title>un</title></item></rdf:RDF>',
            "",
            id="rss-1.0",
        ),
        pytest.param((FEEDS / "atom.xml").read_bytes(), "", id="atom-xhtml-content"),
        pytest.param(
            rss('<item><title>x</title><foo:bar xmlns:foo="http://foo/">y</foo:bar></item>'),
            "",
            id="namespace-below-the-root",
        ),
        pytest.param(
            rss('<item xml:base="https://ailleurs.ma/"><title>x</title><link>a.html</link></item>'),
            "",
            id="xml-base-below-the-root",
        ),
        pytest.param(
            rss("<item><title>x</title><comments><title>y</title></comments></item>"),
            "",
            id="unknown-element-holding-a-title",
        ),
        pytest.param(rss("<item><title>x</title><date>2024-01-01</date></item>"), "", id="unknown-date"),
        pytest.param(
            rss("<item><description>a</description><description>b</description></item>"),
            "",
            id="second-description-is-content",
        ),
        pytest.param(
            rss('<item><title>x</title><content:encoded mode="base64">eA==</content:encoded></item>'),
            "",
            id="base64",
        ),
        pytest.param(
            rss("<item><title>x</title></item>").replace(
                b"<item>", b"<textInput><title>t</title></textInput><item>"
            ),
            "",
            id="textinput",
        ),
        pytest.param(
            b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:itunes='
            b'"http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><item><title>x</title>'
            b"<itunes:keywords>a, b</itunes:keywords></item></channel></rss>",
            "",
            id="itunes-keywords",
        ),
        pytest.param(b"  " + rss("<item><title>x</title></item>"), "", id="space-before-the-declaration"),
    ],
)
def test_what_the_fast_path_does_not_know_goes_to_feedparser(document: bytes, content_type: str):
    assert read_well_formed(document, charset_of(content_type)) is None
    assert_same_both_ways(document, content_type=content_type)


def test_an_entity_bomb_is_refused_before_parsing():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "'
        + b"x" * 1000
        + b'">'
        + b"".join(
            b'<!ENTITY %s "%s">'
            % (b"a" * (n + 2), b"&" + b"a" * (n + 1) + b";" * 1 + (b"&" + b"a" * (n + 1) + b";") * 9)
            for n in range(8)
        )
        + b"]><rss><channel><title>&"
        + b"a" * 9
        + b";</title></channel></rss>"
    )
    started = time.perf_counter()
    assert read_well_formed(bomb) is None
    assert time.perf_counter() - started < 5  # refused before any expansion (which never ends)


# -- random feeds (feedparser's corpus: tests/test_feeds_differential.py) --------------------------


# Pieces of items: elements feedparser reads in its own ways, attributes that change their
# meaning, and text that its rules (HTML guess, e-mail split, UTF-8 repair, C1 mapping) act on.
TEXTS = [
    "",
    " ",
    "Titre simple",
    "Tom &amp; Jerry",
    "&lt;b&gt;gras&lt;/b&gt; et &lt;i&gt;x&lt;/i&gt;",
    "a &amp;lt; b",
    "Ã©tÃ© mojibake",
    "\x85 \x92 \x9b c1",
    "\u2028 sep",
    "jean@example.com (Jean Dupont)",
    "Jean Dupont &lt;jean@example.com&gt;",
    "(Jean)",
    "http://exemple.ma/a?b=1&amp;c=2",
    "/relatif/page.html",
    "javascript:alert(1)",
    "https:///triple.slash/x",
    "Sat, 16 Dec 2023 15:00:00 +0100",
    "2023-12-16T15:00:00+01:00",
    "16 décembre 2023",
    "2023-12-16",
    "Sun, 31 Dec 2023 23:59:60 GMT",
    "  espaces  autour  ",
    "&lt;p&gt;paragraphe&lt;/p&gt;&lt;script&gt;x()&lt;/script&gt;",
    "&#x202e;bidi",
    "[x](javascript:y)",
    "&lt;foo&gt;bar&lt;/foo&gt;",
    "x &amp;copy; y",
    "Économie",
    "économie",
    "tag:exemple.ma,2023:1",
    "Les saisies (...) - Economie / Contrebande, Sebta",
    "http://exemple.ma/a&amp;amp;b",
    "x&#38;y",
    '&amp;nbsp;(...) - &lt;a rel="directory"&gt;Rub&lt;/a&gt; / &lt;a rel="tag"&gt;t1&lt;/a&gt;',
]
ITEM_PARTS = [
    ("title", [("type", ["text", "html", "text/plain", "xhtml"])]),
    ("link", []),
    ("link", [("href", ["http://a.ma/x", "", "/rel"]), ("rel", ["alternate", "self", "enclosure"])]),
    ("guid", [("isPermaLink", ["true", "false", "True"])]),
    ("description", [("type", ["text/plain", "html"])]),
    ("content:encoded", []),
    ("content", [("type", ["text", "html"]), ("src", ["http://s"])]),
    ("dc:creator", []),
    ("author", []),
    ("managingEditor", []),
    ("itunes:author", []),
    ("category", [("domain", ["http://d", ""]), ("term", ["t"]), ("label", ["L"])]),
    ("dc:subject", []),
    ("media:category", [("scheme", ["s"])]),
    ("pubDate", []),
    ("dc:date", []),
    ("updated", []),
    ("published", []),
    ("dcterms:modified", []),
    (
        "atom:link",
        [
            ("href", ["http://a.ma/y", "rel.html"]),
            ("rel", ["alternate", "self"]),
            ("type", ["text/html", "application/pdf"]),
        ],
    ),
    ("enclosure", [("url", ["http://a.ma/e.mp3"])]),
    ("source", [("url", ["http://s.ma/"])]),
    ("media:title", []),
    ("comments", []),
    ("wfw:commentRss", []),
    ("slash:comments", []),
    ("dc:format", []),
    ("dc:language", []),
    ("summary", []),
    ("itunes:summary", []),
    ("dc:title", []),
    ("dc:description", []),
    ("media:description", []),
    ("id", []),
    ("foo:bar", []),
    ("media:thumbnail", [("url", ["http://t"])]),
    ("Title", []),
    ("x:title", []),
]
NAMESPACES = (
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:media="http://search.yahoo.com/mrss/" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" '
    'xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:slash="http://purl.org/rss/1.0/modules/slash/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:foo="http://foo.example/ns" xmlns:x="http://x.example/"'
)


def random_feed(r: random.Random) -> bytes:
    def text() -> str:
        value = r.choice(TEXTS)
        return f"<![CDATA[{value}]]>" if r.random() < 0.3 else value

    def attributes(choices) -> str:
        return "".join(f' {name}="{r.choice(values)}"' for name, values in choices if r.random() < 0.35)

    def item() -> str:
        parts = [
            f"<{name}{attributes(attrs)}>{text()}</{name}>"
            for name, attrs in (r.choice(ITEM_PARTS) for _ in range(r.randint(0, 8)))
        ]
        if r.random() < 0.2:
            parts.append(
                f"<author><name>{text()}</name>{'<email>a@b.com</email>' if r.random() < 0.5 else ''}</author>"
            )
        if r.random() < 0.1:
            parts.insert(r.randint(0, len(parts)), f'<guid ISPERMALINK="false">{text()}</guid>')
        return "".join(parts)

    head = [
        f"<{name}>{text()}</{name}>"
        for name in (
            r.choice(["title", "link", "description", "language", "dc:title", "id", "foo:x", "category"])
            for _ in range(r.randint(0, 4))
        )
    ]
    if r.random() < 0.3:
        head.append(f"<image><title>{text()}</title><url>http://i/</url><link>{text()}</link></image>")
    base = f' xml:base="{r.choice(["http://base.ma/dir/", "/rel/", ""])}"' if r.random() < 0.2 else ""
    if r.random() < 0.6:
        for _ in range(r.randint(0, 4)):
            head.insert(r.randint(0, len(head)), f"<item>{item()}</item>")
        return (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" {NAMESPACES} '
            f'xmlns:atom="http://www.w3.org/2005/Atom"{base}><channel>{"".join(head)}</channel></rss>'
        ).encode()
    for _ in range(r.randint(0, 4)):
        head.insert(r.randint(0, len(head)), f"<entry>{item()}</entry>")
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" {NAMESPACES}{base}>'
        f"{''.join(head)}</feed>"
    ).encode()


def test_random_feeds_read_the_same_both_ways():
    r = random.Random(2024)
    fast = sum(assert_same_both_ways(random_feed(r), "http://example.org/feed.xml") for _ in range(400))
    assert fast > 150


# ---------------------------------------------------------------------------------------------
# HTML → Markdown: plain markup straight to nh3, and through the rebuild


def by_rebuild(html: str, base: str, allow_relative: bool = False) -> str:
    if not html.strip():
        return ""
    return markdown.node_to_markdown(LexborHTMLParser(html).body, base, allow_relative=allow_relative)


PLAIN_WORDS = [
    "Le",
    "port",
    "a-t-on",
    "1.",
    "2)",
    "-",
    "+",
    "*",
    "#",
    ">",
    "[x](y)",
    "**",
    "_",
    "&amp;",
    "&lt;",
    "&nbsp;",
    "&eacute;",
    "&#8217;",
    "&#x2019;",
    "\u00a0",
    "\u202f",
    "é",
    "ⵜⴰ",
    "العربية",
    "!",
    "![",
    "\\",
    "\\-",
    "\n",
    "\t",
    "1990",
    "'",
    '"',
    "=",
    "…",
]
HOSTILE_WORDS = [
    "&#27;",
    "&#x9b;",
    "&lrm;",
    "&copy",
    "&",
    "&#",
    "\r",
    "x\u200ey",
    "\ufeff",
    "&notit;",
    "&#xFFFE;",
]
PARAGRAPH_ATTRIBUTES = ["", "", ' lang="fr"', ' style="x"']
HREFS = [
    "https://e.ma/a",
    "https://e.ma/a?b=1&amp;c=2",
    "/relatif",
    "relatif.html",
    "javascript:x",
    "https://e.ma/a b",
    "https://e.ma/#f",
    "",
    "https://e.ma/a&b",
    "HTTPS://E.MA/",
    # urllib reads these; nh3 (as a browser) refuses some: they must take nh3's road
    "https://e.ma:99999/a",
    "https://e.ma:8080/a",
    "http://1.2.3.999/",
    "http://10.0.0.1/",
    "http://e.ma.123/",
    "http://e.0x7f/",
    "http://xn--a.ma/",
    "http://xn--bcher-kva.ma/",
    "http://u@e.ma/",
]


def random_markup(r: random.Random) -> str:
    def text() -> str:
        pool = PLAIN_WORDS + HOSTILE_WORDS if r.random() < 0.2 else PLAIN_WORDS
        return " ".join(r.choice(pool) for _ in range(r.randint(0, 6)))

    def phrasing(depth: int, in_link: bool = False) -> str:
        out = []
        for _ in range(r.randint(0, 4)):
            k = r.random()
            if k < 0.5 or depth > 4:
                out.append(text())
            elif k < 0.6:
                out.append(r.choice(["<br>", "<br/>", "<br />"]))
            elif k < 0.75 and not in_link:
                extra = r.choice(["", ' rel="nofollow"', ' class="c"', ' title="t"', ' href="x"'])
                out.append(f'<a href="{r.choice(HREFS)}"{extra}>{phrasing(depth + 1, True)}</a>')
            else:
                tag = r.choice(["em", "i", "strong", "b", "code", "sub", "sup", "q", "del", "s"])
                out.append(f"<{tag}>{phrasing(depth + 1, in_link)}</{tag}>")
        return "".join(out)

    def flow(depth: int) -> str:
        out = []
        for _ in range(r.randint(1, 5)):
            k = r.random()
            if k < 0.35 or depth > 3:
                out.append(f"<p{r.choice(PARAGRAPH_ATTRIBUTES)}>{phrasing(depth)}</p>")
            elif k < 0.5:
                out.append(f"<h2>{phrasing(depth)}</h2>")
            elif k < 0.65:
                tag = r.choice(["ul", "ol"])
                items = "".join(
                    f"\n<li>{flow(depth + 1) if r.random() < 0.3 else phrasing(depth)}</li>"
                    for _ in range(r.randint(0, 3))
                )
                out.append(f"<{tag}>{items}</{tag}>")
            elif k < 0.75:
                out.append(f"<blockquote>{flow(depth + 1)}</blockquote>")
            else:
                out.append(phrasing(depth))
            out.append(r.choice(["", "\n", "\n\n", " "]))
        return "".join(out)

    html = flow(0)
    breakage = r.choice(
        [
            None,
            None,
            None,
            lambda s: s.replace("</p>", "", 1),
            lambda s: s.replace("<p>", "<p><p>", 1),
            lambda s: s.replace("</li>", "", 1),
            lambda s: s.replace("<strong>", "<strong><p>", 1),
            lambda s: "  \n" + s,
            lambda s: s + "<!-- c -->",
            lambda s: s.replace("<b>", "<B>", 1),
            lambda s: "<hr>" + s,
            lambda s: s.replace("</b>", "</i>", 1),
            lambda s: s + "<p/>",
            lambda s: s.replace("<ul>", "<ul>texte", 1),
            lambda s: s.replace("<li>", "<li><li>", 1),
            lambda s: "<pre>\n\nx</pre>" + s,
            lambda s: s + "<img src='x'>",
            lambda s: s.replace("<q>", '<q><a href="https://e.ma/">', 1),
            lambda s: "<table><tr><td>x</td></tr></table>" + s,
        ]
    )
    return breakage(html) if breakage else html


def test_plain_markup_skips_the_rebuild_and_gives_the_same_markdown():
    r = random.Random(7)
    plain = bare = 0
    for _ in range(3000):
        html = random_markup(r)
        base = r.choice(["https://e.ma/dir/page.html", "https://www.bladi.net/a,1.html"])
        allow_relative = r.random() < 0.2
        shortcut = markdown._plain_markup(html, base, allow_relative)
        plain += shortcut is not None
        bare += shortcut is not None and shortcut[1]  # nh3 skipped too
        assert markdown.html_to_markdown(html, base, allow_relative=allow_relative) == by_rebuild(
            html, base, allow_relative
        ), html
    assert plain > 200 and bare > 100


def test_values_are_repaired_as_feedparser_repairs_them():
    # feedparser's strict parser decodes UTF-8 read as Latin-1 again, then maps C1 characters
    # to Windows-1252: so does the fast reader, value by value.
    def reference(text: str) -> str:
        try:
            text = text.encode("iso-8859-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
        return text.translate(fast_rules.CP1252) if re.search("[\x80-\x9f]", text) else text

    r = random.Random(4)
    pieces = [
        "a",
        "é",
        "\xc3",
        "\xa9",
        "\x80",
        "\x9f",
        "\xa0",
        "«",
        "\u2019",
        "\xe2",
        "\x82",
        "\xac",
        "\xf0",
        "\x98",
        "\xc2",
        "\xff",
        "z",
        " ",
        "\u0153",
        "\u0645",
        "\ud800",
        "\x85",
    ]
    for _ in range(100_000):
        text = "".join(r.choice(pieces) for _ in range(r.randint(0, 8)))
        assert fast_rules.repaired(text) == reference(text), repr(text)
    assert fast_rules.repaired("CafÃ© Ã\xa0 Rabat â\x80\x99") == "Café à Rabat \u2019"


def test_escaped_signs_go_at_once_as_they_would_one_by_one():
    # The fast road drops every "\\-" and "\\+" at once; the slow one judges each by its line.
    r = random.Random(11)
    pieces = [
        "\\",
        "-",
        "+",
        "\n",
        " ",
        ">",
        "1",
        ".",
        ")",
        "a",
        "*",
        "\t",
        "\\-",
        "\\+",
        "\\\\",
        "\\\n",
        "- ",
        "12. ",
        "> ",
        "\u0663. ",
        "\uff13) ",
    ]  # Arabic-Indic and full-width digits open no list
    fast = 0
    for _ in range(50_000):
        text = "".join(r.choice(pieces) for _ in range(r.randint(0, 14)))
        fast += "\\\\" not in text and not markdown._MAYBE_SIGN_AT_LINE_START.search("\n" + text)
        assert markdown._unescape_signs(text) == markdown._ESCAPED.sub(markdown._needed_escape, text), repr(
            text
        )
    assert fast > 10_000
    assert markdown._unescape_signs("rendez\\-vous à 15h \\+ 2\n\\- liste\n> \\- citée") == (
        "rendez-vous à 15h + 2\n\\- liste\n> \\- citée"
    )


def test_one_line_text_collapses_whitespace_as_a_regex_would():
    r = random.Random(12)
    pieces = [
        " ",
        "\t",
        "\n",
        "\xa0",
        "\u202f",
        "\u2028",
        "\x1c",
        "\x85",
        "a",
        "é",
        "\u3000",
        "\u200b",
        "\ufeff",
        "\r",
    ]
    for _ in range(50_000):
        text = "".join(r.choice(pieces) for _ in range(r.randint(0, 10)))
        expected = re.sub(r"\s+", " ", clean_text(text)).strip()
        assert clean_text(text, multiline=False) == expected, repr(text)


@pytest.mark.parametrize(
    "host",
    [
        "e.ma",
        "1.2.3.4",
        "1.2.3.999",
        "e.ma.123",
        "e.0x7f",
        "0x7f.1",
        "xn--a.ma",
        "xn--bcher-kva.ma",
        "xn--ls8h.ma",
        "-a.ma",
        "e..ma",
        "ma.",
        "123a.ma",
        "e.ma:65535",
        "e.ma:65536",
        "e.ma:99999",
        "e.ma:080",
        "u@e.ma",
        "[::1]",
    ],
)
def test_a_link_keeps_its_target_on_either_road_only_if_nh3_would(host: str):
    html = f'<p><a href="http://{host}/a">lien</a></p>'
    assert markdown.html_to_markdown(html, "https://e.ma/") == by_rebuild(html, "https://e.ma/")


def test_feed_articles_take_the_plain_road_and_give_the_same_markdown():
    feed = read_well_formed(wordpress_feed(items=40, seed=3))
    contents = [entry.content for entry in feed.entries]
    base = "https://hebdo.exemple.ma/2024/05/x/"
    assert sum(markdown._plain_markup(html, base, False) is not None for html in contents) > 5
    for html in contents:
        assert markdown.html_to_markdown(html, base) == by_rebuild(html, base)


@pytest.mark.parametrize(
    "html",
    [
        '<p title="t">x</p>',
        '<p lang="fr">x</p>',
        '<p><a href="https://e.ma/" title="t">x</a></p>',
        "<p>&#27;[31m</p>",
        "<p>&#x9b;</p>",
        "<p>&#128;</p>",
        "<p>&lrm;</p>",
        "<p>&copy 2024</p>",
        "<p>&notin x</p>",
        "<p>&#xFFFE;</p>",
        "<p><p>x</p></p>",
        "<p>x",
        "x</p>",
        "<p>x<!-- c --></p>",
        "<p/>",
        "<P>x</P>",
        "<p>\rx</p>",
        "<p>\x1b</p>",
        '<p><a href="/relatif">x</a></p>',
        '<p><a href="javascript:x">x</a></p>',
        "<p><a>x</a></p>",
        '<a href="https://e.ma/"><b><a href="https://e.ma/b">x</a></b></a>',
        "<ul>texte<li>x</li></ul>",
        "<p><img src='https://e.ma/i.png'></p>",
        "<strong><p>x</p></strong>",
        "<li>x</li>",
        "<p><ul></ul></p>",
        "<pre>x</pre>",
        "<p>\ufeffx</p>",
        "<p>a < b</p>",
        "<table><tr><td>x</td></tr></table>",
    ],
)
def test_markup_that_is_not_plain_takes_the_rebuild(html: str):
    assert markdown._plain_markup(html, "https://e.ma/a.html", False) is None
    assert markdown.html_to_markdown(html, "https://e.ma/a.html") == by_rebuild(html, "https://e.ma/a.html")


# ---------------------------------------------------------------------------------------------
# The store: a batch at once, or one article at a time


def store_contents(path: Path) -> dict:
    db = sqlite3.connect(path)
    try:
        articles = db.execute(
            "SELECT rowid, id, source_id, guid, url, location, title, date, ts, rubrique, rubrique_key, tags, author, "
            "date_line, summary, lead, body, related, suggested, full_text, notice, read, saved FROM articles ORDER BY rowid"
        ).fetchall()
        tags = db.execute(
            "SELECT tag_key, article, tag FROM article_tags ORDER BY article, tag_key"
        ).fetchall()
        index = db.execute(
            "SELECT rowid, title, body, tags, author FROM article_search ORDER BY rowid"
        ).fetchall()
        purged = db.execute("SELECT id FROM purged ORDER BY id").fetchall()
    finally:
        db.close()
    return {"articles": articles, "tags": tags, "index": index, "purged": purged}


def batches() -> list[tuple[list[Article], bool]]:
    now = datetime(2024, 6, 1, tzinfo=UTC)

    def a(guid: str, title: str, **fields) -> Article:
        return Article(guid=guid, title=title, url=f"https://e.ma/{guid}", date=now, **fields)

    return [
        (
            [
                a("1", "Un", tags=["Maroc", "maroc", "Éco"], rubrique="Éco", summary="intro"),
                a("2", "Deux", body="Le texte entier.", full_text=True, author="S.A"),
                a("3", "Trois", tags=["Sport"], related=[Link("Lien", "https://e.ma/l")]),
                a("4", "Quatre"),
                a("5", "Cinq"),
            ],
            False,
        ),
        # Updates: an intro after a full text, new tags, a purged article, the same id twice.
        (
            [
                a("2", "Deux", summary="seulement l'intro"),
                a("1", "Un (mis à jour)", tags=["Société"]),
                a("5", "Cinq"),
                a("6", "Six", body="Six.", full_text=True),
                a("6", "Six bis", tags=["Doublon"]),
                a("7", "Sept"),
            ],
            False,
        ),
        ([a("4", "Quatre revenu", body="Corps.", full_text=True), a("8", "Huit")], True),
        ([a("1", "Un (mis à jour)", tags=["Société"]), a("3", "Trois")], False),  # nothing changes
    ]


def test_a_batch_is_stored_as_its_articles_one_by_one(tmp_path):
    at_once, one_by_one = Store(tmp_path / "batch.sqlite3"), Store(tmp_path / "single.sqlite3")
    for store in (at_once, one_by_one):
        store.ensure_source("s", "Source")
    new_at_once, new_one_by_one = [], []
    for number, (articles, revive) in enumerate(batches()):
        if number == 1:  # marks and retention between the batches, the same in both stores
            for store in (at_once, one_by_one):
                rowids = store.topic_rowids(ALL)
                store.set_read(rowids[:2])
                store.set_saved(rowids[2], True)
                purged = [(articles[-1].id,), (Article(guid="4", title="").id,)]
                store._write(
                    lambda db, purged=purged: db.executemany(
                        "INSERT INTO purged(id, purged_at) VALUES (?, 0)", purged
                    )
                )
        new_at_once.append(at_once.upsert_articles("s", articles, revive=revive))
        new_one_by_one.append(
            sum(one_by_one.upsert_articles("s", [article], revive=revive) for article in articles)
        )
    assert new_at_once == new_one_by_one == [5, 1, 1, 0]
    for store in (at_once, one_by_one):
        store.close()
    assert store_contents(tmp_path / "batch.sqlite3") == store_contents(tmp_path / "single.sqlite3")


def test_a_generator_of_articles_is_stored_too(tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    store.ensure_source("s", "Source")
    assert store.upsert_articles("s", (Article(guid=str(n), title=f"T{n}") for n in range(3))) == 3
    assert len(store.topic_rowids(ALL)) == 3
    store.close()


# ---------------------------------------------------------------------------------------------
# Worker processes


def wait_for_workers(timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while pool._workers is None or pool._workers.pool is None:
        assert time.monotonic() < deadline, "the worker processes did not start"
        time.sleep(0.05)


def test_a_feed_read_in_a_worker_process_is_the_feed_read_here(monkeypatch):
    document = wordpress_feed(items=60, seed=5)
    assert len(document) >= pool.PROCESS_MIN_BYTES
    monkeypatch.setattr(pool, "WORKERS_FROM_BYTES", len(document))
    expected = parse_feed(document, "https://hebdo.exemple.ma/feed/", source="WP")
    with pool.parsing_processes(2):
        first = asyncio.run(pool.parse_feed_async(document, "https://hebdo.exemple.ma/feed/", source="WP"))
        wait_for_workers()  # the first feed (read here) started them
        got = asyncio.run(pool.parse_feed_async(document, "https://hebdo.exemple.ma/feed/", source="WP"))
        with pytest.raises(FeedParseError, match="^not a feed: the document is an HTML page$"):
            asyncio.run(pool.parse_feed_async(b"<!DOCTYPE html><html>" + b" " * 40_000, "https://e.ma/"))
    assert reading(got) == reading(first) == reading(expected)
    assert pool._workers is None  # the block ended: the workers stop


def test_small_feeds_never_start_the_workers(monkeypatch):
    document = rss("<item><title>Petit</title></item>")
    with pool.parsing_processes(2):
        for _ in range(50):
            asyncio.run(pool.parse_feed_async(document, "https://e.ma/"))
        assert pool._workers.pool is None and not pool._workers._started


def test_a_large_refresh_reads_feeds_in_worker_processes_and_stores_the_same(loopback, tmp_path, monkeypatch):
    from tui.config import SourceSpec
    from tui.refresh import PARSING_PROCESSES_FROM, refresh_sources

    def serve(document: bytes, first: bool):
        def answer(request):
            # The first feed starts the workers; the others come once they are up, to be read there.
            deadline = time.monotonic() + 60
            while (
                not first
                and waiting
                and time.monotonic() < deadline
                and (pool._workers is None or pool._workers.pool is None)
            ):
                if not request.pause(0.05):
                    return
            request.send_body(200, document, {"Content-Type": "application/rss+xml"})

        return answer

    monkeypatch.setattr(pool, "WORKERS_FROM_BYTES", 1)  # the first feed starts them
    waiting = [True]
    specs = []
    for number in range(PARSING_PROCESSES_FROM):
        loopback.route_handler(
            f"/feed/{number}.xml", serve(wordpress_feed(items=30, seed=number), number == 0)
        )
        specs.append(
            SourceSpec(name=f"WP {number}", url=loopback.url(f"/feed/{number}.xml"), full_text=False)
        )
    converted_here = []
    real = normalise.to_markdown
    monkeypatch.setattr(normalise, "to_markdown", lambda *args: converted_here.append(1) or real(*args))

    with_workers = Store(tmp_path / "workers.sqlite3")
    outcomes = asyncio.run(refresh_sources(with_workers, specs))
    assert [o.error for o in outcomes] == [""] * len(specs) and sum(o.new for o in outcomes) == 30 * len(
        specs
    )
    assert len(converted_here) <= 30  # all but the first feed's articles were converted in the workers
    assert pool._workers is None
    converted_here.clear()
    waiting.clear()

    monkeypatch.setattr("tui.refresh.PARSING_PROCESSES_FROM", 10**6)
    here = Store(tmp_path / "here.sqlite3")
    asyncio.run(refresh_sources(here, specs))
    assert len(converted_here) > 20 * len(specs)  # and here, every one was converted here
    for store in (with_workers, here):
        store.close()
    workers, threads = store_contents(tmp_path / "workers.sqlite3"), store_contents(tmp_path / "here.sqlite3")

    def by_id(rows):  # the feeds arrive in any order: rowids differ, ids do not
        return sorted((row[1:] for row in rows), key=lambda row: row[0])

    assert by_id(workers["articles"]) == by_id(threads["articles"])
    assert len(workers["index"]) == len(threads["index"]) == 30 * len(specs)


EAGER_SCRIPT = r"""
import asyncio, sys, threading, time
from tests.test_fast_roads import reading, wordpress_feed
from tui.feeds import pool
from tui.feeds.parse import parse_feed

document = wordpress_feed(items=60, seed=5)
expected = parse_feed(document, "https://hebdo.exemple.ma/feed/", source="WP")
if sys.argv[1] == "thread":
    stop = threading.Event()
    threading.Thread(target=stop.wait, daemon=True).start()
with pool.parsing_processes(2, **{sys.argv[2]: True}):
    deadline = time.monotonic() + 60
    while pool._workers.pool is None and time.monotonic() < deadline:
        time.sleep(0.05)
    executor = pool._workers.pool
    print("pool", None if executor is None else executor._mp_context.get_start_method())
    got = asyncio.run(pool.parse_feed_async(document, "https://hebdo.exemple.ma/feed/", source="WP"))
print("same", reading(got) == reading(expected))
"""


PARTIAL_FORK_SCRIPT = r"""
import concurrent.futures.process as process, multiprocessing, time
from tui.feeds import pool

spawn, forks = process.ProcessPoolExecutor._spawn_process, []
def second_fork_fails(pool):  # a limit on processes, reached after the first worker
    forks.append(1)
    if len(forks) == 2:
        raise BlockingIOError(11, "Resource temporarily unavailable")
    return spawn(pool)
process.ProcessPoolExecutor._spawn_process = second_fork_fails
with pool.parsing_processes(2, fork=True):
    print("forked", pool._workers._forked)
print("left", len(multiprocessing.active_children()))
"""


def test_a_fork_that_fails_half_way_leaves_no_worker_behind():
    # The worker forked before the failure would wait for work forever, and the fetch for it
    # at exit: it is stopped, and the refresh goes on without forked workers.
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", PARTIAL_FORK_SCRIPT], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["forked", "False", "left", "0"]
    assert "feed workers could not be forked" in done.stderr


@pytest.mark.parametrize(
    ("threads", "start", "method"),
    [
        ("none", "eager", "forkserver"),
        ("thread", "eager", "forkserver"),
        ("none", "fork", "fork"),
        ("thread", "fork", "forkserver"),
    ],
)
def test_a_large_refresh_starts_its_workers_at_once(threads, start, method):
    # Eager: from the fork server, never a plain fork of the refreshing process (its children
    # would inherit its lock files' descriptors and its SQLite connection), without waiting for
    # the refresh to bring 256 KB of feeds. With fork (the headless fetch, before it holds
    # anything): a plain fork, unless another thread runs.
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", EAGER_SCRIPT, threads, start],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == f"pool {method}\nsame True"


def test_workers_let_go_stop_before_the_block_ends_and_none_outlives_it(monkeypatch):
    document = wordpress_feed(items=60, seed=5)
    monkeypatch.setattr(pool, "WORKERS_FROM_BYTES", len(document))
    with pool.parsing_processes(2, eager=True):
        wait_for_workers()
        workers = {child.pid for child in multiprocessing.active_children()}
        assert workers
        pool.let_workers_go()  # the headless fetch, once every source is done
        # A feed read now is read here, in a thread: same result.
        got = asyncio.run(pool.parse_feed_async(document, "https://hebdo.exemple.ma/feed/", source="WP"))
        assert reading(got) == reading(parse_feed(document, "https://hebdo.exemple.ma/feed/", source="WP"))
        deadline = time.monotonic() + 60
        while workers & {child.pid for child in multiprocessing.active_children()}:  # they stop meanwhile
            assert time.monotonic() < deadline, "the workers let go did not stop"
            time.sleep(0.05)
    assert not [thread for thread in threading.enumerate() if thread.name == "feed-workers-stop"]
    assert pool._workers is None


def test_a_large_refresh_the_process_exits_after_lets_its_workers_go_when_every_source_is_done(
    loopback, tmp_path
):
    from tui.config import SourceSpec
    from tui.refresh import PARSING_PROCESSES_FROM, refresh

    specs = []
    for number in range(PARSING_PROCESSES_FROM):
        loopback.route(f"/feed/{number}.xml", rss(f"<item><title>N{number}</title></item>"))
        specs.append(SourceSpec(name=f"N {number}", url=loopback.url(f"/feed/{number}.xml"), full_text=False))
    store = Store(tmp_path / "s.sqlite3")
    with pool.parsing_processes(2, eager=True):  # the headless fetch's block, around its refresh
        wait_for_workers()
        outcomes = asyncio.run(refresh(store, specs, exiting=True)).outcomes
        assert [o.error for o in outcomes] == [""] * len(specs)
        # The block has not ended, yet its workers were let go (that they stop before it ends:
        # the test above): the fetch's last writes do not wait for them.
        assert pool._workers is not None and pool._workers.pool is None
    assert pool._workers is None
    store.close()
