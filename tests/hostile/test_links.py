"""Links from content: ``javascript:``, ``data:``, ``file:``, ``ftp:`` and the like are shown as
text, never made followable, never opened, never copied; nothing from content reaches a shell."""

from __future__ import annotations

import io
import os
import re
import subprocess
import webbrowser
from pathlib import Path

import pytest
from rich.console import Console
from rich.markdown import Markdown

from tests.conftest import FIXED_NOW
from tests.hostile.conftest import SETTINGS, UNSAFE
from tests.hostile.corpus import Corpus
from tui.article_layout import lay_out
from tui.article_markdown import DocumentLink, is_followable, to_markdown
from tui.config import SourceSpec
from tui.extract.markdown import html_to_markdown
from tui.model import ALL, Article
from tui.refresh import refresh_sources
from tui.sanitize import SIMPLE_WEB_URL, is_web_url
from tui.sources.local import read_markdown_article
from tui.store import Store

BAD_TARGETS = (
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "ftp://evil.example/f",
    "vbscript:msgbox(1)",
    "about:blank",
    "mailto:x@evil.example",
    "//evil.example/protocol-relative",
    "/etc/passwd",
)


def hrefs(markdown: str) -> list[str]:
    """Every link and image target of a Markdown document, parsed as Rich's Markdown parses it."""
    from markdown_it import MarkdownIt

    found = []
    for token in MarkdownIt().enable("strikethrough").enable("table").parse(markdown):
        for child in token.children or ():
            if child.type in ("link_open", "image"):
                found.append(str(child.attrs.get("href", child.attrs.get("src", ""))))
    return found


def rendered_text(markdown: str) -> str:
    console = Console(file=io.StringIO(), width=100, force_terminal=True)
    lines = console.render_lines(Markdown(markdown, hyperlinks=True), console.options, pad=False)
    return "".join(segment.text for line in lines for segment in line)


# -- the document ----------------------------------------------------------------------------


@pytest.mark.parametrize("target", BAD_TARGETS)
def test_layout_keeps_no_link_that_is_not_web_topic_or_in_folder(target: str):
    markdown = (
        f"[bad]({target}) [bad2](<{target}>) <{target}> ![img]({target})\n\n[ref][r]\n\n[r]: {target}\n\n"
        "[web](https://ok.example/a) [topic](<bladi-topic:tag/Maroc>) [local](autre.md)"
    )
    urls = [link.url for link in lay_out(markdown)[0]]
    assert urls == ["https://ok.example/a", "bladi-topic:tag/Maroc", "autre.md"]


@pytest.mark.parametrize(
    ("url", "web"),
    [
        ("https://www.bladi.net/a,1.html", True),
        ("http://10.0.0.1:8080/", True),
        ("http://127.0.0.2:8000/feed/001.xml?a=1#b", True),
        ("http://255.255.255.255/", True),
        ("http://[::1]/", True),
        ("https://e.ma:65535/", True),
        ("https://xn--bcher-kva.ma/", True),
        ("http://e.ma./", True),
        ("http://e.0xyz/", True),
        # what no browser or HTTP client would open: a port out of range, a host that is a bad
        # IPv4 address (its last label is a number), no host, another scheme
        ("https://e.ma:65536/", False),
        ("https://e.ma:99999/", False),
        ("http://1.2.3.999/", False),
        ("http://256.1.1.1/", False),
        ("http://010.0.0.1/", False),
        ("http://1.2.3.4:65536/", False),
        ("http://e.ma.123/", False),
        ("http://e.0x7f/", False),
        ("http:///a", False),
        ("ftp://e.ma/", False),
        ("javascript:alert(1)", False),
        ("https://e.ma:x/", False),
    ],
)
def test_web_urls_are_the_ones_a_browser_would_open(url: str, web: bool):
    assert is_web_url(url) is web
    assert (SIMPLE_WEB_URL.fullmatch(url) is None) or web  # the fast path never says more


def test_an_article_url_holding_markdown_or_angle_brackets_stays_one_link():
    url = "http://gt.example/a><ftp://evil.example/x><javascript:alert(1)>)](ftp://evil.example/y)&lrm;"
    document = to_markdown(Article(guid="g", title="t", url=url))
    (link,) = lay_out(document)[0]
    assert link.url.startswith("http://gt.example/a%3E%3Cftp://evil.example/x%3E")
    assert "&lrm;" in link.text  # the text as it is: the reference is not decoded


def test_character_references_in_titles_show_as_written():
    article = Article(
        guid="g",
        title="A &rlm; B &#x202e; C &#27;]52;c;SE9TVElMRQ==&#7; &amp;",
        author="&lrm;auteur",
        tags=["&#x9b;31m"],
        summary="&#x2066;résumé",
    )
    text = rendered_text(to_markdown(article))
    assert not UNSAFE.search(text)
    assert "A &rlm; B &#x202e; C &#27;]52;c;SE9TVElMRQ==&#7; &amp;" in text


