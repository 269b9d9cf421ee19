"""Reading feeds: what a Bladi.net backend, an Atom feed, a JSON Feed or a hostile feed become."""

from __future__ import annotations

import json
import re
import time
from dataclasses import fields
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.feeds import text as feed_text
from tui.feeds.entry import FeedParseError, ParsedFeed
from tui.feeds.parse import parse_feed
from tui.feeds.sniff import looks_like_feed
from tui.model import Article

FEEDS = Path(__file__).resolve().parent / "fixtures" / "feeds"
BLADI_BACKEND = "https://www.bladi.net/spip.php?page=backend"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A Markdown link or image target, "](target" with an unescaped "]": it must be http(s).
MARKDOWN_TARGET = re.compile(r"(?<!\\)\]\(\s*<?([^)\s>]*)")


def parse_fixture(name: str, url: str = "https://flux.exemple.ma/", **kwargs: str) -> ParsedFeed:
    return parse_feed((FEEDS / name).read_bytes(), url, source="Test", **kwargs)


CHANNEL = "<title>Flux</title><link>https://flux.exemple.ma/</link>"


def rss(items: str, channel: str = CHANNEL, errors: str = "strict") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel>{channel}{items}</channel></rss>"
    ).encode("utf-8", errors)


def strings_of(feed: ParsedFeed) -> list[str]:
    """Every string a ParsedFeed carries, its articles' fields and tags included."""
    found = [feed.title, feed.link, feed.bozo]
    for article in feed.articles:
        for f in fields(Article):
            value = getattr(article, f.name)
            if isinstance(value, str):
                found.append(value)
            elif isinstance(value, list):
                for item in value:
                    found.extend([item] if isinstance(item, str) else [item.title, item.url, item.summary])
    return found


def assert_safe(feed: ParsedFeed) -> None:
    for text in strings_of(feed):
        assert not UNSAFE.search(text), repr(text)
        text.encode("utf-8")  # no lone surrogate either: the store and the terminal need UTF-8
    assert feed.link == "" or feed.link.startswith(("http://", "https://"))
    for article in feed.articles:
        assert article.url == "" or article.url.startswith(("http://", "https://")), article.url
        for target in MARKDOWN_TARGET.findall(article.body):
            assert target == "" or target.startswith(("http://", "https://")), target
        assert article.date is None or article.date.tzinfo is not None


# --- Bladi.net: a SPIP backend --------------------------------------------------------------


@pytest.fixture(scope="module")
def bladi() -> ParsedFeed:
    return parse_feed((FEEDS / "bladi-backend.xml").read_bytes(), BLADI_BACKEND, source="Bladi.net")


def test_bladi_feed_gives_its_title_link_and_five_articles(bladi: ParsedFeed) -> None:
    assert bladi.title == "Bladi.net"
    assert bladi.link == "https://www.bladi.net/"
    assert bladi.bozo == ""
    assert len(bladi.articles) == 5
    assert {a.source for a in bladi.articles} == {"Bladi.net"}


def test_bladi_item_maps_rubrique_keywords_author_and_local_date(bladi: ParsedFeed) -> None:
    article = bladi.articles[0]
    assert article.title == "Sebta : les douaniers saisissent des tonnes de marchandises de contrebande"
    assert article.url == article.guid == "https://www.bladi.net/sebta-saisies-contrebande,116101.html"
    assert article.rubrique == "Economie"
    assert article.tags == ["Contrebande", "Sebta", "Melilla"]
    assert article.author == "S.A"
    # dc:date keeps Morocco's offset and means the same instant in UTC.
    assert article.date == datetime(2023, 12, 16, 15, 0, tzinfo=timezone(timedelta(hours=1)))
    assert article.date.utcoffset() == timedelta(hours=1)
    assert article.date == datetime(2023, 12, 16, 14, 0, tzinfo=UTC)


def test_bladi_summary_loses_the_cut_mark_and_the_rubrique_tail(bladi: ParsedFeed) -> None:
    for article in bladi.articles:
        assert "(...)" not in article.summary
        assert "nbsp" not in article.summary and "&#" not in article.summary
        assert "rel=" not in article.summary and "<a" not in article.summary
        assert not article.summary.endswith(("-", "/", " ")), article.summary
        assert article.rubrique not in article.summary
        assert article.body == "" and not article.full_text  # Bladi's text lives on its page
    assert bladi.articles[0].summary.endswith("d’électroménager non déclarés")


