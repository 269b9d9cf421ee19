"""The one sanitizer every untrusted string passes through.

Rich and Textual strip only a handful of control characters, so ESC, CSI, OSC (clipboard writes,
hyperlinks, window titles), C1 controls and bidi overrides in a title or body would reach the
user's terminal as live sequences. Feed parsers and HTML converters also turn character
references such as ``&#27;`` into those raw characters, so this runs *after* parsing and after
HTML→Markdown conversion, at the point where text enters the core.

Arabic, Tifinagh and every other script pass through untouched: only the characters below go.
"""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from tui.lazy_pattern import LazyPattern

# C0 except tab and newline, DEL, C1, the Arabic letter mark, LRM/RLM, the bidi embeddings and
# overrides (U+202A–U+202E) and isolates (U+2066–U+2069). Also the line/paragraph separators,
# which some terminals treat as newlines in the middle of a row, the deprecated format controls
# U+206A–U+206F (shaping and digit-form switches that hide or reorder text) and the Unicode TAG
# characters U+E0000–U+E007F (invisible: a second, hidden text riding on a visible one).
_UNSAFE_CHARACTERS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u206f\U000e0000-\U000e007f"
)
_UNSAFE = LazyPattern(f"[{_UNSAFE_CHARACTERS}]")
_CRLF = LazyPattern("\r\n?")
# Lone surrogates (from "\ud800" in JSON) cannot be encoded to UTF-8: the store and the
# terminal would fail on them, so they become the replacement character.
_SURROGATES = LazyPattern("[\ud800-\udfff]")
_SPACES = LazyPattern(r"\s+")
# Any character that one of the passes below would change: most text has none, and one search
# costs a third of the three substitutions (a refresh cleans tens of megabytes).
_NEEDS_CLEANING = LazyPattern(f"[\r{_UNSAFE_CHARACTERS}\ud800-\udfff]")
# An absolute http(s) URL that urlsplit reads with that scheme and a host, and that urljoin
# gives back unchanged: a lowercase scheme, a plain host, no userinfo, no ";" (path
# parameters), no empty query or fragment, no space or backslash. Nearly every link in a feed.
# Its group "host" is what urlsplit(url).hostname would give, but for case. Nothing a browser,
# httpx or nh3 may refuse is simple: the host's last label starts with a letter (one that is a
# number makes the host an IPv4 address to them, see is_web_url), no label is punycode ("xn--",
# whose validity takes IDNA to tell), the port is at most 65535.
SIMPLE_WEB_URL = LazyPattern(
    r"https?://(?![^/?#]*[xX][nN]--)(?P<host>(?:[A-Za-z0-9-]*\.)*[A-Za-z][A-Za-z0-9-]*\.?)"
    r"(?::(?:[0-5]?[0-9]{1,4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?"
    r"(?:/[^\s?#;\\\x00-\x1f\x7f]*)?(?:\?[^\s#;\\\x00-\x1f\x7f]+)?"
    r"(?:#[^\s\\\x00-\x1f\x7f]+)?"
)

# The same with a dotted-decimal IPv4 address for host (no octet over 255, no leading zero):
# what is_web_url's slower road accepts too (a feed served from an address, a local network).
_SIMPLE_IPV4_URL = LazyPattern(
    r"https?://(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}"
    r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
    r"(?::(?:[0-5]?[0-9]{1,4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?"
    r"(?:/[^\s?#;\\\x00-\x1f\x7f]*)?(?:\?[^\s#;\\\x00-\x1f\x7f]+)?"
    r"(?:#[^\s\\\x00-\x1f\x7f]+)?"
)

SAFE_SCHEMES = ("http", "https")
# A host label that makes the host an IPv4 address to a browser (WHATWG: "ends in a number").
# Only a dotted-decimal address is accepted then; the shorthands browsers also read ("127.1",
# "0x7f.1", "010.0.0.1") are refused, on the safe side.
_NUMBER_LABEL = LazyPattern(r"[0-9]+|0[xX][0-9A-Fa-f]*")


