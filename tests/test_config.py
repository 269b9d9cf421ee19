"""The config file, the state file and where they live: real files in tmp_path, real TOML."""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import fields, replace
from pathlib import Path

import pytest

from tui import paths
from tui.config import (
    BLADI_FEED_URL,
    SUGGESTED_SOURCES,
    Config,
    ConfigError,
    FetchSettings,
    RetentionSettings,
    SourceSpec,
    default_sources,
    init_config,
    load_config,
    merge_state,
    save_state,
    template,
    to_toml,
)
from tui.paths import (
    bundled_path,
    config_path_is_explicit,
    expand_user_path,
    resolve_config_path,
    resolve_data_dir,
    state_path,
)

ROOT = Path(__file__).resolve().parent.parent
LINUX = sys.platform.startswith("linux")
# What tui.sanitize must keep off the terminal: C0 but tab/newline, DEL, C1, bidi controls.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No variable of the developer's shell leaks in; home and the XDG folders live in tmp_path."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.delenv("BLADI_TUI_CONFIG", raising=False)
    monkeypatch.delenv("BLADI_TUI_DATA_DIR", raising=False)
    return home


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def effective(config: Config) -> tuple:
    """What a config means, without where it came from."""
    return (config.sources, config.fetch, config.retention, config.language, config.theme, config.keys)


# --- where the files are ------------------------------------------------------------------


def test_config_flag_wins_over_env_and_platform(tmp_path, monkeypatch):
    monkeypatch.setenv("BLADI_TUI_CONFIG", str(tmp_path / "from-env.toml"))
    assert resolve_config_path(tmp_path / "from-flag.toml") == tmp_path / "from-flag.toml"
    assert resolve_config_path(str(tmp_path / "from-flag.toml")) == tmp_path / "from-flag.toml"
    assert config_path_is_explicit(tmp_path / "from-flag.toml")


def test_config_env_wins_over_platform(tmp_path, monkeypatch):
    monkeypatch.setenv("BLADI_TUI_CONFIG", str(tmp_path / "from-env.toml"))
    assert resolve_config_path(None) == tmp_path / "from-env.toml"
    assert resolve_config_path("") == tmp_path / "from-env.toml"
    assert config_path_is_explicit(None)


@pytest.mark.skipif(not LINUX, reason="XDG folders are the platform default on Linux only")
def test_config_defaults_to_the_xdg_config_folder(clean_env):
    assert resolve_config_path(None) == clean_env / ".config" / "bladi-tui" / "config.toml"
    assert not config_path_is_explicit(None)


def test_config_default_is_platformdirs_config_folder():
    import platformdirs

    expected = Path(platformdirs.user_config_dir("bladi-tui", appauthor=False)) / "config.toml"
    assert resolve_config_path(None) == expected


def test_data_dir_precedence(tmp_path, monkeypatch, clean_env):
    import platformdirs

    assert resolve_data_dir(None) == Path(platformdirs.user_data_dir("bladi-tui", appauthor=False))
    if LINUX:
        assert resolve_data_dir(None) == clean_env / ".local" / "share" / "bladi-tui"
    monkeypatch.setenv("BLADI_TUI_DATA_DIR", str(tmp_path / "env-data"))
    assert resolve_data_dir(None) == tmp_path / "env-data"
    assert resolve_data_dir(tmp_path / "flag-data") == tmp_path / "flag-data"


def test_flags_expand_home_and_resolve_relative_paths(tmp_path, monkeypatch, clean_env):
    monkeypatch.chdir(tmp_path)
    assert resolve_config_path("~/my.toml") == clean_env / "my.toml"
    assert resolve_config_path("conf/my.toml") == tmp_path / "conf" / "my.toml"
    assert resolve_data_dir("data") == tmp_path / "data"
    assert expand_user_path("notes", base=tmp_path / "cfg") == tmp_path / "cfg" / "notes"


