"""Pictures in a real terminal: the app in tmux (images = "blocks") reads the loopback Bladi.net
and opens an article whose lead photo appears as half-block cells between the title and the
lead, in place, after the text; the inline map is drawn in the body."""

from __future__ import annotations

import shutil
import sys

import pytest

from tests.bladi_site import FEED_URL
from tests.picture_site import PAGE, serve
from tests.test_topic_listings_tmux import OwnTmux, shows

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")


def row_of(screen: list[str], text: str) -> int:
    return next((i for i, line in enumerate(screen) if text in line), -1)


def block_rows(screen: list[str]) -> list[int]:
    return [i for i, line in enumerate(screen) if line.count("▀") >= 10]


def test_the_lead_photo_shows_as_half_blocks_above_the_lead_in_tmux(loopback, monkeypatch, tmp_path):
    serve(loopback, monkeypatch)
    home = tmp_path / "home"
    (home / "config" / "bladi-tui").mkdir(parents=True)
    config = tmp_path / "config.toml"
    config.write_text('images = "blocks"\n', encoding="utf-8")
    tmux = OwnTmux(
        140,
        45,
        [
            f"HTTP_PROXY={loopback.base_url}",
            f"http_proxy={loopback.base_url}",
            f"HOME={home}",
            f"XDG_CONFIG_HOME={home / 'config'}",
            "COLORTERM=truecolor",
            sys.executable,
            "-m",
            "tui",
            "--config",
            str(config),
            "--data-dir",
            str(tmp_path / "data"),
            FEED_URL,
        ],
    )
    try:
        screen = tmux.wait_for(lambda s: shows(s, PAGE.title), timeout=40)
        assert shows(screen, PAGE.title), "\n".join(screen)
        tmux.keys("Enter")
        screen = tmux.wait_for(lambda s: len(block_rows(s)) >= 4 and shows(s, "battu son record"), timeout=40)
        shown = "\n".join(screen)
        rows = block_rows(screen)
        lead = row_of(screen, "battu son record")
        title = max(row_of(screen, "Tanger Med en images"), row_of(screen, "16 décembre 2023"))
        assert rows and lead > 0, shown
        photo = [r for r in rows if title < r < lead]
        assert photo, shown  # the photo sits between the title (and date line) and the lead
        assert len(photo) <= 45 // 3, shown
        assert "[Image" not in "\n".join(screen[title:lead]), shown
    finally:
        tmux.close()
