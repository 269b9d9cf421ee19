"""Faults of the machine in one sentence (issue 14, item 8): a full disk, a read-only data
folder, a store another program keeps locked, a damaged store. Each is one line on stderr in
the UI's language, exit status 1, no traceback (logging's own included), the store intact.

The full disk and the read-only folder are real: a small tmpfs mounted in a mount namespace of
the command's own (``unshare``), so nothing outlives the test; they skip where that is refused.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta

import pytest

from tests.hostile.conftest import UNSAFE
from tui.faults import fault_of
from tui.model import ALL, Article
from tui.store import Store

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STORE = "bladi-tui.sqlite3"
FULL = "le disque est plein : rien ne peut plus être écrit dans {data} ; libérez de la place (ce qui était enregistré est intact)."
READ_ONLY = "le dossier de données {data} est en lecture seule : donnez-en un autre avec --data-dir."


def _unshare() -> list[str] | None:
    for command in (["unshare", "-m"], ["unshare", "-rm"]):
        if shutil.which("unshare") is None:
            return None
        probe = "mkdir -p /tmp/.bladi-probe && mount -t tmpfs -o size=64k tmpfs /tmp/.bladi-probe"
        if subprocess.run([*command, "sh", "-c", probe], capture_output=True).returncode == 0:
            return command
    return None


UNSHARE = _unshare()
needs_mounts = pytest.mark.skipif(UNSHARE is None, reason="no mount namespace here (unshare refused)")


def environment(tmp_path, data_dir) -> dict[str, str]:
    env = {
        **os.environ,
        "BLADI_TUI_DATA_DIR": str(data_dir),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "LC_ALL": "fr_FR.UTF-8",
        "PYTHONPATH": ROOT,
    }
    env.pop("BLADI_TUI_CONFIG", None)
    return env


def a_store_with_marks(data_dir) -> None:
    """Three articles, one read and one saved: what must come out of every fault intact."""
    store = Store(data_dir / STORE)
    store.ensure_source("mine", "Mes articles")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    store.upsert_articles(
        "mine",
        [
            Article(guid=f"g{n}", title=f"Titre {n}", body="Texte.", date=start + timedelta(days=n))
            for n in range(3)
        ],
    )
    first, second, _ = store.topic_rowids(ALL)
    store.set_read([first])
    store.set_saved(second, True)
    store.close()
    # Everything in the store file itself (it is copied alone), its write-ahead log emptied.
    db = sqlite3.connect(data_dir / STORE)
    db.execute("PRAGMA journal_mode = DELETE")
    db.close()


CHECK = textwrap.dedent(
    """
    import json, sqlite3, sys
    # On a read-only folder SQLite cannot make the WAL's shared memory: read it as immutable.
    db = sqlite3.connect("file:" + sys.argv[1] + "?immutable=1" * (len(sys.argv) > 2), uri=True)
    print(json.dumps({
        "integrity": db.execute("PRAGMA integrity_check").fetchone()[0],
        "articles": db.execute("SELECT count(*) FROM articles").fetchone()[0],
        "read": db.execute("SELECT count(*) FROM articles WHERE read").fetchone()[0],
        "saved": db.execute("SELECT count(*) FROM articles WHERE saved").fetchone()[0],
    }))
    """
)
INTACT = {"integrity": "ok", "articles": 3, "read": 1, "saved": 1}


def big_articles(folder, count: int = 60) -> None:
    """Local articles of 40 KB of text that does not compress: more than the small disk holds."""
    folder.mkdir()
    for n in range(count):
        text = os.urandom(30_000).hex()
        (folder / f"a{n}.md").write_text(f"---\ntitle: Gros article {n}\n---\n\n{text}\n")


def in_namespace(tmp_path, script: str, env: dict[str, str]) -> list[str]:
    """Run ``script`` (sh) in a mount namespace of its own; its output lines."""
    result = subprocess.run(
        [*UNSHARE, "sh", "-c", script], env=env, capture_output=True, text=True, timeout=180, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def one_sentence(stderr: str) -> str:
    assert "Traceback" not in stderr and "Logging error" not in stderr, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert not UNSAFE.search(stderr)
    return lines[0]


@needs_mounts
def test_a_full_disk_is_one_sentence_and_the_store_stays_intact(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    a_store_with_marks(outside)
    big_articles(tmp_path / "big")
    disk = tmp_path / "disk"
    disk.mkdir()
    size_k = (outside / STORE).stat().st_size // 1024 + 256
    python = sys.executable
    script = f"""
        mount -t tmpfs -o size={size_k}k tmpfs {disk}
        cp {outside / STORE} {disk}/
        {python} -m tui fetch {tmp_path / "big"} 2>{tmp_path / "stderr"}
        echo "exit $?"
        {python} -c {shlex.quote(CHECK)} {disk / STORE}
    """
    exit_line, check = in_namespace(tmp_path, script, environment(tmp_path, disk))
    sentence = one_sentence((tmp_path / "stderr").read_text())
    assert exit_line == "exit 1"
    assert sentence == "bladi-tui: " + FULL.format(data=disk)
    assert json.loads(check) == INTACT


@needs_mounts
@pytest.mark.parametrize("command", [["fetch"], ["list"]])
def test_a_read_only_data_folder_is_one_sentence(tmp_path, command):
    outside = tmp_path / "outside"
    outside.mkdir()
    a_store_with_marks(outside)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "a.md").write_text("---\ntitle: Un article\n---\n\nTexte.\n")
    disk = tmp_path / "disk"
    disk.mkdir()
    python = sys.executable
    script = f"""
        mount -t tmpfs -o size=4m tmpfs {disk}
        cp {outside / STORE} {disk}/
        mount -o remount,ro {disk}
        {python} -m tui {" ".join(command)} {tmp_path / "mine"} 2>{tmp_path / "stderr"}
        echo "exit $?"
        {python} -c {shlex.quote(CHECK)} {disk / STORE} immutable
    """
    exit_line, check = in_namespace(tmp_path, script, environment(tmp_path, disk))
    assert exit_line == "exit 1"
    assert one_sentence((tmp_path / "stderr").read_text()) == "bladi-tui: " + READ_ONLY.format(data=disk)
    assert json.loads(check) == INTACT


def test_a_store_locked_by_another_program_is_one_sentence(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    a_store_with_marks(data)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "a.md").write_text("---\ntitle: Un article\n---\n\nTexte.\n")
    # Another program holds the store's write lock for longer than SQLite's 10 s busy timeout.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            f"db = sqlite3.connect({str(data / STORE)!r}, isolation_level=None)\n"
            "db.execute('BEGIN EXCLUSIVE')\nprint('locked', flush=True)\nsys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = subprocess.run(
            [sys.executable, "-m", "tui", "fetch", str(tmp_path / "mine")],
            env=environment(tmp_path, data),
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
        )
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    assert result.returncode == 1
    assert one_sentence(result.stderr) == (
        f"bladi-tui: le stockage {data / STORE} est verrouillé par un autre programme : "
        "réessayez quand il aura fini."
    )
    check = subprocess.run([sys.executable, "-c", CHECK, str(data / STORE)], capture_output=True, text=True)
    assert json.loads(check.stdout) == INTACT


def test_a_damaged_store_is_one_sentence_with_the_command_that_moves_it_aside(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    garbage = b"pas une base de donn\xc3\xa9es\n" * 500
    (data / STORE).write_bytes(garbage)
    result = subprocess.run(
        [sys.executable, "-m", "tui", "list"],
        env=environment(tmp_path, data),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 1
    sentence = one_sentence(result.stderr)
    assert sentence.startswith(
        f"bladi-tui: le stockage {data / STORE} est endommagé : mettez-le de côté et bladi-tui en "
        "commencera un nouveau : mv "
    )
    assert (data / STORE).read_bytes() == garbage  # never touched


def test_the_errors_sqlite_and_the_system_give_are_recognised(tmp_path):
    path = tmp_path / "s.sqlite3"
    first = sqlite3.connect(path, isolation_level=None)
    first.execute("CREATE TABLE t(x)")
    first.execute("BEGIN EXCLUSIVE")
    second = sqlite3.connect(path, timeout=0, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError) as locked:
        second.execute("INSERT INTO t VALUES (1)")
    assert fault_of(locked.value) == "locked"
    first.execute("ROLLBACK")
    with pytest.raises(OSError) as full, open("/dev/full", "w") as device:
        device.write("x")
        device.flush()
    assert fault_of(full.value) == "disk_full"
    try:
        raise RuntimeError("wrapped") from full.value
    except RuntimeError as wrapped:
        assert fault_of(wrapped) == "disk_full"
    assert fault_of(ValueError("a bug")) is None
