"""A topic as deep as the site, in a real terminal: the app in tmux reads the loopback Bladi.net
(through HTTP_PROXY), "Sport" is picked in the palette, and End brings the older pages until the
list says it has ended."""

from __future__ import annotations

import shutil
import sys

import pytest

from tests.bladi_listings import PER_PAGE, sport
from tests.bladi_site import FEED_URL
from tests.test_screen_widths import Tmux

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")


def shows(screen: list[str], text: str) -> bool:
    return any(text in line for line in screen)


def test_sport_grows_from_its_listing_in_a_real_terminal(bladi_topics, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    tmux = Tmux(
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