def test_bladi_two_word_rubrique_and_keywords_from_the_tag_links(bladi: ParsedFeed) -> None:
    article = bladi.articles[1]  # no dc:subject: the keywords come from the rel="tag" links
    assert article.rubrique == "Marocains du monde"
    assert article.tags == ["Belgique", "Transferts d’argent", "Diaspora"]
    assert article.summary.endswith("en Belgique et aux Pays-Bas")


def test_bladi_intro_that_was_not_cut_keeps_all_its_text(bladi: ParsedFeed) -> None:
    article = bladi.articles[2]
    assert article.rubrique == "Maroc"
    assert article.tags == ["Sécurité routière"]
    assert article.summary == (
        "Deux cents radars supplémentaires seront installés d’ici l’été sur les grands axes."
    )


def test_bladi_french_typography_and_ampersand_survive(bladi: ParsedFeed) -> None:
    assert "« une édition de rencontres »" in bladi.articles[3].summary
    assert bladi.articles[4].title == (
        "Lions de l’Atlas : Regragui convoque deux nouveaux joueurs & rappelle un cadre"
    )
    assert bladi.articles[4].rubrique == "Sport"


def test_spip_tail_quoted_as_plain_text_is_understood() -> None:
    feed = parse_feed(
        rss(
            "<item><title>Contrebande</title><link>https://www.bladi.net/contrebande,1.html</link>"
            "<description>Les saisies augmentent aux deux postes frontières (...) - Economie / "
            "Contrebande, Sebta, Melilla</description></item>"
        ),
        BLADI_BACKEND,
    )
    article = feed.articles[0]
    assert article.summary == "Les saisies augmentent aux deux postes frontières"
    assert article.rubrique == "Economie"
    assert article.tags == ["Contrebande", "Sebta", "Melilla"]


def test_text_ending_with_a_dash_is_not_mistaken_for_a_spip_tail() -> None:
    feed = parse_feed(
        rss("<item><title>T</title><description>Score final : Raja 2 - Wydad 1</description></item>"), ""
    )
    assert feed.articles[0].summary == "Score final : Raja 2 - Wydad 1"
    assert feed.articles[0].rubrique == ""


# --- Atom, JSON Feed, WordPress ---------------------------------------------------------------


def test_atom_feed() -> None:
    feed = parse_fixture("atom.xml", "https://journal.exemple.ma/atom.xml")
    assert feed.title == "Le Journal d’exemple"
    assert feed.link == "https://journal.exemple.ma/"
    first, second, third = feed.articles
    assert first.title == "Tanger : le port Med dépasse ses objectifs"  # type="html": tags go
    assert first.url == "https://journal.exemple.ma/economie/tanger-med-objectifs.html"  # xml:base
    assert first.guid == "tag:journal.exemple.ma,2023:article-901"
    assert first.author == "Nadia Berrada"
    assert first.tags == ["Économie", "Ports"] and first.rubrique == "Économie"
    assert first.date == datetime(2023, 12, 16, 8, 15, tzinfo=UTC)  # published, not updated
    assert first.summary == "Le trafic de conteneurs a franchi un nouveau palier cette année."
    assert first.full_text and "agrandissement des quais" in first.body
    # Content without a summary: the content is the article, the summary its beginning.
    assert second.full_text and "ateliers d’écriture" in second.body
    assert second.summary.startswith("Pendant une semaine, auteurs et illustrateurs")
    assert second.date == datetime(2023, 12, 15, 14, 0, tzinfo=UTC)
    # type="text": what looks like markup is the text itself. A naive date is taken as UTC.
    assert third.title == "Balises <b> et crochets [x] : un titre en texte brut"
    assert third.summary == "Un résumé en texte brut qui parle de <p> sans en contenir."
    assert third.date == datetime(2023, 12, 14, 8, 0, tzinfo=UTC)
    assert not third.full_text and third.body == ""


