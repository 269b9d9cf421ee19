"""Entity bombs on every road: no entity declared anywhere is ever expanded.

A DOCTYPE's internal subset, a comment or a processing instruction of the prolog (feedparser's
``replace_doctype()`` lifts an ``<!ENTITY>`` line out of either), a subset beyond the first
64 KiB, a UTF-16 document, a parameter entity, a local ``.xml`` file, an OPML file: only the
five XML entities and character references are read, and a fetch of each bomb, measured in a
child process (its own ``ru_maxrss``), stays under 200 MiB. Fixtures are generated here.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tui.feeds.entities import only_xml_entities, without_dtd
from tui.feeds.parse import FeedParseError, parse_feed
from tui.opml import OpmlError, read_opml

MIB = 1024 * 1024
PEAK_RSS = Path(__file__).with_name("peak_rss.py")
BIG = "A" * 32768  # one entity's text: 2,048 references to it would make 64 MiB
REFERENCES = "&a;" * 2048
DECLARATION = f'<!ENTITY a "{BIG}">'
# UTF-16 takes two bytes a character: half the entity, twice the references (still 64 MiB),
# so that the DOCTYPE ends within the 64 KiB a feed is recognised by.
UTF16_BOMB = f'<!ENTITY a "{BIG[:16384]}">', "&a;" * 4096


def rss(description: str = REFERENCES, title: str = "Un titre") -> str:
    return (
        '<rss version="2.0"><channel><title>Bombe</title><link>http://bomb.example/</link>'
        f"<item><title>{title}</title><link>http://bomb.example/1.html</link>"
        f"<guid>http://bomb.example/1.html</guid><description>{description}</description></item>"
        "</channel></rss>"
    )


def atom(content: str = REFERENCES) -> str:
    return (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Bombe</title><id>urn:bomb</id>'
        "<entry><title>Un titre</title><id>http://bomb.example/1.html</id>"
        '<link href="http://bomb.example/1.html"/>'
        f'<content type="html">{content}</content></entry></feed>'
    )


LAUGHS = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n else "lol"}">' for n in range(10))

#: name -> (document, Content-Type). Every one of them expands to 64 MiB or more where entities
#: declared in it are read (the comment one did on main before this file: 515 MB at its peak).
BOMBS: dict[str, tuple[bytes, str]] = {
    "comment": (
        f"<?xml version='1.0'?>\n<!DOCTYPE rss>\n<!--\n{DECLARATION}\n-->\n{rss()}".encode(),
        "application/rss+xml",
    ),
    "comment-atom": (
        f"<?xml version='1.0' encoding='utf-8'?>\n<!DOCTYPE feed>\n<!--\n{DECLARATION}\n-->\n{atom()}".encode(),
        "application/atom+xml",
    ),
    "internal-subset": (
        f"<?xml version='1.0'?>\n<!DOCTYPE rss [\n{DECLARATION}\n]>\n{rss()}".encode(),
        "application/rss+xml",
    ),
    "subset-after-64-kib": (
        f"<?xml version='1.0'?>\n<!--{' ' * 70000}-->\n<!DOCTYPE rss [\n{DECLARATION}\n]>\n{rss()}".encode(),
        "application/rss+xml",
    ),
    "processing-instruction": (
        f"<?xml version='1.0'?>\n<!DOCTYPE rss>\n<?bomb\n{DECLARATION}\n?>\n{rss()}".encode(),
        "application/rss+xml",
    ),
    "parameter-entity": (
        (
            f"<?xml version='1.0'?>\n<!DOCTYPE rss [\n<!ENTITY % p '<!ENTITY a \"{BIG}\">'>\n%p;\n]>\n{rss()}"
        ).encode(),
        "application/rss+xml",
    ),
    "billion-laughs": (
        f"<?xml version='1.0'?>\n<!DOCTYPE rss [\n{LAUGHS}\n]>\n{rss('&lol9;' * 64)}".encode(),
        "application/rss+xml",
    ),
    "text-before-root": (  # a prolog that cannot be read to its end
        f"<!DOCTYPE rss>\nnot markup\n{DECLARATION}\n{rss()}".encode(),
        "application/rss+xml",
    ),
    "latin-1": (
        f"<?xml version='1.0' encoding='iso-8859-1'?>\n<!DOCTYPE rss>\n<!--\n{DECLARATION}\n-->\n"
        f"{rss(title='Société')}".encode("latin-1"),
        "application/rss+xml",
    ),
    "utf-16-subset": (
        (
            f"<?xml version='1.0' encoding='utf-16'?>\n<!DOCTYPE rss [\n{UTF16_BOMB[0]}\n]>\n"
            f"{rss(UTF16_BOMB[1])}"
        ).encode("utf-16"),
        "application/xml",
    ),
    "utf-16-comment": (
        (
            f"<?xml version='1.0' encoding='utf-16'?>\n<!DOCTYPE rss>\n<!--\n{UTF16_BOMB[0]}\n-->\n"
            f"{rss(UTF16_BOMB[1])}"
        ).encode("utf-16"),
        "application/xml",
    ),
    "utf-16-be-no-bom": (
        (
            f"<?xml version='1.0' encoding='utf-16be'?>\n<!DOCTYPE rss [\n{UTF16_BOMB[0]}\n]>\n"
            f"{rss(UTF16_BOMB[1])}"
        ).encode("utf-16-be"),
        "application/xml; charset=utf-16be",
    ),
    # Encodings in which markup is not ASCII: a parser decodes them before it finds a declaration.
    "utf-7": (
        (
            "<?xml version='1.0' encoding='utf-7'?>\n"
            + f"<!DOCTYPE rss [\n{DECLARATION}\n]>\n".replace("<!", "+ADwAIQ-")
            + rss()
        ).encode(),
        "application/xml",
    ),
    "ebcdic": (
        f"<?xml version='1.0' encoding='cp037'?>\n<!DOCTYPE rss [\n{DECLARATION}\n]>\n{rss()}".encode(
            "cp037"
        ),
        "application/xml",
    ),
    # The probe's largest: 8 MB of references, 783 MB once expanded (a peak of 5.9 GB).
    "comment-8-mb": (
        f"<?xml version='1.0'?>\n<!DOCTYPE rss>\n<!--\n{DECLARATION}\n-->\n{rss('&a;' * 2_600_000)}".encode(),
        "application/rss+xml",
    ),
}


def fields(article) -> list[str]:
    return [article.title, article.summary, article.lead, article.body, article.author, *article.tags]


def assert_nothing_expanded(articles) -> None:
    for article in articles:
        for value in fields(article):
            assert "AAAAAAAA" not in value and "lollol" not in value, value[:200]


@pytest.mark.parametrize("name", list(BOMBS))
def test_no_declared_entity_is_expanded_on_any_road(name):
    document, content_type = BOMBS[name]
    try:
        feed = parse_feed(document, "http://bomb.example/feed.xml", content_type=content_type)
    except FeedParseError:
        return  # not read at all: nothing expanded either
    assert feed.articles, name
    assert_nothing_expanded(feed.articles)
    for article in feed.articles:
        assert sum(map(len, fields(article))) < 100_000  # the caps, at the very most


def test_the_five_xml_entities_character_references_and_html_names_still_read():
    document = (
        "<?xml version='1.0'?>\n<!DOCTYPE rss>\n<!-- <!ENTITY eacute \"BOOM\"> -->\n"
        + rss(
            title="Caf&eacute; &amp; th&#233; &lt;3 &nbsp;&copy;",
            description="&lt;p&gt;Soci&amp;eacute;t&#xe9; &quot;x&quot; &apos;y&apos; &inconnu;&lt;/p&gt;",
        )
    ).encode()
    (article,) = parse_feed(document, "http://bomb.example/feed.xml").articles
    assert article.title == "Café & thé <3 ©"
    assert article.summary == "Société \"x\" 'y' &inconnu;"


def test_a_prolog_keeps_only_its_declaration():
    assert without_dtd(b"<?xml version='1.0'?>\n<rss/>") == b"<?xml version='1.0'?>\n<rss/>"
    stripped = without_dtd(
        b"\xef\xbb\xbf<?xml version='1.0'?>\n<?xml-stylesheet href='s.xsl'?>\n<!--c-->\n"
        b'<!DOCTYPE rss [<!ENTITY a "]>"> <!-- ]> --> <?pi ]> ?>]>\n<rss>&a;</rss>'
    )
    assert stripped == b"\xef\xbb\xbf<?xml version='1.0'?>\n\n\n\n<rss>&a;</rss>"
    # A prolog that cannot be read: every declaration later on is made text.
    assert without_dtd(b'x<!DOCTYPE rss [<!ENTITY a "b">]><rss/>') == (
        b'x&lt;!DOCTYPE rss [&lt;!ENTITY a "b">]><rss/>'
    )
    assert only_xml_entities(b"<rss>&a; &amp; &eacute; &lt; &#1;</rss>") == (
        b"<rss>&amp;a; &amp; &#233; &lt; &#1;</rss>"
    )


def test_many_distinct_names_are_all_made_text():
    names = "".join(f"&n{number};&eacute;" for number in range(100))
    result = only_xml_entities(f"<rss>{names}&amp;</rss>".encode())
    assert result == f"<rss>{''.join(f'&amp;n{number};&#233;' for number in range(100))}&amp;</rss>".encode()


# -- OPML ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prolog",
    [
        f"<!DOCTYPE opml>\n<!--\n{DECLARATION}\n-->\n",
        f"<!DOCTYPE opml [\n{DECLARATION}\n]>\n",
        f"<?bomb\n{DECLARATION}\n?>\n",
    ],
    ids=["comment", "internal-subset", "processing-instruction"],
)
def test_an_opml_bomb_is_refused_in_one_sentence_or_read_unexpanded(prolog):
    document = (
        f"<?xml version='1.0'?>\n{prolog}<opml version='2.0'><body>"
        f"<outline text='{REFERENCES}' xmlUrl='http://bomb.example/feed.xml'/></body></opml>"
    ).encode()
    with pytest.raises(OpmlError) as refused:
        read_opml(document)
    sentence = str(refused.value)
    assert len(sentence) < 300 and "\n" not in sentence and "AAAA" not in sentence


# -- a real fetch of each bomb, measured -------------------------------------------------------


def fetch_in_child(tmp_path: Path, *sources: str) -> tuple[int, float, str]:
    """``bladi-tui fetch SOURCE...`` in a child process: (exit status, its peak RSS in MiB,
    stderr). The peak is the child's own ru_maxrss, read with wait4 by a small process between
    (tests/hostile/peak_rss.py says why)."""
    data = tmp_path / "data"
    environment = {
        **os.environ,
        "BLADI_TUI_DATA_DIR": str(data),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "HOME": str(tmp_path / "home"),
        "NO_COLOR": "1",
    }
    environment.pop("BLADI_TUI_CONFIG", None)
    report = tmp_path / "peak.json"
    with open(tmp_path / "stderr", "wb") as stderr:
        subprocess.run(
            [sys.executable, str(PEAK_RSS), str(report), sys.executable, "-m", "tui", "fetch", *sources],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=environment,
            cwd=ROOT,
            check=True,
            timeout=300,
        )
    measured = json.loads(report.read_text())
    return measured["status"], measured["peak_mib"], (tmp_path / "stderr").read_text()


def stored_texts(tmp_path: Path) -> list[tuple]:
    (store,) = (tmp_path / "data").rglob("*.sqlite3")
    db = sqlite3.connect(store)
    try:
        return db.execute(
            "SELECT length(title), length(summary), length(body), instr(summary, 'AAAAAAAA'), "
            "instr(body, 'AAAAAAAA'), cut FROM articles"
        ).fetchall()
    finally:
        db.close()


@pytest.mark.parametrize(
    "name", ["comment", "internal-subset", "utf-16-subset", "billion-laughs", "comment-8-mb"]
)
def test_fetching_a_bomb_stays_under_200_mib(loopback, tmp_path, name):
    document, content_type = BOMBS[name]
    loopback.route("/feed.xml", document, content_type=content_type)
    status, peak, stderr = fetch_in_child(tmp_path, loopback.url("/feed.xml"))
    print(f"\n{name}: {len(document):,} bytes, fetch peak {peak:.0f} MiB")
    assert status == 0, stderr[-2000:]
    assert peak < 200
    rows = stored_texts(tmp_path)
    assert rows and all(row[3] == row[4] == 0 for row in rows), rows
    assert all(row[1] <= 50_000 and row[2] <= 2_000_000 for row in rows), rows


def test_a_local_xml_bomb_stays_under_200_mib(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "bomb.xml").write_bytes(BOMBS["comment"][0])
    other = BOMBS["utf-16-subset"][0].decode("utf-16").replace("1.html", "2.html")  # another article
    (folder / "subset.xml").write_bytes(other.encode("utf-16"))
    (folder / "good.md").write_text('+++\ntitle = "Un bon article"\n+++\nLe texte.\n')
    status, peak, stderr = fetch_in_child(tmp_path, str(folder))
    print(f"\nlocal .xml bombs: fetch peak {peak:.0f} MiB")
    assert status == 0, stderr[-2000:]
    assert peak < 200
    rows = stored_texts(tmp_path)
    assert len(rows) == 3 and all(row[3] == row[4] == 0 for row in rows), rows
