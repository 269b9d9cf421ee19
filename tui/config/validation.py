"""Reading a TOML document into the model, naming keys the way the user wrote them.

A config file is untrusted input like any feed: every string goes through :mod:`tui.sanitize`, so
nothing in it can drive the terminal when the app shows a source's name or a warning.
"""

from __future__ import annotations

import math
from dataclasses import fields, replace
from pathlib import Path
from typing import Any, NoReturn

from tui.config.model import (
    BUNDLED_NAMES,
    BUNDLED_PREFIX,
    KINDS,
    NAME_LIMIT,
    RANGES,
    ConfigError,
    SourceSpec,
)
from tui.net.headers import HeaderError, source_headers
from tui.paths import bundled_path, display_path, expand_user_path
from tui.sanitize import clean_line, clean_text, clean_url, is_web_url
from tui.sources.kinds import AUTO, SITE, kind_of

SOURCE_KEYS = ("name", "url", "path", "kind", "full_text", "enabled", "max_articles", "headers")
TOP_KEYS = ("sources", "fetch", "retention", "language", "theme", "images", "keys")


def type_name(value: object) -> str:
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


def bound_text(number: float) -> str:
    """A bound as a person writes it: 0.1, 300, 65536."""
    return f"{number:g}" if number < 1e6 else str(int(number))


def quoted_value(value: object) -> str:
    """A value quoted for a message: escaped, cut short, never a live control character."""
    return clean_line(repr(value), limit=60)


