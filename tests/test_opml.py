"""OPML import and export: real files from other readers, hostile ones, a real state.toml."""

from __future__ import annotations

import time
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES
from tui.config import SourceSpec, load_config, merge_state, save_state
from tui.opml import MAX_BYTES, OpmlError, export_opml, import_opml, read_opml, write_opml
from tui.sanitize import clean_line

OPML = FIXTURES / "opml"


def pairs(specs):
    return [(spec.name, spec.url) for spec in specs]


# --- round trip --------------------------------------------------------------------------------

AWKWARD = [
    SourceSpec(name="Tom & Jerry", url="https://tom.example/feed?a=1&b=2&c=<3>", kind="feed"),
    SourceSpec(name='<script>alert("x")</script>', url="https://lt.example/rss", kind="feed"),
    SourceSpec(name="L'Économiste « édition »", url="https://eco.example/rss", kind="feed"),
    SourceSpec(name="هسبريس — أخبار المغرب", url="https://www.hespress.example/feed"),
    SourceSpec(name="ⵜⴰⵎⴰⵣⵉⵖⵜ & \"quotes\" 'too'", url="https://tz.example/feed", kind="auto"),
    SourceSpec(name="A site", url="https://site.example/", kind="site"),
    SourceSpec(name="Switched off", url="https://off.example/rss", kind="feed", enabled=False),
]


def test_round_trip_keeps_names_and_urls():
    data = write_opml(AWKWARD)
    assert pairs(read_opml(data)) == pairs(AWKWARD)


def test_round_trip_keeps_feeds_and_what_is_switched_off():
    back = {spec.url: spec for spec in read_opml(write_opml(AWKWARD))}
    assert back["https://tom.example/feed?a=1&b=2&c=<3>"].kind == "feed"
    assert back["https://site.example/"].kind == "auto"  # a page: its feed is found again
    assert back["https://off.example/rss"].enabled is False
    assert all(spec.enabled for url, spec in back.items() if url != "https://off.example/rss")


def test_written_opml_is_utf8_opml_2_escaped():
    data = write_opml(AWKWARD, title="Mes sources & <autres>")
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    text = data.decode("utf-8")
    assert "<title>Mes sources &amp; &lt;autres&gt;</title>" in text
    assert 'xmlUrl="https://tom.example/feed?a=1&amp;b=2&amp;c=&lt;3&gt;"' in text
    assert "<script>" not in text and "هسبريس — أخبار المغرب" in text
    assert 'htmlUrl="https://site.example/"' in text and 'type="link"' in text
    assert write_opml(AWKWARD, title="Mes sources & <autres>") == data  # no date: stable output


def test_local_sources_are_not_exported():
    specs = [SourceSpec(name="Exemples", path="/srv/articles", kind="local"), *AWKWARD[:1]]
    assert pairs(read_opml(write_opml(specs))) == pairs(AWKWARD[:1])


def test_control_characters_never_reach_the_file():
    hostile = SourceSpec(name="\x1b]52;c;cHduZWQ=\x07Red\x1b[31m\u202e", url="https://h.example/")
    data = write_opml([hostile])
    assert not any(ch in data.decode() for ch in "\x1b\x07\u202e")
    assert pairs(read_opml(data)) == [("]52;c;cHduZWQ=Red[31m", "https://h.example/")]


names = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)


@settings(max_examples=200, deadline=None)
@given(st.lists(names, min_size=1, max_size=5))
def test_any_name_survives_a_round_trip(texts):
    specs = [SourceSpec(name=t, url=f"https://n{i}.example/feed") for i, t in enumerate(texts)]
    back = read_opml(write_opml(specs))
    expected = [clean_line(clean_line(t), limit=200) or f"n{i}.example" for i, t in enumerate(texts)]
    assert [s.name for s in back] == expected
    assert read_opml(write_opml(back)) == back


# --- reading what other readers write ----------------------------------------------------------


