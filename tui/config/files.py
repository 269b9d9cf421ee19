"""The configuration file on disk: reading TOML with one-sentence errors, writing files atomically,
``config show`` and ``config init``.

The config file is the user's: read, validated, never rewritten. A mistake in it stops the app with
one sentence naming the file, the line or the key.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any

from tui.config.model import (
    DEFAULT_THEME_NAME,
    IMAGE_MODES,
    LANGUAGES,
    MAX_CONFIG_BYTES,
    Config,
    ConfigError,
    FetchSettings,
    RetentionSettings,
    SourceSpec,
    default_sources,
)
from tui.config.validation import TOP_KEYS, ConfigReader
from tui.lazy_pattern import LazyPattern
from tui.net.headers import shown_headers
from tui.paths import display_path, expand_user_path
from tui.sanitize import clean_line

# Searched in the message with its trailing spaces cut, and without a leading "\s*": tried at
# every position of a long run of spaces, that made the search quadratic.
_AT_LINE = LazyPattern(r"\(at line (\d+), column (\d+)\)$")
_AT_END = LazyPattern(r"\(at end of document\)$")


def _syntax_error(file: Path, text: str, error: tomllib.TOMLDecodeError) -> ConfigError:
    message = str(error).rstrip()
    line: int | None = getattr(error, "lineno", None)  # Python 3.14+
    match = _AT_LINE.search(message)
    if match:
        line = line or int(match.group(1))
        message = message[: match.start()].rstrip()
    elif end := _AT_END.search(message):
        message = message[: end.start()].rstrip()
        line = line or text.count("\n") + 1
    message = clean_line(getattr(error, "msg", None) or message).rstrip(".")
    message = message[:1].lower() + message[1:]
    where = f"line {line}" if line else "syntax"
    shown = clean_line(display_path(file))
    return ConfigError(f"{shown}, {where}: {message}.", path=file, line=line)


def read_toml(file: Path) -> dict[str, Any] | None:
    """The parsed document, or None when the file does not exist. Raises ConfigError."""
    shown = clean_line(display_path(file))
    try:
        with file.open("rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise ConfigError(f"{shown} is a folder, not a TOML file.", path=file) from None
    except OSError as error:
        reason = clean_line(error.strerror or error)
        raise ConfigError(f"{shown} cannot be read: {reason}.", path=file) from None
    if len(data) > MAX_CONFIG_BYTES:
        limit = MAX_CONFIG_BYTES // (1024 * 1024)
        raise ConfigError(f"{shown} is larger than {limit} MiB: not a settings file.", path=file)
    try:
        text = data.decode("utf-8-sig")  # tolerate the BOM some Windows editors write
    except UnicodeDecodeError:
        raise ConfigError(f"{shown} is not UTF-8 text.", path=file) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _syntax_error(file, text, error) from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise ConfigError(f"{shown} nests arrays or tables too deeply.", path=file) from None


def load_config(path: str | os.PathLike[str], *, explicit: bool) -> Config:
    """The configuration in ``path``.

    A missing file is an error when the user named it (``--config``, ``$BLADI_TUI_CONFIG``) and
    the defaults otherwise. A file without ``sources`` gets :func:`default_sources`; a file that
    lists sources gets exactly those (``sources = []`` means none). Unknown keys are warnings.
    Raises ConfigError.
    """
    file = expand_user_path(path)
    document = read_toml(file)
    if document is None:
        if explicit:
            raise ConfigError(f"{clean_line(display_path(file))} does not exist.", path=file)
        return Config()
    reader = ConfigReader(file, strict=True)
    reader.unknown_keys(document, TOP_KEYS, "")
    sources = default_sources()
    if "sources" in document:
        sources = tuple(reader.sources(document["sources"], "sources", file.parent, {}))
    return Config(
        sources=sources,
        fetch=reader.settings(
            document.get("fetch", {}), "fetch", FetchSettings, zero_ok=("refresh_minutes", "max_redirects")
        ),
        retention=reader.settings(
            document.get("retention", {}),
            "retention",
            RetentionSettings,
            zero_ok=("max_age_days", "max_articles"),
        ),
        language=reader.choice(document.get("language", ""), "language", LANGUAGES),
        theme=reader.string(document.get("theme", ""), "theme"),
        images=reader.choice(document.get("images", "auto"), "images", IMAGE_MODES),
        keys=reader.string_table(document.get("keys", {}), "keys"),
        path=file,
        warnings=tuple(reader.warnings),
    )


def source_table(spec: SourceSpec, *, complete: bool) -> dict[str, Any]:
    """A source as TOML: ``complete`` for display (``config show``: secret headers hidden), else
    only what differs from the defaults (state.toml)."""
    # A stand-in name is not written: the source keeps taking its feed's title.
    table: dict[str, Any] = {"name": spec.name} if spec.named else {}
    table["url" if spec.url else "path"] = spec.key
    for name in ("kind", "full_text", "enabled", "max_articles"):
        value = getattr(spec, name)
        if complete or value != getattr(SourceSpec("x"), name):
            table[name] = value
    if spec.headers:
        table["headers"] = shown_headers(spec.headers) if complete else dict(spec.headers)
    return table


def dump_toml(document: dict[str, Any], sources_key: str) -> str:
    """TOML with the list of sources as readable [[tables]] (tomli-w would inline short ones)."""
    import tomli_w  # written only when asked for: the reader starts without it

    rest = {k: v for k, v in document.items() if k != sources_key}
    text = tomli_w.dumps(rest)
    for table in document.get(sources_key, []):
        text += f"\n[[{sources_key}]]\n" + tomli_w.dumps(table)
    return text


def write_atomic(file: Path, data: bytes, mode: int = 0o644) -> None:
    """Replace ``file`` in one step: readers see the old file or the new one, never half."""
    file.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, file)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise


def to_toml(config: Config, language: str = "") -> str:
    """The effective configuration as TOML, for ``config show``: the language and theme in
    force (``language`` is the one the locale gives when the config names none), never ""."""
    document = {
        "language": config.language or language,
        "theme": config.theme or DEFAULT_THEME_NAME,
        "images": config.images,
        "fetch": {f.name: getattr(config.fetch, f.name) for f in fields(config.fetch)},
        "retention": {f.name: getattr(config.retention, f.name) for f in fields(config.retention)},
        "keys": dict(config.keys),
        "sources": [source_table(s, complete=True) for s in config.sources],
    }
    origin = clean_line(display_path(config.path)) if config.path else "built-in defaults"
    return f"# Effective configuration ({origin})\n" + dump_toml(document, "sources")


def init_config(path: str | os.PathLike[str], force: bool = False) -> Path:
    """Write :func:`template` to ``path``; an existing file is replaced only with ``force``."""
    from tui.config.template import template  # for `config init` only

    file = expand_user_path(path)
    shown = clean_line(display_path(file))
    if file.is_dir():
        raise ConfigError(f"{shown} is a folder, not a TOML file.", path=file)
    if file.exists() and not force:
        raise ConfigError(f"{shown} already exists; use --force to replace it.", path=file)
    try:
        write_atomic(file, template().encode("utf-8"))
    except OSError as error:
        reason = clean_line(error.strerror or error)
        raise ConfigError(f"{shown} cannot be written: {reason}.", path=file) from None
    return file
