"""The parts of a feed's fetch, each timed on its own (BENCHMARKS.md, issue 16's third round).

    python -m benchmarks.fetch_parts [--repeat N] [--markdown]
    env PYTHONPATH=OLD python benchmarks/fetch_parts.py     # the same parts of an older checkout

What a worker does with the 50 benchmark feeds of 100 items (``benchmarks.feeds``, generated here,
no network), part by part: the lxml walk of the documents, the whole parse (walk, articles,
Markdown), the Markdown conversion of every item's HTML, keying the articles (``owned``), one
RFC 822 date and the sanitizer's check of every body. Each figure is the median of ``--repeat``
runs in this process; run the older code's tree the second way, in the same minutes, to compare.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a file, with PYTHONPATH naming the tree to measure
    sys.path.append(str(Path(__file__).resolve().parent.parent))

from benchmarks.feeds import FEEDS, ITEMS, make_feed
from tui.article_keys import owned
from tui.extract.markdown import html_to_markdown
from tui.feeds.fast import read_well_formed
from tui.feeds.normalise import date_from_text
from tui.feeds.parse import parse_feed
from tui.sanitize import is_clean


def median_seconds(repeat: int, work: Callable[[], object]) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.fetch_parts", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args(argv)

    documents = [(make_feed(number), f"http://127.0.0.1/feed-{number:02d}.xml") for number in range(FEEDS)]
    feeds = [parse_feed(data, url, source=f"presse-{n:02d}") for n, (data, url) in enumerate(documents)]
    # Keyed by their source, as a worker keys them: the source's key is its feed's address.
    keyed = [
        (article, url) for feed, (_, url) in zip(feeds, documents, strict=True) for article in feed.articles
    ]
    articles = [article for article, _ in keyed]
    walked = [read_well_formed(data) for data, _ in documents]
    html = [
        (entry.content, entry.link)
        for document in walked
        if document is not None
        for entry in document.entries
        if entry.content_html
    ]
    bodies = [article.body for article in articles]
    date = "Sat, 16 Dec 2023 10:47:00 +0100"

    parts: list[tuple[str, float, str]] = [
        (
            f"lxml walk of the {FEEDS} feeds",
            median_seconds(args.repeat, lambda: [read_well_formed(data) for data, _ in documents]),
            "ms",
        ),
        (
            f"whole parse of the {FEEDS} feeds (walk, articles, Markdown)",
            median_seconds(
                args.repeat,
                lambda: [
                    parse_feed(data, url, source=f"presse-{n:02d}") for n, (data, url) in enumerate(documents)
                ],
            ),
            "ms",
        ),
        (
            f"Markdown conversion of the {len(html):,} items' HTML",
            median_seconds(args.repeat, lambda: [html_to_markdown(text, base) for text, base in html]),
            "ms",
        ),
        (
            f"owned() of the {len(articles):,} articles",
            median_seconds(args.repeat, lambda: [owned(article, url) for article, url in keyed]),
            "ms",
        ),
        (
            f"is_clean of the {len(bodies):,} bodies",
            median_seconds(args.repeat, lambda: [is_clean(body) for body in bodies]),
            "ms",
        ),
        (
            "one RFC 822 date_from_text",
            median_seconds(args.repeat, lambda: [date_from_text(date) for _ in range(10_000)]) / 10_000,
            "us",
        ),
    ]
    assert len(articles) == FEEDS * ITEMS, len(articles)
    scale = {"ms": 1e3, "us": 1e6}
    if args.markdown:
        print("| part | median |\n|---|---|")
    for name, seconds, unit in parts:
        value = f"{seconds * scale[unit]:.1f} {unit}"
        print(f"| {name} | {value} |" if args.markdown else f"{name}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