def test_nested_outlines_are_flattened_in_order():
    specs = read_opml((OPML / "nested.opml").read_bytes())
    assert pairs(specs)[:6] == [
        ("Yabiladi", "https://www.yabiladi.com/rss"),  # text wins over title
        ("Médias24", "https://medias24.com/feed/"),  # two folders deep
        ("Le360 (title only)", "https://fr.le360.ma/rss"),
        ("هسبريس", "https://www.hespress.com/feed"),
        ("TelQuel", "https://telquel.ma/"),  # htmlUrl only
        ("example.org", "https://www.example.org/no-name.xml"),  # no name: the host
    ]
    kinds = {spec.name: spec.kind for spec in specs}
    assert kinds["Yabiladi"] == "feed" and kinds["TelQuel"] == "auto"
    # A folder marked isComment="true" switches off what it holds.
    assert [spec.name for spec in specs if not spec.enabled] == ["Le Matin"]
    # The second "Yabiladi" outline (same address) is not a second source.
    assert [spec.url for spec in specs].count("https://www.yabiladi.com/rss") == 1


def test_only_http_urls_are_kept():
    urls = [spec.url for spec in read_opml((OPML / "nested.opml").read_bytes())]
    assert all(url.startswith(("https://", "http://")) for url in urls)
    joined = " ".join(urls)
    assert not any(word in joined for word in ("javascript", "file:", "data:", "/feed.xml"))
    # An unusable xmlUrl does not hide a good htmlUrl.
    assert "https://good.example/" in urls


def test_control_and_bidi_characters_are_stripped():
    specs = read_opml((OPML / "nested.opml").read_bytes())
    hostile = specs[-1]
    assert hostile.url == "https://hostile.example/feed"
    assert hostile.name == "31mRed8;;https://evil.exampletxt.exe"
    for spec in specs:
        assert not any(0x80 <= ord(ch) <= 0x9F or ch == "\u202e" for ch in spec.name + spec.url)


def test_opml_1_latin1_file_with_lowercase_attributes():
    specs = read_opml((OPML / "opml1.opml").read_bytes())
    assert pairs(specs) == [
        ("Bladi.net", "https://www.bladi.net/spip.php?page=backend"),
        ("Le Desk", "https://ledesk.ma/feed/"),
        ("Café & Thé", "https://cafe.example/rss?a=1&b=2"),
        ("Libération", "https://liberation.example/rss"),
    ]


# --- what is refused ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, says",
    [
        ("broken.opml", "not valid XML: not well-formed (invalid token) at line 4, column 25"),
        ("not-opml.xml", "not an OPML document (its root element is <rss>)"),
        ("external-entity.opml", "refers to an external DTD"),
        ("parameter-entity.opml", "has a DTD that can declare entities"),
    ],
)
def test_malformed_files_are_one_sentence(name, says):
    with pytest.raises(OpmlError) as caught:
        read_opml((OPML / name).read_bytes())
    message = str(caught.value)
    assert says in message
    assert message.endswith(".") and "\n" not in message


@pytest.mark.parametrize("data", [b"", b"   ", b"<opml><body>", "\ufeff<opml".encode(), b"\xff\xfe\x00"])
def test_empty_or_truncated_input_is_an_opml_error(data):
    with pytest.raises(OpmlError):
        read_opml(data)


def test_entity_expansion_attack_is_refused_at_once():
    data = (OPML / "billion-laughs.opml").read_bytes()
    assert b"<!ENTITY j" in data  # 10**9 "a"s once expanded
    started = time.perf_counter()
    with pytest.raises(OpmlError, match="DTD that can declare entities"):
        read_opml(data)
    assert time.perf_counter() - started < 5  # refused before any expansion (which never ends)


def test_a_bare_doctype_is_accepted():
    data = (
        b'<!DOCTYPE opml><opml version="2.0"><body>'
        b'<outline text="A" xmlUrl="https://a.example/"/></body></opml>'
    )
    assert pairs(read_opml(data)) == [("A", "https://a.example/")]


def test_an_oversized_file_is_refused():
    padding = b"<!--" + b"x" * MAX_BYTES + b"-->"
    with pytest.raises(OpmlError, match="larger than 8 MiB"):
        read_opml(b"<opml><body></body></opml>" + padding)


# --- import into state.toml, export ------------------------------------------------------------

CONFIG = """\
# My own config: comments and layout that must survive.
language = "fr"

[[sources]]
name = "Yabiladi (mine)"
url = "https://www.yabiladi.com/rss"
"""