def test_state_file_sits_beside_the_config(tmp_path):
    assert state_path(tmp_path / "cfg" / "config.toml") == tmp_path / "cfg" / "state.toml"


@pytest.mark.skipif(
    not (ROOT / "sample_articles").is_dir() or (ROOT / "tui" / "sample_articles").is_dir(),
    reason="needs a checkout with sample_articles/ at the top level",
)
def test_bundled_path_finds_the_repository_sample_articles():
    assert bundled_path("sample_articles") == ROOT / "sample_articles"
    assert bundled_path("sample_articles").is_dir()


def test_bundled_path_prefers_the_folder_inside_the_package(tmp_path, monkeypatch):
    package = tmp_path / "site" / "tui"
    (tmp_path / "site" / "styles").mkdir(parents=True)
    package.mkdir()
    monkeypatch.setattr(paths, "_PACKAGE_DIR", package)
    assert bundled_path("styles") == tmp_path / "site" / "styles"  # a checkout
    (package / "styles").mkdir()
    assert bundled_path("styles") == package / "styles"  # an installed wheel
    assert bundled_path("nothing") == package / "nothing"


# --- defaults and the template ------------------------------------------------------------


def test_no_config_file_means_the_default_sources(tmp_path):
    config = load_config(tmp_path / "absent.toml", explicit=False)
    assert config.path is None
    assert config.warnings == ()
    assert config.fetch == FetchSettings()
    assert config.retention == RetentionSettings()
    bladi, samples = config.sources
    assert (bladi.name, bladi.url, bladi.kind) == ("Bladi.net", BLADI_FEED_URL, "feed")
    assert (samples.name, samples.kind) == ("Exemples", "local")
    assert samples.path == str(bundled_path("sample_articles"))


def test_a_missing_explicit_config_names_the_path(tmp_path):
    with pytest.raises(ConfigError, match="nowhere.toml does not exist"):
        load_config(tmp_path / "nowhere.toml", explicit=True)


def test_a_config_without_sources_gets_the_defaults(tmp_path):
    config = load_config(write(tmp_path / "config.toml", 'theme = "nord"\n'), explicit=True)
    assert config.sources == default_sources()
    assert config.theme == "nord"
    assert config.path == tmp_path / "config.toml"


def test_listing_sources_drops_the_samples(tmp_path):
    file = write(tmp_path / "config.toml", f'[[sources]]\nurl = "{BLADI_FEED_URL}"\n')
    (only,) = load_config(file, explicit=True).sources
    assert only.url == BLADI_FEED_URL
    assert only.name == "bladi.net"  # the host, without www.


def test_an_empty_sources_array_means_no_sources(tmp_path):
    file = write(tmp_path / "config.toml", "sources = []\n")
    assert load_config(file, explicit=True).sources == ()


def test_the_template_means_the_defaults(tmp_path):
    text = template()
    tomllib.loads(text)
    file = init_config(tmp_path / "cfg" / "config.toml")
    assert file.read_text(encoding="utf-8") == text
    config = load_config(file, explicit=True)
    assert config.warnings == ()
    assert effective(config) == effective(Config())


def test_every_commented_setting_in_the_template_is_valid(tmp_path):
    """Uncommenting every setting and every suggested source gives a valid, warning-free config
    whose values are still the defaults: the template's comments cannot drift from the code."""
    setting = re.compile(r"^# (\[\[sources\]\]|[a-z_]+ = .*)$")
    lines = [m.group(1) if (m := setting.match(line)) else line for line in template().splitlines()]
    config = load_config(write(tmp_path / "config.toml", "\n".join(lines)), explicit=True)
    assert config.warnings == ()
    assert config.fetch == FetchSettings()
    assert config.retention == RetentionSettings()
    assert config.sources[:2] == default_sources()
    assert [(s.name, s.url) for s in config.sources[2:]] == [(s.name, s.url) for s in SUGGESTED_SOURCES]
    assert {s.name for s in SUGGESTED_SOURCES} == {
        "Yabiladi",
        "TelQuel",
        "Le360",
        "Hespress FR",
        "Le Matin",
        "Médias24",
    }