def test_json_feed() -> None:
    feed = parse_fixture("feed.json", "https://carnet.exemple.ma/feed.json")
    assert feed.title == "Carnet de route marocain"
    assert feed.link == "https://carnet.exemple.ma/"
    first, second, third = feed.articles
    assert first.guid == first.url == "https://carnet.exemple.ma/2023/12/chefchaouen-hiver"
    assert first.title == "Chefchaouen en hiver : la ville bleue sous la brume"
    assert first.summary == "Balade dans la médina quand les touristes sont partis."
    assert first.full_text and "thé à la menthe brûlant" in first.body
    assert "piège" not in first.body  # the script went with its content
    assert first.author == "Salma Idrissi, Omar Tazi"
    assert first.tags == ["Voyage", "Rif"] and first.rubrique == "Voyage"
    assert first.date == datetime(2023, 12, 10, 7, 30, tzinfo=UTC)
    assert second.guid == "2"
    assert second.url == "https://carnet.exemple.ma/2023/12/dakhla-kitesurf"
    assert second.full_text and "Le vent souffle" in second.body
    assert second.summary.startswith("La lagune attire chaque hiver")
    # No title: the beginning of the text stands in; an unreadable date is no date.
    assert third.title.startswith("Une courte note sans titre ni lien")
    assert third.url == "" and third.date is None


def test_json_feed_version_1_author_and_duplicate_ids() -> None:
    document = {
        "version": "https://jsonfeed.org/version/1",
        "title": "Ancien format",
        "items": [
            {"id": "a", "title": "Premier", "author": {"name": "Rachid"}, "content_text": "un"},
            {"id": "a", "title": "Doublon", "content_text": "deux"},
            "pas un objet",
        ],
    }
    feed = parse_feed(json.dumps(document).encode(), "https://exemple.ma/feed.json")
    assert [a.title for a in feed.articles] == ["Premier"]
    assert feed.articles[0].author == "Rachid"
    assert feed.bozo  # the item that was not an object is reported