def clean_text(value: object, *, multiline: bool = True) -> str:
    """Return ``value`` as a string without any character that could drive a terminal.

    Carriage returns become newlines first, so Windows line ends survive as line ends.
    With ``multiline=False`` all whitespace runs collapse to one space (titles, tags, names).
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if not is_clean(text):
        text = _CRLF.sub("\n", text)
        text = _UNSAFE.sub("", text)
        text = _SURROGATES.sub("\ufffd", text)
    if not multiline:
        text = " ".join(text.split())  # str.split's whitespace is \s's: a third of a sub()'s time
    return text


def is_clean(text: str) -> bool:
    """``clean_text(text) == text``, without building the cleaned copy."""
    # Every character clean_text changes is one str.isprintable() refuses (a control, a format
    # character, a line or paragraph separator, a surrogate; tests/test_sanitize.py checks them
    # all). That test runs in C; the search of a character class is many times slower.
    return is_printable_text(text) or not needs_cleaning(text)


def needs_cleaning(text: str) -> bool:
    """``clean_text(text) != text``: the search :func:`is_clean` makes of a text that
    :func:`is_printable_text` refused, for a caller that has asked that already."""
    return _NEEDS_CLEANING.search(text) is not None


def is_printable_text(text: str) -> bool:
    """Whether every character of ``text`` is printable (str.isprintable) but its line ends, tabs
    and no-break spaces: then it holds no control character (C0 or C1), format character,
    separator or surrogate."""
    # str.replace gives the very string back, without a copy, when it holds nothing to replace.
    return (
        text.replace("\n", " ").replace("\t", " ").replace("\xa0", " ").replace("\u202f", " ").isprintable()
    )


def clean_line(value: object, limit: int = 2000) -> str:
    """One line of untrusted text (a title, a tag, an author), cut at ``limit`` characters."""
    text = clean_text(value, multiline=False)
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


# A feed item's link is judged again and again on its way to the store (joined to its base,
# resolved, keyed by its source twice, asked whether its page is to be read): each URL is
# matched once, where a match of the patterns above costs far more than a lookup. Only URLs of
# a link's usual length are remembered, so that hostile ones cannot fill the memory.
_URLS_REMEMBERED = 4096
_REMEMBERED_URL_LENGTH = 2048


def is_simple_web_url(url: str) -> bool:
    """Whether ``url`` is a :data:`SIMPLE_WEB_URL`, as its ``fullmatch`` says."""
    if len(url) > _REMEMBERED_URL_LENGTH:
        return SIMPLE_WEB_URL.fullmatch(url) is not None
    return _remembered_is_simple_web_url(url)


@functools.lru_cache(maxsize=_URLS_REMEMBERED)
def _remembered_is_simple_web_url(url: str) -> bool:
    return SIMPLE_WEB_URL.fullmatch(url) is not None


def is_web_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host: the only links remote content may carry."""
    if len(url) > _REMEMBERED_URL_LENGTH:
        return _is_web_url(url)
    return _remembered_is_web_url(url)


def _is_web_url(url: str) -> bool:
    if is_simple_web_url(url) or _SIMPLE_IPV4_URL.fullmatch(url):
        return True
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError when out of range
    except ValueError:
        return False
    host = parts.hostname
    if parts.scheme.lower() not in SAFE_SCHEMES or not host:
        return False
    # A host whose last label is a number is read as an IPv4 address by browsers (the WHATWG URL
    # standard) and by nh3, which drop the link when it is not one: "1.2.3.999", "e.ma.123".
    last = host.rstrip(".").rpartition(".")[2]
    if ":" not in host and _NUMBER_LABEL.fullmatch(last):
        import ipaddress

        try:
            ipaddress.IPv4Address(host.rstrip("."))
        except ValueError:
            return False
    return True


_remembered_is_web_url = functools.lru_cache(maxsize=_URLS_REMEMBERED)(_is_web_url)


def clean_url(value: object) -> str:
    """A URL with unsafe characters and surrounding spaces removed (not yet judged by scheme)."""
    return _SPACES.sub("", clean_text(value))
