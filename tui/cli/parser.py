"""The command line's grammar: the global flags, each subcommand and its options, the sections
at the end of every --help, and :class:`UsageError`, the one sentence a mistake gets."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from tui import __version__
from tui.sanitize import clean_line

SUBCOMMANDS = ("list", "show", "fetch", "config", "opml", "serve")
VALUE_FLAGS = ("--config", "--data-dir")


class UsageError(Exception):
    """A mistake on the command line or in the configuration: one sentence, exit status 2."""


class _Parser(argparse.ArgumentParser):
    # argparse prints its whole usage block on an error; a user gets one sentence instead.
    def error(self, message: str):
        raise UsageError(message[0].upper() + message[1:] + f" (see: {self.prog} --help).")


def _global_flags(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    group = parser.add_argument_group("global options")
    group.add_argument(
        "--config",
        metavar="PATH",
        default=default,
        help="configuration file (default: $BLADI_TUI_CONFIG, then the platform's config folder)",
    )
    group.add_argument(
        "--data-dir",
        metavar="PATH",
        default=default,
        help="where the store lives (default: $BLADI_TUI_DATA_DIR, then the platform's data folder)",
    )
    for flag, help_text in (
        ("--offline", "never touch the network; read only the store and local files"),
        ("--no-mouse", "do not capture the mouse"),
        ("--verbose", "log more detail to the log file in the data folder"),
    ):
        group.add_argument(
            flag, action="store_true", default=argparse.SUPPRESS if suppress else False, help=help_text
        )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {clean_line(text)!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("expected a number of at least 1")
    return value


# The end of every --help, as a man page would have it.
COMMON_SECTIONS = """
files:
  config.toml   your configuration; never rewritten by bladi-tui ('bladi-tui config path' says where)
  state.toml    beside it: what the app changes for you (theme, sources added from the palette)
  bladi-tui.sqlite3, bladi-tui.log   the store and the log, in the data folder

environment:
  BLADI_TUI_CONFIG    the configuration file (after --config)
  BLADI_TUI_DATA_DIR  the data folder (after --data-dir)
  NO_COLOR            no colours; HTTP_PROXY, HTTPS_PROXY, NO_PROXY are honoured

exit status:
  0 success; 1 some source failed (fetch) or an unexpected error; 2 a usage or configuration error
"""

EXAMPLES = {
    "": """examples:
  bladi-tui --offline                         the bundled sample articles, no network
  bladi-tui https://www.bladi.net/spip.php?page=backend
  bladi-tui ~/articles https://telquel.ma/feed   a local folder and a feed, side by side
""",
    "list": """examples:
  bladi-tui list --offline --topic maroc      articles of the rubrique or tag "Maroc"
  bladi-tui list --topic Sport --more 2       Sport, after reading two pages of its listing on the site
  bladi-tui list --unread --limit 20 --json   the 20 newest unread articles as JSON
  bladi-tui list --search 'sécurité JO'       full-text search, accents optional
""",
    "show": """examples:
  bladi-tui show 66cef3b716                   an article by the id 'list' prints
  bladi-tui show ~/articles/mon-article.md    a local file
""",
    "fetch": """examples:
  bladi-tui fetch --quiet                     from cron: */30 * * * * bladi-tui fetch --quiet
""",
    "config": """examples:
  bladi-tui config init                       write a commented template
  bladi-tui config show                       the configuration in force, as TOML
""",
    "opml": """examples:
  bladi-tui opml import subscriptions.opml    add another reader's feeds (to state.toml)
  bladi-tui opml export feeds.opml
""",
    "serve": """examples:
  bladi-tui serve --port 8000                 then open http://127.0.0.1:8000 in a browser
