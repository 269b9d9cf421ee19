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
