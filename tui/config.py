"""The user's configuration (``config.toml``) and the app's own ``state.toml`` merged over it.

The config file is the user's: read, validated, never rewritten. What the app changes on the user's
behalf (theme, language, sources added from the palette, sources switched off or removed, key
tweaks) goes to ``state.toml`` beside it.

A config file is untrusted input like any feed: every string goes through :mod:`tui.sanitize`, so
nothing in it can drive the terminal when the app shows a source's name or a warning. A mistake in
the config stops the app with one sentence naming the file, the line or the key; a mistake in the
state file never stops it (a warning, and that part is ignored).
"""

from __future__ import annotations

import math
import os
import re
import tempfile
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tomli_w

from tui.net.headers import HeaderError, shown_headers, source_headers
from tui.net.limits import FetchLimits
from tui.paths import bundled_path, display_path, expand_user_path
from tui.sanitize import clean_line, clean_text, clean_url, is_web_url

KINDS = ("auto", "feed", "site", "article", "local")
LANGUAGES = ("", "fr", "en")
BLADI_FEED_URL = "https://www.bladi.net/spip.php?page=backend"

# A path written ``bundled:NAME`` in a config means the data folder shipped with bladi-tui, which
# moves with every install: the template cannot spell it as an absolute path.
BUNDLED_PREFIX = "bundled:"
_BUNDLED_NAMES = ("sample_articles",)

_NAME_LIMIT = 200
# The app's own theme (tui.ui.themes), named here so the core can say which is in force.
DEFAULT_THEME_NAME = "bladi"
_SOURCE_KEYS = ("name", "url", "path", "kind", "full_text", "enabled", "max_articles", "headers")
_TOP_KEYS = ("sources", "fetch", "retention", "language", "theme", "keys")
_STATE_KEYS = (
    "theme",
    "language",
    "keys",
    "added_sources",
    "disabled_sources",
    "enabled_sources",
    "removed_sources",
)


class ConfigError(Exception):
    """A config the app cannot run with; ``str()`` is one sentence naming the file, line or key.

    Keys read as the user would look them up: ``sources[2].kind`` is the second ``[[sources]]``
    block of the file (counting from 1).
    """

    def __init__(
        self, message: str, *, path: Path | None = None, key: str = "", line: int | None = None
    ) -> None:
        super().__init__(message)
        self.path = path
        self.key = key
        self.line = line


@dataclass(frozen=True)
class SourceSpec:
    """One configured source: a web address (feed, site, article) or a local file or folder."""

    name: str
    url: str = ""  # http(s) URL: a feed, a site or an article
    path: str = ""  # a local file or folder, absolute once loaded
    kind: str = "auto"  # auto | feed | site | article | local
    full_text: bool = True  # complete intro-only items from their page
    enabled: bool = True
    # The user gave the name. Otherwise the name is a stand-in (the host, the folder) that the
    # feed's own title replaces at each refresh.
    # Not part of a spec's identity (two specs with one key, name and settings are one source).
    named: bool = field(default=True, compare=False)
    max_articles: int = 0  # this source keeps at most that many (see tui.store.retention); 0 = no cap
    # The source's own request headers (tui.net.headers: allowed names only, checked), such as
    # a browser's cookie for a site that turns automated readers away. Never shown back.
    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    @property
    def key(self) -> str:
        """The source's identity: its URL or its path."""
        return self.url or self.path

    @classmethod
    def from_url(cls, url: str, *, name: str = "", kind: str = "auto", enabled: bool = True) -> SourceSpec:
        """A web source; without a name, it is named for its host (``www.`` dropped) until a
        refresh names it after its feed's title."""
        named = bool(name)
        if not name:
            name = (urlsplit(url).hostname or url).removeprefix("www.")
        return cls(name=clean_line(name, limit=_NAME_LIMIT), url=url, kind=kind, enabled=enabled, named=named)

    @classmethod
    def from_path(cls, path: Path, *, name: str = "") -> SourceSpec:
        """A local file or folder (``path`` absolute); without a name, named for the file or folder."""
        named = bool(name)
        if not name:
            name = path.stem if path.is_file() else path.name
        name = clean_line(name, limit=_NAME_LIMIT) or clean_line(str(path), limit=_NAME_LIMIT)
        return cls(name=name, path=str(path), kind="local", named=named)


