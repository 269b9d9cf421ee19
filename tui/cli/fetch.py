"""``fetch``: every source refreshed into the store without the TUI (for cron), under the fetch
lock, with progress on a terminal and one line per source that failed."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sys
import time

from tui.cli.context import Context
from tui.cli.parser import UsageError
from tui.sanitize import clean_line


def command_fetch(context: Context) -> int:
    """Refresh every source; exit 0 when all answered, 1 when some failed (each named)."""
    from tui.feeds.pool import parsing_processes
    from tui.refresh import is_large_refresh

    if context.offline:
        raise UsageError("fetch cannot run with --offline.")
    # A large refresh reads feeds in worker processes. They are forked now, while this process
    # holds no lock and no SQLite connection for them to inherit: cheaper than a fork server.
    assert context.opened_store is None, "the store is opened after the workers are forked"
    with parsing_processes(fork=True) if is_large_refresh(context.sources) else contextlib.nullcontext():
        if any(not spec.is_local for spec in context.sources):
            from tui.net.host_pools import import_transport_in_background

            # The workers are forked (a thread now is no longer a risk to them): the imports of
            # the first request proceed while this thread opens the store, in SQLite's C.
            import_transport_in_background()
        code = _fetch_under_lock(context)
    # The process ends with the fetch: what it holds is freed with it, and the collections of
    # the interpreter's exit need not walk it (they were most of the time from the fetch's
    # end to the process's, BENCHMARKS.md).
    gc.freeze()
    return code


def end_process(code: int) -> None:
    """End the fetching process with ``code`` once its exit handlers have run (the log files
    closed, the worker processes' bookkeeping) and its streams are flushed, without Python's
    finalization: freeing every module and object one by one, which the process's end frees
    at once. It holds nothing else to finish: the store's log is synced (Store.settle_log),
    its locks are the kernel's, its workers are gone. Returns, leaving the usual exit to do it
    all, while another thread than daemons still runs or a stream cannot be flushed."""
    import atexit
    import os
    import threading

    if any(not thread.daemon for thread in threading.enumerate() if thread is not threading.main_thread()):
        return
    try:
        _flush_streams()
        atexit._run_exitfuncs()  # their errors are printed, as at the usual exit
        _flush_streams()
    except (OSError, ValueError):  # a closed pipe: the usual exit says so, its code unchanged
        return
    os._exit(code)


def _flush_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:  # none at all (a process started without them)
            stream.flush()


#: How long `fetch` waits for another one to end before it gives up (exit 1, one sentence).
FETCH_BUSY_WAIT = 30.0


def _fetch_under_lock(context: Context) -> int:
    from tui.refresh import refresh
    from tui.ui.strings import Translator, resolve_language  # the UI's words only: no Textual

    quiet = context.options.quiet
    show_progress = not quiet and sys.stderr.isatty()
    total = len(context.sources)

    def progress(done: int, count: int, outcome) -> None:
        if show_progress:
            width = 30
            filled = width * done // max(count, 1)
            sys.stderr.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{count} {clean_line(outcome.name)[:30]:<30}"
            )
            sys.stderr.flush()

    t = Translator(resolve_language(context.config.language))
    holders: list[int | None] = []

    def busy(holder: int | None) -> None:
        # Two fetches never interleave: the second waits for the first a while (or, with
        # --no-wait, not at all), then says so.
        holders.append(holder)
        if not quiet and not context.options.no_wait:
            who = f" (pid {holder})" if holder else ""
            print(
                f"bladi-tui: {t('cli.fetch_waiting', who=who, seconds=f'{FETCH_BUSY_WAIT:g}')}",
                file=sys.stderr,
            )

    try:
        report = asyncio.run(
            refresh(
                context.store,
                context.sources,
                settings=context.config.fetch,
                retention=context.config.retention,
                data_dir=context.data_dir,
                when_busy="stop" if context.options.no_wait else "wait",
                busy_wait=FETCH_BUSY_WAIT,
                on_busy=busy,
                progress=progress,
                # fetch with no SOURCE is the routine one (cron): it lets a source that turned
                # the reader away wait; fetch SOURCE is asked on purpose and tries at once.
                respect_backoff=not context.sources_given,
                exiting=True,
            )
        )
    except KeyboardInterrupt:
        # What each source stored before the interruption is committed: nothing to undo.
        if show_progress:
            sys.stderr.write("\n")
        print("bladi-tui: fetch interrupted; what was fetched is kept.", file=sys.stderr)
        return 130
    if report.stopped:
        who = f" (pid {holders[0]})" if holders and holders[0] else ""
        print(f"bladi-tui: {t('cli.fetch_busy', who=who)}", file=sys.stderr)
        return 1
    if show_progress:
        sys.stderr.write("\r" + " " * 72 + "\r")
    outcomes = report.outcomes
    failed = [o for o in outcomes if o.error and not o.skipped]
    new = sum(o.new for o in outcomes)
    for outcome in outcomes:
        if outcome.error and (not quiet or not outcome.skipped):
            print(f"bladi-tui: {clean_line(outcome.name)}: {_failure_sentence(outcome)}", file=sys.stderr)
    if not quiet:
        print(f"{new} new article(s) from {total - len(failed)}/{total} source(s)", file=sys.stderr)
    if getattr(context.options, "images", False):
        from tui.images.load import fetch_pictures

        kept, missed = asyncio.run(
            fetch_pictures(context.store, [s.key for s in context.sources], context.config)
        )
        if not quiet:
            print(f"{kept} picture(s) kept, {missed} not", file=sys.stderr)
    return 1 if failed else 0


def _failure_sentence(outcome) -> str:
    """Why a source failed, and for one that must wait, until when and how not to."""
    sentence = clean_line(outcome.error)
    if outcome.retry_at is None:
        return sentence
    until = time.strftime(
        "%H:%M" if outcome.retry_at - time.time() < 86400 else "%Y-%m-%d %H:%M",
        time.localtime(outcome.retry_at),
    )
    if outcome.skipped:
        return f"not asked this time ({sentence}); next try after {until} (fetch {clean_line(outcome.key)} tries now)"
    return (
        f"{sentence}; waiting until {until} before asking again (fetch {clean_line(outcome.key)} tries now)"
    )
