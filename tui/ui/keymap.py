"""The user's ``[keys]`` table: binding ids to keys, checked before Textual applies it.

Textual's keymap replaces a binding's keys by its id. What it does not say is that an id is
unknown (a typo) or that two bindings now share a key where both are active: those are
reported here, by name, in one sentence each.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.binding import Binding

from tui.ui.bindings import BINDING_OWNERS, BindingOwner


def _keys(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    keys = keymap.get(binding.id or "", binding.key)
    return [key.strip() for key in keys.split(",") if key.strip()]


def check_keymap(keymap: Mapping[str, str], owners: Iterable[BindingOwner] = BINDING_OWNERS) -> list[str]:
    """Problems with ``keymap``: unknown ids, and keys given to two bindings active at once.

    The owners' bindings marked ``always`` (the app's and the reader screen's) are active
    everywhere; each other owner adds its bindings while its widget has the focus.
    """
    owners = list(owners)
    always = [b for owner in owners if owner.always for b in owner.bindings]
    scopes = [(owner.name, list(owner.bindings)) for owner in owners if not owner.always]
    known = {b.id for owner in owners for b in owner.bindings if b.id}
    problems = [
        f"[keys] {key_id!r} is not a binding id (see the help screen, '?')."
        for key_id in keymap
        if key_id not in known
    ]
    reported: set[tuple[str, frozenset[str]]] = set()
    for _name, bindings in [("", [])] + scopes:
        owners_of: dict[str, set[str]] = {}
        for binding in always + bindings:
            if binding.id:
                for key in _keys(binding, keymap):
                    owners_of.setdefault(key, set()).add(binding.id)
        for key, ids in owners_of.items():
            if len(ids) > 1 and any(i in keymap for i in ids):
                marker = (key, frozenset(ids))
                if marker not in reported:
                    reported.add(marker)
                    problems.append(f"[keys] {key!r} is given to both {' and '.join(sorted(ids))}.")
    return problems
