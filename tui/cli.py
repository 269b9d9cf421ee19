"""The command line: ``bladi-tui [GLOBAL FLAGS] [SOURCE ...]`` and its subcommands.

Headless commands never import Textual (they run from cron on servers); only the TUI does, and
only once the arguments are known to be good.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from tui import __version__
from tui.sanitize import clean_line, clean_url

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
    group.add_argument(
        "--offline",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="never touch the network; read only the store and local files",
    )
    group.add_argument(
        "--no-mouse",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="do not capture the mouse",
    )
    group.add_argument(
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="log more detail to the log file in the data folder",
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


def build_parsers() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
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

    subs: dict[str, argparse.ArgumentParser] = {}

    def sub(name: str, description: str) -> argparse.ArgumentParser:
        parser = _Parser(
            prog=f"bladi-tui {name}",
            description=description,
            epilog=EXAMPLES.get(name, "") + COMMON_SECTIONS,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _global_flags(parser, suppress=False)
        subs[name] = parser
        return parser

    parser = sub("list", "Print the articles, newest first, one per line (or as JSON).")
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

    parser = sub("fetch", "Refresh the sources into the store, without the TUI (for cron).")
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

    parser = sub("config", "Write a configuration template, or print the effective configuration.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    actions.required = True
    init = actions.add_parser("init", help="write a commented template (never overwrites without --force)")
    init.add_argument("--force", action="store_true", help="replace an existing file")
    _global_flags(init, suppress=True)
    _global_flags(actions.add_parser("show", help="print the effective configuration as TOML"), suppress=True)
    _global_flags(
        actions.add_parser("path", help="print where the configuration file is looked for"), suppress=True
    )

    parser = sub(
        "opml",
        "Import sources from an OPML file (another reader's subscriptions), or export"
        " yours as OPML 2.0. Imported sources are saved in state.toml beside the config"
        " file, which is never rewritten.",
    )
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

    parser = sub(
        "serve",
        "Serve the app to a web browser (textual-serve): one app per browser tab."
        " Listens on loopback only unless --host says otherwise, and then asks for the token printed"
        " with the address; requests from other sites or host names are refused.",
    )
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

    parser = sub("show", "Print one article as Markdown.")
    parser.add_argument(
        "ref", metavar="ID|URL|PATH", help="an article id (from 'list'), an article URL or a local file"
    )
    parser.add_argument("sources", nargs="*", metavar="SOURCE", help=argparse.SUPPRESS)
    return main, subs


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


def source_specs(arguments: Sequence[str]):
    """SOURCE arguments as source specs; a path that does not exist or a bad URL is a usage error."""
    from tui.config import SourceSpec

    specs = []
    for raw in arguments:
        text = clean_line(raw)
        if "://" in raw:
            try:
                parts = urlsplit(raw.strip())
                hostname = parts.hostname
            except ValueError:
                raise UsageError(f"{text} is not a valid URL.") from None
            if parts.scheme not in ("http", "https") or not hostname:
                raise UsageError(f"{text} is not an http(s) URL.")
            if clean_url(raw) != raw.strip():
                raise UsageError(f"{text} holds characters a URL cannot have.")
            specs.append(SourceSpec.from_url(raw.strip()))
            continue
        path = Path(raw).expanduser()
        if not path.exists():
            raise UsageError(f"{text}: no such file or folder.")
        specs.append(SourceSpec.from_path(path.resolve()))
    return tuple(specs)


class Context:
    """What every command needs: the effective configuration, the sources and the store."""

    def __init__(self, options: argparse.Namespace) -> None:
        from tui.config import ConfigError, load_config, merge_state
        from tui.paths import config_path_is_explicit, resolve_config_path, resolve_data_dir, state_path

        self.options = options
        explicit = config_path_is_explicit(options.config)
        config_path = resolve_config_path(options.config)
        try:
            config = load_config(config_path, explicit=explicit)
            config = merge_state(config, state_path(config_path))
        except ConfigError as error:
            raise UsageError(str(error)) from None
        for warning in config.warnings:
            print(f"bladi-tui: warning: {clean_line(warning)}", file=sys.stderr)
        self.config = config
        self.config_path = config_path
        self.data_dir = resolve_data_dir(options.data_dir)
        self.offline = bool(options.offline)
        # A SOURCE the configuration lists is that source: its name, kind and request headers.
        configured = {spec.key: spec for spec in config.sources}
        given = tuple(configured.get(s.key, s) for s in source_specs(getattr(options, "sources", []) or []))
        self.sources_given = bool(given)
        self.sources = given or tuple(spec for spec in config.sources if spec.enabled)
        self._store = None

    @property
    def store(self):
        if self._store is None:
            from tui.store import Store, StoreError

            try:
                self._store = Store(self.store_path)
            except StoreError as error:
                if error.fault:
                    raise  # the machine's fault, not the user's: one sentence, exit 1 (main)
                raise UsageError(str(error)) from None
        return self._store

    @property
    def store_path(self) -> Path:
        return self.data_dir / "bladi-tui.sqlite3"

    @property
    def opened_store(self):
        """The store if a command has opened it already, else None (without opening it)."""
        return self._store

    @property
    def source_keys(self) -> list[str]:
        from tui.store.topics import with_listing_sources

        return with_listing_sources([spec.key for spec in self.sources])

    def refresh(self, *, missing_only: bool) -> None:
        """Read local sources (cheap) and, unless offline, remote ones the store lacks."""
        from tui.refresh import refresh_sources
        from tui.sources.kinds import register_sources

        register_sources(self.store, self.sources)
        if missing_only:
            known = {state.key: state.count for state in self.store.sources(self.source_keys)}
            specs = [s for s in self.sources if s.path or not known.get(s.key)]
        else:
            specs = list(self.sources)
        if specs:
            asyncio.run(refresh_sources(self.store, specs, offline=self.offline, fetch=self.config.fetch))


def article_json(stored) -> dict:
    article = stored.article
    return {
        "id": article.id,
        "title": article.title,
        "url": article.url or article.location,
        "date": article.date.isoformat() if article.date else None,
        "rubrique": article.rubrique,
        "tags": article.tags,
        "author": article.author,
        "source": article.source,
        "read": stored.read,
        "saved": stored.saved,
        "summary": article.summary,
    }


def command_list(context: Context) -> int:
    from tui.model import fold
    from tui.store.topics import with_listing_sources

    context.refresh(missing_only=True)
    options = context.options
    store = context.store
    keys = context.source_keys
    if options.source:
        # A source's name (the config's, or its feed's title, which can change) or its URL or
        # path: scripts that name a source by its URL keep working when its title changes.
        wanted = fold(options.source)
        stored = {state.key: state.name for state in store.sources(keys)} if keys else {}
        keys = with_listing_sources(
            [
                spec.key
                for spec in context.sources
                if wanted in (fold(spec.name), fold(stored.get(spec.key, ""))) or spec.key == options.source
            ]
        )
        if not keys:
            names = ", ".join(stored.get(spec.key) or spec.name for spec in context.sources)
            raise UsageError(
                f"no source named {clean_line(options.source)!r} (sources: {clean_line(names)})."
            )
    if options.more:
        _read_topic_listings(context, keys)
    rowids = store.matching_rowids(
        keys,
        unread=options.unread,
        saved=options.saved,
        topic_key=fold(options.topic) if options.topic else "",
        query=options.search or "",
        limit=options.limit or -1,
    )
    articles = [a for a in (store.article(rowid) for rowid in rowids) if a is not None]
    if options.json:
        json.dump([article_json(a) for a in articles], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for stored in articles:
        a = stored.article
        date = a.date.strftime("%Y-%m-%d %H:%M") if a.date else " " * 16
        print(f"{date}  {a.rubrique[:18]:<18}  {a.title}  [{a.id}]")
    return 0


def _read_topic_listings(context: Context, keys: list[str]) -> None:
    """`list --topic T --more N`: N pages of T's listings into the store (none with --offline)."""
    from tui.model import Topic
    from tui.sources.listing import read_topic_pages

    options = context.options
    if not options.topic:
        raise UsageError("--more needs --topic (the rubrique or tag whose listing to read).")
    if context.offline:
        return
    topics = [Topic.of("rubrique", options.topic), Topic.of("tag", options.topic)]
    # The names the store gives (a feed's title): a listing source is named as its source is.
    stored = {state.key: state.name for state in context.store.sources(keys)} if keys else {}
    names = {spec.key: stored.get(spec.key) or spec.name for spec in context.sources}
    errors = asyncio.run(
        read_topic_pages(context.store, topics, keys, names, pages=options.more, fetch=context.config.fetch)
    )
    for error in dict.fromkeys(errors):
        print(f"bladi-tui: warning: a listing page could not be read: {clean_line(error)}", file=sys.stderr)