def test_web_pages_keep_only_http_links():
    anchors = "".join(f'<a href="{target}">x{n}</a> ' for n, target in enumerate(BAD_TARGETS))
    markdown = html_to_markdown(
        f"<p>{anchors}<a href='https://ok.example/'>ok</a></p>", "http://page.example/d/"
    )
    targets = hrefs(markdown)
    assert targets and all(target.startswith(("http://", "https://")) for target in targets), targets
    assert [link.url for link in lay_out(markdown)[0]] == [
        "http://evil.example/protocol-relative",
        "http://page.example/etc/passwd",
        "https://ok.example/",
    ]  # relative and protocol-relative links resolve against the page: web links, on the web


def test_local_articles_reduce_every_other_link_to_its_text(tmp_path: Path):
    lines = [
        f"[inline{n}]({t}) [pointy{n}](<{t} x>) [nested [{n}]]({t}) [ref{n}][r{n}]"
        for n, t in enumerate(BAD_TARGETS)
    ]
    definitions = [f"[r{n}]: {t.strip()}" for n, t in enumerate(BAD_TARGETS)]
    text = (
        '+++\ntitle = "t"\n+++\n'
        + "\n\n".join(lines)
        + "\n\n[ok](voisin.md)\n\n"
        + "\n".join(definitions)
        + "\n"
    )
    article = read_markdown_article(text, tmp_path / "a.md", tmp_path, "local")
    assert [link.url for link in lay_out(to_markdown(article))[0]] == ["voisin.md"]
    assert set(hrefs(article.body)) == {"", "voisin.md"}  # "": a reference kept, its target dropped


# -- the running app -------------------------------------------------------------------------


@pytest.fixture
def recorders(monkeypatch: pytest.MonkeyPatch):
    """webbrowser.open, the clipboard and every way to start a process, recorded (and refused)."""
    calls: dict[str, list] = {"browser": [], "spawned": []}
    monkeypatch.setenv("DISPLAY", ":0")  # a local graphical session: the browser may be used
    for name in ("WAYLAND_DISPLAY", "SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(
        webbrowser, "open", lambda url, new=0, autoraise=True: calls["browser"].append(url) or True
    )

    def spawn(*args, **kwargs):
        calls["spawned"].append(args)
        raise AssertionError(f"a process was started: {args!r}")

    monkeypatch.setattr(subprocess, "Popen", spawn)
    monkeypatch.setattr(os, "system", spawn)
    monkeypatch.setattr(os, "popen", spawn)
    return calls


async def test_no_content_link_is_followed_opened_or_copied_unless_it_is_web(
    hostile: Corpus, tmp_path, recorders, monkeypatch
):
    from tui.ui.app import BladiApp
    from tui.ui.screens.links import LinksScreen

    names = ["links", "page", "ctl-page", "json", "atom"]  # the sources whose articles hold links
    specs = [SourceSpec(name=case.name, url=case.url) for case in hostile.cases if case.name in names]
    store = Store(tmp_path / "s.sqlite3")
    await refresh_sources(store, specs, fetch=SETTINGS)
    app = BladiApp(store, specs, offline=True, clock=lambda: FIXED_NOW, refresh_on_start=False)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    followed = 0
    async with app.run_test(size=(160, 50)) as pilot:
        for rowid in store.topic_rowids(ALL):
            app.reader.open_rowid(rowid)
            await pilot.pause()
            view = app.reader.article_view
            assert all(is_followable(link.url) for link in view.links), view.links
            for line in view._lines:  # what a click can do: follow one of those links, nothing else
                for segment in line:
                    style = segment.style
                    assert style is None or not style.link
                    click = style.meta.get("@click") if style is not None else None
                    if click is not None:
                        number = re.fullmatch(r"follow_link\((\d+)\)", click)
                        assert number and int(number.group(1)) < len(view.links), click
            await pilot.press("o", "y")  # open the article in the browser, copy its link
            for number in range(len(view.links)):
                app.reader.open_rowid(rowid)
                app.reader.article_view.action_follow_link(number)
                await pilot.pause()
                await app.workers.wait_for_complete()  # one at a time: a new one cancels the last
                followed += 1
        app.reader.open_rowid(store.topic_rowids(ALL)[0])
        await pilot.press("l")  # the links list offers only what may be followed
        assert isinstance(app.screen, LinksScreen)
        assert app.screen._links and all(is_followable(link.url) for link in app.screen._links)
        await pilot.press("escape")
        for target in BAD_TARGETS:  # as if a link to it had been clicked
            app.reader.follow(DocumentLink("x", target))
        await pilot.pause()
    store.close()

    assert followed >= 5
    assert recorders["browser"], "the http(s) links were opened in the browser"
    for url in recorders["browser"] + copied:
        assert url.startswith(("http://", "https://")) and not UNSAFE.search(url), url
    assert not recorders["spawned"]


async def test_open_url_never_copies_a_non_web_url(tmp_path, recorders, monkeypatch):
    from tui.ui.app import BladiApp

    store = Store(tmp_path / "s.sqlite3")
    app = BladiApp(store, [], offline=True, clock=lambda: FIXED_NOW, refresh_on_start=False)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(120, 40)) as pilot:
        for target in BAD_TARGETS:
            app.open_url(target)  # what Textual calls for a link it was asked to open
        await pilot.pause()
    store.close()
    assert not recorders["browser"]
    assert copied == []
