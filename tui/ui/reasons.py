"""Why a source failed, in the UI's language, and a source's status line.

The core gives each failure an English sentence and a reason (:mod:`tui.reasons`: a code and its
parameters), both stored; the reader words the reason in its language from the core's table. A
failure without a reason, or with a code the table lacks (an old row, a newer bladi-tui), is
shown as its stored sentence, never lost.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from tui import reasons as r
from tui.dates import short_date
from tui.lazy_pattern import LazyPattern
from tui.ui.strings import Translator

if TYPE_CHECKING:
    from tui.store.counts import SourceState


def reason_text(reason: str, sentence: str = "", language: str = "fr") -> str:
    """A failure in ``language``, from its stored ``reason``; without one that can be worded
    (an old row, a newer code, a parameter missing), the stored English ``sentence``."""
    return r.worded(reason, sentence, language)


def notice_text(notice: str, language: str = "fr") -> str:
    """An article's notice in ``language``; one stored as a sentence (an old row) as it is."""
    return reason_text(notice, notice, language)


def source_status(state: SourceState, now: datetime, language: str = "fr") -> str:
    """One line: the source, why it failed, when it last answered and what the store keeps of it
    ("Bladi.net : le site refuse… (HTTP 403) — dernière réussite il y a 2 h, 30 articles en
    cache"); "" for a source that answered at its last refresh."""
    if not state.last_error:
        return ""
    t = Translator(language)
    if state.last_fetch:
        when = short_date(datetime.fromtimestamp(state.last_fetch, tz=now.tzinfo), now, language)
        answered = t("source.last_success", when=when)
    else:
        answered = t("source.never_read")
    return t(
        "source.failing",
        name=state.name,
        why=reason_text(state.reason, state.last_error, language),
        details=f"{answered}, {t('source.kept', count=state.count)}",
    )


# Warnings about the user's files (config.toml, state.toml, [keys]) shown in the reader: the
# core's English sentence is "<file>: <key>: <message>." (tui.config) or "[keys] …" (keymap).
_WORDS_FR = {
    "a string": "une chaîne",
    "a table": "une table",
    "true or false": "true ou false",
    "a whole number": "un nombre entier",
    "a finite number": "un nombre fini",
    "an array of strings": "une liste de chaînes",
}
_WARNINGS_FR: list[tuple[LazyPattern, str]] = [
    (LazyPattern(p, re.S), f)
    for p, f in (
        (r"unknown key, ignored", "clé inconnue, ignorée"),
        (r"same source as (.*), ignored", "même source que {1}, ignorée"),
        (r"expected (.*), got (.*?)(; ignored)?", "attendu : {1}, trouvé : {2}{3}"),
        (r"(.*); ignored", "{1} ; ignoré"),
    )
]
_KEYS_FR: list[tuple[LazyPattern, str]] = [
    (
        LazyPattern(r"\[keys\] (.*) is not a binding id \(see the help screen, '\?'\)\."),
        "[keys] {1} n'est pas un identifiant de touche (voir l'aide, « ? »).",
    ),
    (LazyPattern(r"\[keys\] (.*) is given to both (.*)\."), "[keys] {1} est donnée à la fois à {2}."),
]
_FILE_WARNING = LazyPattern(r"(?P<file>[^:]+): (?P<key>[^:]+): (?P<message>.*)\.", re.S)


def warning_text(warning: str, language: str = "fr") -> str:
    """A warning about the user's files in ``language``; an unknown shape is kept as it is."""
    if language != "fr":
        return warning
    for shape, french in _KEYS_FR:
        found = shape.fullmatch(warning)
        if found:
            return french.format("", *(g.replace(" and ", " et ") for g in found.groups()))
    found = _FILE_WARNING.fullmatch(warning)
    if found is None:
        return warning
    message = found["message"]
    for shape, french in _WARNINGS_FR:
        matched = shape.fullmatch(message)
        if matched:
            groups = [_WORDS_FR.get(g, g) if g else "" for g in matched.groups()]
            if french.endswith("{3}") and groups[2]:
                groups[2] = " ; ignoré"
            message = french.format("", *groups)
            break
    return f"{found['file']} : {found['key']} : {message}."