@pytest.fixture
def config_file(tmp_path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def effective(config_file: Path):
    return merge_state(load_config(config_file, explicit=True), config_file.parent / "state.toml")


def test_import_adds_new_sources_to_state_and_leaves_config_alone(config_file):
    before = config_file.read_bytes()
    state = config_file.parent / "state.toml"
    added, skipped = import_opml(OPML / "nested.opml", state, effective(config_file))
    # 9 usable sources, Yabiladi already configured; the repeated Yabiladi and 4 bad addresses.
    assert (added, skipped) == (8, 1 + 5)
    assert config_file.read_bytes() == before
    document = tomllib.loads(state.read_text(encoding="utf-8"))
    assert [table["url"] for table in document["added_sources"]][:2] == [
        "https://medias24.com/feed/",
        "https://fr.le360.ma/rss",
    ]
    config = effective(config_file)
    assert config.warnings == ()
    by_url = {spec.url: spec for spec in config.sources}
    assert by_url["https://www.yabiladi.com/rss"].name == "Yabiladi (mine)"
    assert by_url["https://www.hespress.com/feed"].name == "هسبريس"
    assert by_url["https://www.hespress.com/feed"].kind == "feed"
    assert by_url["https://lematin.ma/rss"].enabled is False
    assert len(config.sources) == 9


def test_importing_twice_adds_nothing(config_file):
    state = config_file.parent / "state.toml"
    import_opml(OPML / "opml1.opml", state, effective(config_file))
    written = state.read_bytes()
    assert import_opml(OPML / "opml1.opml", state, effective(config_file)) == (0, 4)
    assert state.read_bytes() == written


def test_import_keeps_the_rest_of_the_state(config_file):
    state = config_file.parent / "state.toml"
    save_state(
        state,
        theme="nord",
        added_sources=[SourceSpec(name="Palette", url="https://palette.example/rss")],
        disabled_sources=["https://www.yabiladi.com/rss"],
    )
    assert import_opml(OPML / "opml1.opml", state, effective(config_file)) == (4, 0)
    config = effective(config_file)
    assert config.theme == "nord"
    names = [spec.name for spec in config.sources]
    assert names == ["Yabiladi (mine)", "Palette", "Bladi.net", "Le Desk", "Café & Thé", "Libération"]
    assert config.sources[0].enabled is False  # switched off before: left so


def test_import_brings_back_a_removed_source(config_file):
    state = config_file.parent / "state.toml"
    save_state(state, removed_sources=["https://www.yabiladi.com/rss"])
    assert "https://www.yabiladi.com/rss" not in [s.url for s in effective(config_file).sources]
    added, _ = import_opml(OPML / "nested.opml", state, effective(config_file))
    assert added == 9
    config = effective(config_file)
    yabiladi = [s.name for s in config.sources if s.url == "https://www.yabiladi.com/rss"]
    assert yabiladi == ["Yabiladi (mine)"]
    assert "removed_sources" not in tomllib.loads(state.read_text(encoding="utf-8"))


def test_import_of_a_bad_file_names_it_and_writes_nothing(config_file, tmp_path):
    state = tmp_path / "state.toml"
    with pytest.raises(OpmlError, match=r"billion-laughs\.opml has a DTD"):
        import_opml(OPML / "billion-laughs.opml", state, effective(config_file))
    with pytest.raises(OpmlError, match=r"missing\.opml does not exist\."):
        import_opml(tmp_path / "missing.opml", state, effective(config_file))
    with pytest.raises(OpmlError, match=r"is a folder, not an OPML file\."):
        import_opml(tmp_path, state, effective(config_file))
    assert not state.exists()


def test_export_lists_the_effective_web_sources(config_file):
    state = config_file.parent / "state.toml"
    import_opml(OPML / "opml1.opml", state, effective(config_file))
    save_state(state, disabled_sources=["https://ledesk.ma/feed/"])
    exported = read_opml(export_opml(effective(config_file)))
    assert pairs(exported) == [
        ("Yabiladi (mine)", "https://www.yabiladi.com/rss"),
        ("Bladi.net", "https://www.bladi.net/spip.php?page=backend"),
        ("Le Desk", "https://ledesk.ma/feed/"),
        ("Café & Thé", "https://cafe.example/rss?a=1&b=2"),
        ("Libération", "https://liberation.example/rss"),
    ]
    assert [spec.enabled for spec in exported] == [True, True, False, True, True]


def test_export_of_the_defaults_skips_the_sample_folder(tmp_path):
    config = load_config(tmp_path / "none.toml", explicit=False)
    assert pairs(read_opml(export_opml(config))) == [
        ("Bladi.net", "https://www.bladi.net/spip.php?page=backend")
    ]


def test_opml_never_imports_textual():
    import subprocess
    import sys

    code = "import sys, tui.opml; print(any(m.startswith('textual') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert result.stdout.strip() == "False", result.stderr
