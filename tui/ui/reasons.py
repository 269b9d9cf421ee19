"""Why a source failed, in the UI's language, and a source's status line.

The core gives each failure an English sentence and a reason (:mod:`tui.reasons`: a code and its
parameters), both stored. This is the one place that words a reason in the UI's language: a
table keyed by code. A failure without a reason, or with a code this table lacks (an old row, a
newer bladi-tui), is shown as its stored sentence, never lost.
"""

from __future__ import annotations

import re
from datetime import datetime

from tui import reasons as r
from tui.dates import short_date
from tui.store import SourceState
from tui.ui.strings import Translator

# code -> (French, English); {name} are the reason's parameters.
_WORDS: dict[str, tuple[str, str]] = {
    r.REFUSED_BY_SITE: (
        "le site refuse les lecteurs automatiques (HTTP {status})",
        "the site refuses automated readers (HTTP {status})",
    ),
    r.UNAUTHORIZED: (
        "le site demande une identification (HTTP {status})",
        "the site asks to log in (HTTP {status})",
    ),
    r.FORBIDDEN: ("le site refuse l'accès (HTTP {status})", "the site refuses access (HTTP {status})"),
    r.NOT_FOUND: (
        "adresse introuvable sur le serveur (HTTP {status})",
        "address not found on the server (HTTP {status})",
    ),
    r.GONE: ("le flux n'existe plus (HTTP {status})", "the feed no longer exists (HTTP {status})"),
    r.TOO_MANY_REQUESTS: (
        "le site demande de ralentir (HTTP {status})",
        "the site asks to slow down (HTTP {status})",
    ),
    r.SERVER_ERROR: (
        "le serveur est en difficulté (HTTP {status})",
        "the server is in trouble (HTTP {status})",
    ),
    r.HTTP_STATUS: ("le serveur a répondu HTTP {status}", "the server answered HTTP {status}"),
    r.NAME_NOT_RESOLVED: ("nom de domaine introuvable ({host})", "name not resolved ({host})"),
    r.CONNECTION_REFUSED: ("connexion refusée par {host}", "connection refused by {host}"),
    r.CONNECT_TIMEOUT: (
        "pas de connexion à {host} en {seconds} s",
        "no connection to {host} within {seconds} s",
    ),
    r.READ_TIMEOUT: (
        "le serveur n'a rien envoyé pendant {seconds} s",
        "the server sent nothing for {seconds} s",
    ),
    r.TIMEOUT: ("la requête vers {host} a pris trop de temps", "the request to {host} timed out"),
    r.DEADLINE: ("pas de réponse complète en {seconds} s", "no complete answer within {seconds} s"),
    r.CONNECTION_CUT: ("la connexion à {host} a été coupée", "the connection to {host} was cut"),
    r.INCOMPLETE_ANSWER: (
        "le serveur a fermé la connexion avant la fin de la réponse",
        "the server closed the connection before the answer was complete",
    ),
    r.CERTIFICATE_INVALID: (
        "le certificat de {host} n'est pas valide",
        "the certificate of {host} is not valid",
    ),
    r.TLS_FAILED: ("la connexion sécurisée à {host} a échoué", "the secure connection to {host} failed"),
    r.UNREACHABLE: ("{host} est injoignable (pas de réseau ?)", "{host} is unreachable (no network?)"),
    r.CONNECT_FAILED: ("connexion impossible à {host}", "could not connect to {host}"),
    r.PROXY_REFUSED: ("le proxy a refusé la requête", "the proxy refused the request"),
    r.INVALID_HEADER: (
        "la requête n'a pas pu partir (en-tête invalide)",
        "the request could not be sent (invalid header)",
    ),
    r.REQUEST_FAILED: ("la requête vers {host} a échoué ({error})", "the request to {host} failed ({error})"),
    r.TOO_MANY_REDIRECTS: (
        "trop de redirections (plus de {limit})",
        "too many redirects (more than {limit})",
    ),
    r.REDIRECT_REFUSED: ("redirection refusée ({location})", "redirect refused ({location})"),
    r.NOT_A_WEB_ADDRESS: ("pas une adresse web http(s) : {url}", "not an http(s) web address: {url}"),
    r.OVER_BUDGET: (
        "la source a dépassé son temps de {seconds} s pour une actualisation",
        "the source took longer than its budget of {seconds} s",
    ),
    r.TOO_LARGE: ("la réponse dépasse {size}", "the response exceeded {size}"),
    r.CORRUPT_BODY: (
        "le serveur a envoyé un contenu {coding} corrompu",
        "the server sent a corrupt {coding} body",
    ),
    r.UNSUPPORTED_ENCODING: (
        "encodage du contenu non pris en charge ({coding})",
        "the server sent an unsupported content encoding ({coding})",
    ),
    r.NO_FEED_FOUND: ("aucun flux trouvé sur ce site", "no feed found on this site"),
    r.NOT_A_FEED: ("ce n'est pas un flux RSS, Atom ou JSON Feed", "not an RSS, Atom or JSON Feed"),
    r.NO_ARTICLE_TEXT: ("la page ne contient pas de texte d'article", "the page holds no article text"),
    r.LOCAL_UNREADABLE: ("source locale illisible : {detail}", "local source unreadable: {detail}"),
    r.UNREADABLE_FILES: (
        "{count} fichier(s) illisible(s) : {first}",
        "{count} file(s) could not be read: {first}",
    ),
    r.UNEXPECTED_ERROR: (
        "erreur inattendue en lisant cette source ({error})",
        "unexpected error while reading this source ({error})",
    ),
    r.PAGE_UNAVAILABLE: (
        "Texte complet indisponible ({why}) : voici l'introduction du flux.",
        "Full text unavailable ({why}): here is the feed's introduction.",
    ),
}


def reason_text(reason: str, sentence: str = "", language: str = "fr") -> str:
    """A failure in ``language``, from its stored ``reason``; without one this table words
    (an old row, a newer code, a parameter missing), the stored English ``sentence``."""
    code, params = r.decode(reason)
    words = _WORDS.get(code)
    if words is None:
        return sentence or reason
    if code == r.PAGE_UNAVAILABLE:
        params["why"] = reason_text(params.get("reason", ""), params.get("sentence", ""), language)
    try:
        return words[0 if language == "fr" else 1].format(**params)
    except KeyError:
        return sentence or reason


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
