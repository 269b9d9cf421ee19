"""The figures behind the code's comments, measured again (BENCHMARKS.md, "Figures behind the
comments").

    python -m benchmarks.claims [--repeat N] [--markdown]

A comment may say a choice is faster ("str.replace, not str.translate: much faster on a long
body") and point to BENCHMARKS.md; each such claim is measured here, both ways where the other way
can still be run, on data generated here (a store of 100,000 articles, a 190 KB article). Nothing
here touches the network.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks import corpus
from benchmarks.datasets import MAIN_SOURCES, bench_sources
from benchmarks.figures import log
from benchmarks.stores import STORE_FILE, build_store


def best_of(repeat: int, work: Callable[[], object]) -> float:
    """The median of ``repeat`` timed runs of ``work`` (seconds)."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def import_time(module: str, repeat: int) -> float:
    """Seconds to import ``module`` in a fresh interpreter (``-X importtime``'s total for it)."""
    samples = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", f"import {module}"],
            capture_output=True,
            text=True,
            check=True,
        )
        line = next(
            line for line in reversed(done.stderr.splitlines()) if line.rstrip().endswith(f"| {module}")
        )
        samples.append(int(line.split("|")[1]) / 1e6)
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.claims", description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each figure (default 7)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown too")
    options = parser.parse_args(argv)
    repeat = options.repeat
    rows: list[tuple[str, str, str]] = []  # (where, what, figure)

    def row(where: str, what: str, figure: str) -> None:
        rows.append((where, what, figure))
        log(f"{where}: {what}: {figure}")

    scratch = Path(tempfile.mkdtemp(prefix="bladi-bench-claims-"))
    try:
        from tui.model import Topic
        from tui.store import Store

        log("generating a store of 100,000 articles")
        info = build_store(
            scratch / "data",
            count=100_000,
            sources=bench_sources(list(MAIN_SOURCES), "main"),
            tags=300,
            seed=12,
        )
        path = info.data_dir / STORE_FILE
        store = Store(path)
        try:
            every_id = best_of(
                repeat,
                lambda: (
                    sqlite3.connect(path)
                    .execute("SELECT rowid FROM articles ORDER BY ts DESC, rowid DESC")
                    .fetchall()
                ),
            )
            opened = best_of(repeat, lambda: store.open_list(Topic("all")))
            row(
                "tui/ui/article_rows.py",
                "a topic at 100,000 articles: every row id read, against the window's count and newest id",
                f"{every_id * 1000:.0f} ms against {opened * 1000:.1f} ms",
            )
            counts = best_of(
                repeat, lambda: (store.view_counts(), store.sources(), store.rubriques(limit=500))
            )
            row(
                "tui/ui/screens/reader.py, tui/store/schema.py (schema 3)",
                "the sidebar's counts at 100,000 articles (views, sources, rubriques; covering indexes)",
                f"{counts * 1000:.0f} ms",
            )
        finally:
            store.close()

        from rich.console import Console

        from tui.ui.markdown_render import ArticleMarkdown

        document = corpus.FrenchText(7).long_body(190_000, "MARQUEUR")
        console = Console(width=100, file=open("/dev/null", "w"), color_system="truecolor")  # noqa: SIM115
        rich_lines = best_of(
            max(3, repeat // 2), lambda: console.render_lines(ArticleMarkdown(document), console.options)
        )
        row(
            "tui/ui/widgets/article_view.py",
            "a 190 KB article rendered to lines by Rich (the view renders once per width)",
            f"{rich_lines:.2f} s",
        )

        row(
            "tui/article_markdown.py",
            "importing markdown-it",
            f"{import_time('markdown_it', repeat) * 1000:.0f} ms",
        )
        row(
            "tui/feeds/tolerant.py",
            "importing feedparser",
            f"{import_time('feedparser', repeat) * 1000:.0f} ms",
        )
        try:
            row(
                "tui/extract/generic.py",
                "importing trafilatura",
                f"{import_time('trafilatura', repeat) * 1000:.0f} ms",
            )
        except (subprocess.CalledProcessError, StopIteration):
            row("tui/extract/generic.py", "importing trafilatura", "not installed")

        from tui.sanitize import SIMPLE_WEB_URL

        links = [f"https://www.bladi.net/article-{n}.html" for n in range(10_000)]

        def by_match() -> None:
            for url in links:
                SIMPLE_WEB_URL.fullmatch(url)

        def by_split() -> None:
            for url in links:
                urlsplit(url).hostname  # noqa: B018

        matched, split = best_of(repeat, by_match), best_of(repeat, by_split)
        row(
            "tui/extract/site_rules.py (a link's host)",
            "10,000 plain links: one regex match against urlsplit",
            f"{matched * 1000:.1f} ms against {split * 1000:.1f} ms ({split / matched:.1f} x)",
        )

        body = corpus.FrenchText(3).long_body(200_000, "X").lower() + " cœur æ"
        table = str.maketrans({"œ": "oe", "æ": "ae", "\x00": " "})
        replaced = best_of(repeat, lambda: body.replace("œ", "oe").replace("æ", "ae").replace("\x00", " "))
        translated = best_of(repeat, lambda: body.translate(table))
        row(
            "tui/store/search.py",
            "a 200 KB body: str.replace three times against str.translate",
            f"{replaced * 1000:.2f} ms against {translated * 1000:.2f} ms ({translated / replaced:.0f} x)",
        )

    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    width = max(len(where) for where, _, _ in rows)
    for where, what, figure in rows:
        print(f"{where:<{width}}  {figure:<40}  {what}")
    if options.markdown:
        print()
        print("| Where | What | Measured |")
        print("|---|---|---|")
        for where, what, figure in rows:
            print(f"| `{where}` | {what} | {figure} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
