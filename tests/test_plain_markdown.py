"""Plain markup's Markdown written straight from its tags is the Markdown html-to-markdown and the
clean-up give: compared over the benchmark's feeds, feedparser's corpus, the sample articles, every
named character reference and generated hostile markup (Markdown signs, references, nesting,
spaces of every kind, controls)."""

from __future__ import annotations

import random
import re
import tomllib
from html.entities import html5
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

import tui.feeds.normalise
from benchmarks.feeds import FEEDS, make_feed
from tui.extract.markdown import converted_markdown, html_to_markdown
from tui.extract.plain_markup import plain_markdown, plain_markup
from tui.feeds.entry import FeedParseError
from tui.feeds.fast import read_well_formed
from tui.feeds.parse import parse_feed

BASE = "https://presse.example/2024/05/article.html"
ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "feed-corpus"


def written_directly(html: str, base: str = BASE, allow_relative: bool = False) -> bool:
    """Whether the writer takes ``html``, and if so, that it writes what html-to-markdown would."""
    direct = plain_markdown(html, base, allow_relative)
    converted = converted_markdown(html, base, allow_relative=allow_relative)
    assert html_to_markdown(html, base, allow_relative=allow_relative) == converted, repr(html)
    if direct is None:
        return False
    assert direct == converted, repr(html)
    # Nothing is written here that the check of plain markup would not let skip the rebuild.
    assert plain_markup(html, base, allow_relative) is not None, repr(html)
    return True


# ---------------------------------------------------------------------------------------------
# What it writes


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("<p>Un <strong>texte</strong> et <em>un lien</em>.</p>", "Un **texte** et *un lien*."),
        ("<h2>Titre</h2>\n<p>Texte</p>", "## Titre\n\nTexte"),
        (
            '<p><strong>À lire :</strong> <a href="https://e.ma/a">Le titre</a></p>',
            "**À lire :** [Le titre](https://e.ma/a)",
        ),
        (
            "<p>*gras* _souligné_ [x](javascript:y) # titre</p>",
            "\\*gras\\* \\_souligné\\_ \\[x\\](javascript:y) \\# titre",
        ),
        ("<p>En 1990. Puis 2) et 3,5 %.</p>", "En 1990\\. Puis 2\\) et 3,5 %."),
        ("<p>- pas une liste</p><p>rendez-vous + 2</p>", "\\- pas une liste\n\nrendez-vous + 2"),
        ("<h3>- titre</h3>", "### - titre"),
        ('<p>Voir !<a href="https://e.ma/i.png">ceci</a></p>', "Voir \\![ceci](https://e.ma/i.png)"),
        ("<p>a &lt;b&gt; &amp;amp; c&nbsp;:\u202fd</p>", "a \\<b\\> \\&amp; c : d"),
        ("<p> a  \t b </p>\n\n<p></p><h1> </h1>", "a b"),
        ("<p><strong>a </strong>b<em> c</em></p>", "**a** b *c*"),
    ],
)
def test_plain_markup_is_written_as_html_to_markdown_writes_it(html: str, markdown: str) -> None:
    assert plain_markdown(html, BASE, False) == markdown
    assert converted_markdown(html, BASE) == markdown


@pytest.mark.parametrize(
    "html",
    [
        "<ul><li>x</li></ul>",
        "<blockquote><p>x</p></blockquote>",
        "<p>a<br>b</p>",
        "<p>a\nb</p>",
        "<p>a&#10;b</p>",
        "<p><code>x</code></p>",
        "<p><b><strong>x</strong></b></p>",
        "<p><b>a</b><b>b</b></p>",
        "<p>a<em></em>b</p>",
        '<p><a href="https://e.ma/"></a></p>',
        '<p><a href="https://e.ma/a_(b">x</a></p>',
        "<p>a<b>\xa0</b>b</p>",
        "texte",
        "<p>x</p>texte",
        "<div>x</div>",
        "<p>\x1b[31m</p>",
        "<p>&#27;</p>",
    ],
)
def test_what_the_writer_leaves_takes_the_road_through_html_to_markdown(html: str) -> None:
    assert plain_markdown(html, BASE, False) is None
    assert html_to_markdown(html, BASE) == converted_markdown(html, BASE)


# ---------------------------------------------------------------------------------------------
# The same as html-to-markdown's, over real and hostile markup


def test_every_item_of_the_benchmark_feeds_is_written_directly_and_the_same() -> None:
    items = 0
    for number in range(FEEDS):
        document = read_well_formed(make_feed(number))
        assert document is not None
        for entry in document.entries:
            assert written_directly(entry.content, entry.link)
            items += 1
    assert items == FEEDS * 100


def test_typeset_french_is_written_directly_and_the_same() -> None:
    """French typeset with no-break spaces ("«\xa0Maroc\xa0»", "mot\u202f:") takes the
    writer's road for texts with spaces as for others."""
    from benchmarks.worker_instructions import _typeset

    for number in range(10):
        document = read_well_formed(_typeset(make_feed(number)))
        assert document is not None
        for entry in document.entries:
            assert written_directly(entry.content, entry.link)


