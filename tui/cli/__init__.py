"""The command line: ``bladi-tui [GLOBAL FLAGS] [SOURCE ...]`` and its subcommands.

Headless commands never import Textual (they run from cron on servers); only the TUI does, and
only once the arguments are known to be good.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from tui.cli.articles import command_list, command_show
from tui.cli.context import Context
from tui.cli.fetch import command_fetch
from tui.cli.parser import UsageError, build_parsers, split_command
from tui.cli.reader import command_serve, run_tui
from tui.cli.user_files import command_config, command_opml
from tui.sanitize import clean_line

COMMANDS = {
    "list": command_list,
    "show": command_show,
    "fetch": command_fetch,
    "config": command_config,
    "opml": command_opml,
    "serve": command_serve,
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command, rest = split_command(argv)
    main_parser, subs = build_parsers()
    try:
        if command is None:
            options = main_parser.parse_args(rest)
        else:
            options = subs[command].parse_args(rest)
        context = Context(options)
    except UsageError as error:
        print(f"bladi-tui: {clean_line(error)}", file=sys.stderr)
        return 2
    from tui.logs import setup_logging

    log_file = setup_logging(context.data_dir, verbose=bool(options.verbose))
    try:
        if command is None:
            return run_tui(context)
        return COMMANDS[command](context)
    except UsageError as error:
        print(f"bladi-tui: {clean_line(error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:
        from tui.faults import fault_of, fault_sentence
        from tui.logs import logger

        fault = fault_of(error)
        if fault is not None:
            from tui.ui.strings import Translator, resolve_language  # the UI's words only: no Textual

            logger.warning("%s: %s", fault, clean_line(error, 300))
            t = Translator(resolve_language(context.config.language))
            print(
                f"bladi-tui: {fault_sentence(fault, t, context.data_dir, context.store_path)}",
                file=sys.stderr,
            )
            return 1
        logger.error("unexpected error", exc_info=error)
        where = f" (details in {log_file})" if log_file else ""
        print(f"bladi-tui: unexpected error: {clean_line(error, 300)}{where}", file=sys.stderr)
        return 1
