"""Key names as people read them ("ctrl+d" → "Ctrl+d", "question_mark" → "?")."""

from __future__ import annotations

from dataclasses import replace

from tui.ui.strings import BINDING_LABELS_EN, TEXTUAL_LABELS_FR
from tui.ui.textual_compat import key_table

_NAMES = {
    "fr": {
        "escape": "Échap",
        "enter": "Entrée",
        "space": "Espace",
        "home": "Début",
        "end": "Fin",
        "shift+tab": "Maj+Tab",
    },
    "en": {
        "escape": "Escape",
        "enter": "Enter",
        "space": "Space",
        "home": "Home",
        "end": "End",
        "shift+tab": "Shift+Tab",
    },
}
_SYMBOLS = {
    "question_mark": "?",
    "slash": "/",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "tab": "Tab",
    "down": "↓",
    "up": "↑",
    "left": "←",
    "right": "→",
}


def format_key(key: str, language: str = "fr") -> str:
    key = key.strip()
    names = _NAMES.get(language, _NAMES["fr"])
    if key in names:
        return names[key]
    if key in _SYMBOLS:
        return _SYMBOLS[key]
    if key.startswith("ctrl+"):
        return "Ctrl+" + key[5:]
    return key


def format_keys(keys: str, language: str = "fr") -> str:
    return " ".join(dict.fromkeys(format_key(k, language) for k in keys.split(",")))


def translate_bindings(language: str, *nodes) -> None:
    """Key hints in the UI's language: French is written in our bindings, English comes by id;
    Textual's own bindings (scrolling, the text fields' editing keys, quitting) are English and
    get French by their description, so the keys panel speaks one language."""
    for node in nodes:
        table = key_table(node)
        for key, bindings in table.items():
            table[key] = [_translated(b, language) for b in bindings]


def _translated(binding, language: str):
    if language == "en":
        return replace(binding, description=BINDING_LABELS_EN.get(binding.id or "", binding.description))
    description = TEXTUAL_LABELS_FR.get(binding.description, binding.description)
    tooltip = TEXTUAL_LABELS_FR.get(binding.tooltip, binding.tooltip)
    if (description, tooltip) == (binding.description, binding.tooltip):
        return binding
    return replace(binding, description=description, tooltip=tooltip)
