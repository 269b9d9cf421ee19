"""A second `fetch` while one runs (issue 14, item 4): it waits up to 30 s for the fetch lock,
then exits 1 with one sentence in the UI's language; with --no-wait at once. Nothing is fetched."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tests.hostile.conftest import UNSAFE

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def hold_the_lock(data_dir) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.store_child", "lock", str(data_dir)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    return holder


def fetch(tmp_path, loopback, language: str, *flags: str) -> tuple[subprocess.CompletedProcess, float]:
    env = {
        **os.environ,
        "BLADI_TUI_DATA_DIR": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "LC_ALL": "fr_FR.UTF-8" if language == "fr" else "en_US.UTF-8",
    }
    env.pop("BLADI_TUI_CONFIG", None)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "tui", "fetch", *flags, loopback.url("/feed.xml")],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result, time.monotonic() - started


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "fr",
            "une actualisation est déjà en cours (pid {pid}) : rien n'a été lu, réessayez quand elle sera finie.",
        ),
        ("en", "a refresh is already running (pid {pid}): nothing was read, try again once it is done."),
    ],
)
def test_a_second_fetch_waits_30_s_then_says_so_in_one_sentence(tmp_path, loopback, language, sentence):
    holder = hold_the_lock(tmp_path / "data")
    try:
        result, elapsed = fetch(tmp_path, loopback, language, "--quiet")
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    assert result.returncode == 1, result.stderr
    assert result.stderr == f"bladi-tui: {sentence.format(pid=holder.pid)}\n"
    assert not UNSAFE.search(result.stderr)
    assert elapsed >= 30  # it waited for the lock (a lower bound only: never fails on a busy machine)
    assert loopback.hits("/feed.xml") == 0  # nothing fetched


def test_with_no_wait_it_says_so_at_once_and_without_the_lock_it_fetches(tmp_path, loopback):
    loopback.route("/feed.xml", "<rss version='2.0'><channel><title>F</title></channel></rss>")
    holder = hold_the_lock(tmp_path / "data")
    try:
        result, _ = fetch(tmp_path, loopback, "en", "--no-wait")
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"bladi-tui: a refresh is already running (pid {holder.pid}): nothing was read, try again once it is done."
    ]
    # The first fetch ended: the lock is free, the second one reads.
    result, _ = fetch(tmp_path, loopback, "en", "--no-wait", "--quiet")
    assert result.returncode == 0, result.stderr
    assert loopback.hits("/feed.xml") == 1
