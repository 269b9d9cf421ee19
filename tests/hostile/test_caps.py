"""Every stored field has a cap, whatever the parser (tui.model, SECURITY.md).

Titles, authors, rubriques and tags are cut to hundreds of characters, the summary and the lead
to SUMMARY_LIMIT, the body to BODY_LIMIT; a feed's HTML is cut before its conversion to
Markdown; the article says it was cut, the store keeps that, the reader shows it, and the
document the reader renders never holds more than the caps, even from a store written before.
"""

from __future__ import annotations

import json

from tests.conftest import FIXED_NOW
from tui.article_markdown import CUT_NOTICE, to_markdown
from tui.config import Config, SourceSpec
from tui.feeds.parse import parse_feed
from tui.model import (
    BODY_LIMIT,
    NAME_LIMIT,
    SUMMARY_LIMIT,
    TAGS_LIMIT,
    TITLE_LIMIT,
    Article,
    Link,
    Topic,
    capped,
)
from tui.sources.local import read_markdown_article
from tui.store import Store

LONG = "x" * 10_000
MARKER = "FIN-DU-TEXTE"


def heavy_html(size: int) -> str:
    """HTML of about ``size`` characters whose Markdown is a tenth as long, then a marker."""
    cell = '<p><span class="une-classe-longue">mot</span></p>'
    return cell * (size // len(cell)) + f"<p>{MARKER}</p>"


def assert_within_caps(article: Article) -> None:
    assert len(article.title) <= TITLE_LIMIT
    assert len(article.author) <= NAME_LIMIT and len(article.rubrique) <= NAME_LIMIT
    assert len(article.tags) <= TAGS_LIMIT and all(len(tag) <= NAME_LIMIT for tag in article.tags)
    assert len(article.summary) <= SUMMARY_LIMIT and len(article.lead) <= SUMMARY_LIMIT
    assert len(article.body) <= BODY_LIMIT


def test_a_feed_item_of_huge_fields_is_cut_before_its_conversion():
    categories = "".join(f"<category>{number} {LONG}</category>" for number in range(500))
    content = heavy_html(3 * BODY_LIMIT // 2)
    document = (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Caps</title>'
        f"<item><title>{LONG}</title><link>http://caps.example/1.html</link>"
        f"<dc:creator>{LONG}</dc:creator>{categories}<description>{'intro ' * 30_000}</description>"
        f"<content:encoded><![CDATA[{content}]]></content:encoded></item></channel></rss>"
    ).encode()
    (article,) = parse_feed(document, "http://caps.example/feed.xml").articles
    assert_within_caps(article)
    assert article.cut
    assert len(article.summary) <= SUMMARY_LIMIT < len("intro " * 30_000)
    # Cut after the conversion only, the body (a tenth of the HTML) would end with the marker.
    assert "mot" in article.body and MARKER not in article.body
    assert len(article.body) < BODY_LIMIT // 5


def test_a_json_feed_item_is_capped_too():
    item = {
        "id": "1",
        "url": "http://caps.example/1.html",
        "title": LONG,
        "content_text": "mot " * (BODY_LIMIT // 2),
        "tags": [f"{number} {LONG}" for number in range(500)],
        "authors": [{"name": LONG}],
    }
    document = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": [item]})
    (article,) = parse_feed(document.encode(), "http://caps.example/feed.json").articles
    assert_within_caps(article)
    assert article.cut


def test_a_local_article_is_cut_before_its_links_are_read(tmp_path):
    body = ("Un paragraphe. " * 100 + "\n\n") * (BODY_LIMIT // 1500 + 200) + MARKER
    path = tmp_path / "long.md"
    article = read_markdown_article(
        f'+++\ntitle = "Long"\nlead = "{"l" * 60_000}"\n+++\n{body}', path, tmp_path, "L"
    )
    assert_within_caps(article)
    assert article.cut and MARKER not in article.body
    assert article.body.endswith("Un paragraphe.")  # cut at a paragraph's end


def test_the_store_caps_whatever_it_is_given_and_keeps_the_cut_mark(tmp_path):
    store = Store(tmp_path / "store.sqlite3")
    store.ensure_source("s", "Source")
    huge = Article(
        guid="http://caps.example/1.html",
        url="http://caps.example/1.html",
        title=LONG,
        author=LONG,
        rubrique=LONG,
        tags=[f"{number} {LONG}" for number in range(300)],
        summary=LONG * 10,
        lead=LONG * 10,
        body="mot " * BODY_LIMIT,
        related=[Link(LONG, f"http://caps.example/{number}.html", LONG) for number in range(500)],
        full_text=True,
    )
    store.upsert_articles("s", [huge])
    (rowid,) = store.topic_rowids(Topic("all"))
    stored = store.article(rowid).article
    assert_within_caps(stored)
    assert stored.cut and len(stored.related) <= 200
    assert stored.tags[0].startswith("0 xxx") and stored.title.endswith("…")
    # A later, shorter version of the article is no longer cut.
    store.upsert_articles(
        "s", [Article(guid=huge.guid, url=huge.url, title="Court", body="Texte.", full_text=True)]
    )
    assert not store.article(rowid).article.cut
    store.close()


def test_the_reader_never_renders_more_than_the_caps():
    """A store written before the caps may hold an 8 MB body: its document is cut all the same."""
    old = Article(guid="g", title=LONG, body="mot " * (2 * BODY_LIMIT), summary=LONG * 10)
    document = to_markdown(old)
    assert len(document) < BODY_LIMIT + 20_000
    said = CUT_NOTICE.partition(" (")[0]  # the rest is escaped as Markdown
    assert document.count(said) == 1
    assert capped(old).cut and not Article(guid="g", title="t", body="b").cut
    assert said not in to_markdown(Article(guid="g", title="t", body="b"))


async def test_the_reader_says_an_article_was_cut(tmp_path):
    from tui.ui.app import BladiApp

    store = Store(tmp_path / "store.sqlite3")
    store.ensure_source("s", "Source")
    store.upsert_articles(
        "s",
        [
            Article(
                guid="http://caps.example/1.html", title="Coupé", body="Le début.", full_text=True, cut=True
            )
        ],
    )
    spec = SourceSpec(name="Source", url="http://caps.example/feed.xml")
    for language, said in (("fr", "Article trop long"), ("en", "Article too long")):
        app = BladiApp(
            store, [spec], Config(sources=(spec,)), offline=True, clock=lambda: FIXED_NOW, language=language
        )
        async with app.run_test(size=(160, 40)) as pilot:
            await app.workers.wait_for_complete()
            (rowid,) = store.topic_rowids(Topic("all"))
            app.reader.open_rowid(rowid)
            await pilot.pause()
            strips = app.screen._compositor.render_strips()
            text = "\n".join("".join(segment.text for segment in strip) for strip in strips)
            assert said in text and "Le début." in text, text
    store.close()


# -- a page of megabytes (up to the fetch cap, 8 MiB) --------------------------------------------

PAGE_HTML = 7 * 1024 * 1024  # under the HTTP client's 8 MiB cap: what a page may bring


def heavy_page_html(size: int) -> str:
    """About ``size`` characters of paragraphs, each distinct (an extractor drops repeats) and
    heavy with markup (its Markdown a fiftieth as long), then a marker."""
    paragraphs = []
    for number in range(size // 3100):
        paragraphs.append(f'<p class="{"c" * 3000}">Le port avance, phrase numéro {number}.</p>')
    return "".join(paragraphs) + f"<p>{MARKER}</p>"


def test_a_generic_page_of_megabytes_is_cut_before_its_conversion():
    from tui.extract.page import extract_article

    page = (
        "<!DOCTYPE html><html><head><title>Page lourde</title></head><body><main><article>"
        f"<h1>Page lourde</h1><p>Le début de la page.</p>{heavy_page_html(PAGE_HTML)}</article></main></body></html>"
    )
    article = extract_article(page, "http://caps.example/lourde.html")
    assert_within_caps(article)
    assert article.cut and "phrase numéro 1" in article.body
    # Cut after the conversion only, the body (a fiftieth of the HTML) would end with the marker.
    assert MARKER not in article.body and len(article.body) < BODY_LIMIT // 20


def test_a_bladi_page_of_megabytes_is_cut_before_its_conversion_by_its_rules_too():
    from tests.bladi_site import PAGES, page_html
    from tui.extract.page import extract_article

    page = PAGES[0]
    first = f"<p>{page.paragraphs[0]}</p>"
    html = page_html(page).replace(first, first + heavy_page_html(PAGE_HTML), 1)
    article = extract_article(html, page.url)
    assert article.title == page.title and article.rubrique == page.rubrique  # read by the rules
    assert_within_caps(article)
    assert article.cut and page.paragraphs[0] in article.body and "phrase numéro 1" in article.body
    assert MARKER not in article.body and len(article.body) < BODY_LIMIT // 20


def test_a_page_within_the_cap_is_whole_and_not_marked():
    from tui.extract.page import extract_article

    page = f"<html><body><article><h1>T</h1><p>Début.</p>{heavy_page_html(BODY_LIMIT // 2)}</article></body></html>"
    article = extract_article(page, "http://caps.example/moyenne.html")
    assert not article.cut and MARKER in article.body
