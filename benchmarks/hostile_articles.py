"""Opening the articles an adversary writes (issue 14): first screen and the key right after.

    python -m benchmarks.hostile_articles [--repeat N] [--markdown]

A store of 200 ordinary articles and three hostile ones as big as the store lets them be (the
body cap): 8,000 links, one paragraph of nearly 2 MB without a line break, a code block of nearly
2 MB. Each is opened from the list in the real app in tmux (offline, 120x40): the time from Enter
to its first words on screen (target < 0.3 s, as the 200 KB article of the main benchmark), then
the time from one line down ("j") to the text moving (target < 0.1 s: the app is never frozen by
what it is still laying out). Every hostile article is stored through ``Store.upsert_articles``,
so with the caps a feed would meet.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.commands import app_env, bladi_command
from benchmarks.datasets import MAIN_SOURCES, bench_sources, write_config
from benchmarks.figures import Figure, log, markdown_table, print_table
from benchmarks.loop_cpu import cpu_between
from benchmarks.screens import HEIGHT, WIDTH, compile_app, escape, list_focused, row_of
from benchmarks.stores import STORE_FILE, build_store
from benchmarks.terminal import ScreenTimeout, Tmux
from tests.hostile.articles import links_article
from tui.model import Article
from tui.store import Store

SIZE = 1_900_000  # characters: under the stored body's cap, so nothing is cut


def _words(count: int) -> str:
    pool = [
        "le",
        "la",
        "les",
        "des",
        "une",
        "dans",
        "pour",
        "avec",
        "sur",
        "par",
        "marocains",
        "du",
        "monde",
        "retour",
        "été",
    ]
    return " ".join(pool[i % len(pool)] for i in range(count))


def hostile_articles() -> list[tuple[str, str, str]]:
    """(title, marker, body) of each hostile article; the marker opens its body."""
    links = links_article(8000)
    words = _words(SIZE // 6)
    return [
        ("Hostile 8000 liens", "MARQUEUR-LIENS", "MARQUEUR-LIENS début.\n\n" + links),
        ("Hostile paragraphe", "MARQUEUR-PARAGRAPHE", "MARQUEUR-PARAGRAPHE " + words[:SIZE]),
        (
            "Hostile code",
            "MARQUEUR-CODE",
            "MARQUEUR-CODE début.\n\n```\n" + words[:SIZE].replace("pour ", "pour\n") + "\n```",
        ),
    ]


def add_hostile(store_path: Path, source_key: str) -> list[tuple[str, str]]:
    """Store the hostile articles as the newest of ``source_key``; (title, marker) in list order."""
    now = datetime.now(UTC)
    made = hostile_articles()
    store = Store(store_path)
    try:
        store.upsert_articles(
            source_key,
            [
                Article(
                    guid=f"https://hostile.example/{n}",
                    url=f"https://hostile.example/{n}",
                    title=title,
                    date=now + timedelta(minutes=len(made) - n),
                    body=body,
                    full_text=True,
                )
                for n, (title, _, body) in enumerate(made)
            ],
            listing=True,
        )
    finally:
        store.close()
    return [(title, marker) for title, marker, _ in made]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.hostile_articles", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="openings of each, after one warm-up (default 5)"
    )
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown too")
    parser.add_argument(
        "--loop-cpu",
        action="store_true",
        help="also the CPU the app's event loop spent before each screen (benchmarks.loop_cpu)",
    )
    options = parser.parse_args(argv)
    compile_app()
    scratch = Path(tempfile.mkdtemp(prefix="bladi-bench-hostile-"))
    tmux = Tmux(WIDTH, HEIGHT)
    figures: list[Figure] = []
    try:
        sources = bench_sources(list(MAIN_SOURCES)[:1], "main")
        info = build_store(scratch / "data", count=200, sources=sources, tags=20, seed=14)
        log("storing the hostile articles")
        articles = add_hostile(info.data_dir / STORE_FILE, sources[0].key)
        config_home = write_config(scratch / "config", sources)
        pairs = []
        cpu: dict[str, Figure] = {}
        for title, marker in articles:
            opened = Figure(f"Open: {title} (first screen)", target=0.3, strict=True)
            key = Figure(f"A key right after: {title}", target=0.1, strict=True)
            figures += [opened, key]
            pairs.append((title, marker, opened, key))
            if options.loop_cpu:
                cpu[f"open {title}"] = Figure(f"Loop CPU, Enter to first screen: {title}", unit="ms")
                cpu[f"key {title}"] = Figure(f"Loop CPU, key to screen: {title}", unit="ms")
        figures += cpu.values()
        log_file = scratch / "loop-cpu.log"
        command = [sys.executable, "-m", "benchmarks.loop_cpu", str(log_file)] if cpu else bladi_command()
        pane = tmux.spawn([*command, "--offline", "--data-dir", str(info.data_dir)], env=app_env(config_home))
        spans: list[tuple[str, float, float]] = []  # (figure, start, end), time.time()
        try:
            pane.wait_for(articles[0][0], timeout=60)
            pane.settle()
            for run in range(options.repeat + 1):
                for index, (title, marker, opened, key) in enumerate(pairs):
                    entered = time.time()
                    elapsed = pane.press("Enter", marker, timeout=60)
                    screen, _ = pane.screen()
                    row = row_of(screen, marker)
                    pressed = time.time()
                    answered = pane.press(
                        "j", lambda s, m=marker, r=row: -1 < row_of(s, m) < r or m not in s, timeout=60
                    )
                    if run:
                        opened.samples.append(elapsed)
                        key.samples.append(answered)
                        spans += [
                            (f"open {title}", entered, entered + elapsed),
                            (f"key {title}", pressed, pressed + answered),
                        ]
                    pane.settle(quiet=0.3, timeout=60)
                    escape(pane, list_focused)
                    pane.send("j" if index < len(pairs) - 1 else "g")
                    time.sleep(0.2)
        except ScreenTimeout as error:
            log(f"timed out: {error}\n{error.screen}")
            return 1
        finally:
            pane.close()
        for name, start, end in spans if cpu else ():
            cpu[name].samples.append(1000 * cpu_between(log_file, start, end))
    finally:
        tmux.close()
        shutil.rmtree(scratch, ignore_errors=True)
    print_table(figures)
    if options.markdown:
        print()
        print(markdown_table(figures))
    return 1 if any(f.verdict == "ERROR" for f in figures) else 0


if __name__ == "__main__":
    raise SystemExit(main())
