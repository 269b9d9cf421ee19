"""The command line: ``bladi-tui [GLOBAL FLAGS] [SOURCE ...]`` and its subcommands.

Headless commands never import Textual (they run from cron on servers); only the TUI does, and
only once the arguments are known to be good.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from importlib import import_module

from tui.cli.context import Context
from tui.cli.parser import UsageError, build_parser, split_command
from tui.cli.reader import run_tui
from tui.sanitize import clean_line

# Each subcommand's module and function, imported when that subcommand runs: the reader starts
# without them.
COMMANDS = {
    "list": ("tui.cli.articles", "command_list"),
    "show": ("tui.cli.articles", "command_show"),
    "fetch": ("tui.cli.fetch", "command_fetch"),
    "config": ("tui.cli.user_files", "command_config"),
    "opml": ("tui.cli.user_files", "command_opml"),
    "serve": ("tui.cli.reader", "command_serve"),
}


def command_function(command: str) -> Callable[[Context], int]:
    module, name = COMMANDS[command]
    return getattr(import_module(module), name)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv``; its exit code. Without ``argv`` it is the process's own
    (the console script, ``python -m tui``): a headless fetch then ends the process itself."""
    process = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    command, rest = split_command(argv)
    try:
        options = build_parser(command).parse_args(rest)
        context = Context(options)
    except UsageError as error:
        print(f"bladi-tui: {clean_line(error)}", file=sys.stderr)
        return 2
    from tui.logs import setup_logging

    log_file = setup_logging(context.data_dir, verbose=bool(options.verbose))
    try:
        if command is None:
            return run_tui(context)
        code = command_function(command)(context)
        if process and command == "fetch":
            from tui.cli.fetch import end_process

            end_process(code)  # unless a thread or a stream holds it back
        return code
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
