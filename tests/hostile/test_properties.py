"""Property tests over parse → sanitize → Markdown → display, with hypothesis.

Random bytes and random strings laden with controls, character references and markup go into the
feed parser, the page extractor and articles; what comes out is rendered as the app renders it
(Rich's Markdown to lines, then the article view's filter; the article list's row text) and the
*text* of every segment is checked: the styles are Rich's own SGR, not content.
"""

from __future__ import annotations

import html
import io
import json
from dataclasses import asdict
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from rich.console import Console
from rich.markdown import Markdown

from tests.conftest import FIXED_NOW
from tests.hostile.conftest import UNSAFE
from tests.hostile.corpus import as_references
from tui.article_layout import lay_out
from tui.article_markdown import is_followable, to_markdown
from tui.dates import short_date
from tui.extract.page import extract_article
from tui.feeds.entry import FeedParseError, ParsedFeed
from tui.feeds.parse import parse_feed
from tui.model import Article, Link
from tui.sanitize import clean_line, clean_text
from tui.store import ArticleRow
from tui.ui.sidebar_sections import row_label
from tui.ui.widgets.article_list import column_widths, row_parts
from tui.ui.widgets.article_view import ArticleView

PROPERTIES = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

PIECES = [
    # raw controls and sequences
    *"\x00\x07\x08\x0b\x0c\x0d\x1b\x7f\x85\x90\x9b\x9c\x9d\u061c\u200e\u200f\u2028\u2029",
    *"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u200b\u00ad",
    *"\u206a\u206b\u206c\u206d\u206e\u206f\U000e0001\U000e0020\U000e0041\U000e007f",
    "&#x206e;",
    "&#917505;",  # U+E0001, LANGUAGE TAG
    "\x1b]52;c;SE9TVElMRQ==\x07",
    "\x1b]8;;http://evil.example/\x1b\\",
    "\x1b]0;PWNED\x07",
    "\x1b[31m",
    "\x1b[2J",
    "\x9b31m",
    "\x9d0;x\x07",
    "\r\n",
    "\n",
    "\t",
    # the same as references, numeric and named
    "&#27;",
    "&#x1b;",
    "&#x9b;",
    "&#155;",
    "&#x202e;",
    "&#8238;",
    "&#x2066;",
    "&#0;",
    "&#7;",
    "&#xd800;",
    "&#x110000;",
    "&rlm;",
    "&lrm;",
    "&NewLine;",
    "&amp;",
    "&amp;#27;",
    "&",
    ";",
    "#",
    # markup of every kind
    "[bold]",
    "[/]",
    "[/bold]",
    "[link=file:///etc/passwd]",
    "[/link]",
    "[@click=app.quit]",
    "[red on blue]",
    "](javascript:alert(1))",
    "](<ftp://evil.example/>)",
    "<ftp://evil.example/>",
    "<javascript:alert(1)>",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "*",
    "**",
    "_",
    "`",
    "```",
    "#",
    "!",
    "|",
    "\\",
    "~",
    "-",
    "+",
    "1.",
    ">",
    "<a href='javascript:alert(1)'>",
    '<a href="file:///etc/passwd">',
    "</a>",
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "<p>",
    "</p>",
    "<div>",
    '"',
    "'",
    ":smile:",
    "http://ok.example/a",
    "https://ok.example/b?x=1&y=2",
    # other scripts, to keep
    "Sécurité",
    "مرحبا",
    "ⵜⴰⵎⴰⵣⵉⵖⵜ",
    "日本",
    "👍🏽",
    "e\u0301",
]
hostile_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=20).map("".join)


def is_clean(text: str) -> bool:
    if UNSAFE.search(text):
        return False
    text.encode("utf-8")  # no lone surrogate: the terminal would fail to encode it
    return True


def _console(width: int = 72) -> Console:
    return Console(file=io.StringIO(), width=width, force_terminal=True, color_system="truecolor")


def rendered_segments(markdown: str, *, width: int = 72):
    """The document as the article view renders it: Rich's lines, then the view's own pass."""
    console = _console(width)
    lines = console.render_lines(
        Markdown(markdown, hyperlinks=True, code_theme="ansi_dark"),
        console.options.update(width=width, highlight=False),
        pad=False,
    )
    index = {link.url: number for number, link in enumerate(lay_out(markdown)[0])}
    clicks: dict = {}
    return lines, [ArticleView._clickable(line, index, clicks) for line in lines]


def hrefs(markdown: str) -> list[str]:
    found = []
    for token in MarkdownIt().enable("strikethrough").enable("table").parse(markdown):
        for child in token.children or ():
            if child.type in ("link_open", "image"):
                found.append(str(child.attrs.get("href", child.attrs.get("src", ""))))
    return found