def command_show(context: Context) -> int:
    from tui.article_markdown import to_markdown

    ref = context.options.ref
    path = Path(ref).expanduser()
    if "://" not in ref and path.is_file():
        from tui.sources.local import LocalSourceError, read_article_file

        try:
            articles = read_article_file(path.resolve(), path.resolve().parent, path.stem)
        except (OSError, LocalSourceError) as error:
            raise UsageError(f"{clean_line(ref)} cannot be read: {error}") from None
        if not articles:
            raise UsageError(f"{clean_line(ref)} holds no article.")
        sys.stdout.write(to_markdown(articles[0], reader=False))
        return 0
    from tui.extract.page import same_article_globs

    context.refresh(missing_only=True)
    stored = context.store.find(ref.strip(), same_article_globs(ref.strip()))
    if stored is None and "://" in ref and not context.offline:
        from tui.sources.web import load_article_page

        stored = asyncio.run(load_article_page(context.store, ref.strip(), context.config))
    if stored is None:
        print(f"bladi-tui: no article {clean_line(ref)} in the store.", file=sys.stderr)
        return 1
    sys.stdout.write(to_markdown(stored.article, reader=False))
    return 0


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


def command_config(context: Context) -> int:
    from tui.config import ConfigError, init_config, to_toml

    action = context.options.action
    if action == "init":
        try:
            written = init_config(context.config_path, force=context.options.force)
        except ConfigError as error:
            raise UsageError(str(error)) from None
        print(f"bladi-tui: wrote {written}")
    elif action == "show":
        from tui.ui.strings import resolve_language  # the UI's words only: no Textual

        sys.stdout.write(to_toml(context.config, resolve_language(context.config.language)))
    else:
        print(context.config_path)
    return 0


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
        return _fetch_under_lock(context)


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


def command_opml(context: Context) -> int:
    from tui.opml import OpmlError, export_opml, import_opml
    from tui.paths import display_path, expand_user_path, state_path

    options = context.options
    state = state_path(context.config_path)
    if options.action == "import":
        try:
            added, skipped = import_opml(options.file, state, context.config)
        except OpmlError as error:
            raise UsageError(str(error)) from None
        where = clean_line(display_path(state))
        print(
            f"bladi-tui: {added} source(s) added, {skipped} skipped (already there or not http(s))"
            + (f"; saved in {where}" if added else "")
            + "."
        )
        return 0
    data = export_opml(context.config)
    if options.file == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    target = expand_user_path(options.file)
    shown = clean_line(display_path(target))
    if target.resolve() in (context.config_path.resolve(), state.resolve()):
        raise UsageError(f"{shown} is bladi-tui's own configuration; export to another file.")
    try:
        target.write_bytes(data)
    except OSError as error:
        raise UsageError(f"{shown} cannot be written: {clean_line(error.strerror or error)}.") from None
    print(f"bladi-tui: wrote {shown}")
    return 0


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