""",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of ``command`` (one of SUBCOMMANDS), or of the reader itself (None). Only the
    one asked for is built: the reader starts without building the subcommands' parsers."""
    if command is None:
        return _main_parser()
    parser = _Parser(
        prog=f"bladi-tui {command}",
        description=DESCRIPTIONS[command],
        epilog=EXAMPLES.get(command, "") + COMMON_SECTIONS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _global_flags(parser, suppress=False)
    _ARGUMENTS[command](parser)
    return parser


def _main_parser() -> argparse.ArgumentParser:
    main = _Parser(
        prog="bladi-tui",
        description="Read Bladi.net and any news site with a feed in the terminal, with the keyboard:"
        " a topic sidebar, the article list and the whole article. Keys: arrows or j/k,"
        " Tab, Enter, Escape, / to search, ? for every key, q to quit.",
        epilog="subcommands:\n  "
        + ", ".join(SUBCOMMANDS)
        + "  (bladi-tui SUBCOMMAND --help for each)\n\n"
        + EXAMPLES[""]
        + COMMON_SECTIONS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    main.add_argument("--version", action="version", version=f"bladi-tui {__version__}")
    main.add_argument(
        "sources",
        nargs="*",
        metavar="SOURCE",
        help="a feed, site or article URL, or a local file or folder of articles",
    )
    _global_flags(main, suppress=False)
    return main


DESCRIPTIONS = {
    "list": "Print the articles, newest first, one per line (or as JSON).",
    "fetch": "Refresh the sources into the store, without the TUI (for cron).",
    "config": "Write a configuration template, or print the effective configuration.",
    "opml": "Import sources from an OPML file (another reader's subscriptions), or export"
    " yours as OPML 2.0. Imported sources are saved in state.toml beside the config"
    " file, which is never rewritten.",
    "serve": "Serve the app to a web browser (textual-serve): one app per browser tab."
    " Listens on loopback only unless --host says otherwise, and then asks for the token printed"
    " with the address; requests from other sites or host names are refused.",
    "show": "Print one article as Markdown.",
}


def _list_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sources", nargs="*", metavar="SOURCE")
    parser.add_argument(
        "--topic", metavar="T", help="only articles of this rubrique or tag (case and accents ignored)"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON array of objects")
    parser.add_argument("--unread", action="store_true", help="only unread articles")
    parser.add_argument("--saved", action="store_true", help="only saved articles")
    parser.add_argument("--source", metavar="NAME", help="only the articles of this source")
    parser.add_argument(
        "--search", metavar="Q", help="only articles matching these words (title, text, tags, author)"
    )
    parser.add_argument("--limit", metavar="N", type=_positive_int, help="at most N articles")
    parser.add_argument(
        "--more",
        metavar="N",
        type=_positive_int,
        help="with --topic: first read N pages of the topic's listing on its site (never with --offline)",
    )


def _fetch_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sources", nargs="*", metavar="SOURCE")
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")
    parser.add_argument(
        "--no-wait",
        action="store_true",
        help="when another fetch is running, exit 1 instead of waiting for it",
    )
    parser.add_argument(
        "--images",
        action="store_true",
        help="also keep the pictures of the newest articles, to show them offline",
    )


def _config_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    actions.required = True
    init = actions.add_parser("init", help="write a commented template (never overwrites without --force)")
    init.add_argument("--force", action="store_true", help="replace an existing file")
    _global_flags(init, suppress=True)
    _global_flags(actions.add_parser("show", help="print the effective configuration as TOML"), suppress=True)
    _global_flags(
        actions.add_parser("path", help="print where the configuration file is looked for"), suppress=True
    )


def _opml_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    actions.required = True
    action = actions.add_parser("import", help="add the sources of FILE that are not there yet")
    action.add_argument("file", metavar="FILE", help="an OPML file (OPML 1.0 or 2.0)")
    _global_flags(action, suppress=True)
    action = actions.add_parser("export", help="write the web sources as OPML (local folders are left out)")
    action.add_argument(
        "file", metavar="FILE", nargs="?", default="-", help="where to write it (default: standard output)"
    )
    _global_flags(action, suppress=True)


def _serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sources", nargs="*", metavar="SOURCE")
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="HOST",
        help="address to listen on (default: 127.0.0.1; 0.0.0.0 opens it to the network)",
    )
    parser.add_argument(
        "--port", type=_positive_int, default=8000, metavar="PORT", help="port to listen on (default: 8000)"
    )
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers reach the server at, when not http://HOST:PORT"
        " (behind a proxy, or with --host 0.0.0.0)",
    )


def _show_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "ref", metavar="ID|URL|PATH", help="an article id (from 'list'), an article URL or a local file"
    )
    parser.add_argument("sources", nargs="*", metavar="SOURCE", help=argparse.SUPPRESS)


_ARGUMENTS = {
    "list": _list_arguments,
    "fetch": _fetch_arguments,
    "config": _config_arguments,
    "opml": _opml_arguments,
    "serve": _serve_arguments,
    "show": _show_arguments,
}


def split_command(argv: Sequence[str]) -> tuple[str | None, list[str]]:
    """The subcommand (if the first word that is not a flag names one) and the other arguments."""
    args = list(argv)
    skip = False
    for index, arg in enumerate(args):
        if skip:
            skip = False
            continue
        if arg == "--":
            return None, args
        if arg in VALUE_FLAGS:
            skip = True
            continue
        if arg.startswith("-"):
            continue
        if arg in SUBCOMMANDS:
            return arg, args[:index] + args[index + 1 :]
        return None, args
    return None, args
