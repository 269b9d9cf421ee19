"""state.toml has one writer (tui.state) and one set of rules: any sequence of adds, removes,
re-adds, switches, theme changes and OPML imports, then a restart, gives the sources the
sequence says, each once."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.config import SourceSpec, load_config, merge_state
from tui.opml import import_opml, write_opml
from tui.paths import state_path
from tui.state import StateFile

# Two sources the config file has (one switched off there), two it does not.
IN_CONFIG = {"https://a.exemple.ma/feed": True, "https://b.exemple.ma/feed": False}
OTHERS = ["https://c.exemple.ma/feed", "https://d.exemple.ma/feed"]
KEYS = [*IN_CONFIG, *OTHERS]

CONFIG = "".join(
    f'[[sources]]\nname = "S{n}"\nurl = "{url}"\nkind = "feed"\nenabled = {str(on).lower()}\n'
    for n, (url, on) in enumerate(IN_CONFIG.items())
)

operations = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(["add", "remove", "disable", "enable"]), st.sampled_from(KEYS)),
        st.tuples(st.just("theme"), st.sampled_from(["bladi", "nord", "gruvbox"])),
        st.tuples(st.just("opml"), st.lists(st.sampled_from(KEYS), max_size=3)),
    ),
    max_size=12,
)


def in_force(config_file: Path) -> dict[str, bool]:
    config = merge_state(load_config(config_file, explicit=True), state_path(config_file))
    keys = [spec.key for spec in config.sources]
    assert len(keys) == len(set(keys)), keys  # every source once
    return {spec.key: spec.enabled for spec in config.sources}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=operations)
def test_any_sequence_of_changes_then_a_restart_gives_what_the_sequence_says(tmp_path_factory, sequence):
    folder = tmp_path_factory.mktemp("config")
    config_file = folder / "config.toml"
    config_file.write_text(CONFIG)
    state = StateFile(state_path(config_file))
    # The model: which sources are in force, switched on or off.
    expected = dict(IN_CONFIG)
    theme = ""
    for operation, argument in sequence:
        if operation == "add":
            state.add_source(SourceSpec(name="Ajoutée", url=argument, kind="feed"))
            expected[argument] = True
        elif operation == "remove":
            state.remove_source(argument)
            expected.pop(argument, None)
        elif operation in ("disable", "enable"):
            getattr(state, f"{operation}_source")(argument)
            if argument in expected:
                expected[argument] = operation == "enable"
        elif operation == "theme":
            state.set_theme(argument)
            theme = argument
        else:  # an OPML file: what is in force stays as it is, the rest comes in, switched on
            opml = folder / "import.opml"
            opml.write_bytes(write_opml([SourceSpec(name="Importée", url=url) for url in argument]))
            effective = merge_state(load_config(config_file, explicit=True), state_path(config_file))
            import_opml(opml, state_path(config_file), effective)
            for url in argument:
                expected.setdefault(url, True)
    # The restart: the config file read again, the state merged over it.
    assert in_force(config_file) == expected
    config = merge_state(load_config(config_file, explicit=True), state_path(config_file))
    assert config.theme == theme and not config.warnings
    assert config_file.read_text() == CONFIG  # the user's file is never written


def test_add_remove_add_again_keeps_the_source_once(tmp_path):
    config_file = tmp_path / "config.toml"
    config_file.write_text(CONFIG)
    state = StateFile(state_path(config_file))
    spec = SourceSpec(name="C", url=OTHERS[0], kind="feed")
    state.add_source(spec)
    state.remove_source(spec.key)
    state.add_source(spec)
    state.add_source(spec)  # idempotent
    document = tomllib.loads(state_path(config_file).read_text())
    assert [t["url"] for t in document["added_sources"]] == [OTHERS[0]]
    assert "removed_sources" not in document
    assert in_force(config_file)[OTHERS[0]] is True


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_a_config_that_is_no_regular_file_keeps_its_state_in_the_platform_config_folder(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert state_path(Path("/dev/null")) == tmp_path / "xdg" / "bladi-tui" / "state.toml"
    assert state_path(tmp_path / "config.toml") == tmp_path / "state.toml"
