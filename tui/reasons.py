"""Why a source or a page failed, as a code and its parameters.

The core words each failure in one English sentence (for the log and the command line) and gives
it a *reason*: a code from this module and the values the sentence was made of. The store keeps
the reason beside the sentence (``sources.last_reason``, an article's ``notice``) as one text,
``code`` or ``code?name=value&…``, so a reader in any language can word it again
(:mod:`tui.ui.reasons`); a text that is not a reason (an old row's sentence) is shown as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode

from tui.lazy_pattern import LazyPattern

# The server answered with an error status; parameter ``status`` (and ``wait`` for 429: how long
# it asked to wait, when longer than the client waits).
REFUSED_BY_SITE = "refused_by_site"  # a challenge page: the site turns automated readers away
UNAUTHORIZED = "unauthorized"  # 401
FORBIDDEN = "forbidden"  # 403 without a challenge page
NOT_FOUND = "not_found"  # 404
GONE = "gone"  # 410
TOO_MANY_REQUESTS = "too_many_requests"  # 429
SERVER_ERROR = "server_error"  # 5xx
HTTP_STATUS = "http_status"  # any other error status
# No usable answer; parameter ``host`` unless said.
NAME_NOT_RESOLVED = "name_not_resolved"
CONNECTION_REFUSED = "connection_refused"
CONNECT_TIMEOUT = "connect_timeout"  # host, seconds
READ_TIMEOUT = "read_timeout"  # seconds: the server sent nothing that long
TIMEOUT = "timeout"
DEADLINE = "deadline"  # seconds: no complete answer within the deadline
CONNECTION_CUT = "connection_cut"
INCOMPLETE_ANSWER = "incomplete_answer"  # no parameter
CERTIFICATE_INVALID = "certificate_invalid"  # host, detail (the verifier's words, maybe "")
TLS_FAILED = "tls_failed"
UNREACHABLE = "unreachable"
CONNECT_FAILED = "connect_failed"
PROXY_REFUSED = "proxy_refused"  # no parameter
INVALID_HEADER = "invalid_header"  # no parameter
REQUEST_FAILED = "request_failed"  # host, error (an exception's class name)
TOO_MANY_REDIRECTS = "too_many_redirects"  # limit
REDIRECT_REFUSED = "redirect_refused"  # location
NOT_A_WEB_ADDRESS = "not_a_web_address"  # url
TOO_LARGE = "too_large"  # size ("8 MiB")
CORRUPT_BODY = "corrupt_body"  # coding
UNSUPPORTED_ENCODING = "unsupported_encoding"  # coding
# The answer came but holds nothing to read.
NO_FEED_FOUND = "no_feed_found"
NOT_A_FEED = "not_a_feed"  # html = "1" when the document is an HTML page
NO_ARTICLE_TEXT = "no_article_text"
# Local sources.
LOCAL_UNREADABLE = "local_unreadable"  # detail
UNREADABLE_FILES = "unreadable_files"  # count, first (the first file and why)
# The source spent its time budget for one refresh (parameter ``seconds``).
OVER_BUDGET = "over_budget"
# Anything else: a bug met on one source's content.
UNEXPECTED_ERROR = "unexpected_error"  # error (an exception's class name)
# An article's notice: its page could not complete a feed's intro. ``reason`` is the page's
# failure (a reason itself), ``sentence`` that failure's English sentence.
PAGE_UNAVAILABLE = "page_unavailable"

CODES = frozenset(
    value for name, value in list(globals().items()) if name.isupper() and isinstance(value, str)
)

_CODE = LazyPattern(r"[a-z][a-z_]*")


def encode(code: str, **params: object) -> str:
    """The stored text of a reason: ``code``, or ``code?name=value&…`` (empty values dropped)."""
    shown = {name: str(value) for name, value in params.items() if value is not None and value != ""}
    return f"{code}?{urlencode(shown)}" if shown else code


def decode(text: str) -> tuple[str, dict[str, str]]:
    """(code, parameters) of a stored reason; ("", {}) for a text that is not one (an old row)."""
    code, _, query = text.partition("?")
    if code not in CODES or not _CODE.fullmatch(code):
        return "", {}
    return code, dict(parse_qsl(query, keep_blank_values=True))


def code_of(text: str) -> str:
    """The code of a stored reason; "" for a text that is not one."""
    return decode(text)[0]


def page_unavailable(reason: str, sentence: str) -> str:
    """The notice of an article whose page could not complete its feed's intro."""
    return encode(PAGE_UNAVAILABLE, reason=reason, sentence=sentence)