def test_init_refuses_to_overwrite_unless_forced(tmp_path):
    file = write(tmp_path / "cfg" / "config.toml", "# mine\n")
    with pytest.raises(ConfigError, match="already exists"):
        init_config(file)
    assert file.read_text(encoding="utf-8") == "# mine\n"
    init_config(file, force=True)
    assert file.read_text(encoding="utf-8") == template()
    assert [p.name for p in file.parent.iterdir()] == ["config.toml"]  # no temp file left behind


def test_config_show_output_loads_back_to_the_same_config(tmp_path):
    source = write(
        tmp_path / "config.toml",
        'language = "en"\ntheme = "dark"\n[keys]\nquit = "q"\n[fetch]\nconcurrency = 3\n'
        '[[sources]]\nname = "Notes"\npath = "notes"\nenabled = false\n'
        '[[sources]]\nurl = "https://telquel.ma/feed"\nfull_text = false\n',
    )
    config = load_config(source, explicit=True)
    shown = to_toml(config)
    assert shown.startswith("# Effective configuration (")
    again = load_config(write(tmp_path / "other" / "shown.toml", shown), explicit=True)
    assert effective(again) == effective(config)


# --- mistakes in the config file ----------------------------------------------------------


def test_a_syntax_error_names_the_file_and_line(clean_env):
    file = write(
        clean_env / ".config" / "bladi-tui" / "config.toml",
        'language = "fr"\n\n[fetch]\nconcurrency 4\n',
    )
    with pytest.raises(ConfigError) as caught:
        load_config(file, explicit=False)
    message = str(caught.value)
    assert message.startswith("~/.config/bladi-tui/config.toml, line 4: expected '='")
    assert message.endswith(".") and "\n" not in message
    assert caught.value.line == 4


def test_a_syntax_error_at_the_end_names_the_last_line(tmp_path):
    file = write(tmp_path / "config.toml", 'theme = "a"\nlanguage = [\n')
    with pytest.raises(ConfigError, match=r"config\.toml, line 3: "):
        load_config(file, explicit=True)


def test_a_file_that_is_not_utf8_is_one_sentence(tmp_path):
    file = tmp_path / "config.toml"
    file.write_bytes(b'theme = "caf\xe9"\n')
    with pytest.raises(ConfigError, match="is not UTF-8 text"):
        load_config(file, explicit=True)


def test_a_folder_is_not_a_config(tmp_path):
    with pytest.raises(ConfigError, match="is a folder"):
        load_config(tmp_path, explicit=True)


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('[fetch]\nconcurrency = "eight"\n', "fetch.concurrency: expected a whole number, got a string"),
        ("[fetch]\nconcurrency = true\n", "fetch.concurrency: expected a whole number, got a boolean"),
        ("[fetch]\nmax_bytes = 1.5\n", "fetch.max_bytes: expected a whole number, got 1.5"),
        ("[fetch]\nconnect_timeout = true\n", "fetch.connect_timeout: expected a number, got a boolean"),
        ("[fetch]\nread_timeout = -1\n", "fetch.read_timeout: expected a number from 0.1 to 600, got -1"),
        ("[fetch]\nper_host = 0\n", "fetch.per_host: expected a whole number from 1 to 16, got 0"),
        ("[fetch]\ndeadline = nan\n", "fetch.deadline: expected a finite number"),
        (
            "[retention]\nmax_age_days = -3\n",
            "retention.max_age_days: expected a whole number from 1 to 36600 (or 0), got -3",
        ),
        ("fetch = 3\n", "fetch: expected a table, got a whole number"),
        ("theme = 3\n", "theme: expected a string, got a whole number"),
        ('language = "de"\n', "language: expected one of '', fr, en, got 'de'"),
        ("[keys]\nquit = 1\n", "keys.quit: expected a string, got a whole number"),
        ('[sources]\nurl = "https://a.ma/feed"\n', "sources: expected [[sources]] tables, got a table"),
        (
            '[[sources]]\nurl = "https://a.ma/"\nenabled = "yes"\n',
            "sources[1].enabled: expected true or false",
        ),
        ('[[sources]]\nname = "x"\n', "sources[1]: needs a url"),
        ('[[sources]]\nurl = "https://a.ma/"\npath = "x"\n', "sources[1]: give either a url or a path"),
        ('[[sources]]\nurl = "https://a.ma/"\nkind = "local"\n', "sources[1].kind: 'local' is for a path"),
        ('[[sources]]\npath = "x"\nkind = "site"\n', "sources[1].kind: 'site' is for a url"),
    ],
)
def test_a_wrong_value_names_its_key(tmp_path, toml, expected):
    file = write(tmp_path / "config.toml", toml)
    with pytest.raises(ConfigError) as caught:
        load_config(file, explicit=True)
    assert expected in str(caught.value)
    assert str(caught.value).startswith(str(file))


