"""Key names as people read them ("ctrl+d" → "Ctrl+d", "question_mark" → "?")."""

from __future__ import annotations

_NAMES = {
    "question_mark": "?", "slash": "/", "escape": "Échap", "enter": "Entrée", "space": "Espace",
    "pagedown": "PgDn", "pageup": "PgUp", "home": "Début", "end": "Fin", "tab": "Tab",
    "shift+tab": "Maj+Tab", "down": "↓", "up": "↑", "left": "←", "right": "→",
}


def format_key(key: str) -> str:
    key = key.strip()
    if key in _NAMES:
        return _NAMES[key]
    if key.startswith("ctrl+"):
        return "Ctrl+" + key[5:]
    return key


def format_keys(keys: str) -> str:
    return " ".join(dict.fromkeys(format_key(k) for k in keys.split(",")))


def translate_bindings(language: str, *nodes) -> None:
    """Key hints in the UI's language: French is written in the bindings, English comes by id."""
    if language != "en":
        return
    from dataclasses import replace

    from tui.ui.strings import BINDING_LABELS_EN

    for node in nodes:
        table = node._bindings.key_to_bindings
        for key, bindings in table.items():
            table[key] = [replace(b, description=BINDING_LABELS_EN.get(b.id or "", b.description)) for b in bindings]
