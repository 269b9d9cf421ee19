"""Why a source or a page failed, as a code and its parameters.

The core words each failure in one English sentence (for the log and the command line) and gives
it a *reason*: a code from this module and the values the sentence was made of. The store keeps
the reason beside the sentence (``sources.last_reason``, an article's ``notice``) as one text,
``code`` or ``code?name=value&…``, so a reader in any language can word it again
(:mod:`tui.ui.reasons`); a text that is not a reason (an old row's sentence) is shown as it is.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode

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

_CODE = re.compile(r"[a-z][a-z_]*")

# The English notice of PAGE_UNAVAILABLE, for the command line (the reader words it itself).
_PAGE_UNAVAILABLE_EN = "Full text unavailable ({sentence}): here is the feed's introduction."


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


def notice_sentence(notice: str) -> str:
    """An article's notice in English (the command line's language); a notice that is not a
    reason (an old row) as it is."""
    code, params = decode(notice)
    if code == PAGE_UNAVAILABLE:
        return _PAGE_UNAVAILABLE_EN.format(sentence=params.get("sentence", ""))
    return notice