@pytest.mark.parametrize(
    ("html", "direct"),
    [
        ("<p>la «\xa0Maroc\xa0» mot\u202f: a\tb</p>", True),
        ("<p>\xa0a\xa0\xa0b\t</p><h2>\u202fc d\xa0</h2>", True),
        ("<p>x\xa0<b>a</b> b\xa0<i>c</i></p>", True),
        # A text of spaces between elements, not all " ": kept as it is.
        ("<p><b>a</b>\xa0<i>b</i></p>", False),
        ("<p><b>a</b>\t<i>b</i></p>", False),
        ("<p><b>a</b> \u202f <i>b</i></p>", False),
        ("<p><b>a</b>\xa0\xa0<i>b</i></p>", False),
        ("<p>a</p>\xa0<p>b</p>", False),
    ],
)
def test_texts_with_typeset_spaces_are_written_as_html_to_markdown_writes_them(
    html: str, direct: bool
) -> None:
    assert written_directly(html) == direct


@pytest.mark.corpus
def test_the_corpus_entries_give_the_same_markdown(monkeypatch: pytest.MonkeyPatch) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared feed corpus is not at {CORPUS} (it lives in ../shared beside the checkout)")
    converted: list[tuple[str, str]] = []
    convert = tui.feeds.normalise.to_markdown

    def recorded(fragment: str, base: str) -> str:
        converted.append((fragment, base))
        return convert(fragment, base)

    monkeypatch.setattr(tui.feeds.normalise, "to_markdown", recorded)
    for path in sorted(path for path in CORPUS.rglob("*") if path.is_file()):
        try:
            parse_feed(path.read_bytes(), "http://example.org/feed.xml", source="corpus")
        except FeedParseError:
            pass
    assert len(converted) > 400
    plain = sum(plain_markup(html, base, False) is not None for html, base in converted)
    direct = sum(written_directly(html, base) for html, base in converted)
    assert plain > 40 and direct > 10, (plain, direct)


def test_the_sample_articles_give_the_same_markdown() -> None:
    render = MarkdownIt("commonmark").render
    direct = 0
    articles = sorted((ROOT / "sample_articles").glob("*.md"))
    assert len(articles) > 10
    for path in articles:
        _, front, body = path.read_text(encoding="utf-8").split("+++", 2)
        html = render(body)
        lead = tomllib.loads(front).get("lead", "")
        blocks = re.findall(r"<(p|h[1-6])>.*?</\1>", html, re.S)
        direct += written_directly(html, "https://www.bladi.net/")
        direct += written_directly(render(lead), "https://www.bladi.net/")
        for block in re.finditer(r"<(p|h[1-6])>.*?</\1>", html, re.S):
            direct += written_directly(block.group(), "https://www.bladi.net/")
        assert blocks
    assert direct > 100


def test_every_named_character_reference_gives_the_same_markdown() -> None:
    direct = 0
    for name in html5:
        if name.endswith(";"):
            direct += written_directly(f"<p>a &{name} b&{name}c <em>&{name}</em></p>")
    assert direct > 2000


PIECES = [
    "Le", "port", "a-t-on", "1.", "2)", "1990.", "-", "+", "*", "#", ">", "[x](y)", "**", "_", "`", "~", "|", "=",
    "!", "![", "\\", "\\-", "\\\\", "(", ")", "[", "]", "-x", "+y", "x.", ".", "'", '"', "…", "é", "ⵜⴰ", "العربية",
    "&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&nbsp;", "&eacute;", "&#8217;", "&#x2019;", "&#160;", "&#32;",
    "&#9;", "&#10;", "&#x202F;", "&lt;script&gt;", "&amp;amp;",
    " ", "  ", "\t", "\xa0", "\u202f", "\u2009", "\u3000", "\u200b", "\u1680", "a\xa0\xa0b", "\n",
]  # fmt: skip
# What the sanitizer removes, or an HTML parser may read two ways: left to the road through nh3
UNCLEAN = [
    "\x1b[31m", "\x9b", "\u202e", "\u2028", "&#27;", "&#x9b;", "&lrm;", "\ufeff", "\r", "&copy", "&", "&#",
]  # fmt: skip
HREFS = [
    "https://e.ma/a", "https://e.ma/a?b=1&amp;c=2", "https://e.ma/#f", "https://presse-01.example/article-1.html",
    "https://e.ma/a_b*c", "https://e.ma/a~b", "https://e.ma/a%20b", "https://e.ma/a(b)", "https://e.ma/a)b",
    "https://e.ma/[x]", "https://e.ma/a!b", "https://e.ma/a'b", "https://e.ma/a`b|c^d{e}", "https://e.ma/é",
    "http://e.ma:8080/a", "relatif.html", "/absolu", "dossier/a_b.html", "../haut.html", "a b.html",
    "javascript:x", "", "https://e.ma/a&b", "HTTPS://E.MA/", "http://1.2.3.4/", "http://xn--a.ma/",
    # What a Markdown reader decodes in a target (a character reference, a backslash escape):
    # written as it is, the target read would not be the one checked.
    "&amp;#46;&amp;#46;/&amp;#46;&amp;#46;/etc/passwd", "x\\", "a\\*b.html", "a\\&amp;b.html",
    "javascript&amp;colon;x", "https://e.ma/?a&amp;#x2F;", "https://e.ma/?a&amp;amp;b", "https://e.ma/a\\b",
    "https://e.ma/?a=1&amp;b=2&amp;copy;", "dossier/&amp;eacute;.html",
]  # fmt: skip
SPACES = [" ", "  ", "\xa0", " \xa0", "\u2009", "&nbsp;", "&#32;", " &#160; ", "\t", " \t ", "\n"]


