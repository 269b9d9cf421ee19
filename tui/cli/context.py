"""What every command starts from: the SOURCE arguments as sources, the effective configuration,
the data folder and the store (opened when a command first asks for it)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from tui.cli.parser import UsageError
from tui.sanitize import clean_line, clean_url


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
        from tui.store.listing_sources import with_listing_sources

        return with_listing_sources([spec.key for spec in self.sources])

    def refresh(self, *, missing_only: bool) -> None:
        """Read local sources (cheap) and, unless offline, remote ones the store lacks."""
        from tui.refresh import refresh_sources
        from tui.sources.kinds import register_sources

        register_sources(self.store, self.sources)
        if missing_only:
            known = {state.key: state.count for state in self.store.sources(self.source_keys)}
            specs = [s for s in self.sources if s.is_local or not known.get(s.key)]
        else:
            specs = list(self.sources)
        if specs:
            asyncio.run(refresh_sources(self.store, specs, offline=self.offline, fetch=self.config.fetch))
