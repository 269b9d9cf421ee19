"""Run in a child process by the memory test: refresh the given sources, report as JSON on stdout.

    python -m tests.hostile.refresh_child '{"db": PATH, "sources": [[name, url], ...], "fetch": {...}}'

The peak resident size (VmHWM, reset once the libraries are imported) is read before and after
the refresh: the difference is what reading every source at once cost, C allocations included
(lxml, lexbor and zlib allocate outside tracemalloc's sight). The parent serves the sources.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time


def peak_mib() -> float:
    """The peak resident size so far (since :func:`reset_peak`, where Linux allows it)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def reset_peak() -> bool:
    """Forget the peak of the imports (writing 5 to clear_refs resets VmHWM, Linux 4.0+)."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        return True
    except OSError:
        return False


def main() -> None:
    request = json.loads(sys.argv[1])
    # Everything a refresh imports, imported before the baseline is read.
    import feedparser  # noqa: F401
    import trafilatura  # noqa: F401

    from tui.config import FetchSettings, SourceSpec
    from tui.extract import extract_article  # noqa: F401
    from tui.refresh import refresh_sources
    from tui.sources.web import LiveReader  # noqa: F401
    from tui.store import Store

    store = Store(request["db"])
    specs = [SourceSpec(name=name, url=url) for name, url in request["sources"]]
    arrived: dict[str, float] = {}
    reset_peak()
    before = peak_mib()
    start = time.monotonic()

    def progress(done: int, total: int, outcome) -> None:
        arrived[outcome.name] = time.monotonic() - start

    outcomes = asyncio.run(
        refresh_sources(store, specs, progress=progress, fetch=FetchSettings(**request["fetch"]))
    )
    json.dump(
        {
            "baseline_mib": before,
            "peak_mib": peak_mib(),
            "elapsed": time.monotonic() - start,
            "arrived": arrived,
            "errors": {outcome.name: outcome.error for outcome in outcomes},
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
