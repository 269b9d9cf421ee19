"""``config`` and ``opml``: the user's configuration file (a template written, the effective
configuration printed, where it is looked for) and sources in and out as OPML."""

from __future__ import annotations

import sys

from tui.cli.context import Context
from tui.cli.parser import UsageError
from tui.sanitize import clean_line


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
