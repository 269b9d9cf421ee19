"""Which road reads well-formed feeds fast: measured, not guessed.

``python -m benchmarks.feed_roads [--repeat N] [--examples N]``

For each candidate fast road (the lxml walk of tui.feeds, feedparser-rs, fastfeedparser), every
file of feedparser's test corpus (../shared/feed-corpus) and every fixture feed is read twice:
by the candidate, and by feedparser (the tolerant road), both through the same normaliser to
Articles. A feed agrees when the two readings are equal field for field (title, link, every
article's guid, title, url, date, rubrique, tags, author, summary, body, topic pages). Then the
time per 100-item feed with full content (the fetch benchmark's feed): bytes to entries (the road
alone) and bytes to Articles (road and normaliser).

A candidate is judged as it would run: alone on every document, and as a fast road that hands
the documents it does not accept to feedparser.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from benchmarks import feed_candidates as candidates
from benchmarks.feeds import make_feed
from tui.feeds.entry import FeedParseError, ParsedFeed
from tui.feeds.parse import parse_feed

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "feed-corpus"
FIXTURES = ROOT / "tests" / "fixtures" / "feeds"
URL = "http://example.org/feed.xml"

Road = Callable[[bytes, str, str], ParsedFeed]


def through(fast: Callable | None) -> Road:
    """parse_feed with ``fast`` as its fast road (None: feedparser reads every XML document)."""
    return lambda data, url, content_type: parse_feed(
        data, url, source="corpus", content_type=content_type, fast=fast
    )


def documents() -> list[tuple[str, bytes, str]]:
    """(name, bytes, content type) of every corpus file and fixture feed."""
    found = []
    for path in sorted(CORPUS.rglob("*.xml")) if CORPUS.is_dir() else []:
        data = path.read_bytes()
        found.append((str(path.relative_to(CORPUS)), data, candidates.corpus_content_type(data)))
    for path in sorted(FIXTURES.iterdir()):
        found.append(("fixtures/" + path.name, path.read_bytes(), ""))
    return found


def reading(read: Road, data: bytes, content_type: str) -> tuple:
    try:
        feed = read(data, URL, content_type)
    except FeedParseError as error:
        return ("refused", str(error).split(":")[0])
    except Exception as error:  # a crash: counted, never hidden
        return ("crash", repr(error)[:200])
    return feed_fields(feed)


def plain(value: object) -> object:
    if isinstance(value, datetime):
        return (value.isoformat(), value.utcoffset())
    if isinstance(value, list):
        return tuple(plain(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple(plain(item) for item in dataclasses.astuple(value))
    return value


ARTICLE_FIELDS = (
    "guid",
    "title",
    "url",
    "date",
    "rubrique",
    "tags",
    "author",
    "summary",
    "body",
    "topic_pages",
)


def feed_fields(feed: ParsedFeed) -> tuple:
    articles = tuple(
        tuple((name, plain(getattr(article, name))) for name in ARTICLE_FIELDS) for article in feed.articles
    )
    return ("feed", feed.title, feed.link, articles)


def differences(expected: tuple, got: tuple) -> list[str]:
    """Which fields differ: 'refused', 'crash', 'count', 'feed.title', 'article.body'..."""
    if expected == got:
        return []
    if got[0] != "feed" or expected[0] != "feed":
        return [f"{got[0]}-vs-{expected[0]}"]
    found = []
    if expected[1] != got[1]:
        found.append("feed.title")
    if expected[2] != got[2]:
        found.append("feed.link")
    if len(expected[3]) != len(got[3]):
        found.append("count")
        return found
    for want, have in zip(expected[3], got[3], strict=True):
        for (name, a), (_, b) in zip(want, have, strict=True):
            if a != b and "article." + name not in found:
                found.append("article." + name)
    return found


def agreement(
    fast: Callable, reference: dict[str, tuple], docs: list[tuple[str, bytes, str]], examples: int
) -> dict:
    road = through(fast)
    per_field: Counter[str] = Counter()
    agree, crashes, own = 0, 0, 0
    samples: list[tuple[str, list[str], str]] = []
    for name, data, content_type in docs:
        own += fast(data, candidates.charset_of(content_type)) is not None
        got = reading(road, data, content_type)
        if got[0] == "crash":
            crashes += 1
        diff = differences(reference[name], got)
        if not diff:
            agree += 1
            continue
        per_field.update(diff)
        if len(samples) < examples:
            samples.append((name, diff, first_difference(reference[name], got)))
    return {
        "agree": agree,
        "total": len(docs),
        "own": own,
        "crashes": crashes,
        "fields": per_field,
        "samples": samples,
    }


def first_difference(expected: tuple, got: tuple) -> str:
    if expected[0] != "feed" or got[0] != "feed":
        return f"{got!r:.150} instead of {expected!r:.150}"
    if expected[1:3] != got[1:3]:
        return f"feed {got[1:3]!r:.150} instead of {expected[1:3]!r:.150}"
    for want, have in zip(expected[3], got[3], strict=False):
        for (name, a), (_, b) in zip(want, have, strict=True):
            if a != b:
                return f"{name}: {b!r:.150} instead of {a!r:.150}"
    return f"{len(got[3])} articles instead of {len(expected[3])}"


def median_ms(call: Callable[[], object], repeat: int) -> float:
    call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.feed_roads", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--repeat", type=int, default=30, help="timed reads of the 100-item feed (default 30)"
    )
    parser.add_argument("--examples", type=int, default=5, help="disagreements shown per road (default 5)")
    args = parser.parse_args(argv)

    docs = documents()
    print(
        f"{len(docs)} documents: {sum(n.startswith('fixtures/') for n, _, _ in docs)} fixtures, the rest corpus"
    )
    reference = {name: reading(through(None), data, ct) for name, data, ct in docs}
    print(
        f"feedparser alone: {sum(r[0] == 'feed' for r in reference.values())} read, "
        f"{sum(r[0] == 'refused' for r in reference.values())} refused, "
        f"{sum(r[0] == 'crash' for r in reference.values())} crashed"
    )
    print()
    print(
        "| fast road (else feedparser) | documents it reads itself | equal to feedparser's (Article level) "
        "| crashes | fields that differ (documents) |"
    )
    print("|---|---|---|---|---|")
    results = {}
    for label, fast in candidates.FAST_ROADS.items():
        if label == "feedparser_rs":
            continue
        result = results[label] = agreement(fast, reference, docs, args.examples)
        fields = ", ".join(f"{name} {count}" for name, count in result["fields"].most_common(6))
        print(
            f"| {label} | {result['own']} | {result['agree']} / {result['total']} | {result['crashes']} | {fields} |"
        )
    print()
    for label, result in results.items():
        for name, diff, detail in result["samples"]:
            print(f"- {label}: {name}: {', '.join(diff)}: {detail}")
    print()

    feed = make_feed(0)
    print(f"100-item feed with full content ({len(feed) // 1024} KiB), median of {args.repeat} reads, ms:")
    print()
    print("| road | bytes to entries | bytes to Articles |")
    print("|---|---|---|")
    for label, entries in candidates.ENTRIES.items():
        articles = through(candidates.FAST_ROADS.get(label))
        alone = median_ms(functools.partial(entries, feed), args.repeat)
        whole = median_ms(functools.partial(articles, feed, URL, ""), args.repeat)
        print(f"| {label} | {alone:.1f} | {whole:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