def assert_article_safe(article: Article) -> None:
    strings = [value for value in asdict(article).values() if isinstance(value, str)] + list(article.tags)
    strings += [part for link in article.related + article.suggested for part in (link.title, link.url)]
    for text in strings:
        assert is_clean(text), repr(text)
    assert article.url == "" or article.url.startswith(("http://", "https://")), article.url
    for target in hrefs(article.body) + hrefs(article.lead):
        assert target.startswith(("http://", "https://")), target
    assert article.date is None or article.date.tzinfo is not None


def assert_displayed_clean(article: Article) -> None:
    """From the core to the screen: the Markdown, its links, and what Rich draws of it."""
    document = to_markdown(article)
    assert is_clean(document)
    for link in lay_out(document)[0]:
        assert is_followable(link.url) and is_clean(link.url) and is_clean(link.text), link
    rich_lines, shown = rendered_segments(document)
    for line in shown:
        for segment in line:
            assert is_clean(segment.text), repr(segment.text)
            assert segment.control is None
            assert segment.style is None or not segment.style.link  # no OSC 8 can be written


def assert_feed_safe(feed: ParsedFeed) -> None:
    for text in (feed.title, feed.link, feed.bozo):
        assert is_clean(text), repr(text)
    assert feed.link == "" or feed.link.startswith(("http://", "https://"))
    for article in feed.articles:
        assert_article_safe(article)


# -- parsing ---------------------------------------------------------------------------------


@st.composite
def feed_documents(draw) -> bytes:
    """An RSS, Atom or JSON feed whose every field is hostile text, written raw, escaped, as
    character references or in CDATA, in one of several encodings, maybe cut short."""
    kind = draw(st.sampled_from(["rss", "atom", "json"]))
    names = ("channel", "title", "link", "guid", "author", "tag", "summary", "content", "date")
    fields = {name: draw(hostile_text) for name in names}
    how = draw(st.sampled_from(["escaped", "references", "raw", "cdata"]))

    def put(text: str) -> str:
        if how == "escaped":
            return html.escape(text, quote=False)
        if how == "references":
            return as_references(html.escape(text, quote=False))
        if how == "cdata":
            return f"<![CDATA[{text}]]>"
        return text

    if kind == "json":
        document = json.dumps(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "title": fields["channel"],
                "items": [
                    {
                        "id": fields["guid"],
                        "title": fields["title"],
                        "url": fields["link"],
                        "content_html": fields["content"],
                        "summary": fields["summary"],
                        "authors": [{"name": fields["author"]}],
                        "tags": [fields["tag"]],
                        "date_published": fields["date"],
                    }
                ],
            },
            ensure_ascii=draw(st.booleans()),
        )
    elif kind == "atom":
        document = (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f'<title>{put(fields["channel"])}</title><entry><title type="html">{put(fields["title"])}</title>'
            f'<id>{put(fields["guid"])}</id><link href="{html.escape(fields["link"])}"/>'
            f'<author><name>{put(fields["author"])}</name></author><category term="{html.escape(fields["tag"])}"/>'
            f'<updated>{put(fields["date"])}</updated><summary type="text">{put(fields["summary"])}</summary>'
            f'<content type="html">{put(fields["content"])}</content></entry></feed>'
        )
    else:
        document = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>{put(fields['channel'])}</title><item><title>{put(fields['title'])}</title>"
            f"<link>{put(fields['link'])}</link><guid>{put(fields['guid'])}</guid>"
            f"<author>{put(fields['author'])}</author>"
            f"<category>{put(fields['tag'])}</category><pubDate>{put(fields['date'])}</pubDate>"
            f"<description>{put(fields['summary'])}</description>"
            f"<content:encoded>{put(fields['content'])}</content:encoded></item></channel></rss>"
        )
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16", "cp1252"]))
    data = document.encode(encoding, errors="xmlcharrefreplace" if kind != "json" else "replace")
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return data


def parsed_or_refused(data: bytes, content_type: str = "") -> ParsedFeed | None:
    try:
        return parse_feed(data, "http://feed.example/dir/feed.xml", source="fuzz", content_type=content_type)
    except FeedParseError as error:
        assert is_clean(str(error)) and "\n" not in str(error)
        return None


@PROPERTIES
@given(st.binary(max_size=3000), st.sampled_from(["", "application/rss+xml", "text/html; charset=utf-16"]))
def test_random_bytes_are_read_or_refused_by_the_feed_parser(data: bytes, content_type: str):
    feed = parsed_or_refused(data, content_type)
    if feed is not None:
        assert_feed_safe(feed)


@PROPERTIES
@given(feed_documents())
def test_hostile_feeds_parse_into_articles_that_display_clean(data: bytes):
    feed = parsed_or_refused(data)
    if feed is None:
        return
    assert_feed_safe(feed)
    for article in feed.articles:
        assert_displayed_clean(article)
        # The core alone, before the article view's own filter: Rich draws nothing unsafe.
        rich_lines, _ = rendered_segments(to_markdown(article))
        for line in rich_lines:
            for segment in line:
                assert is_clean(segment.text), repr(segment.text)