# The one wording of each failure: code -> (French, English), {name} being the reason's
# parameters. The English one is the command line's and the log's sentence; the reader words a
# stored reason in its own language from the same entry (tui.ui.reasons).
WORDS: dict[str, tuple[str, str]] = {
    REFUSED_BY_SITE: (
        "le site refuse les lecteurs automatiques (HTTP {status})",
        "the site refuses automated readers (HTTP {status})",
    ),
    UNAUTHORIZED: (
        "le site demande une identification (HTTP {status})",
        "the site asks to log in (HTTP {status})",
    ),
    FORBIDDEN: ("le site refuse l'accès (HTTP {status})", "the site refuses access (HTTP {status})"),
    NOT_FOUND: (
        "adresse introuvable sur le serveur (HTTP {status})",
        "address not found on the server (HTTP {status})",
    ),
    GONE: ("le flux n'existe plus (HTTP {status})", "the feed no longer exists (HTTP {status})"),
    TOO_MANY_REQUESTS: (
        "le site demande de ralentir (HTTP {status})",
        "the site asks to slow down (HTTP {status})",
    ),
    SERVER_ERROR: (
        "le serveur est en difficulté (HTTP {status})",
        "the server is in trouble (HTTP {status})",
    ),
    HTTP_STATUS: ("le serveur a répondu HTTP {status}", "the server answered HTTP {status}"),
    NAME_NOT_RESOLVED: ("nom de domaine introuvable ({host})", "name not resolved ({host})"),
    CONNECTION_REFUSED: ("connexion refusée par {host}", "connection refused by {host}"),
    CONNECT_TIMEOUT: (
        "pas de connexion à {host} en {seconds} s",
        "no connection to {host} within {seconds} s",
    ),
    READ_TIMEOUT: (
        "le serveur n'a rien envoyé pendant {seconds} s",
        "the server sent nothing for {seconds} s",
    ),
    TIMEOUT: ("la requête vers {host} a pris trop de temps", "the request to {host} timed out"),
    DEADLINE: ("pas de réponse complète en {seconds} s", "no complete answer within {seconds} s"),
    CONNECTION_CUT: ("la connexion à {host} a été coupée", "the connection to {host} was cut"),
    INCOMPLETE_ANSWER: (
        "le serveur a fermé la connexion avant la fin de la réponse",
        "the server closed the connection before the answer was complete",
    ),
    CERTIFICATE_INVALID: (
        "le certificat de {host} n'est pas valide",
        "the certificate of {host} is not valid",
    ),
    TLS_FAILED: ("la connexion sécurisée à {host} a échoué", "the secure connection to {host} failed"),
    UNREACHABLE: ("{host} est injoignable (pas de réseau ?)", "{host} is unreachable (no network?)"),
    CONNECT_FAILED: ("connexion impossible à {host}", "could not connect to {host}"),
    PROXY_REFUSED: ("le proxy a refusé la requête", "the proxy refused the request"),
    INVALID_HEADER: (
        "la requête n'a pas pu partir (en-tête invalide)",
        "the request could not be sent (invalid header)",
    ),
    REQUEST_FAILED: ("la requête vers {host} a échoué ({error})", "the request to {host} failed ({error})"),
    TOO_MANY_REDIRECTS: (
        "trop de redirections (plus de {limit})",
        "too many redirects (more than {limit})",
    ),
    REDIRECT_REFUSED: (
        "redirection vers une adresse qui n'est pas web, refusée ({location})",
        "redirect to an address that is not a web address refused ({location})",
    ),
    NOT_A_WEB_ADDRESS: ("pas une adresse web http(s) : {url}", "not an http(s) web address: {url}"),
    OVER_BUDGET: (
        "la source a dépassé son temps de {seconds} s pour une actualisation",
        "the source took longer than its budget of {seconds} s",
    ),
    TOO_LARGE: ("la réponse dépasse {size}", "the response exceeded {size}"),
    CORRUPT_BODY: (
        "le serveur a envoyé un contenu {coding} corrompu",
        "the server sent a corrupt {coding} body",
    ),
    UNSUPPORTED_ENCODING: (
        "encodage du contenu non pris en charge ({coding})",
        "the server sent an unsupported content encoding ({coding})",
    ),
    NO_FEED_FOUND: ("aucun flux trouvé sur ce site", "no feed found on this site"),
    NOT_A_FEED: ("ce n'est pas un flux RSS, Atom ou JSON Feed", "not an RSS, Atom or JSON Feed"),
    NO_ARTICLE_TEXT: ("la page ne contient pas de texte d'article", "the page holds no article text"),
    LOCAL_UNREADABLE: ("source locale illisible : {detail}", "local source unreadable: {detail}"),
    UNREADABLE_FILES: (
        "{count} fichier(s) illisible(s) : {first}",
        "{count} file(s) could not be read: {first}",
    ),
    UNEXPECTED_ERROR: (
        "erreur inattendue en lisant cette source ({error})",
        "unexpected error while reading this source ({error})",
    ),
    PAGE_UNAVAILABLE: (
        "Texte complet indisponible ({why}) : voici l'introduction du flux.",
        "Full text unavailable ({why}): here is the feed's introduction.",
    ),
}

# Parameters a wording need not name, added when given: how long the server asked to wait
# (whatever its status), the verifier's words for a certificate it refused.
_CLAUSES = {
    "wait": (" ; il demande d'attendre {wait}", "; it asks to wait {wait}"),
    "detail": (" ({detail})", " ({detail})"),
}


def sentence(code: str, params: Mapping[str, object], language: str = "en") -> str:
    """The failure ``code`` worded in ``language`` ("fr", else English) with its ``params``.
    KeyError for a code without a wording or a parameter it needs."""
    column = 0 if language == "fr" else 1
    words = WORDS[code][column]
    if code == PAGE_UNAVAILABLE:
        inner = str(params.get("reason", ""))
        params = {**params, "why": worded(inner, str(params.get("sentence", "")), language)}
    text = words.format(**params)
    for name, clause in _CLAUSES.items():
        if params.get(name) and "{" + name + "}" not in words:
            text += clause[column].format(**params)
    return text


def worded(reason: str, fallback: str = "", language: str = "en") -> str:
    """A stored ``reason`` in ``language``; ``fallback`` (the stored sentence, or the reason
    itself) when it is no reason or cannot be worded: an old row, a newer code, a parameter
    missing."""
    code, params = decode(reason)
    try:
        return sentence(code, params, language) if code else fallback or reason
    except KeyError:
        return fallback or reason


def notice_sentence(notice: str) -> str:
    """An article's notice in English (the command line's language); a notice that is not a
    reason (an old row) as it is."""
    return worded(notice, notice)
