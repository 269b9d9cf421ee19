"""Instructions of a fetch worker's work: what the machine's load does not change.

    python -m benchmarks.worker_instructions [--feeds N] [--typographic] [--checkout DIR ...]

A worker of ``bladi-tui fetch`` parses each feed it is handed, converts its items to Markdown
and stores them (:func:`tui.feeds.storing.parse_and_store_feed`). Here that work runs in one
process on the first ``--feeds`` of the fetch benchmark's feeds (``benchmarks.feeds``: 100 items
of full text each), into an empty store, under valgrind's cachegrind; and once more up to the
first of them. The difference is the work's own instructions (start-up, imports, the making of
the documents and a first small feed left out): the count
two versions of the code are compared by while other work runs (elapsed times cannot be). Each
``--checkout`` is measured with its own code (default: this one). With ``--typographic`` the
feeds' French is typeset as real French sites write it (’ for ', « » around a word, a no-break
space before ":"), which the benchmark's text is not: Latin-1-only shortcuts do not apply to it.
Needs valgrind.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.append(str(Path(__file__).resolve().parent.parent))

HERE = Path(__file__).resolve().parent
_TOTAL = re.compile(r"^summary:\s+(\d+)", re.MULTILINE)


def _typeset(document: bytes) -> bytes:
    """A feed's French as real French sites typeset it (see the module's doc)."""
    return (
        document.replace(b"'", "’".encode())
        .replace(b" : ", "\u00a0: ".encode())
        .replace(b"Maroc", "«\u00a0Maroc\u00a0»".encode())
    )


def _work(feeds: int, folder: Path, parse: bool, typographic: bool = False) -> None:
    """In the measured process: everything a worker imports and the feeds' documents, then (with
    ``parse``) the feeds parsed and stored."""
    from benchmarks.feeds import make_feed
    from tui.feeds.storing import parse_and_store_feed
    from tui.store import Store

    made = _typeset if typographic else bytes
    documents = [made(make_feed(n)) for n in range(feeds)]
    store = Store(folder / "store.sqlite3", checkpoints=False)
    # What the worker does once per process (its lazy imports, its connection): in both runs.
    store.ensure_source("warm-up", "127.0.0.1", "auto")
    parse_and_store_feed(
        store,
        "warm-up",
        made(make_feed(99, items=2)),
        "http://127.0.0.1/warm-up.xml",
        source="127.0.0.1",
        content_type="application/rss+xml",
        full_text=False,
    )
    for number, document in enumerate(documents if parse else ()):
        key = f"http://127.0.0.1/feed/{number:02d}.xml"
        store.ensure_source(key, "127.0.0.1", "auto")
        parse_and_store_feed(
            store, key, document, key, source="127.0.0.1", content_type="application/rss+xml", full_text=False
        )
    store.close()


def _instructions(checkout: Path, feeds: int, parse: bool, typographic: bool) -> int:
    """Instructions of one run of :func:`_work` with ``checkout``'s code (cachegrind, every
    child included)."""
    with tempfile.TemporaryDirectory(prefix="bladi-worker-") as scratch:
        folder = Path(scratch)
        out = folder / "cachegrind.out"
        # Run as a file: this script from here, bladi-tui (and the feeds) from ``checkout``.
        env = {**os.environ, "PYTHONPATH": str(checkout), "PYTHONHASHSEED": "0"}
        command = [sys.executable, __file__, "--run", str(feeds), str(folder), "parse" if parse else "idle"]
        command += ["--typographic"] if typographic else []
        subprocess.run(
            ["valgrind", "--tool=cachegrind", "--cache-sim=no", f"--cachegrind-out-file={out}", *command],
            env=env,
            check=True,
            capture_output=True,
        )
        match = _TOTAL.search(out.read_text())
        if match is None:
            raise RuntimeError("cachegrind wrote no summary")
        return int(match.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.worker_instructions", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--feeds", type=int, default=10, help="feeds of 100 items to parse and store (default 10)"
    )
    parser.add_argument(
        "--checkout", action="append", type=Path, help="a tree to measure (default: this one)"
    )
    parser.add_argument(
        "--typographic", action="store_true", help="the feeds' French typeset (’, « », no-break spaces)"
    )
    parser.add_argument("--run", nargs=3, metavar=("FEEDS", "FOLDER", "WHAT"), help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.run:  # the measured process
        _work(int(options.run[0]), Path(options.run[1]), options.run[2] == "parse", options.typographic)
        return 0
    checkouts = options.checkout or [HERE.parent]
    for checkout in checkouts:
        idle = _instructions(checkout.resolve(), options.feeds, False, options.typographic)
        busy = _instructions(checkout.resolve(), options.feeds, True, options.typographic)
        print(
            f"{checkout}: {options.feeds} feeds x 100 items: {(busy - idle) / 1e6:,.0f} M instructions "
            f"(start-up, imports and the documents {idle / 1e6:,.0f} M, left out)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
