"""Titles get the width: the real app in tmux at 80, 120 and 200 columns, counting how many
characters of a long title a person sees before and after opening an article."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")

ROOT = Path(__file__).resolve().parents[1]
TITLE = (
    "Titre long : une phrase de titre qui continue bien au-delà de la largeur que la liste "
    "peut lui donner, jusqu'au bout de la ligne et plus loin encore"
)


class Tmux:
    def __init__(self, columns: int, rows: int, command: list[str]) -> None:
        self.name = f"bladi-widths-{uuid.uuid4().hex[:8]}"
        # COLUMNS and LINES (pytest may set them) would win over the pane's size.
        shell = "env -u COLUMNS -u LINES " + " ".join(f"'{part}'" for part in command)
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", self.name, "-x", str(columns), "-y", str(rows), shell],
            check=True,
        )

    def screen(self) -> list[str]:
        result = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True, check=True
        )
        return result.stdout.splitlines()

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def wait_for(self, check, timeout: float = 20) -> list[str]:
        """The screen once ``check`` holds and it stopped changing (the sidebar's counts come
        after the first frame)."""
        deadline = time.monotonic() + timeout
        previous: list[str] = []
        while True:
            screen = self.screen()
            if (check(screen) and screen == previous) or time.monotonic() > deadline:
                return screen
            previous = screen
            time.sleep(0.3)

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def visible_title(screen: list[str]) -> int:
    """How many characters of TITLE the list shows (on the row that shows the most of it); the
    list's rows are those with a date ("10/03/24"), not the open article's heading."""
    best = 0
    for line in screen:
        start = line.find(TITLE[:12])
        if start < 0 or "/24" not in line[start:]:
            continue
        shown = line[start:]
        count = 0
        while count < len(shown) and count < len(TITLE) and shown[count] == TITLE[count]:
            count += 1
        best = max(best, count)
    return best


@pytest.fixture
def long_titles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for number in range(1, 4):
        (folder / f"article-{number}.md").write_text(
            "+++\n"
            f'title = "{TITLE}"\n'
            f"date = 2024-0{number}-10T09:00:00+01:00\n"
            'rubrique = "Marocains du monde"\n'
            "+++\n"
            f"Texte de l'article {number}.\n",
            encoding="utf-8",
        )
    return folder


# (columns, rows): the least title a person must see before and after opening an article.
WIDTHS = {(80, 24): (45, None), (120, 40): (70, 40), (200, 50): (120, 55)}


@pytest.mark.parametrize("size", list(WIDTHS), ids=lambda s: f"{s[0]}x{s[1]}")
def test_titles_get_the_width(tmp_path, long_titles, size):
    columns, rows = size
    before, after = WIDTHS[size]
    tmux = Tmux(
        columns,
        rows,
        [sys.executable, "-m", "tui", "--offline", "--data-dir", str(tmp_path / "data"), str(long_titles)],
    )
    try:
        screen = tmux.wait_for(lambda s: visible_title(s) > 0)
        shown = visible_title(screen)
        assert shown >= before, "\n".join(screen)
        # Opening an article: the sidebar folds at 120 columns, and the list keeps its titles.
        tmux.keys("Enter")
        screen = tmux.wait_for(lambda s: any("Texte de l'article" in line for line in s))
        if after is None:  # 80 columns: the article takes the list's place
            assert "Tous (3)" not in "\n".join(screen)
        else:
            assert visible_title(screen) >= after, "\n".join(screen)
        print(f"{columns}x{rows}: {shown} title characters, {visible_title(screen)} with an article open")
    finally:
        tmux.close()
