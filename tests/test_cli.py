"""The command line as a user types it: real subprocesses, real store files, no network."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES, ROOT


def run(
    *args: str, tmp_path: Path, env: dict | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "BLADI_TUI_DATA_DIR": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "HOME": str(tmp_path / "home"),
        "NO_COLOR": "1",
    }
    environment.pop("BLADI_TUI_CONFIG", None)
    environment.update(env or {})
    tmp_path.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=timeout,
        cwd=tmp_path,
    )


def test_version(tmp_path):
    from tui import __version__

    result = run("--version", tmp_path=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"bladi-tui {__version__}"


def test_list_json_newest_first(tmp_path):
    result = run("list", "--json", str(FIXTURES / "articles"), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    articles = json.loads(result.stdout)
    assert [a["title"] for a in articles][:2] == [
        "Diaspora : les billets d'avion pour l'été s'envolent",
        "Coopération sécuritaire : Rabat et Paris resserrent les rangs",
    ]
    first = articles[1]
    for key in ("id", "title", "url", "date", "rubrique", "tags", "author", "source", "read", "saved"):
        assert key in first
    assert first["date"] == "2023-12-16T15:00:00+01:00"
    assert first["url"] == "https://www.bladi.net/cooperation-securitaire-rabat-paris,100501.html"
    assert first["tags"] == ["France", "Rabat", "DGSN"]
    assert first["author"] == "S.A" and first["rubrique"] == "Maroc" and first["source"] == "articles"
    assert first["read"] is False and first["saved"] is False
    # Ids are stable: the same in a second run, with a fresh store.
    again = json.loads(run("list", "--json", str(FIXTURES / "articles"), tmp_path=tmp_path / "other").stdout)
    assert [a["id"] for a in again] == [a["id"] for a in articles]


def test_list_plain_and_topic_ignores_case_and_accents(tmp_path):
    result = run("list", "--topic", "ECONOMIE", str(FIXTURES / "articles"), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("2024-05-06 18:45") and "Diaspora" in lines[0]
    result = run("list", "--topic", "france", "--json", str(FIXTURES / "articles"), tmp_path=tmp_path)
    assert len(json.loads(result.stdout)) == 3


def test_list_filters_combine_in_the_store(tmp_path):
    # --unread, --saved, --topic, --search and --limit together: the store answers in one query,
    # the same as filtering the whole list by hand.
    from tui.model import fold
    from tui.store import Store

    folder = str(FIXTURES / "articles")
    everything = json.loads(run("list", "--json", folder, tmp_path=tmp_path).stdout)
    store = Store(tmp_path / "data" / "bladi-tui.sqlite3")
    rowids = {store.find(a["id"]).article.id: store.find(a["id"]).rowid for a in everything}
    ids = [a["id"] for a in everything]
    store.set_read([rowids[i] for i in ids[::2]])
    for i in ids[::3]:
        store.set_saved(rowids[i], True)
    store.close()
    everything = json.loads(run("list", "--json", "--offline", folder, tmp_path=tmp_path).stdout)
    assert any(a["read"] for a in everything) and any(a["saved"] and not a["read"] for a in everything)

    def by_hand(unread=False, saved=False, topic=""):
        return [
            a["id"]
            for a in everything
            if (not unread or not a["read"])
            and (not saved or a["saved"])
            and (not topic or fold(topic) in {fold(a["rubrique"]), *map(fold, a["tags"])})
        ]

    def listed(*flags):
        result = run("list", "--json", "--offline", *flags, folder, tmp_path=tmp_path)
        assert result.returncode == 0, result.stderr
        return [a["id"] for a in json.loads(result.stdout)]

    assert listed("--unread", "--saved") == by_hand(unread=True, saved=True)
    assert listed("--saved", "--topic", "france") == by_hand(saved=True, topic="france")
    assert listed("--unread", "--topic", "MAROC") == by_hand(unread=True, topic="maroc")
    assert listed("--unread", "--topic", "maroc", "--limit", "1") == by_hand(unread=True, topic="maroc")[:1]
    found = listed("--search", "rabat")
    assert found and listed("--search", "rabat", "--unread") == [
        i for i in found if i in by_hand(unread=True)
    ]


def test_flags_after_the_subcommand_and_data_dir(tmp_path):
    data = tmp_path / "elsewhere"
    result = run("list", str(FIXTURES / "articles"), "--offline", "--data-dir", str(data), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (data / "bladi-tui.sqlite3").exists()
    # What one has read is one's own, on a shared server too: a new data folder is private.
    assert data.stat().st_mode & 0o777 == 0o700


def test_show_by_id_url_and_path(tmp_path):
    listing = json.loads(run("list", "--json", str(FIXTURES / "articles"), tmp_path=tmp_path).stdout)
    article = next(a for a in listing if a["title"].startswith("Coopération"))
    by_id = run("show", article["id"], str(FIXTURES / "articles"), tmp_path=tmp_path)
    assert by_id.returncode == 0, by_id.stderr
    assert by_id.stdout.startswith("# Coopération sécuritaire")
    assert "16 décembre 2023 - 15h00 - Maroc - Ecrit par : S.A" in by_id.stdout
    assert "Phrase témoin unique" in by_id.stdout
    by_url = run("show", article["url"], str(FIXTURES / "articles"), tmp_path=tmp_path)
    assert by_url.stdout == by_id.stdout
    by_path = run("show", str(FIXTURES / "articles" / "cooperation-securitaire.md"), tmp_path=tmp_path)
    assert by_path.returncode == 0
    assert "Phrase témoin unique" in by_path.stdout


def test_default_sources_include_the_bundled_samples(tmp_path):
    result = run("list", "--offline", "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    articles = json.loads(result.stdout)
    assert len(articles) >= 10
    assert {a["source"] for a in articles} == {"Exemples"}


def test_usage_errors_are_one_sentence_and_exit_2(tmp_path):
    for args in (
        ["--bogus"],
        ["list", "--nope"],
        [str(tmp_path / "missing-folder")],
        ["list", "ftp://example.org/feed"],
        ["--config", str(tmp_path / "nope.toml"), "list"],
    ):
        result = run(*args, tmp_path=tmp_path)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("bladi-tui: "), result.stderr
        assert "Traceback" not in result.stderr


def test_a_subcommand_name_wins_over_a_path_of_that_name(tmp_path):
    (tmp_path / "list").mkdir()
    result = run("list", "--offline", "--json", str(FIXTURES / "articles"), tmp_path=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("[")


def test_hostile_text_is_printed_without_control_characters(tmp_path):
    result = run("list", "--json", str(FIXTURES / "hostile-local"), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    (article,) = json.loads(result.stdout)
    assert article["title"].startswith("[bold]x[/] [@click=app.quit]y[/]")
    shown = run("show", article["id"], str(FIXTURES / "hostile-local"), tmp_path=tmp_path).stdout
    for text in (article["title"], article["author"], " ".join(article["tags"]), shown):
        assert not any(
            ord(c) < 32 and c not in "\n\t" or 0x7F <= ord(c) <= 0x9F or c == "\u202e" for c in text
        )
    assert "javascript:" not in shown


def _python_passes(code: str, tmp_path) -> None:
    """Run ``code`` in a new Python process with a data folder and a configuration of its own."""
    env = {**os.environ, "BLADI_TUI_DATA_DIR": str(tmp_path / "d"), "XDG_CONFIG_HOME": str(tmp_path / "c")}
    env.pop("BLADI_TUI_CONFIG", None)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_headless_commands_never_import_textual(tmp_path):
    code = (
        "import sys; from tui.cli import main; "
        f"main(['list', '--offline', '--json', {str(FIXTURES / 'articles')!r}]); "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'textual'], 'textual imported'"
    )
    _python_passes(code, tmp_path)


def test_fetch_leaves_what_its_process_holds_to_the_exit_without_a_collection(tmp_path):
    code = (
        "import gc; from tui.cli import main; "
        f"assert main(['fetch', '--quiet', {str(FIXTURES / 'articles')!r}]) == 0; "
        "assert gc.get_freeze_count() > 10_000, gc.get_freeze_count()"
    )
    _python_passes(code, tmp_path)


def test_fetch_ends_its_process_after_the_exit_handlers_without_the_finalization(tmp_path):
    marks = tmp_path / "marks.txt"
    code = (
        "import atexit, os, sys; from tui.cli import main\n"
        f"fd = os.open({str(marks)!r}, os.O_WRONLY | os.O_CREAT | os.O_APPEND)\n"
        "def mark(what, write=os.write, fd=fd): write(fd, what.encode() + b'\\n')\n"
        "atexit.register(mark, 'exit handler')  # as logging's: the log files closed\n"
        "def finalizing(event, args, mark=mark):  # Python's finalization tells its hooks\n"
        "    if event == 'cpython.PyInterpreterState_Clear': mark('finalization')\n"
        "sys.addaudithook(finalizing)\n"
        "print('printed, not flushed', end='')\n"
        f"sys.argv = ['bladi-tui', 'fetch', {str(FIXTURES / 'articles')!r}]\n"
        "raise SystemExit(main())"
    )
    env = {**os.environ, "BLADI_TUI_DATA_DIR": str(tmp_path / "d"), "XDG_CONFIG_HOME": str(tmp_path / "c")}
    env.pop("BLADI_TUI_CONFIG", None)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "printed, not flushed"  # the streams flushed
    assert "new article(s) from 1/1 source(s)\n" in result.stderr
    # The exit handlers ran; the freeing of every object, which the process's end does at once, did not.
    assert marks.read_text() == "exit handler\n"


def test_config_init_writes_a_template_once_and_show_prints_toml(tmp_path):
    import tomllib

    result = run("config", "init", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "config" / "bladi-tui" / "config.toml"
    text = path.read_text()
    assert "Yabiladi" in text and "https://www.bladi.net/spip.php?page=backend" in text
    again = run("config", "init", tmp_path=tmp_path)
    assert again.returncode == 2 and path.read_text() == text  # never overwritten
    shown = run("config", "show", tmp_path=tmp_path)
    assert shown.returncode == 0
    effective = tomllib.loads(shown.stdout)
    assert [s["name"] for s in effective["sources"]] == ["Bladi.net", "Exemples"]
    # The language and theme in force, never "": from the locale when the file names none.
    assert effective["theme"] == "bladi" and '= ""' not in shown.stdout
    french = run("config", "show", tmp_path=tmp_path, env={"LANG": "fr_FR.UTF-8", "LC_ALL": ""})
    english = run("config", "show", tmp_path=tmp_path, env={"LANG": "en_GB.UTF-8", "LC_ALL": ""})
    assert tomllib.loads(french.stdout)["language"] == "fr"
    assert tomllib.loads(english.stdout)["language"] == "en"


def test_broken_config_is_one_sentence_naming_file_and_line(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text('[fetch]\nconcurrency = "many"\n')
    result = run("--config", str(config), "list", "--offline", tmp_path=tmp_path)
    assert result.returncode == 2 and "fetch.concurrency" in result.stderr
    config.write_text('[[sources]]\nname = "x"\nurl = \n')
    result = run("list", "--config", str(config), tmp_path=tmp_path)
    assert result.returncode == 2 and "line 3" in result.stderr and str(config.name) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    # Out of range, and nested 600 deep: one sentence each, exit 2, in the TUI too.
    for document, said in (
        ("[fetch]\nmax_bytes = 100000000000000000000\n", "fetch.max_bytes: expected a whole number from"),
        ("[fetch]\ndeadline = 1e300\n", "fetch.deadline: expected a number from 1 to 3600, got 1e+300"),
        ("x = " + "[" * 600 + "]" * 600 + "\n", "nests arrays or tables too deeply"),
    ):
        config.write_text(document)
        for command in (["fetch"], ["list", "--offline"], []):
            result = run("--config", str(config), *command, tmp_path=tmp_path)
            assert result.returncode == 2 and said in result.stderr, (command, result.stderr)
            assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_fetch_names_failing_sources_and_exits_1(loopback, tmp_path):
    loopback.route(
        "/ok.xml", (FIXTURES / "feeds" / "atom.xml").read_bytes(), content_type="application/atom+xml"
    )
    loopback.route("/missing.xml", "no", status=404)
    result = run("fetch", loopback.url("/ok.xml"), loopback.url("/missing.xml"), tmp_path=tmp_path)
    assert result.returncode == 1
    assert ": address not found on the server (HTTP 404)\n" in result.stderr  # the source, then why
    ok = run("fetch", "--quiet", loopback.url("/ok.xml"), tmp_path=tmp_path)
    assert ok.returncode == 0 and ok.stderr == ""
    listed = json.loads(run("list", "--offline", "--json", loopback.url("/ok.xml"), tmp_path=tmp_path).stdout)
    # Given by its URL, the source is named after its feed's title.
    assert listed and all(a["source"] == "Le Journal d’exemple" for a in listed)
    # `list --source` takes that name or the URL, so scripts keep working when a title changes.
    for name in ("le journal d’exemple", loopback.url("/ok.xml")):
        again = run(
            "list", "--offline", "--json", "--source", name, loopback.url("/ok.xml"), tmp_path=tmp_path
        )
        assert again.returncode == 0 and len(json.loads(again.stdout)) == len(listed), again.stderr
