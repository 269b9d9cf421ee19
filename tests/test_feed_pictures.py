"""A feed item's picture (``enclosure``, ``media:content``, ``media:thumbnail``) is its article's
lead photo, read alike by the fast lxml road and by feedparser; a page read later keeps it when
the page gives no photo of its own (issue 19)."""

from __future__ import annotations

from tests.test_fast_roads import assert_same_both_ways, read_well_formed
from tui.article_markdown import to_markdown
from tui.extract.images import images_in
from tui.extract.page import extract_article
from tui.feeds.parse import parse_feed
from tui.sources.web import merge_page

URL = "https://flux.exemple.ma/feed"
PHOTO = "https://flux.exemple.ma/img/photo.jpg"


def feed(item_parts: str, *, namespaces: str = "", body: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:media="http://search.yahoo.com/mrss/" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        f"{namespaces}><channel><title>Flux</title><link>https://flux.exemple.ma/</link>"
        "<item><title>Le port</title><link>https://flux.exemple.ma/port.html</link>"
        f"<description>Le port a battu son record.</description>{body}{item_parts}</item>"
        "</channel></rss>"
    ).encode()


def lead_of(document: bytes, *, fast: bool) -> str:
    (article,) = parse_feed(document, URL, fast=read_well_formed if fast else None).articles
    return article.lead


def test_each_picture_element_is_the_lead_photo_on_both_roads():
    cases = {
        # An enclosure's relative address is resolved against the feed's.
        '<enclosure url="/img/photo.jpg" type="image/jpeg" length="1234"/>': PHOTO,
        f'<media:content url="{PHOTO}" medium="image" width="800"/>': PHOTO,
        f'<media:content url="{PHOTO}" type="image/jpeg"/>': PHOTO,
        f'<media:thumbnail url="{PHOTO}"/>': PHOTO,
        # media:content first, then the enclosure, then the thumbnail, whatever their order.
        '<media:thumbnail url="https://flux.exemple.ma/t.jpg"/><enclosure url="https://flux.exemple.ma/e.jpg"'
        f' type="image/jpeg"/><media:content url="{PHOTO}" medium="image"/>': PHOTO,
        # Not pictures: a video, a podcast, an SVG; a typeless enclosure named like a picture is one.
        f'<media:content url="https://flux.exemple.ma/v.mp4" type="video/mp4"/><media:thumbnail url="{PHOTO}"/>': PHOTO,
        '<enclosure url="https://flux.exemple.ma/son.mp3" type="audio/mpeg"/>': "",
        '<enclosure url="https://flux.exemple.ma/logo.svg" type="image/svg+xml"/>': "",
        f'<enclosure url="{PHOTO}"/>': PHOTO,
        # Never anything but http(s).
        '<media:thumbnail url="javascript:alert(1)"/>': "",
    }
    for parts, photo in cases.items():
        document = feed(parts)
        assert assert_same_both_ways(document, URL), parts  # the fast road read it, as feedparser does
        for fast in (True, False):
            assert [url for _, url in images_in(lead_of(document, fast=fast))] == (
                [photo] if photo else []
            ), parts


def test_an_atom_enclosure_link_and_a_document_only_feedparser_reads():
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>'
        '<entry><title>Le port</title><id>urn:1</id><link href="https://flux.exemple.ma/port.html"/>'
        f'<link rel="enclosure" type="image/jpeg" href="{PHOTO}"/><summary>Le record.</summary></entry></feed>'
    ).encode()
    assert_same_both_ways(atom, URL)
    assert images_in(lead_of(atom, fast=False)) == [("", PHOTO)]
    # media:group is feedparser's alone: the picture inside it still leads the article.
    grouped = feed(f'<media:group><media:content url="{PHOTO}" medium="image"/></media:group>')
    assert not assert_same_both_ways(grouped, URL)
    assert images_in(lead_of(grouped, fast=False)) == [("", PHOTO)]


def test_the_photo_leads_the_document_above_the_text_and_is_not_repeated():
    (article,) = parse_feed(feed(f'<media:content url="{PHOTO}" medium="image"/>'), URL).articles
    document = to_markdown(article)
    assert document.index(PHOTO) < document.index("Le port a battu son record.")
    # The full text already shows that picture: it stays in its place, once.
    shown = feed(
        f'<media:content url="{PHOTO}" medium="image"/>',
        body=f'<content:encoded><![CDATA[<p>Un texte plus long.</p><img src="{PHOTO}" alt="Le port">'
        "<p>Et sa suite, plus longue encore.</p>]]></content:encoded>",
    )
    (article,) = parse_feed(shown, URL).articles
    assert article.lead == "" and to_markdown(article).count(PHOTO) == 1


def test_a_page_read_later_keeps_the_feeds_photo_unless_it_gives_its_own():
    (item,) = parse_feed(feed(f'<media:content url="{PHOTO}" medium="image"/>'), URL).articles
    bare = extract_article(
        "<html><head><title>Le port</title></head><body><article><h1>Le port</h1>"
        "<p>Le port a battu son record cette année, avec des quais neufs.</p></article></body></html>",
        item.url,
    )
    merged = merge_page(item, bare, item.url)
    assert images_in(merged.lead) == [("", PHOTO)]
    assert to_markdown(merged).index(PHOTO) < to_markdown(merged).index("quais neufs")
    own = "https://flux.exemple.ma/img/page.jpg"
    illustrated = extract_article(
        f'<html><head><title>Le port</title><meta property="og:image" content="{own}"></head><body>'
        "<article><h1>Le port</h1><p>Le port a battu son record cette année, avec des quais neufs.</p>"
        "</article></body></html>",
        item.url,
    )
    merged = merge_page(item, illustrated, item.url)
    assert PHOTO not in to_markdown(merged) and own in to_markdown(merged)