def test_a_bad_kind_lists_the_kinds(tmp_path):
    file = write(
        tmp_path / "config.toml",
        '[[sources]]\nurl = "https://www.bladi.net/"\n[[sources]]\nurl = "https://telquel.ma/feed"\nkind = "rss"\n',
    )
    with pytest.raises(ConfigError) as caught:
        load_config(file, explicit=True)
    assert "sources[2].kind: expected one of auto, feed, site, article, local, got 'rss'" in str(caught.value)
    assert caught.value.key == "sources[2].kind"


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "javascript:alert(1)", "ftp://bladi.net/feed", "https://", "www.bladi.net"]
)
def test_only_web_addresses_are_sources(tmp_path, url):
    file = write(tmp_path / "config.toml", f'[[sources]]\nname = "x"\nurl = "{url}"\n')
    with pytest.raises(ConfigError, match=r"sources\[1\]\.url: expected an http or https address"):
        load_config(file, explicit=True)


def test_unknown_keys_warn_once_each_and_are_ignored(tmp_path):
    file = write(
        tmp_path / "config.toml",
        'colour = "red"\n[fetch]\ntimeout = 5\nconcurrency = 4\n[[sources]]\nurl = "https://a.ma/"\ntitle = "A"\n',
    )
    config = load_config(file, explicit=True)
    assert config.fetch.concurrency == 4
    assert config.sources[0].name == "a.ma"
    assert len(config.warnings) == 3
    assert any("colour: unknown key, ignored." in w for w in config.warnings)
    assert any("fetch.timeout: unknown key" in w for w in config.warnings)
    assert any("sources[1].title: unknown key" in w for w in config.warnings)


def test_duplicate_sources_keep_the_first(tmp_path):
    file = write(
        tmp_path / "config.toml",
        '[[sources]]\nname = "One"\nurl = "https://a.ma/feed"\n'
        '[[sources]]\nname = "Two"\nurl = "https://a.ma/feed"\n',
    )
    config = load_config(file, explicit=True)
    assert [s.name for s in config.sources] == ["One"]
    assert config.warnings == (f"{file}: sources[2]: same source as sources[1], ignored.",)


def test_source_paths_are_taken_from_the_config_folder(tmp_path, clean_env):
    file = write(
        tmp_path / "cfg" / "config.toml",
        '[[sources]]\npath = "notes"\n[[sources]]\npath = "~/Articles"\n'
        '[[sources]]\npath = "/srv/news/"\nname = "  "\n[[sources]]\npath = "bundled:sample_articles"\n',
    )
    notes, articles, srv, samples = load_config(file, explicit=True).sources
    assert (notes.path, notes.name, notes.key) == (str(tmp_path / "cfg" / "notes"), "notes", notes.path)
    assert (articles.path, articles.name) == (str(clean_env / "Articles"), "Articles")
    assert (srv.path, srv.name) == ("/srv/news", "news")
    assert samples.path == str(bundled_path("sample_articles"))