@pytest.mark.parametrize(
    "document, message",
    [
        (b"{not json", "not valid JSON"),
        (b'{"title": "no items"}', "not a JSON Feed"),
        (b"[1, 2, 3]", "not a JSON Feed"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    ],
)
def test_json_that_is_not_a_json_feed(document: bytes, message: str) -> None:
    with pytest.raises(FeedParseError, match=message):
        parse_feed(document, "https://exemple.ma/feed.json")


def test_wordpress_full_content_becomes_the_body() -> None:
    feed = parse_fixture("wordpress-rss.xml", "https://hebdo.exemple.ma/feed/")
    first, second = feed.articles
    assert first.full_text and second.full_text
    assert first.guid == "https://hebdo.exemple.ma/?p=48213"
    assert first.author == "Karim Bennani"
    assert first.tags == ["Économie", "Eau", "Casablanca"]  # "économie" was the same category
    assert first.rubrique == "Économie"
    assert first.date == datetime(2023, 12, 16, 13, 45, tzinfo=UTC)
    assert first.summary.startswith("La future usine doit fournir une grande part de l’eau potable")
    assert "<p>" not in first.summary
    for text in ("Un chantier de trois ans", "fournisseur espagnol", "Sécheresse"):
        assert text in first.body
    assert "trackPageView" not in first.body and "<script" not in first.body
    assert "Première ligne" in second.body and "Sidi Youssef Ben Ali" in second.body
    assert second.title == "Marrakech : le tramway ? Pas avant 2026"


# --- Encodings, broken and non-feeds -----------------------------------------------------------


@pytest.mark.parametrize("name", ["latin1.xml", "bom-utf8.xml"])
def test_declared_encoding_and_bom_decode_accents(name: str) -> None:
    feed = parse_fixture(name)
    assert feed.bozo == ""
    assert feed.articles[0].title.startswith("Sécurité")


def test_bom_feed_keeps_tifinagh_and_arabic() -> None:
    assert "ⵜⴰⵎⴰⵣⵉⵖⵜ et العربية" in parse_fixture("bom-utf8.xml").articles[0].summary


def test_charset_from_the_server_decodes_an_undeclared_latin1_feed() -> None:
    document = rss("<item><title>Sécurité</title></item>").replace(b' encoding="utf-8"', b"")
    document = document.decode("utf-8").encode("iso-8859-1")
    feed = parse_feed(document, "", content_type="text/xml; charset=ISO-8859-1")
    assert feed.articles[0].title == "Sécurité"


def test_text_xml_without_charset_still_reads_utf8() -> None:
    # RFC 3023 says us-ascii for text/xml without a charset; real servers mean UTF-8.
    document = rss("<item><title>Sécurité</title></item>").replace(b' encoding="utf-8"', b"")
    feed = parse_feed(document, "", content_type="text/xml")
    assert feed.articles[0].title == "Sécurité"
    assert feed.bozo == ""


def test_truncated_feed_keeps_the_items_it_had() -> None:
    feed = parse_fixture("broken-truncated.xml")
    assert feed.title == "Quotidien interrompu"
    assert [a.title for a in feed.articles][:2] == [
        "Fès : la restauration des tanneries Chouara est achevée",
        "Meknès : la foire agricole annonce ses dates",
    ]
    assert feed.articles[0].url == "https://quotidien.exemple.ma/fes-tanneries.html"
    assert feed.bozo.startswith("The feed is malformed") and feed.bozo.endswith(".")
    assert "\n" not in feed.bozo


@pytest.mark.parametrize(
    "document",
    [
        b"<!DOCTYPE html><html lang='fr'><head><title>Bladi.net</title></head><body>x</body></html>",
        b"\n\n<html><body><p>Accueil</p></body></html>",
        b"<!doctype html>\n<meta charset=utf-8><title>Accueil</title><p>Bonjour",
        b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head/><body/></html>',
    ],
)
def test_html_page_is_not_a_feed(document: bytes) -> None:
    with pytest.raises(FeedParseError, match="^not a feed: the document is an HTML page$"):
        parse_feed(document, "https://www.bladi.net/")


@pytest.mark.parametrize("document", [b"", b"   \n\t", b"\xef\xbb\xbf", b"\xef\xbb\xbf  \r\n"])
def test_empty_document(document: bytes) -> None:
    with pytest.raises(FeedParseError, match="^empty document$"):
        parse_feed(document, "https://exemple.ma/feed")


@pytest.mark.parametrize(
    "document", [b"Bonjour", b"<urlset><url><loc>x</loc></url></urlset>", b"\x00\xff\x00"]
)
def test_other_documents_are_not_feeds(document: bytes) -> None:
    with pytest.raises(FeedParseError, match="^not a feed"):
        parse_feed(document, "https://exemple.ma/feed")


def test_a_document_naming_a_local_file_is_not_read_from_disk(tmp_path: Path) -> None:
    # feedparser.parse(bytes) opens the bytes as a file name when such a file exists.
    secret = tmp_path / "secret.xml"
    secret.write_bytes(rss("<item><title>contenu du disque</title></item>"))
    with pytest.raises(FeedParseError):
        parse_feed(str(secret).encode(), "https://exemple.ma/feed")


def test_duplicate_guids_keep_the_first() -> None:
    item = "<item><guid>{g}</guid><title>{t}</title></item>"
    feed = parse_feed(
        rss(item.format(g="a", t="Un") + item.format(g="b", t="Deux") + item.format(g="a", t="Trois")), ""
    )
    assert [a.title for a in feed.articles] == ["Un", "Deux"]


def test_items_without_guid_are_told_apart_by_link_then_title() -> None:
    feed = parse_feed(
        rss(
            "<item><title>A</title><link>/a.html</link></item>"
            "<item><title>A</title><link>/a.html</link></item>"
            "<item><title>Sans lien</title></item><item><title>Sans lien</title></item>"
            "<item><title>Autre</title></item>"
        ),
        "https://exemple.ma/rss",
    )
    assert [a.title for a in feed.articles] == ["A", "Sans lien", "Autre"]
    assert feed.articles[0].guid == feed.articles[0].url == "https://exemple.ma/a.html"
    assert len({a.guid for a in feed.articles}) == 3


def test_titles_are_plain_text_and_limited() -> None:
    feed = parse_feed(
        rss(
            "<item><title>&lt;b&gt;Gras&lt;/b&gt; &amp;amp; &lt;i&gt;italique&lt;/i&gt;</title></item>"
            f"<item><title>{'é' * 2000}</title></item>"
        ),
        "",
    )
    assert feed.articles[0].title == "Gras & italique"
    assert len(feed.articles[1].title) == 500


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("<pubDate>Sat, 16 Dec 2023 15:00:00 +0100</pubDate>", datetime(2023, 12, 16, 14, tzinfo=UTC)),
        ("<dc:date>2023-12-16T15:00:00</dc:date>", datetime(2023, 12, 16, 15, tzinfo=UTC)),
        ("<pubDate>16 décembre 2023</pubDate>", None),
        ("<pubDate>Sat, 16 Dec 2999 15:00:00 GMT</pubDate>", datetime(2999, 12, 16, 15, tzinfo=UTC)),
        ("<pubDate>Sat, 99 Dec 99999 99:99:99 GMT</pubDate>", None),
        ("", None),
    ],
)
def test_dates_are_aware_or_none(raw: str, expected: datetime | None) -> None:
    article = parse_feed(rss(f"<item><title>T</title>{raw}</item>"), "").articles[0]
    assert article.date == expected
    assert article.date is None or article.date.tzinfo is not None


