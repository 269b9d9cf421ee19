"""The scale of a heavy newsboat user (issue 16): 500 feeds of 20 items over 50 loopback hosts.

``bladi-tui fetch`` against ``newsboat -x reload`` (``reload-threads 8``), alternated, each into an
empty store: the first refresh (10,000 new articles), then the same command again with nothing
changed (the server sends no ETag or Last-Modified: every body comes again). Peak memory is the
most resident memory (VmHWM) of the fetching process and of each of its workers, sampled while
they run; CPU time is user + system, workers included. Then a key in the reader while the same
500 feeds refresh in the background.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import statistics
import subprocess
import time
from pathlib import Path

from benchmarks.commands import (
    app_env,
    bladi_command,
    bladi_fetch,
    count_rows,
    fetch_env,
    fetch_folder,
    newsboat_reload,
)
from benchmarks.feeds import MANY_FEEDS, MANY_HOSTS, MANY_ITEMS, FeedServer
from benchmarks.figures import Figure, log
from benchmarks.stores import STORE_FILE
from benchmarks.terminal import ScreenTimeout, Tmux

CASE = f"{MANY_FEEDS} feeds x {MANY_ITEMS} items over {MANY_HOSTS} hosts"


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def scale_fetch_figures(scratch: Path, repeat: int, server: FeedServer) -> list[Figure]:
    newsboat = shutil.which("newsboat")
    ours = {
        "first": Figure(f"bladi-tui fetch, {CASE}, first refresh"),
        "again": Figure(f"bladi-tui fetch, {CASE}, nothing changed"),
    }
    theirs = {
        "first": Figure("newsboat -x reload (reload-threads 8), first refresh"),
        "again": Figure("newsboat -x reload (reload-threads 8), nothing changed"),
    }
    memory = Figure(
        f"Peak memory of one process, bladi-tui fetch, {CASE}", unit="MiB", target=100.0, strict=True
    )
    their_memory = Figure("Peak memory, newsboat -x reload, same feeds", unit="MiB")
    cpus: dict[str, list[float]] = {
        f"{who} {when}": [] for who in ("bladi", "newsboat") for when in ("first", "again")
    }
    peaks: dict[str, list[float]] = {"fetch": [], "workers": []}
    counts: dict[str, list[int]] = {"bladi": [], "newsboat": []}
    urls = server.urls
    log(f"scale: {len(urls)} feeds, {server.total_bytes / 1e6:.1f} MB, on {MANY_HOSTS} hosts")
    for run in range(repeat):
        folder, env = fetch_folder(scratch / f"scale-{run}")
        env["NO_PROXY"] = "127.0.0.0/8,localhost"
        for when in ("first", "again"):
            done = bladi_fetch(folder, urls, env, quiet=True, peak=True)
            assert done.peak is not None
            cpus[f"bladi {when}"].append(done.cpu)
            peaks["fetch"].append(done.peak.own / 1024)
            peaks["workers"].append(done.peak.worker_peak / 1024)
            memory.samples.append(max(done.peak.own, done.peak.worker_peak) / 1024)
            if done.status != 0:
                ours[when].error = f"exit {done.status}"
                log(f"  bladi-tui fetch failed: {done.stderr.strip()[-500:]}")
            else:
                ours[when].samples.append(done.seconds)
            if newsboat:
                done = newsboat_reload(newsboat, folder, urls, env, config="reload-threads 8\n", peak=True)
                assert done.peak is not None
                cpus[f"newsboat {when}"].append(done.cpu)
                their_memory.samples.append(done.peak.own / 1024)
                if done.status != 0:
                    theirs[when].error = f"exit {done.status}"
                    log(f"  newsboat failed: {done.stderr.strip()[-500:]}")
                else:
                    theirs[when].samples.append(done.seconds)
            log(
                f"  run {run + 1}, {when}: bladi-tui {ours[when].samples[-1] if ours[when].samples else float('nan'):.2f} s, "
                f"newsboat {theirs[when].samples[-1] if theirs[when].samples else float('nan'):.2f} s"
            )
        counts["bladi"].append(count_rows(folder / "data" / STORE_FILE, "SELECT COUNT(*) FROM articles"))
        counts["newsboat"].append(
            count_rows(folder / "cache.db", "SELECT COUNT(*) FROM rss_item") if newsboat else -1
        )
        shutil.rmtree(folder, ignore_errors=True)
    expected = MANY_FEEDS * MANY_ITEMS
    kept = all(c == expected for c in counts["bladi"])
    memory.note = (
        f"fetching process {max(peaks['fetch'], default=0):.1f} MiB, largest worker "
        f"{max(peaks['workers'], default=0):.1f} MiB (VmHWM sampled every 20 ms)"
    )
    for when, ratio in (("first", 0.7), ("again", 0.15)):
        figure = ours[when]
        if theirs[when].median:
            figure.target = ratio * theirs[when].median
            figure.target_text = f"<= {ratio} x newsboat = {theirs[when].median * ratio:.3f} s"
        figure.note = (
            f"CPU (user + system, median): bladi-tui {_median(cpus[f'bladi {when}']):.2f} s, "
            f"newsboat {_median(cpus[f'newsboat {when}']):.2f} s"
        )
    ours["first"].note += (
        f"; articles kept: bladi-tui {sorted(set(counts['bladi']))}, newsboat "
        f"{sorted(set(counts['newsboat']))} (expected {expected})"
    )
    if not kept and not ours["first"].error:
        ours["first"].error = f"not all {expected} articles kept"
    if not newsboat:
        for figure in theirs.values():
            figure.error = "not installed"
    return [ours["first"], theirs["first"], ours["again"], theirs["again"], memory, their_memory]


def key_during_refresh(tmux: Tmux, scratch: Path, repeat: int, server: FeedServer) -> list[Figure]:
    """End and Home in the list of the 10,000 articles of the 500 feeds, while those feeds
    refresh in the background with every one of them changed (each item's date moved: every
    feed is parsed and every article written again). The app starts online, so it refreshes at
    once; each key counts from its sending to the screen that shows its effect, and only while
    the list's title still says it is refreshing."""
    figure = Figure(
        f"Key to screen (End/Home) during a background refresh of {CASE}", target=0.1, strict=True
    )
    idle = Figure("Same keys once that refresh is over")
    home = scratch / "during-refresh"
    shutil.rmtree(home, ignore_errors=True)
    (home / "config" / "bladi-tui").mkdir(parents=True)
    data = home / "data"
    env = fetch_env(home, home / "config")
    env["NO_PROXY"] = "127.0.0.0/8,localhost"
    done = subprocess.run(
        [*bladi_command(), "fetch", "--quiet", "--data-dir", str(data), *server.urls],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        figure.error = f"fetch before the app: exit {done.returncode}"
        return [figure, idle]
    db = sqlite3.connect(data / STORE_FILE)
    oldest = db.execute("SELECT title FROM articles ORDER BY ts ASC, rowid ASC LIMIT 1").fetchone()[0][:20]
    count = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    db.close()
    lines = ['language = "fr"', ""]
    for url in server.urls:
        lines += ["[[sources]]", f"url = {json.dumps(url)}", 'kind = "feed"', ""]
    lines += ["[fetch]", "refresh_minutes = 0", "", "[retention]", "max_age_days = 0", "max_articles = 0", ""]
    (home / "config" / "bladi-tui" / "config.toml").write_text("\n".join(lines), encoding="utf-8")
    server.renew()
    app = app_env(home / "config")
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        app[name] = None
    app.update(NO_PROXY="127.0.0.0/8,localhost", no_proxy="127.0.0.0/8,localhost")
    pane = tmux.spawn([*bladi_command(), "--data-dir", str(data)], env=app)
    refreshing = "Actualisation"
    try:
        pane.wait_for(f"Tous ({count})", timeout=60)
        pane.wait_for(refreshing, timeout=60)
        deadline = time.perf_counter() + 300
        while time.perf_counter() < deadline and len(figure.samples) < 40:
            screen, _ = pane.screen()
            during = refreshing in screen
            end = pane.press("End", oldest, timeout=30)
            back = pane.press("Home", lambda s: oldest not in s, timeout=30)
            screen, _ = pane.screen()
            if not (during and refreshing in screen):
                break
            figure.samples += [end, back]
        pane.wait_for(lambda s: refreshing not in s, timeout=600)
        pane.settle()
        for _ in range(repeat):
            idle.samples.append(pane.press("End", oldest))
            idle.samples.append(pane.press("Home", lambda s: oldest not in s))
        figure.note = (
            f"{len(figure.samples)} keys during the refresh; the app's peak memory "
            f"{(pane.memory_peak_kib() or 0) / 1024:.1f} MiB"
        )
    except ScreenTimeout as error:
        figure.error = str(error)
        log(error.screen)
    finally:
        pane.close()
    return [figure, idle]