def hostile_markup(r: random.Random) -> str:
    pieces = PIECES + UNCLEAN if r.random() < 0.2 else PIECES

    def text() -> str:
        return "".join(r.choice(pieces) + r.choice(["", " ", " ", "  "]) for _ in range(r.randint(0, 5)))

    def phrasing(depth: int, in_link: bool = False) -> str:
        out = []
        for _ in range(r.randint(0, 4)):
            k = r.random()
            if k < 0.3 or depth > 4:
                out.append(text())
            elif k < 0.45:
                out.append(r.choice(SPACES))
            elif k < 0.5:
                out.append(r.choice(["<br>", "<br/>", "<code>x</code>", "<sub>2</sub>", "<q>q</q>"]))
            elif k < 0.65 and not in_link:
                extra = r.choice(["", "", ' rel="nofollow"', ' class="c"', ' title="t"', ' target="_blank"'])
                out.append(f'<a href="{r.choice(HREFS)}"{extra}>{phrasing(depth + 1, True)}</a>')
            else:
                tag = r.choice(["em", "i", "strong", "b"])
                attributes = r.choice(["", "", "", ' class="c"', ' lang="fr"'])
                out.append(f"<{tag}{attributes}>{phrasing(depth + 1, in_link)}</{tag}>")
        return "".join(out)

    out = [r.choice(["", "\n", " ", "\t"])]
    for _ in range(r.randint(1, 5)):
        k = r.random()
        if k < 0.65:
            attributes = r.choice(["", "", "", ' class="c"', ' style="x"', ' dir="rtl"'])
            out.append(f"<p{attributes}>{phrasing(0)}</p>")
        elif k < 0.9:
            level = r.randint(1, 6)
            out.append(f"<h{level}>{phrasing(0)}</h{level}>")
        else:
            out.append(
                r.choice(["<ul><li>x</li></ul>", "<blockquote><p>x</p></blockquote>", "texte", "<hr>"])
            )
        out.append(r.choice(["", "\n", "\n\n", " ", "\n  "]))
    html = "".join(out)
    breakage = r.choice(
        [
            None,
            None,
            None,
            None,
            lambda s: s.replace("</p>", "", 1),
            lambda s: s.replace("<p>", "<p><p>", 1),
            lambda s: s.replace("<b>", "<B>", 1),
            lambda s: s.replace("</b>", "</i>", 1),
            lambda s: s + "<!-- c -->",
            lambda s: s + "<p/>",
            lambda s: s.replace("<strong>", "<strong><p>", 1),
            lambda s: s.replace(">", " >", 1),
            lambda s: s.replace("<em>", "<em\n>", 1),
            lambda s: s + "<",
            lambda s: s.replace("</h", "</h7", 1),
        ]
    )
    return breakage(html) if breakage else html


@pytest.mark.parametrize("seed", range(4))
def test_hostile_markup_gives_the_same_markdown(seed: int) -> None:
    r = random.Random(seed)
    direct = 0
    for _ in range(2500):
        html = hostile_markup(r)
        allow_relative = r.random() < 0.2
        base = r.choice([BASE, "https://www.bladi.net/a,1.html"])
        direct += written_directly(html, base, allow_relative)
    assert direct > 100, direct


@pytest.mark.parametrize("allow_relative", [False, True])
@pytest.mark.parametrize("href", HREFS)
def test_every_link_target_gives_the_same_markdown(href: str, allow_relative: bool) -> None:
    """A target is read back by a Markdown reader, which decodes character references and
    backslash escapes in it: the writer must leave to html-to-markdown what it would escape."""
    for base in (BASE, "/home/u/articles/a.html"):
        html = f'<p>Voir <a href="{href}">le lien</a> ici.</p>'
        assert html_to_markdown(html, base, allow_relative=allow_relative) == converted_markdown(
            html, base, allow_relative=allow_relative
        )


@pytest.mark.parametrize("before", ["!", "\\!", "&#92;!", "\\\\!", "\\\\\\!", "a\\!", "&#33;"])
def test_a_sign_before_a_link_never_makes_it_an_image(before: str) -> None:
    """A backslash of the text before a "!" is escaped itself: the "!" still needs its own."""
    html = f'<p>Texte {before}<a href="https://e.ma/a">lien</a></p>'
    for markdown in (html_to_markdown(html, BASE), converted_markdown(html, BASE)):
        tokens = MarkdownIt("commonmark").parseInline(markdown)[0].children or []
        assert [token.type for token in tokens if token.type in ("image", "link_open")] == ["link_open"], (
            markdown
        )