def test_a_source_file_is_named_after_the_file(tmp_path):
    write(tmp_path / "cfg" / "une.md", "# Une\n")
    file = write(tmp_path / "cfg" / "config.toml", '[[sources]]\npath = "une.md"\n')
    (une,) = load_config(file, explicit=True).sources
    assert (une.name, une.path) == ("une", str(tmp_path / "cfg" / "une.md"))


def test_values_are_normalised(tmp_path):
    file = write(
        tmp_path / "config.toml",
        'language = "FR"\n[fetch]\nconnect_timeout = 5\nrefresh_minutes = 0\n'
        "[retention]\nmax_age_days = 0\nmax_articles = 0\n"
        '[[sources]]\nurl = "  https://telquel.ma/feed  "\nkind = "Feed"\n',
    )
    config = load_config(file, explicit=True)
    assert config.language == "fr"
    assert config.fetch.connect_timeout == 5.0 and isinstance(config.fetch.connect_timeout, float)
    assert config.fetch.refresh_minutes == 0
    assert config.retention == RetentionSettings(max_age_days=0, max_articles=0)
    assert (config.sources[0].url, config.sources[0].kind) == ("https://telquel.ma/feed", "feed")


def test_control_characters_never_leave_the_config(tmp_path):
    file = write(
        tmp_path / "config.toml",
        'theme = "dark\\u001b[2J"\n'
        '"bad\\u001b]0;title\\u0007key" = 1\n'
        '[keys]\n"quit\\u009b" = "q\\u001b[31m"\n'
        '[[sources]]\nname = "Bla\\u001b]52;c;SGVsbG8=\\u0007di\\u202e\\nnet"\nurl = "https://www.bladi.net/\\u001b"\n',
    )
    config = load_config(file, explicit=True)
    assert config.sources[0].name == "Bla]52;c;SGVsbG8=di net"
    assert config.sources[0].url == "https://www.bladi.net/"
    assert config.theme == "dark[2J"
    assert config.keys == {"quit": "q[31m"}
    texts = [config.theme, *config.keys, *config.keys.values(), *config.warnings]
    texts += [value for s in config.sources for value in (s.name, s.url, s.path)]
    assert texts and not any(UNSAFE.search(text) for text in texts)
    assert len(config.warnings) == 1

    bad = write(tmp_path / "bad.toml", '[[sources]]\nurl = "https://a.ma/"\nkind = "\\u001b[31mrss\\u202e"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(bad, explicit=True)
    assert "sources[1].kind" in str(caught.value)
    assert not UNSAFE.search(str(caught.value))


# --- state.toml ---------------------------------------------------------------------------


def test_state_is_applied_over_the_config(tmp_path):
    cfg = tmp_path / "cfg"
    file = write(
        cfg / "config.toml",
        'theme = "light"\n[keys]\nquit = "q"\n'
        f'[[sources]]\nurl = "{BLADI_FEED_URL}"\nname = "Bladi"\n'
        '[[sources]]\nurl = "https://telquel.ma/feed"\n'
        '[[sources]]\nurl = "https://lematin.ma/rss"\nenabled = false\n',
    )
    write(
        state_path(file),
        'theme = "nord"\nlanguage = "en"\n'
        'disabled_sources = ["https://telquel.ma/feed"]\n'
        'enabled_sources = ["https://lematin.ma/rss"]\n'
        f'removed_sources = ["{BLADI_FEED_URL}", "https://gone.example/"]\n'
        '[keys]\nrefresh = "f5"\n'
        '[[added_sources]]\nname = "Yabiladi"\nurl = "https://www.yabiladi.com/rss"\n'
        '[[added_sources]]\npath = "mine"\n'
        '[[added_sources]]\nurl = "https://telquel.ma/feed"\n',  # already configured: no news
    )
    config = merge_state(load_config(file, explicit=True), state_path(file))
    assert (config.theme, config.language) == ("nord", "en")
    assert config.keys == {"quit": "q", "refresh": "f5"}
    assert [(s.key, s.enabled) for s in config.sources] == [
        ("https://telquel.ma/feed", False),
        ("https://lematin.ma/rss", True),
        ("https://www.yabiladi.com/rss", True),
        (str(cfg / "mine"), True),
    ]
    assert config.warnings == ()


def test_no_state_file_changes_nothing(tmp_path):
    config = load_config(tmp_path / "config.toml", explicit=False)
    assert merge_state(config, tmp_path / "state.toml") == config


def test_a_broken_state_file_is_a_warning(tmp_path):
    config = load_config(tmp_path / "config.toml", explicit=False)
    write(tmp_path / "state.toml", 'theme = "nord\n')
    merged = merge_state(config, tmp_path / "state.toml")
    assert effective(merged) == effective(config)
    (warning,) = merged.warnings
    assert "state.toml, line 1:" in warning and warning.endswith("The saved state is ignored.")


def test_a_wrong_part_of_the_state_file_is_skipped_with_a_warning(tmp_path):
    config = load_config(tmp_path / "config.toml", explicit=False)
    write(
        tmp_path / "state.toml",
        'theme = 3\nlanguage = "klingon"\nremoved_sources = "all"\nfuture_setting = 1\n'
        '[[added_sources]]\nurl = "javascript:alert(1)"\n'
        '[[added_sources]]\nurl = "https://a.ma/"\nkind = "rss"\n'
        '[[added_sources]]\nurl = "https://ok.ma/feed"\n'
        '[[added_sources]]\nurl = "https://ok.ma/feed"\n',
    )
    merged = merge_state(config, tmp_path / "state.toml")
    assert merged.theme == "" and merged.language == ""
    assert [s.key for s in merged.sources] == [s.key for s in config.sources] + ["https://ok.ma/feed"]
    assert len(merged.warnings) == 6
    assert all(w.endswith("ignored.") for w in merged.warnings)


def test_save_state_never_touches_the_config(tmp_path):
    file = init_config(tmp_path / "cfg" / "config.toml")
    before = file.read_bytes()
    state = state_path(file)
    save_state(state, theme="nord", added_sources=[SourceSpec(name="Le360", url="https://fr.le360.ma/rss")])
    save_state(state, disabled_sources=[BLADI_FEED_URL], language="en")
    save_state(state, language=None)
    assert file.read_bytes() == before
    assert tomllib.loads(state.read_text(encoding="utf-8")) == {
        "theme": "nord",
        "added_sources": [{"name": "Le360", "url": "https://fr.le360.ma/rss"}],
        "disabled_sources": [BLADI_FEED_URL],
    }
    merged = merge_state(load_config(file, explicit=True), state)
    assert merged.theme == "nord"
    assert [(s.name, s.enabled) for s in merged.sources] == [
        ("Bladi.net", False),
        ("Exemples", True),
        ("Le360", True),
    ]
    assert sorted(p.name for p in file.parent.iterdir()) == ["config.toml", "state.toml"]


def test_save_state_creates_the_folder_and_sets_a_broken_file_aside(tmp_path):
    state = tmp_path / "new" / "state.toml"
    save_state(state, theme="nord")
    assert tomllib.loads(state.read_text(encoding="utf-8")) == {"theme": "nord"}
    state.write_text("theme = = broken\n", encoding="utf-8")
    save_state(state, language="fr")
    assert tomllib.loads(state.read_text(encoding="utf-8")) == {"language": "fr"}
    assert (tmp_path / "new" / "state.toml.broken").read_text(encoding="utf-8") == "theme = = broken\n"


def test_save_state_rejects_unknown_entries(tmp_path):
    with pytest.raises(ValueError):
        save_state(tmp_path / "state.toml", colour="red")


def test_source_key_is_its_url_or_path():
    assert SourceSpec(name="a", url="https://a.ma/").key == "https://a.ma/"
    assert SourceSpec(name="b", path="/srv/b").key == "/srv/b"
    assert replace(SourceSpec(name="a", url="https://a.ma/"), enabled=False).key == "https://a.ma/"


# --- every number has a range -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("[fetch]\nmax_bytes = 1e20\n", "fetch.max_bytes: expected a whole number, got 1e+20"),
        (
            "[fetch]\nmax_bytes = 100000000000000000000\n",
            "fetch.max_bytes: expected a whole number from 65536 to 1073741824, got 100000000000000000000",
        ),
        ("[fetch]\ndeadline = 1e300\n", "fetch.deadline: expected a number from 1 to 3600, got 1e+300"),
        ("[fetch]\ndeadline = 0.5\n", "fetch.deadline: expected a number from 1 to 3600, got 0.5"),
        ("[fetch]\nconnect_timeout = 1e9\n", "fetch.connect_timeout: expected a number from 0.1 to 300"),
        ("[fetch]\nconcurrency = 100000\n", "fetch.concurrency: expected a whole number from 1 to 64"),
        ("[fetch]\npages_per_host = 0\n", "fetch.pages_per_host: expected a whole number from 1 to 16"),
        (
            "[fetch]\nrefresh_minutes = 0.01\n",
            "fetch.refresh_minutes: expected a number from 1 to 10080 (or 0)",
        ),
        (
            "[retention]\nmax_articles = 99999999999\n",
            "retention.max_articles: expected a whole number from 1",
        ),
    ],
)
def test_a_number_out_of_its_range_is_one_sentence(tmp_path, toml, expected):
    file = write(tmp_path / "config.toml", toml)
    with pytest.raises(ConfigError) as caught:
        load_config(file, explicit=True)
    message = str(caught.value)
    assert expected in message, message
    assert message.startswith(str(file)) and "\n" not in message