def test_relative_links_resolve_against_the_feed_url_and_only_web_links_stay() -> None:
    feed = parse_feed(
        rss(
            "<item><title>Relatif</title><link>/maroc/article,12.html</link></item>"
            "<item><title>FTP</title><link>ftp://exemple.ma/x</link></item>"
            "<item><title>Fichier</title><link>file:///etc/passwd</link></item>",
            channel="<title>F</title><link>/</link>",
        ),
        "https://www.bladi.net/spip.php?page=backend",
    )
    assert feed.link == "https://www.bladi.net/"
    assert [a.url for a in feed.articles] == ["https://www.bladi.net/maroc/article,12.html", "", ""]


# --- Hostile input --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile() -> ParsedFeed:
    return parse_fixture("hostile.xml", "https://hostile.exemple/rss")


def test_hostile_feed_leaves_no_control_or_bidi_character(hostile: ParsedFeed) -> None:
    assert len(hostile.articles) == 4
    assert_safe(hostile)
    assert hostile.articles[0].title == "Alerte ]52;c;ZXZpbA== presse-papiers"


def test_hostile_feed_keeps_no_link_but_http(hostile: ParsedFeed) -> None:
    assert hostile.link == ""
    assert [a.url for a in hostile.articles] == ["", "", "https://hostile.exemple/markup.html", ""]
    body = hostile.articles[2].body
    for scheme in ("javascript:alert(2)", "vbscript:", "data:text", "onerror"):
        assert f"]({scheme}" not in body and scheme not in body.replace("\\", "")
    assert "alert(1)" not in body  # the script went with its content


def test_text_that_looks_like_markup_is_kept_literally(hostile: ParsedFeed) -> None:
    article = hostile.articles[2]
    assert article.title == "[bold]x[/] [@click=app.quit]y[/]"
    assert article.summary == "[link='file:///etc/shadow']z[/] [@click=app.quit]y[/] [/]"
    assert article.full_text
    assert "x" in article.body and "le texte qui ressemble à du balisage reste du texte" in article.body


def test_character_references_to_controls_in_a_well_formed_feed() -> None:
    # CDATA keeps the feed well-formed, so the strict parser (not the lenient one) reads it.
    feed = parse_feed(
        rss(
            "<item><title><![CDATA[Titre &#27;]52;c;ZXZpbA==&#7; &#x9b;2J &#x202e;fin]]></title>"
            "<guid>g&#x9b;1</guid><dc:creator>\u202eAuteur</dc:creator><category>Tag\u2066</category>"
            "<description><![CDATA[<p>&#27;[31m rouge &#x202e; \u2067</p>]]></description>"
            "<content:encoded><![CDATA[<p>&#27;[31m rouge &#x202e;</p>"
            "<p>un corps plus long que le résumé</p>]]>"
            "</content:encoded></item>",
            channel="<title>\u202eFlux&#x9b;</title><link>https://exemple.ma/</link>",
        ),
        "https://exemple.ma/rss",
    )
    assert feed.bozo == ""
    assert_safe(feed)
    assert feed.articles[0].tags == ["Tag"] and feed.articles[0].author == "Auteur"


@pytest.mark.parametrize(
    "text",
    [
        "x" + " " * 300_000 + '- <a rel="tag">t</a> z',  # a SPIP tail search that backtracks
        "x" + "&nbsp;" * 100_000 + ' - <a rel="directory">R</a>',
        "(...) - a / " * 50_000,
        "<a" * 200_000,  # tags that never close
        "<script>" * 50_000 + "<!--" * 50_000,
        '<a rel="tag">t</a>, ' * 30_000 + "x",
    ],
    ids=["spaces", "nbsp", "cut-marks", "open-tags", "open-scripts", "tag-links"],
)
def test_pathological_descriptions_take_linear_time(text: str) -> None:
    # Quadratic work on these ~1 MB descriptions would take minutes; linear takes well under a second.
    document = rss(f"<item><title>T</title><description>{escape(text)}</description></item>")
    started = time.perf_counter()
    feed = parse_feed(document, "https://exemple.ma/rss")
    assert time.perf_counter() - started < 10
    assert_safe(feed)