class ConfigReader:
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

    def fail(self, key: str, message: str) -> NoReturn:
        """Raise (config) or raise SkippedValue after a warning (state)."""
        if self.strict:
            raise ConfigError(f"{self.shown_file}: {clean_line(key)}: {message}.", path=self.file, key=key)
        self.warn(key, f"{message}; ignored")
        raise SkippedValue

    def unknown_keys(self, table: dict[str, Any], allowed: tuple[str, ...], prefix: str) -> None:
        if not self.strict:
            return  # the state file: a newer bladi-tui may have written keys this one lacks
        for name in table:
            if name not in allowed:
                self.warn(f"{prefix}{name}", "unknown key, ignored")

    def table(self, value: object, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(key, f"expected a table, got {type_name(value)}")
        return value

    def string(self, value: object, key: str) -> str:
        if not isinstance(value, str):
            self.fail(key, f"expected a string, got {type_name(value)}")
        return clean_line(value)

    def boolean(self, value: object, key: str) -> bool:
        if not isinstance(value, bool):
            self.fail(key, f"expected true or false, got {type_name(value)}")
        return value

    def choice(self, value: object, key: str, allowed: tuple[str, ...]) -> str:
        text = self.string(value, key).lower()
        if text not in allowed:
            listed = ", ".join(repr(a) if a == "" else a for a in allowed)
            self.fail(key, f"expected one of {listed}, got {quoted_value(value)}")
        return text

    def number(
        self, value: object, key: str, *, whole: bool, zero_ok: bool, bounds: tuple[float, float]
    ) -> float | int:
        # bool is an int in Python; in a config file `true` is not a number.
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            wanted = "a whole number" if whole else "a number"
            self.fail(key, f"expected {wanted}, got {type_name(value)}")
        if whole and not isinstance(value, int):
            self.fail(key, f"expected a whole number, got {quoted_value(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(key, f"expected a finite number, got {quoted_value(value)}")
        low, high = bounds
        if not (low <= value <= high or (zero_ok and value == 0)):
            wanted = (
                f"{'a whole number' if whole else 'a number'} from {bound_text(low)} to {bound_text(high)}"
            )
            self.fail(key, f"expected {wanted}{' (or 0)' if zero_ok else ''}, got {quoted_value(value)}")
        return value if whole else float(value)

    def string_list(self, value: object, key: str) -> list[str]:
        if not isinstance(value, list):
            self.fail(key, f"expected an array of strings, got {type_name(value)}")
        out = []
        for index, item in enumerate(value, start=1):
            try:
                out.append(self.string(item, f"{key}[{index}]"))
            except SkippedValue:
                continue
        return out

    def string_table(self, value: object, key: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, item in self.table(value, key).items():
            try:
                out[clean_line(name)] = self.string(item, f"{key}.{name}")
            except SkippedValue:
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
            except SkippedValue:
                continue
        return replace(defaults, **changes)

    def source(self, value: object, key: str, base: Path) -> SourceSpec:
        table = self.table(value, key)
        self.unknown_keys(table, SOURCE_KEYS, f"{key}.")
        url = self._url(table["url"], f"{key}.url") if "url" in table else ""
        raw_path = self._path(table["path"], f"{key}.path") if "path" in table else ""
        if url and raw_path:
            self.fail(key, "give either a url or a path, not both")
        if not url and not raw_path:
            self.fail(key, "needs a url (a feed, a site, an article) or a path (a file, a folder)")
        if url and not is_web_url(url):
            wanted = "expected an http or https address with a host"
            self.fail(f"{key}.url", f"{wanted}, got {quoted_value(url)}")
        path = str(resolve_path(raw_path, base)) if raw_path else ""
        kind = self.choice(table.get("kind", AUTO), f"{key}.kind", KINDS)
        if url and kind_of(kind).takes == "path":
            self.fail(f"{key}.kind", f"'{kind}' is for a path, not a url")
        if path and kind == SITE:
            self.fail(f"{key}.kind", "'site' is for a url, not a path")
        name = self.string(table["name"], f"{key}.name") if "name" in table else ""
        name = clean_line(name, limit=NAME_LIMIT)
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
            max_articles=int(
                self.number(
                    table.get("max_articles", 0),
                    f"{key}.max_articles",
                    whole=True,
                    zero_ok=True,
                    bounds=RANGES["sources.max_articles"],
                )
            ),
            headers=headers,
        )

    def _headers(self, value: object, key: str) -> tuple[tuple[str, str], ...]:
        table = self.table(value, key)
        try:
            return source_headers(table)
        except HeaderError as error:
            self.fail(key, str(error))

    def _url(self, value: object, key: str) -> str:
        if not isinstance(value, str):
            self.fail(key, f"expected a string, got {type_name(value)}")
        return clean_url(value)

    def _path(self, value: object, key: str) -> str:
        # Not clean_line: runs of spaces are legal in a file name and must survive.
        if not isinstance(value, str):
            self.fail(key, f"expected a string, got {type_name(value)}")
        text = clean_text(value).strip()
        if "\n" in text:
            self.fail(key, "a path fits on one line")
        return text

    def sources(self, value: object, key: str, base: Path, seen: dict[str, str]) -> list[SourceSpec]:
        """Sources of an array of tables; a source seen before (same url or path) is skipped."""
        if not isinstance(value, list):
            self.fail(key, f"expected [[{key}]] tables, got {type_name(value)}")
        out = []
        for index, item in enumerate(value, start=1):
            item_key = f"{key}[{index}]"
            try:
                spec = self.source(item, item_key, base)
            except SkippedValue:
                continue
            if spec.key in seen:
                if seen[spec.key]:  # "" marks a source the config has: added again, no news
                    self.warn(item_key, f"same source as {seen[spec.key]}, ignored")
                continue
            seen[spec.key] = item_key
            out.append(spec)
        return out


class SkippedValue(Exception):
    """A lenient reader dropped a value (after a warning)."""


def resolve_path(text: str, base: Path) -> Path:
    """A path as written in a config or state file, made absolute (``bundled:NAME`` and ``~`` too)."""
    if text.startswith(BUNDLED_PREFIX) and text[len(BUNDLED_PREFIX) :] in BUNDLED_NAMES:
        return bundled_path(text[len(BUNDLED_PREFIX) :])
    # Resolved like a SOURCE argument on the command line, so both give the same key.
    return expand_user_path(text, base).resolve()