def test_every_number_of_the_configuration_has_a_range():
    from tui.config import RANGES

    for table, settings in (("fetch", FetchSettings()), ("retention", RetentionSettings())):
        for name in (f.name for f in fields(settings)):
            low, high = RANGES[f"{table}.{name}"]
            assert low <= getattr(settings, name) <= high or getattr(settings, name) == 0, name
    assert "(0.1 to 300)" in template()  # the template says each range


def test_the_bounds_and_zero_are_accepted(tmp_path):
    file = write(
        tmp_path / "config.toml",
        "[fetch]\ndeadline = 3600\nconnect_timeout = 0.1\nmax_bytes = 65536\nrefresh_minutes = 0\n"
        "[retention]\nmax_age_days = 0\nmax_articles = 10000000\n",
    )
    config = load_config(file, explicit=True)
    assert config.fetch.deadline == 3600 and config.fetch.max_bytes == 65536
    assert config.fetch.refresh_minutes == 0 and config.retention.max_articles == 10_000_000


@pytest.mark.parametrize("depth", [600, 5000])
def test_deep_toml_is_one_sentence(tmp_path, depth):
    for document in (f"x = {'[' * depth}{']' * depth}\n", f"x = {'{a = ' * depth}1{'}' * depth}\n"):
        file = write(tmp_path / "config.toml", document)
        with pytest.raises(ConfigError) as caught:
            load_config(file, explicit=True)
        assert str(caught.value) == f"{file} nests arrays or tables too deeply."
        # The state file beside it: a warning, the rest of the config applies.
        state = write(tmp_path / "state.toml", document)
        merged = merge_state(Config(), state)
        assert any("nests arrays or tables too deeply" in w for w in merged.warnings)


def test_a_huge_config_is_one_sentence(tmp_path):
    file = tmp_path / "config.toml"
    file.write_text("# padding\n" * 500_000)
    with pytest.raises(ConfigError, match="is larger than 4 MiB"):
        load_config(file, explicit=True)
