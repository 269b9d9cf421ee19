"""The fetch figure: ``bladi-tui fetch`` against ``newsboat -x reload`` on the same 50 feeds served
on loopback, alternated, each into an empty store (``python -m benchmarks --only fetch``)."""

from __future__ import annotations

import shutil
import statistics
from pathlib import Path

from benchmarks.commands import bladi_fetch, count_rows, fetch_folder, newsboat_reload
from benchmarks.feeds import FEEDS, ITEMS, FeedServer
from benchmarks.figures import Figure, format_value, log
from benchmarks.stores import STORE_FILE

# Issue 16 tightened issue 6's "no slower than newsboat" to this, once that was met.
TARGET_RATIO = 0.8


def fetch_figures(scratch: Path, repeat: int) -> list[Figure]:
    newsboat = shutil.which("newsboat")
    ours = Figure(f"bladi-tui fetch, {FEEDS} feeds x {ITEMS} items (loopback)")
    theirs = Figure("newsboat -x reload, same feeds")
    log(
        f"fetch: bladi-tui fetch against {'newsboat -x reload' if newsboat else 'nothing (newsboat not installed)'}"
    )
    counts: dict[str, list[int]] = {"bladi": [], "newsboat": []}
    cpus: dict[str, list[float]] = {"bladi": [], "newsboat": []}
    with FeedServer() as server:
        urls = server.urls
        log(f"  {len(urls)} feeds, {server.total_bytes / 1e6:.1f} MB, on {urls[0].rsplit('/', 2)[0]}")
        for run in range(repeat):
            folder, env = fetch_folder(scratch / f"fetch-{run}")
            done = bladi_fetch(folder, urls, env)
            cpus["bladi"].append(done.cpu)
            if done.status != 0:
                ours.error = f"exit {done.status}"
                ours.note = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
                log(f"  bladi-tui fetch failed: {done.stderr.strip()[-500:]}")
            else:
                ours.samples.append(done.seconds)
            counts["bladi"].append(count_rows(folder / "data" / STORE_FILE, "SELECT COUNT(*) FROM articles"))
            if newsboat:
                done = newsboat_reload(newsboat, folder, urls, env)
                cpus["newsboat"].append(done.cpu)
                if done.status != 0:
                    theirs.error = f"exit {done.status}"
                    log(f"  newsboat failed: {(done.stderr or done.stdout).strip()[-500:]}")
                else:
                    theirs.samples.append(done.seconds)
                counts["newsboat"].append(count_rows(folder / "cache.db", "SELECT COUNT(*) FROM rss_item"))
            log(
                f"  run {run + 1}: bladi-tui {ours.samples[-1] if ours.samples else float('nan'):.2f} s, "
                f"newsboat {theirs.samples[-1] if theirs.samples else float('nan'):.2f} s; "
                f"articles {counts['bladi'][-1]} / {counts['newsboat'][-1] if counts['newsboat'] else '-'}"
            )
            shutil.rmtree(folder, ignore_errors=True)
    expected = FEEDS * ITEMS
    if not newsboat:
        theirs.error = "not installed"
        ours.note = (
            f"{counts['bladi'][-1] if counts['bladi'] else '?'} articles stored (expected {expected}); "
            "newsboat absent: no comparison (apt-get install newsboat)"
        )
        return [ours, theirs]
    if theirs.median:
        ours.target = TARGET_RATIO * theirs.median
        ours.target_text = f"<= {TARGET_RATIO} x newsboat = {format_value(ours.target, 's')}"
    same = counts["bladi"] == counts["newsboat"] and all(c == expected for c in counts["bladi"])
    ours.note = (
        f"articles stored: bladi-tui {sorted(set(counts['bladi']))}, newsboat {sorted(set(counts['newsboat']))} "
        f"(expected {expected}): {'the same' if same else 'DIFFERENT'}; CPU (user + system, median): "
        f"bladi-tui {statistics.median(cpus['bladi']):.2f} s, newsboat {statistics.median(cpus['newsboat']):.2f} s"
    )
    if not same and not ours.error:
        ours.error = "article counts differ"
    return [ours, theirs]
