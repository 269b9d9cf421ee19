"""The app's own ``state.toml``, merged over the configuration: what the app changed on the user's
behalf (theme, language, sources added from the palette, sources switched off or removed, key
tweaks). A mistake in the state file never stops the app: a warning, and that part is ignored.
:mod:`tui.state` is its one writer.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from tui.config.files import dump_toml, read_toml, source_table, write_atomic
from tui.config.model import LANGUAGES, Config, ConfigError, SourceSpec
from tui.config.validation import ConfigReader, SkippedValue, resolve_path
from tui.paths import expand_user_path
from tui.sanitize import clean_url, is_web_url

STATE_KEYS = (
    "theme",
    "language",
    "keys",
    "added_sources",
    "disabled_sources",
    "enabled_sources",
    "removed_sources",
)


def load_state(state_path: str | os.PathLike[str]) -> dict[str, Any]:
    """The raw state document; empty when it is missing or broken."""
    try:
        return read_toml(expand_user_path(state_path)) or {}
    except ConfigError:
        return {}


def merge_state(config: Config, state_path: str | os.PathLike[str]) -> Config:
    """``config`` with what the app saved in ``state_path`` applied over it.

    Sources are added, then removed, then switched on or off, all by key (url or path). Any
    problem in the state file is a warning and that part is ignored: it never stops the app.
    Keys the state file has that this version does not know are ignored silently: a newer
    bladi-tui may have written them.
    """
    file = expand_user_path(state_path)
    try:
        document = read_toml(file)
    except ConfigError as error:
        return replace(config, warnings=(*config.warnings, f"{error} The saved state is ignored."))
    if not document:
        return config
    reader = ConfigReader(file, strict=False)

    def read(key: str, how: Any, *args: Any) -> Any:
        if key not in document:
            return None
        try:
            return how(document[key], key, *args)
        except SkippedValue:
            return None

    theme = read("theme", reader.string)
    language = read("language", reader.choice, LANGUAGES)
    keys = read("keys", reader.string_table)
    # A source added from the palette and later written into the config too is no news.
    seen = {spec.key: "" for spec in config.sources}
    added = read("added_sources", reader.sources, file.parent, seen) or []

    def keyset(name: str) -> set[str]:
        return {_state_key(k, file.parent) for k in read(name, reader.string_list) or []}

    removed, disabled, enabled = (
        keyset("removed_sources"),
        keyset("disabled_sources"),
        keyset("enabled_sources"),
    )
    sources = []
    for spec in (*config.sources, *added):
        if spec.key in removed:
            continue
        if spec.key in disabled:
            spec = replace(spec, enabled=False)
        elif spec.key in enabled:
            spec = replace(spec, enabled=True)
        sources.append(spec)
    return replace(
        config,
        sources=tuple(sources),
        theme=config.theme if theme is None else theme,
        language=config.language if language is None else language,
        keys={**config.keys, **(keys or {})},
        warnings=(*config.warnings, *reader.warnings),
    )


def _state_key(text: str, base: Path) -> str:
    url = clean_url(text)
    if is_web_url(url):
        return url
    return str(resolve_path(text, base))


def save_state(state_path: str | os.PathLike[str], **changes: Any) -> Path:
    """Update ``state.toml``: each keyword replaces that entry, ``None`` deletes it.

    Entries: ``theme``, ``language``, ``keys`` (a dict), ``added_sources`` (SourceSpec or dicts),
    ``disabled_sources``, ``enabled_sources``, ``removed_sources`` (source keys). The rest of the
    file is kept. A broken state file is moved aside to ``state.toml.broken`` and started afresh.
    The config file is never touched.
    """
    unknown = set(changes) - set(STATE_KEYS)
    if unknown:
        raise ValueError(f"unknown state entries: {', '.join(sorted(unknown))}")
    file = expand_user_path(state_path)
    try:
        document = read_toml(file) or {}
    except ConfigError:
        os.replace(file, file.with_name(file.name + ".broken"))
        document = {}
    for name, value in changes.items():
        if value is None:
            document.pop(name, None)
        elif name == "added_sources":
            document[name] = [
                source_table(s, complete=False) if isinstance(s, SourceSpec) else dict(s) for s in value
            ]
        elif name == "keys":
            document[name] = dict(value)
        elif name.endswith("_sources"):
            document[name] = [str(k) for k in value]
        else:
            document[name] = value
    write_atomic(file, dump_toml(document, "added_sources").encode("utf-8"))
    return file