# --- Sniffing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["bladi-backend.xml", "atom.xml", "feed.json", "wordpress-rss.xml", "latin1.xml", "bom-utf8.xml"]
)
def test_fixtures_look_like_feeds(name: str) -> None:
    assert looks_like_feed((FEEDS / name).read_bytes())


@pytest.mark.parametrize(
    "document, content_type, expected",
    [
        (b'<?xml version="1.0"?>\n<!-- commentaire -->\n<rdf:RDF xmlns:rdf="x"/>', "", True),
        (b"<!DOCTYPE rss [<!ENTITY a 'b>'>]><rss version='0.91'/>", "", True),
        ("<?xml version='1.0' encoding='utf-16'?><feed/>".encode("utf-16"), "", True),
        ("<rss/>".encode("utf-16-le"), "", True),
        (b'{"items": []}', "application/feed+json", True),
        (b'{"version": "https:\\/\\/jsonfeed.org\\/version\\/1.1", "items": []}', "", True),
        (b'{"items": []}', "application/json", False),
        (b"<!DOCTYPE html><html></html>", "", False),
        (b"<html><body><rss/></body></html>", "application/rss+xml", False),
        (b"<!-- jamais ferm\xc3\xa9", "", False),
        (b"", "", False),
        (b"Bonjour", "", False),
    ],
)
def test_looks_like_feed(document: bytes, content_type: str, expected: bool) -> None:
    assert looks_like_feed(document, content_type) is expected


# --- Properties -------------------------------------------------------------------------------

# Text with every kind of character a feed could smuggle in: controls, C1, bidi, surrogates...
hostile_text = st.lists(
    st.one_of(
        st.characters(codec=None),
        st.sampled_from("\x1b\x07\x9b\x9d\u202e\u2066\u2028&<>\"';[]/(...)-"),
        st.sampled_from(["&#27;", "&#x9b;", "&#x202e;", "&amp;", "&nbsp;(...)", " - ", " / ", "]]>"]),
        st.sampled_from(["&#xd800;", "&#x110000;", "&#99999999999;", "<a rel='directory'>", "</a>"]),
    ),
    max_size=40,
).map("".join)


def _parse_or_refuse(document: bytes, url: str = "https://exemple.ma/rss") -> ParsedFeed | None:
    try:
        feed = parse_feed(document, url)
    except FeedParseError as error:
        assert str(error) and "\n" not in str(error)
        return None
    assert_safe(feed)
    return feed


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_any_bytes_parse_or_raise_feed_parse_error(document: bytes) -> None:
    _parse_or_refuse(document)
    looks_like_feed(document)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_any_bytes_after_a_feed_prolog(tail: bytes) -> None:
    _parse_or_refuse(b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>' + tail)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=hostile_text,
    description=hostile_text,
    link=hostile_text,
    category=hostile_text,
    author=hostile_text,
    guid=hostile_text,
    escape_it=st.booleans(),
)
def test_any_text_in_an_rss_template(
    title: str, description: str, link: str, category: str, author: str, guid: str, escape_it: bool
) -> None:
    def put(text: str) -> str:
        return escape(text) if escape_it else text

    document = rss(
        f"<item><title>{put(title)}</title><link>{put(link)}</link><guid>{put(guid)}</guid>"
        f"<dc:creator>{put(author)}</dc:creator><category>{put(category)}</category>"
        f"<description>{put(description)}</description>"
        f"<content:encoded>{put(description * 3)}</content:encoded></item>",
        channel=f"<title>{put(title)}</title><link>{put(link)}</link>",
        errors="surrogatepass",  # a lone surrogate becomes bytes that are not UTF-8
    )
    _parse_or_refuse(document)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=hostile_text,
    text=hostile_text,
    url=hostile_text,
    tag=hostile_text,
    item_id=st.one_of(hostile_text, st.integers(), st.none(), st.booleans()),
)
def test_any_text_in_a_json_feed_template(title: str, text: str, url: str, tag: str, item_id: object) -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": url,
        "items": [
            {
                "id": item_id,
                "title": title,
                "url": url,
                "summary": text,
                "content_html": text * 3,
                "tags": [tag, tag],
                "authors": [{"name": title}],
                "date_published": text,
            },
            {"id": item_id, "content_text": text, "external_url": url},
        ],
    }
    _parse_or_refuse(json.dumps(document).encode("utf-8", "surrogatepass"))


