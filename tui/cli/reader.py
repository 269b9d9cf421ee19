"""The reader itself: in this terminal (``bladi-tui [SOURCE ...]``), or served to web browsers,
one app per tab (``serve``)."""

from __future__ import annotations

import sys

from tui.cli.context import Context, source_specs
from tui.cli.parser import UsageError
from tui.sanitize import clean_line


def run_tui(context: Context) -> int:
    import gc

    # Start-up builds some 100,000 objects that live as long as the app: collecting while they
    # are made walks them again and again (BENCHMARKS.md, first paint). Collection resumes
    # once the first frame is drawn, with those objects frozen (BladiApp._after_first_frame).
    gc.disable()
    from tui.paths import state_path
    from tui.ui.app import BladiApp
    from tui.ui.pictures import resolve_mode

    app = BladiApp(
        store=context.store,
        sources=context.sources,
        config=context.config,
        offline=context.offline,
        state_file=state_path(context.config_path),
        data_dir=context.data_dir,
        # The terminal is asked what it draws now: once the app runs, it reads standard input.
        pictures=resolve_mode(context.config.images),
    )
    try:
        app.run(mouse=not context.options.no_mouse)
    finally:
        context.store.close()  # once the marks still queued are written
    return app.return_code or 0


def command_serve(context: Context) -> int:
    from tui.serve import ServeError, new_token, run_server

    options = context.options
    # The app runs in a new process per browser tab: hand it the same files, as absolute paths,
    # and the SOURCEs as resolved here (serve_command_line quotes every one of them).
    app_args = ["--data-dir", str(context.data_dir)]
    if options.config:  # else the app finds it as this process did ($BLADI_TUI_CONFIG is passed on)
        app_args[:0] = ["--config", str(context.config_path)]
    app_args += [flag for flag, on in (("--offline", context.offline), ("--verbose", options.verbose)) if on]
    given = source_specs(options.sources or [])
    if given:
        app_args += ["--", *(spec.key for spec in given)]
    token = new_token(options.host)
    if token is not None:
        print(
            f"bladi-tui: serving on {clean_line(options.host)}: only the address printed below,"
            " with its token, opens the app.",
            file=sys.stderr,
        )
    try:
        run_server(options.host, options.port, app_args, public_url=options.public_url, token=token)
    except ServeError as error:
        raise UsageError(str(error)) from None
    return 0