@st.composite
def html_pages(draw) -> bytes:
    texts = [draw(hostile_text) for _ in range(6)]
    href = draw(
        st.sampled_from(
            [
                "javascript:alert(1)",
                "data:text/html,x",
                "file:///etc/passwd",
                "ftp://e.example/",
                "https://ok.example/p",
                "relative/page",
                "//evil.example/x",
                texts[5],
            ]
        )
    )
    raw = lambda text: text if draw(st.booleans()) else as_references(html.escape(text))  # noqa: E731
    attribute = [html.escape(text) for text in texts]
    page = (
        f"<html><head><title>{raw(texts[0])}</title><meta property='og:title' content=\"{attribute[1]}\">"
        f"<meta name='author' content=\"{attribute[2]}\"><meta property='article:tag' content=\"{attribute[3]}\">"
        f"</head><body><article><h1>{raw(texts[1])}</h1>"
        f'<p>{raw(texts[4])} <a href="{html.escape(href)}">{raw(texts[2])}</a></p><p>{raw(texts[5])}</p>'
        f'<img src="{html.escape(href)}" alt="{attribute[3]}"></article></body></html>'
    )
    return page.encode(draw(st.sampled_from(["utf-8", "cp1252", "utf-16"])), errors="xmlcharrefreplace")


@PROPERTIES
@given(st.one_of(st.binary(max_size=3000), html_pages()))
def test_random_and_hostile_pages_extract_into_articles_that_display_clean(data: bytes):
    article = extract_article(data, "http://page.example/dir/article.html", source="fuzz")
    assert_article_safe(article)
    assert_displayed_clean(article)


# -- display ---------------------------------------------------------------------------------


@st.composite
def raw_articles(draw) -> Article:
    """Articles whose strings never went through the sanitizer: what an older store might hold."""
    text = hostile_text
    links = st.lists(st.builds(Link, text, text, text), max_size=2)
    return Article(
        guid=draw(text),
        title=draw(text),
        url=draw(st.sampled_from(["", "http://ok.example/a"]) | text),
        date=draw(st.none() | st.just(datetime(2024, 1, 2, 3, 4, tzinfo=UTC))),
        rubrique=draw(text),
        tags=draw(st.lists(text, max_size=3)),
        author=draw(text),
        date_line=draw(text),
        summary=draw(text),
        lead=draw(text),
        body=draw(text),
        related=draw(links),
        suggested=draw(links),
        source=draw(text),
        notice=draw(text),
    )


@PROPERTIES
@given(raw_articles())
def test_any_article_displays_without_a_control_character_or_a_live_link(article: Article):
    assert_displayed_clean(article)


@PROPERTIES
@given(feed_documents(), st.integers(20, 160))
def test_article_list_rows_display_clean(data: bytes, width: int):
    feed = parsed_or_refused(data)
    articles = feed.articles if feed is not None else []
    for number, article in enumerate(articles):
        row = ArticleRow(
            rowid=number,
            id=article.id,
            title=article.title,
            date=article.date,
            rubrique=article.rubrique,
            source=article.source,
            read=bool(number % 2),
            saved=False,
        )
        date = short_date(row.date, FIXED_NOW, "fr") if row.date else ""
        parts, _cells = row_parts(row, date, column_widths(width, [date], [clean_line(row.rubrique)]), width)
        for text, _name in parts:
            assert is_clean(text), repr(text)


@PROPERTIES
@given(hostile_text, st.integers(0, 10_000), st.integers(0, 10_000))
def test_sidebar_labels_of_cleaned_names_display_clean(name: str, count: int, unread: int):
    label = row_label(clean_line(name, 200), count, unread, mark="!", mark_style="bold red")
    for segment in label.render(_console()):
        assert is_clean(segment.text), repr(segment.text)


#: Characters near the edges of what the sanitizer removes, to catch an off-by-one range.
_EDGES = st.sampled_from(
    "\u2065\u2066\u2069\u206a\u206f\u2070\U000dffff\U000e0000\U000e007f\U000e0080\U000e0100"
    "\u202a\u202e\u202f\x1f\x20\x7e\x7f\x9f\xa0\t\n"
)


@PROPERTIES
@given(st.lists(st.one_of(_EDGES, st.characters(blacklist_categories=("Cs",))), max_size=60).map("".join))
def test_the_sanitizer_removes_exactly_the_unsafe_characters(text: str):
    """Deprecated format controls (U+206A–U+206F) and TAG characters (U+E0000–U+E007F) go with the
    rest; everything else stays, in order (carriage returns become newlines)."""
    cleaned = clean_text(text)
    assert not UNSAFE.search(cleaned), repr(cleaned)
    expected = "".join(c for c in text.replace("\r\n", "\n").replace("\r", "\n") if not UNSAFE.fullmatch(c))
    assert cleaned == expected
    for character in "\u206a\u206f\U000e0000\U000e0041\U000e007f":
        assert character not in clean_line(text + character)
    for character in "\u2065\u2070\U000dffff\U000e0080":
        assert clean_text(character) == character