@dataclass(frozen=True)
class FetchSettings(FetchLimits):
    """How sources are fetched: the HTTP client's caps (:class:`FetchLimits`, whose defaults are
    these) and what the refresh itself paces."""

    refresh_minutes: float = 30.0  # the open TUI refreshes that often; 0 = never
    pages_per_host: int = 2  # article pages fetched at once per host


@dataclass(frozen=True)
class RetentionSettings:
    max_age_days: int = 90  # counted from when an article was stored; 0 = keep whatever its age
    max_articles: int = 0  # 0 = no cap (articles a feed still lists and saved ones always stay)


#: The range of every number a configuration may set, by ``table.name``: a value outside is one
#: sentence and exit 2. Without an upper bound ``deadline = 1e300`` turned off the drip cut and
#: ``max_bytes = 10**20`` overflowed the decompressor; these bounds are far beyond any real use.
RANGES: dict[str, tuple[float, float]] = {
    "fetch.connect_timeout": (0.1, 300),
    "fetch.read_timeout": (0.1, 600),
    "fetch.deadline": (1, 3600),
    "fetch.max_bytes": (64 * 1024, 1024 * 1024 * 1024),
    "fetch.max_redirects": (0, 20),
    "fetch.retry_after_max": (0, 3600),
    "fetch.concurrency": (1, 64),
    "fetch.per_host": (1, 16),
    "fetch.refresh_minutes": (1, 7 * 24 * 60),  # or 0: never
    "fetch.pages_per_host": (1, 16),
    "retention.max_age_days": (1, 100 * 366),  # or 0: any age
    "retention.max_articles": (1, 10_000_000),  # or 0: all
    "sources.max_articles": (1, 10_000_000),  # one source's cap; or 0: none of its own
}

#: A config larger than this is not a hand-written settings file.
MAX_CONFIG_BYTES = 4 * 1024 * 1024


def default_sources() -> tuple[SourceSpec, ...]:
    """What runs without a config file: Bladi.net's feed and the bundled sample articles."""
    return (
        SourceSpec(name="Bladi.net", url=BLADI_FEED_URL, kind="feed"),
        SourceSpec(name="Exemples", path=str(bundled_path("sample_articles")), kind="local"),
    )


@dataclass(frozen=True)
class Config:
    sources: tuple[SourceSpec, ...] = field(default_factory=default_sources)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    retention: RetentionSettings = field(default_factory=RetentionSettings)
    language: str = ""  # "fr" | "en" | "" (the locale decides)
    theme: str = ""  # "" = the default theme
    keys: dict[str, str] = field(default_factory=dict, hash=False)  # binding id -> keys
    path: Path | None = None  # the file it came from; None for the defaults
    warnings: tuple[str, ...] = ()  # one sentence each


@dataclass(frozen=True)
class SuggestedSource:
    """A French-language Moroccan source offered (commented out) in the template."""

    name: str
    url: str
    note: str = ""


SUGGESTED_SOURCES = (
    SuggestedSource("Yabiladi", "https://www.yabiladi.com/rss"),
    SuggestedSource("TelQuel", "https://telquel.ma/feed"),
    SuggestedSource("Le360", "https://fr.le360.ma/rss"),
    SuggestedSource(
        "Hespress FR",
        "https://fr.hespress.com/feed",
        "also per section: /economie/feed, /societe/feed, /politique/feed, /sport/feed, /monde/feed",
    ),
    SuggestedSource("Le Matin", "https://lematin.ma/rss"),
    SuggestedSource("Médias24", "https://medias24.com/feed/"),
)


# --- reading TOML values ---------------------------------------------------------------------


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return "a date or time"


def _bound(number: float) -> str:
    """A bound as a person writes it: 0.1, 300, 65536."""
    return f"{number:g}" if number < 1e6 else str(int(number))


def _shown(value: object) -> str:
    """A value quoted for a message: escaped, cut short, never a live control character."""
    return clean_line(repr(value), limit=60)


