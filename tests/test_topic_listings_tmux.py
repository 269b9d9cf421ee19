"""A topic as deep as the site, in a real terminal: the app in tmux reads the loopback Bladi.net
(through HTTP_PROXY), "Sport" is picked in the palette, and End brings the older pages until the
list says it has ended."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid

import pytest

from tests.bladi_listings import PER_PAGE, sport
from tests.bladi_site import FEED_URL

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")


class OwnTmux:
    """The app in tmux on a server of its own (``-L``): closing its one session ends only that
    server, never the default one another test may be starting a session on."""

    def __init__(self, columns: int, rows: int, command: list[str]) -> None:
        self.socket = f"bladi-listings-{uuid.uuid4().hex[:8]}"
        shell = "env -u COLUMNS -u LINES " + " ".join(shlex.quote(part) for part in command)
        self.tmux("new-session", "-d", "-s", "app", "-x", str(columns), "-y", str(rows), shell)

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return result.stdout

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "app", *keys)

    def wait_for(self, check, timeout: float = 20) -> list[str]:
        """The screen once ``check`` holds and it stopped changing, or when time is up."""
        deadline = time.monotonic() + timeout
        previous: list[str] = []
        while True:
            screen = self.tmux("capture-pane", "-p", "-t", "app").splitlines()
            if (check(screen) and screen == previous) or time.monotonic() > deadline:
                return screen
            previous = screen
            time.sleep(0.3)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def shows(screen: list[str], text: str) -> bool:
    return any(text in line for line in screen)


def test_sport_grows_from_its_listing_in_a_real_terminal(bladi_topics, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    tmux = OwnTmux(
        160,
        45,
        [
            f"HTTP_PROXY={bladi_topics.base_url}",
            f"http_proxy={bladi_topics.base_url}",
            f"HOME={home}",
            f"XDG_CONFIG_HOME={home / 'config'}",
            sys.executable,
            "-m",
            "tui",
            "--data-dir",
            str(tmp_path / "data"),
            FEED_URL,
        ],
    )
    stories = sport()
    try:
        screen = tmux.wait_for(lambda s: shows(s, "Tous (30)"), timeout=40)
        assert shows(screen, "Tous (30)"), "\n".join(screen)
        assert bladi_topics.hits("http://www.bladi.net/maroc-sport.html") == 0
        tmux.keys("C-p")
        tmux.wait_for(lambda s: shows(s, "Aller à"), timeout=10)
        tmux.keys("-l", "Aller à : Sport")
        tmux.wait_for(lambda s: shows(s, "Aller à : Sport"), timeout=10)
        tmux.keys("Enter")
        # Page 1 of the listing: articles the feed never carried.
        screen = tmux.wait_for(lambda s: shows(s, stories[PER_PAGE - 1].title), timeout=30)
        assert shows(screen, f"Sport ({PER_PAGE})"), "\n".join(screen)
        tmux.keys("End")
        screen = tmux.wait_for(lambda s: shows(s, stories[2 * PER_PAGE - 1].title), timeout=30)
        assert shows(screen, f"Sport ({2 * PER_PAGE})"), "\n".join(screen)
        tmux.keys("End")
        screen = tmux.wait_for(lambda s: shows(s, stories[-1].title), timeout=30)
        tmux.keys("End")
        screen = tmux.wait_for(lambda s: shows(s, "Fin de la liste"), timeout=30)
        assert shows(screen, "Fin de la liste") and shows(screen, f"Sport ({len(stories)})"), "\n".join(
            screen
        )
    finally:
        tmux.close()
