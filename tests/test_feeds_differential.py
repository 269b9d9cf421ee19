"""The contract of the fast road: the articles it gives are feedparser's.

Every file of feedparser's own test corpus (../shared/feed-corpus, 2,106 feeds no one here wrote)
and every fixture feed is read twice, by the pipeline as it runs (the fast lxml road, feedparser
for what that road does not accept) and by feedparser alone, both through the one normaliser.
The two readings must be equal field for field: the feed's title and link, and each article's
guid, title, link, date with its offset, rubrique, tags, author, summary, body and topic pages.
A difference is allowed only when INTENDED_DIFFERENCES names the document and says why.

Then the harness itself: roads that lose data the ways other parsers were seen to (a character
dropped from a title, a Latin-1 feed read as UTF-8, an entity left escaped in plain text) are
caught, as are the candidate libraries themselves when they are installed.
"""

from __future__ import annotations

import dataclasses
import html
import re
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SHARED
from tui.feeds.entry import FeedDocument, FeedParseError
from tui.feeds.fast import read_well_formed
from tui.feeds.parse import FastRoad, parse_feed

CORPUS = SHARED / "feed-corpus"
FEEDS = FIXTURES / "feeds"
URL = "http://example.org/feed.xml"
# Some corpus cases assume HTTP headers, written in their opening comment ("Header: Content-type: …").
HEADER_CONTENT_TYPE = re.compile(rb"Header:\s*Content-type:\s*([^\r\n]+)", re.I)

# Documents on which the fast road gives other articles than feedparser, on purpose: name -> why.
# None today: every difference the fast road had was a bug, and the fast road hands to feedparser
# whatever it cannot read exactly as feedparser does. An entry that no longer differs fails the
# test below, so this list never outlives its reasons.
INTENDED_DIFFERENCES: dict[str, str] = {}


def documents() -> list[tuple[str, bytes, str]]:
    """(name, bytes, content type) of every fixture feed and, when present, every corpus file."""
    found = [("fixtures/" + path.name, path.read_bytes(), "") for path in sorted(FEEDS.iterdir())]
    for path in sorted(CORPUS.rglob("*.xml")) if CORPUS.is_dir() else ():
        data = path.read_bytes()
        header = HEADER_CONTENT_TYPE.search(data[:2048])
        content_type = header.group(1).decode("latin-1").strip() if header else ""
        found.append((str(path.relative_to(CORPUS)), data, content_type))
    return found


def reading(data: bytes, content_type: str, fast: FastRoad | None) -> tuple:
    """Every field a reader of the feed sees, dates with their offsets (aware datetimes compare
    equal across offsets)."""
    try:
        feed = parse_feed(data, URL, source="corpus", content_type=content_type, fast=fast)
    except FeedParseError as error:
        return ("refused", str(error))

    def plain(value: object) -> object:
        return (value, value.utcoffset()) if isinstance(value, datetime) else value

    articles = [{name: plain(value) for name, value in dataclasses.asdict(a).items()} for a in feed.articles]
    return (feed.title, feed.link, feed.bozo, articles)


def differing(fast: FastRoad, docs: list[tuple[str, bytes, str]]) -> dict[str, str]:
    """The documents ``fast`` reads otherwise than feedparser, each with its first difference."""
    found = {}
    for name, data, content_type in docs:
        expected, got = reading(data, content_type, None), reading(data, content_type, fast)
        if got != expected:
            found[name] = first_difference(expected, got)
    return found


def first_difference(expected: tuple, got: tuple) -> str:
    if len(expected) != len(got) or expected[:3] != got[:3] or len(expected[3]) != len(got[3]):
        return f"{got!r:.200} instead of {expected!r:.200}"
    for want, have in zip(expected[3], got[3], strict=True):
        for name in want:
            if want[name] != have[name]:
                return f"{name}: {have[name]!r:.200} instead of {want[name]!r:.200}"
    return "?"


def test_the_fast_road_gives_feedparsers_articles_on_the_fixtures_and_the_corpus():
    docs = documents()
    if not CORPUS.is_dir():
        pytest.skip(f"the shared feed corpus is not at {CORPUS} (it lives in ../shared beside the checkout)")
    differences = differing(read_well_formed, docs)
    unexplained = {name: why for name, why in differences.items() if name not in INTENDED_DIFFERENCES}
    assert not unexplained, "\n".join(f"{name}: {why}" for name, why in unexplained.items())
    stale = set(INTENDED_DIFFERENCES) - set(differences)
    assert not stale, f"no longer different, drop from INTENDED_DIFFERENCES: {sorted(stale)}"
    # A fast road that hands everything to feedparser agrees too: it must read most RSS 2.0 and
    # Atom 1.0 cases itself (not RSS 1.0, Atom 0.3, XHTML content, other encodings...).
    fast = sum(read_well_formed(data, content_type) is not None for _, data, content_type in docs)
    assert fast > 700


