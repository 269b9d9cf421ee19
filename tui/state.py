"""The one writer of ``state.toml``: what the app changes on the user's behalf.

Every change goes through :class:`StateFile` under one set of rules, whichever part of the app
asks (the palette, OPML import, the theme picker), and each change is idempotent: asking twice
leaves the file as asking once. For a source (by key: its url or path):

- add: it is in force, switched on (or off, as the added source says); an earlier removal or
  switch is forgotten; it is
  listed once in ``added_sources`` (a source the config file has is no news there:
  :func:`tui.config.merge_state` skips it).
- remove: it is out of force; it leaves ``added_sources`` and the switch lists.
- disable / enable: it stays listed, switched off or on.

:func:`tui.config.merge_state` reads the file back with the same meaning. Never imports Textual.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tui.config import Config, SourceSpec, load_state, save_state


def _keys(document: dict[str, Any], name: str) -> list[str]:
    value = document.get(name, [])
    return [key for key in value if isinstance(key, str)] if isinstance(value, list) else []


def _table_key(table: object) -> str:
    if not isinstance(table, dict):
        return ""
    return str(table.get("url") or table.get("path") or "")


class StateFile:
    """``state.toml`` at ``path``: each method reads the file, applies its rule and writes it back
    in one step (a broken file is moved aside, see :func:`tui.config.save_state`)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def _change(self, key: str, *, add: SourceSpec | None = None, how: str) -> None:
        document = load_state(self.path)
        added: list[Any] = (  # tables read back, and the SourceSpec being added
            [t for t in document.get("added_sources", []) if isinstance(t, dict)]
            if isinstance(document.get("added_sources"), list)
            else []
        )
        removed, disabled, enabled = (
            _keys(document, "removed_sources"),
            _keys(document, "disabled_sources"),
            _keys(document, "enabled_sources"),
        )

        def without(keys: list[str]) -> list[str]:
            return [k for k in keys if k != key]

        if how == "add":
            removed = without(removed)
            # Switched on, unless what is added comes switched off (an OPML outline in comment).
            if add is not None and not add.enabled:
                enabled, disabled = without(enabled), [*without(disabled), key]
            else:
                disabled, enabled = without(disabled), [*without(enabled), key]
            if add is not None and not any(_table_key(t) == key for t in added):
                added = [*added, add]
        elif how == "remove":
            added = [t for t in added if _table_key(t) != key]
            disabled, enabled = without(disabled), without(enabled)
            removed = [*without(removed), key]
        elif how == "disable":
            enabled, disabled = without(enabled), [*without(disabled), key]
        elif how == "enable":
            disabled, enabled = without(disabled), [*without(enabled), key]
        save_state(
            self.path,
            added_sources=added or None,
            removed_sources=removed or None,
            disabled_sources=disabled or None,
            enabled_sources=enabled or None,
        )

    def add_source(self, spec: SourceSpec) -> None:
        self._change(spec.key, add=spec, how="add")

    def remove_source(self, key: str) -> None:
        self._change(key, how="remove")

    def disable_source(self, key: str) -> None:
        self._change(key, how="disable")

    def enable_source(self, key: str) -> None:
        self._change(key, how="enable")

    def set_theme(self, name: str) -> None:
        save_state(self.path, theme=name)

    def import_sources(self, specs: Iterable[SourceSpec], config: Config) -> tuple[int, int]:
        """Add the sources not in force in ``config`` (the effective configuration); those in
        force are left as they are, switched off or not. Returns (added, skipped)."""
        present = {spec.key for spec in config.sources}
        added = skipped = 0
        for spec in specs:
            if spec.key in present:
                skipped += 1
                continue
            self.add_source(spec)
            present.add(spec.key)
            added += 1
        return added, skipped