# --- Without tui.extract.markdown ---------------------------------------------------------------


@pytest.fixture
def fallback_markdown(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bodies converted as they are when tui.extract.markdown cannot be imported."""
    monkeypatch.setattr(feed_text, "_markdown_converter", lambda: feed_text._fallback_html_to_markdown)


@pytest.mark.usefixtures("fallback_markdown")
def test_fallback_conversion_keeps_paragraphs_and_drops_links_and_scripts() -> None:
    first = parse_fixture("wordpress-rss.xml", "https://hebdo.exemple.ma/feed/").articles[0]
    assert first.full_text
    paragraphs = first.body.split("\n\n")
    assert paragraphs[0].startswith("La future usine doit fournir")
    assert "Un chantier de trois ans" in paragraphs
    assert "trackPageView" not in first.body and "](" not in first.body


@pytest.mark.usefixtures("fallback_markdown")
def test_fallback_conversion_of_a_hostile_feed_is_inert() -> None:
    feed = parse_fixture("hostile.xml", "https://hostile.exemple/rss")
    assert_safe(feed)
    body = feed.articles[2].body
    assert "alert(1)" not in body
    # Markdown syntax and entities in the text are escaped, so a renderer shows them as written.
    assert r"\[bold\]x\[/\]" in body and r"\&\#x202e;" in body and "](" not in body.replace(r"\](", "")


def test_a_converter_failure_falls_back_instead_of_losing_the_feed(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(html: str, base_url: str) -> str:
        raise RecursionError("too deep")

    monkeypatch.setattr(feed_text, "_markdown_converter", lambda: broken)
    article = parse_fixture("wordpress-rss.xml").articles[1]
    assert article.full_text and "Sidi Youssef Ben Ali" in article.body


def _date_as_the_email_reader_reads_it(text: str) -> datetime | None:
    """date_from_text as it was before its one-match road for the common RFC 822 form."""
    from email.utils import parsedate_to_datetime

    for read in (datetime.fromisoformat, parsedate_to_datetime):
        try:
            value = read(text.strip())
        except (ValueError, TypeError, IndexError, OverflowError):
            continue
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


@settings(max_examples=3000, deadline=None)
@given(
    weekday=st.sampled_from(["", "Mon, ", "Sun, ", "Sat, "]),
    day=st.integers(0, 39),
    two_digit_day=st.booleans(),
    month=st.sampled_from(["Jan", "Feb", "Jun", "Dec", "Foo"]),
    year=st.integers(0, 9999),
    clock=st.tuples(st.integers(0, 99), st.integers(0, 99), st.integers(0, 99)),
    zone=st.one_of(
        st.just("GMT"),
        st.tuples(st.sampled_from("+-"), st.integers(0, 99), st.integers(0, 99)).map(
            lambda z: f"{z[0]}{z[1]:02d}{z[2]:02d}"
        ),
    ),
)
def test_the_common_rfc_822_dates_read_as_the_email_reader_reads_them(
    weekday, day, two_digit_day, month, year, clock, zone
) -> None:
    from tui.feeds.normalise import date_from_text

    text = f"{weekday}{day:02d}" if two_digit_day else f"{weekday}{day}"
    text += f" {month} {year:04d} {clock[0]:02d}:{clock[1]:02d}:{clock[2]:02d} {zone}"
    read, expected = date_from_text(text), _date_as_the_email_reader_reads_it(text)
    assert read == expected
    if expected is not None:
        assert read is not None and read.utcoffset() == expected.utcoffset()


def test_a_feeds_usual_date_is_read_with_its_offset() -> None:
    from tui.feeds.normalise import date_from_text

    read = date_from_text(" Mon, 07 Dec 2026 04:10:00 +0100 ")
    assert read == datetime(2026, 12, 7, 4, 10, tzinfo=timezone(timedelta(hours=1)))
    assert read is not None and read.utcoffset() == timedelta(hours=1)
    assert date_from_text("7 Dec 2026 04:10:00 GMT") == datetime(2026, 12, 7, 4, 10, tzinfo=UTC)