# -- the harness catches the losses other parsers were seen to make ---------------------------

AMPERSAND = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Flux</title>'
    b"<item><title>Tom &amp; Jerry</title><link>https://flux.exemple.ma/1</link>"
    b"<description>Tom &amp; Jerry, &lt;b&gt;encore&lt;/b&gt;</description></item>"
    b"</channel></rss>"
)
ATOM_PLAIN = (
    b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Flux</title>'
    b'<entry><id>urn:1</id><title type="text">Tom &amp; Jerry</title>'
    b'<link href="https://flux.exemple.ma/1"/><summary type="text">S &lt; T</summary></entry></feed>'
)
LATIN1 = (FEEDS / "latin1.xml").read_bytes()
SAMPLES = [("ampersand", AMPERSAND, ""), ("atom-plain", ATOM_PLAIN, ""), ("latin1", LATIN1, "")]


def edited(change) -> FastRoad:
    """The fast road with each entry's fields changed by ``change``."""

    def road(data: bytes, charset: str) -> FeedDocument | None:
        document = read_well_formed(data, charset)
        if document is not None:
            document.entries = [change(entry) for entry in document.entries]
        return document

    return road


def utf8_whatever_declared(data: bytes, charset: str) -> FeedDocument | None:
    """A road that reads every document as UTF-8, what a Latin-1 feed becomes "S\ufffdcurit\ufffd" by."""
    text = data.decode("utf-8", "replace")
    return read_well_formed(re.sub(r'encoding="[^"]*"', 'encoding="utf-8"', text, count=1).encode())


def test_the_samples_read_alike_on_both_roads():
    assert differing(read_well_formed, SAMPLES) == {}
    assert read_well_formed(AMPERSAND, "") is not None and read_well_formed(ATOM_PLAIN, "") is not None


@pytest.mark.parametrize(
    ("road", "caught"),
    [
        # fastfeedparser: "Tom & Jerry" became "Tom  Jerry".
        (
            edited(lambda e: dataclasses.replace(e, title=e.title.replace("&", ""))),
            {"ampersand", "atom-plain"},
        ),
        # feedparser-rs: "Tom &amp; Jerry" where feedparser gives "Tom & Jerry", in plain text.
        (
            edited(lambda e: dataclasses.replace(e, title=html.escape(e.title), title_html=False)),
            {"ampersand", "atom-plain"},
        ),
        (edited(lambda e: dataclasses.replace(e, summary=html.escape(e.summary))), {"atom-plain"}),
        # fastfeedparser: a Latin-1 feed read as UTF-8.
        (utf8_whatever_declared, {"latin1"}),
    ],
    ids=["character-dropped", "entity-left-in-title", "entity-left-in-summary", "latin1-as-utf8"],
)
def test_the_differential_catches_a_lossy_road(road: FastRoad, caught: set[str]):
    assert caught <= set(differing(road, SAMPLES))


@pytest.mark.parametrize("module", ["fastfeedparser", "feedparser_rs"])
def test_the_differential_catches_the_candidate_libraries(module: str):
    pytest.importorskip(module)
    from benchmarks import feed_candidates

    road = feed_candidates.FAST_ROADS[module]
    docs = [(name, data, ct) for name, data, ct in documents() if name.startswith("fixtures/")] + SAMPLES
    assert differing(road, docs), f"{module} reads every fixture as feedparser does: the harness sees nothing"


def test_the_pipeline_uses_feedparsers_public_api_only():
    # Its internals change between releases without notice; the differential test above is the
    # contract with feedparser instead.
    root = Path(__file__).resolve().parent.parent
    private = re.compile(r"feedparser\.[a-z_]*\._|_parse_date|from feedparser\.\w+ import _")
    found = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for folder in ("tui", "benchmarks", "tests")
        for path in sorted((root / folder).rglob("*.py"))
        if path.name != "test_feeds_differential.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if private.search(line)
    ]
    assert not found, "\n".join(found)
