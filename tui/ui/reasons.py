"""Why a source failed, in the UI's language, and a source's status line.

The core gives each failure one English sentence (tui.net.http, tui.live, tui.refresh). This is
the one place that turns those sentences into the UI's language: a table of their shapes, read in
order. When the pipeline gives reason codes, a table keyed by code takes this one's place; the
callers (sidebar, list header, help) keep asking :func:`reason_text`.
"""

from __future__ import annotations

import re
from datetime import datetime

from tui.dates import short_date
from tui.store import SourceState

# (shape of the English sentence, French sentence with {1}, {2}… for the shape's groups)
_FRENCH: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.S), f)
    for p, f in (
        (
            r"the site refuses automated readers \(HTTP (\d+)\)",
            "le site refuse les lecteurs automatiques (HTTP {1})",
        ),
        (r"the server answered (403)\b(.*)", "le site refuse l'accès (HTTP {1})"),
        (r"the server answered (401)\b(.*)", "le site demande une identification (HTTP {1})"),
        (r"the server answered (404)\b(.*)", "adresse introuvable sur le serveur (HTTP {1})"),
        (r"the server answered (410)\b(.*)", "le flux n'existe plus (HTTP {1})"),
        (r"the server answered (429)\b(.*)", "le site demande de ralentir (HTTP {1})"),
        (r"the server answered (5\d\d)\b(.*)", "le serveur est en difficulté (HTTP {1})"),
        (r"the server answered (\d+)\b(.*)", "le serveur a répondu HTTP {1}"),
        (r"name not resolved \((.*)\)", "nom de domaine introuvable ({1})"),
        (r"connection refused by (.*)", "connexion refusée par {1}"),
        (r"no connection to (.*) within (.*)", "pas de connexion à {1} en {2}"),
        (r"the server sent nothing for (.*)", "le serveur n'a rien envoyé pendant {1}"),
        (r"the request to (.*) timed out", "la requête vers {1} a pris trop de temps"),
        (r"the connection to (.*) was cut", "la connexion à {1} a été coupée"),
        (r"the certificate of (.*?) is not valid(.*)", "le certificat de {1} n'est pas valide{2}"),
        (r"the secure connection to (.*) failed", "la connexion sécurisée à {1} a échoué"),
        (r"(.*) is unreachable \(no network\?\)", "{1} est injoignable (pas de réseau ?)"),
        (r"could not connect to (.*)", "connexion impossible à {1}"),
        (r"the proxy refused the request", "le proxy a refusé la requête"),
        (r"too many redirects \(more than (\d+)\)", "trop de redirections (plus de {1})"),
        (r"redirect to a non-http\(s\) URL refused(.*)", "redirection hors http(s) refusée{1}"),
        (r"the response exceeded (.*)", "la réponse dépasse {1}"),
        (r"the server sent a corrupt (.*) body", "le serveur a envoyé un contenu {1} corrompu"),
        (r"the server sent an unsupported content encoding(.*)", "encodage du contenu non pris en charge{1}"),
        (r"no feed found on this site", "aucun flux trouvé sur ce site"),
        (r"not a feed: the document is an HTML page", "pas un flux : le document est une page HTML"),
        (r"not a feed(.*)", "ce n'est pas un flux RSS, Atom ou JSON Feed"),
        (r"empty document", "document vide"),
        (r"the page holds no article text", "la page ne contient pas de texte d'article"),
        (r"(\d+) file\(s\) could not be read: (.*)", "{1} fichier(s) illisible(s) : {2}"),
        (
            r"unexpected error while reading this source \((.*)\)",
            "erreur inattendue en lisant cette source ({1})",
        ),
    )
]


def reason_text(reason: str, language: str = "fr") -> str:
    """A failure's sentence in ``language``; one the table does not know is shown as it is."""
    if language != "fr":
        return reason
    for shape, french in _FRENCH:
        found = shape.fullmatch(reason.strip())
        if found:
            return french.format("", *found.groups())
    return reason


def source_status(state: SourceState, now: datetime, language: str = "fr") -> str:
    """One line: the source, why it failed, when it last answered and what the store keeps of it
    ("Bladi.net : le site refuse… (HTTP 403) — dernière réussite il y a 2 h, 30 articles en
    cache"); "" for a source that answered at its last refresh."""
    if not state.last_error:
        return ""
    english = language == "en"
    parts = [f"{state.name}{': ' if english else ' : '}{reason_text(state.last_error, language)}"]
    details = []
    if state.last_fetch:
        when = short_date(datetime.fromtimestamp(state.last_fetch, tz=now.tzinfo), now, language)
        details.append(f"last success {when}" if english else f"dernière réussite {when}")
    else:
        details.append("never read yet" if english else "jamais lue")
    details.append(f"{state.count} article(s) kept" if english else f"{state.count} article(s) en cache")
    return parts[0] + " — " + ", ".join(details)


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
_WARNINGS_FR: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.S), f)
    for p, f in (
        (r"unknown key, ignored", "clé inconnue, ignorée"),
        (r"same source as (.*), ignored", "même source que {1}, ignorée"),
        (r"expected (.*), got (.*?)(; ignored)?", "attendu : {1}, trouvé : {2}{3}"),
        (r"(.*); ignored", "{1} ; ignoré"),
    )
]
_KEYS_FR: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"\[keys\] (.*) is not a binding id \(see the help screen, '\?'\)\."),
        "[keys] {1} n'est pas un identifiant de touche (voir l'aide, « ? »).",
    ),
    (re.compile(r"\[keys\] (.*) is given to both (.*)\."), "[keys] {1} est donnée à la fois à {2}."),
]
_FILE_WARNING = re.compile(r"(?P<file>[^:]+): (?P<key>[^:]+): (?P<message>.*)\.", re.S)


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
