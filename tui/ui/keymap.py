"""The user's ``[keys]`` table: binding ids to keys, checked before Textual applies it.

Textual's keymap replaces a binding's keys by its id. What it does not say is that an id is
unknown (a typo) or that two bindings now share a key where both are active: those are
reported here, by name, in one sentence each.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.binding import Binding, BindingType

# A widget class's name and its BINDINGS (tuples too, as Textual allows; only Binding has an id).
Scope = tuple[str, Iterable[BindingType]]


def _keys(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    keys = keymap.get(binding.id or "", binding.key)
    return [key.strip() for key in keys.split(",") if key.strip()]


def check_keymap(
    keymap: Mapping[str, str], always: Iterable[BindingType], scopes: Iterable[Scope]
) -> list[str]:
    """Problems with ``keymap``: unknown ids, and keys given to two bindings active at once.

    ``always`` are the bindings active everywhere (the app's and the reader screen's); each
    scope adds the bindings of one focusable widget.
    """
    everywhere = [b for b in always if isinstance(b, Binding)]
    scoped = [(name, [b for b in bindings if isinstance(b, Binding)]) for name, bindings in scopes]
    known = {b.id for b in everywhere if b.id} | {b.id for _, bs in scoped for b in bs if b.id}
    problems = [
        f"[keys] {key_id!r} is not a binding id (see the help screen, '?')."
        for key_id in keymap
        if key_id not in known
    ]
    reported: set[tuple[str, frozenset[str]]] = set()
    for _name, bindings in [("", []), *scoped]:
        owners: dict[str, set[str]] = {}
        for binding in everywhere + bindings:
            if binding.id:
                for key in _keys(binding, keymap):
                    owners.setdefault(key, set()).add(binding.id)
        for key, ids in owners.items():
            if len(ids) > 1 and any(i in keymap for i in ids):
                marker = (key, frozenset(ids))
                if marker not in reported:
                    reported.add(marker)
                    problems.append(f"[keys] {key!r} is given to both {' and '.join(sorted(ids))}.")
    return problems