class _Reader:
    """Validates one TOML document, naming keys the way the user wrote them.

    ``strict`` readers (the config file) raise ConfigError; lenient ones (the state file) turn each
    problem into a warning and skip the value.
    """

    def __init__(self, file: Path, *, strict: bool) -> None:
        self.file = file
        self.strict = strict
        self.shown_file = clean_line(display_path(file))
        self.warnings: list[str] = []

    def warn(self, key: str, message: str) -> None:
        self.warnings.append(f"{self.shown_file}: {clean_line(key)}: {message}.")

    def fail(self, key: str, message: str) -> None:
        """Raise (config) or raise _Skip after a warning (state)."""
        if self.strict:
            raise ConfigError(f"{self.shown_file}: {clean_line(key)}: {message}.", path=self.file, key=key)
        self.warn(key, f"{message}; ignored")
        raise _Skip

    def unknown_keys(self, table: dict[str, Any], allowed: tuple[str, ...], prefix: str) -> None:
        if not self.strict:
            return  # the state file: a newer bladi-tui may have written keys this one lacks
        for name in table:
            if name not in allowed:
                self.warn(f"{prefix}{name}", "unknown key, ignored")

    def table(self, value: object, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(key, f"expected a table, got {_type_name(value)}")
        return value  # type: ignore[return-value]

    def string(self, value: object, key: str) -> str:
        if not isinstance(value, str):
            self.fail(key, f"expected a string, got {_type_name(value)}")
        return clean_line(value)

    def boolean(self, value: object, key: str) -> bool:
        if not isinstance(value, bool):
            self.fail(key, f"expected true or false, got {_type_name(value)}")
        return value  # type: ignore[return-value]

    def choice(self, value: object, key: str, allowed: tuple[str, ...]) -> str:
        text = self.string(value, key).lower()
        if text not in allowed:
            listed = ", ".join(repr(a) if a == "" else a for a in allowed)
            self.fail(key, f"expected one of {listed}, got {_shown(value)}")
        return text

    def number(
        self, value: object, key: str, *, whole: bool, zero_ok: bool, bounds: tuple[float, float]
    ) -> float | int:
        # bool is an int in Python; in a config file `true` is not a number.
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            wanted = "a whole number" if whole else "a number"
            self.fail(key, f"expected {wanted}, got {_type_name(value)}")
        if whole and not isinstance(value, int):
            self.fail(key, f"expected a whole number, got {_shown(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(key, f"expected a finite number, got {_shown(value)}")
        low, high = bounds
        if not (low <= value <= high or (zero_ok and value == 0)):  # type: ignore[operator]
            wanted = f"{'a whole number' if whole else 'a number'} from {_bound(low)} to {_bound(high)}"
            self.fail(key, f"expected {wanted}{' (or 0)' if zero_ok else ''}, got {_shown(value)}")
        return value if whole else float(value)  # type: ignore[return-value]

    def string_list(self, value: object, key: str) -> list[str]:
        if not isinstance(value, list):
            self.fail(key, f"expected an array of strings, got {_type_name(value)}")
        out = []
        for index, item in enumerate(value, start=1):  # type: ignore[arg-type]
            try:
                out.append(self.string(item, f"{key}[{index}]"))
            except _Skip:
                continue
        return out

    def string_table(self, value: object, key: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, item in self.table(value, key).items():
            try:
                out[clean_line(name)] = self.string(item, f"{key}.{name}")
            except _Skip:
                continue
        return out

    def settings(self, value: object, key: str, cls: type, zero_ok: tuple[str, ...]) -> Any:
        table = self.table(value, key)
        defaults = cls()
        known = {f.name: f for f in fields(cls)}
        self.unknown_keys(table, tuple(known), f"{key}.")
        changes = {}
        for name, item in table.items():
            if name not in known:
                continue
            whole = isinstance(getattr(defaults, name), int)
            try:
                changes[name] = self.number(
                    item,
                    f"{key}.{name}",
                    whole=whole,
                    zero_ok=name in zero_ok,
                    bounds=RANGES[f"{key}.{name}"],
                )
            except _Skip:
                continue
        return replace(defaults, **changes)

    def source(self, value: object, key: str, base: Path) -> SourceSpec:
        table = self.table(value, key)
        self.unknown_keys(table, _SOURCE_KEYS, f"{key}.")
        url = self._url(table["url"], f"{key}.url") if "url" in table else ""
        raw_path = self._path(table["path"], f"{key}.path") if "path" in table else ""
        if url and raw_path:
            self.fail(key, "give either a url or a path, not both")
        if not url and not raw_path:
            self.fail(key, "needs a url (a feed, a site, an article) or a path (a file, a folder)")
        if url and not is_web_url(url):
            wanted = "expected an http or https address with a host"
            self.fail(f"{key}.url", f"{wanted}, got {_shown(url)}")
        path = str(self._resolve_path(raw_path, base)) if raw_path else ""
        kind = self.choice(table.get("kind", "auto"), f"{key}.kind", KINDS)
        if url and kind == "local":
            self.fail(f"{key}.kind", "'local' is for a path, not a url")
        if path and kind == "site":
            self.fail(f"{key}.kind", "'site' is for a url, not a path")
        name = self.string(table["name"], f"{key}.name") if "name" in table else ""
        name = clean_line(name, limit=_NAME_LIMIT)
        headers = self._headers(table["headers"], f"{key}.headers") if "headers" in table else ()
        if headers and not url:
            self.fail(f"{key}.headers", "request headers are for a url, not a path")
        spec = (
            SourceSpec.from_url(url, name=name, kind=kind)
            if url
            else SourceSpec.from_path(Path(path), name=name)
        )
        return replace(
            spec,
            kind=kind,
            full_text=self.boolean(table.get("full_text", True), f"{key}.full_text"),
            enabled=self.boolean(table.get("enabled", True), f"{key}.enabled"),
            max_articles=self.number(
                table.get("max_articles", 0),
                f"{key}.max_articles",
                whole=True,
                zero_ok=True,
                bounds=RANGES["sources.max_articles"],
            ),
            headers=headers,
        )

    def _headers(self, value: object, key: str) -> tuple[tuple[str, str], ...]:
        table = self.table(value, key)
        try:
            return source_headers(table)
        except HeaderError as error:
            self.fail(key, str(error))
            raise  # unreachable: fail raises

    def _url(self, value: object, key: str) -> str:
        if not isinstance(value, str):
            self.fail(key, f"expected a string, got {_type_name(value)}")
        return clean_url(value)

    def _path(self, value: object, key: str) -> str:
        # Not clean_line: runs of spaces are legal in a file name and must survive.
        if not isinstance(value, str):
            self.fail(key, f"expected a string, got {_type_name(value)}")
        text = clean_text(value).strip()
        if "\n" in text:
            self.fail(key, "a path fits on one line")
        return text

    @staticmethod
    def _resolve_path(text: str, base: Path) -> Path:
        if text.startswith(BUNDLED_PREFIX) and text[len(BUNDLED_PREFIX) :] in _BUNDLED_NAMES:
            return bundled_path(text[len(BUNDLED_PREFIX) :])
        # Resolved like a SOURCE argument on the command line, so both give the same key.
        return expand_user_path(text, base).resolve()

    def sources(self, value: object, key: str, base: Path, seen: dict[str, str]) -> list[SourceSpec]:
        """Sources of an array of tables; a source seen before (same url or path) is skipped."""
        if not isinstance(value, list):
            self.fail(key, f"expected [[{key}]] tables, got {_type_name(value)}")
        out = []
        for index, item in enumerate(value, start=1):  # type: ignore[arg-type]
            item_key = f"{key}[{index}]"
            try:
                spec = self.source(item, item_key, base)
            except _Skip:
                continue
            if spec.key in seen:
                if seen[spec.key]:  # "" marks a source the config has: added again, no news
                    self.warn(item_key, f"same source as {seen[spec.key]}, ignored")
                continue
            seen[spec.key] = item_key
            out.append(spec)
        return out


class _Skip(Exception):
    """A lenient reader dropped a value (after a warning)."""


# --- files -----------------------------------------------------------------------------------

_AT_LINE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


def _syntax_error(file: Path, text: str, error: tomllib.TOMLDecodeError) -> ConfigError:
    message = str(error)
    line: int | None = getattr(error, "lineno", None)  # Python 3.14+
    match = _AT_LINE.search(message)
    if match:
        line = line or int(match.group(1))
        message = message[: match.start()]
    elif _AT_END.search(message):
        message = _AT_END.sub("", message)
        line = line or text.count("\n") + 1
    message = clean_line(getattr(error, "msg", None) or message).rstrip(".")
    message = message[:1].lower() + message[1:]
    where = f"line {line}" if line else "syntax"
    shown = clean_line(display_path(file))
    return ConfigError(f"{shown}, {where}: {message}.", path=file, line=line)


def _read_toml(file: Path) -> dict[str, Any] | None:
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
    document = _read_toml(file)
    if document is None:
        if explicit:
            raise ConfigError(f"{clean_line(display_path(file))} does not exist.", path=file)
        return Config()
    reader = _Reader(file, strict=True)
    reader.unknown_keys(document, _TOP_KEYS, "")
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
        keys=reader.string_table(document.get("keys", {}), "keys"),
        path=file,
        warnings=tuple(reader.warnings),
    )


def load_state(state_path: str | os.PathLike[str]) -> dict[str, Any]:
    """The raw state document; empty when it is missing or broken."""
    try:
        return _read_toml(expand_user_path(state_path)) or {}
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
        document = _read_toml(file)
    except ConfigError as error:
        return replace(config, warnings=(*config.warnings, f"{error} The saved state is ignored."))
    if not document:
        return config
    reader = _Reader(file, strict=False)

    def read(key: str, how: Any, *args: Any) -> Any:
        if key not in document:
            return None
        try:
            return how(document[key], key, *args)
        except _Skip:
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
    return str(_Reader._resolve_path(text, base))


def _source_table(spec: SourceSpec, *, complete: bool) -> dict[str, Any]:
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


def _dump(document: dict[str, Any], sources_key: str) -> str:
    """TOML with the list of sources as readable [[tables]] (tomli-w would inline short ones)."""
    rest = {k: v for k, v in document.items() if k != sources_key}
    text = tomli_w.dumps(rest)
    for table in document.get(sources_key, []):
        text += f"\n[[{sources_key}]]\n" + tomli_w.dumps(table)
    return text


def _write_atomic(file: Path, data: bytes, mode: int = 0o644) -> None:
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


def save_state(state_path: str | os.PathLike[str], **changes: Any) -> Path:
    """Update ``state.toml``: each keyword replaces that entry, ``None`` deletes it.

    Entries: ``theme``, ``language``, ``keys`` (a dict), ``added_sources`` (SourceSpec or dicts),
    ``disabled_sources``, ``enabled_sources``, ``removed_sources`` (source keys). The rest of the
    file is kept. A broken state file is moved aside to ``state.toml.broken`` and started afresh.
    The config file is never touched.
    """
    unknown = set(changes) - set(_STATE_KEYS)
    if unknown:
        raise ValueError(f"unknown state entries: {', '.join(sorted(unknown))}")
    file = expand_user_path(state_path)
    try:
        document = _read_toml(file) or {}
    except ConfigError:
        os.replace(file, file.with_name(file.name + ".broken"))
        document = {}
    for name, value in changes.items():
        if value is None:
            document.pop(name, None)
        elif name == "added_sources":
            document[name] = [
                _source_table(s, complete=False) if isinstance(s, SourceSpec) else dict(s) for s in value
            ]
        elif name == "keys":
            document[name] = dict(value)
        elif name.endswith("_sources"):
            document[name] = [str(k) for k in value]
        else:
            document[name] = value
    _write_atomic(file, _dump(document, "added_sources").encode("utf-8"))
    return file


def to_toml(config: Config, language: str = "") -> str:
    """The effective configuration as TOML, for ``config show``: the language and theme in
    force (``language`` is the one the locale gives when the config names none), never ""."""
    document = {
        "language": config.language or language,
        "theme": config.theme or DEFAULT_THEME_NAME,
        "fetch": {f.name: getattr(config.fetch, f.name) for f in fields(config.fetch)},
        "retention": {f.name: getattr(config.retention, f.name) for f in fields(config.retention)},
        "keys": dict(config.keys),
        "sources": [_source_table(s, complete=True) for s in config.sources],
    }
    origin = clean_line(display_path(config.path)) if config.path else "built-in defaults"
    return f"# Effective configuration ({origin})\n" + _dump(document, "sources")


# --- the template ----------------------------------------------------------------------------


_FETCH_NOTES = {
    "connect_timeout": "seconds to open a connection",
    "read_timeout": "seconds to wait between two pieces of a response",
    "deadline": "seconds for a whole response",
    "max_bytes": "a larger response is cut off (8 MiB)",
    "max_redirects": "redirects followed for one request",
    "retry_after_max": "seconds a server may ask to wait before one retry; longer fails",
    "concurrency": "requests at once",
    "per_host": "requests at once to the same site",
    "pages_per_host": "article pages fetched at once from the same site",
    "refresh_minutes": "the open app refreshes this often; 0 = never",
}
_RETENTION_NOTES = {
    "max_age_days": "forget articles stored longer ago; 0 keeps them all",
    "max_articles": "keep at most this many; 0 = no cap",
}


def _settings_block(table: str, values: Any, notes: dict[str, str]) -> str:
    """Commented ``name = default  # note (range)`` lines, one per field of a settings dataclass."""
    lines = []
    for f in fields(values):
        setting = f"# {f.name} = {getattr(values, f.name)!r}"
        low, high = RANGES[f"{table}.{f.name}"]
        lines.append(f"{setting:<30}# {notes[f.name]} ({_bound(low)} to {_bound(high)})")
    return "\n".join(lines)


def template() -> str:
    """The commented config file ``config init`` writes; as written it means the defaults."""
    fetch, retention = FetchSettings(), RetentionSettings()
    suggested = "\n".join(
        (f"# {s.name}: {s.note}\n" if s.note else "")
        + f'# [[sources]]\n# name = "{s.name}"\n# url = "{s.url}"\n# kind = "feed"\n'
        for s in SUGGESTED_SOURCES
    )
    return f"""\
# bladi-tui configuration
#
# Written by `bladi-tui config init`. bladi-tui never rewrites this file: what you change from
# inside the app (theme, sources added or switched off, keys) is saved in state.toml beside it
# and applied over this file. `bladi-tui config show` prints the result.
#
# A line starting with # is a comment: remove the # to use a setting.

# Interface language: "fr", "en", or "" to follow the system's locale.
# language = ""

# Colour theme by name; "" is the default theme.
# theme = ""


# Sources
# -------
# One [[sources]] block per source, with either
#   url = "https://..."   a feed, a site (its feed is discovered) or a single article, or
#   path = "..."          a local file or folder of articles (~ works; relative to this file).
# Optional:
#   name       shown in the sidebar (default: the site's host or the folder's name)
#   kind       auto, feed, site, article or local (auto: decided from what the url or path holds)
#   full_text  true: complete items that carry only an introduction from their page
#   enabled    false: keep the source here but do not fetch or show it
#   max_articles  keep at most this many of this source's articles (0: no cap of its own)
#
# Whatever the [retention] settings, an article its feed still lists and a saved one are kept.
#
# Listing sources here replaces the default ones; delete the "Exemples" block to drop the
# sample articles.

[[sources]]
name = "Bladi.net"
url = "{BLADI_FEED_URL}"
kind = "feed"
full_text = true
enabled = true

# The sample articles shipped with bladi-tui.
[[sources]]
name = "Exemples"
path = "{BUNDLED_PREFIX}sample_articles"
kind = "local"

# Other French-language Moroccan news sites: remove the # in front of a block to add it.

{suggested}

[fetch]
{_settings_block("fetch", fetch, _FETCH_NOTES)}

[retention]
{_settings_block("retention", retention, _RETENTION_NOTES)}

[keys]
# Change a key binding: binding id = "key" (several keys separated by commas), for example:
# refresh = "r,f5"
"""


def init_config(path: str | os.PathLike[str], force: bool = False) -> Path:
    """Write :func:`template` to ``path``; an existing file is replaced only with ``force``."""
    file = expand_user_path(path)
    shown = clean_line(display_path(file))
    if file.is_dir():
        raise ConfigError(f"{shown} is a folder, not a TOML file.", path=file)
    if file.exists() and not force:
        raise ConfigError(f"{shown} already exists; use --force to replace it.", path=file)
    try:
        _write_atomic(file, template().encode("utf-8"))
    except OSError as error:
        reason = clean_line(error.strerror or error)
        raise ConfigError(f"{shown} cannot be written: {reason}.", path=file) from None
    return file
