"""French full-text search: what the FTS5 index holds, and how a user's words become a query.

The index (``article_search``, an FTS5 table with ``unicode61 remove_diacritics 2``) folds case
and accents itself, so "securite" meets "sécurité". It does not spell out ligatures: "œuvre" is
one token and "oeuvre" another. So text is passed through :func:`fold_for_search` both when it
is indexed and when it is searched for.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence


def fold_for_search(text: str) -> str:
    """Text as the index sees it: lowercased, ligatures spelled out; accents are left to FTS5.

    NFKC also turns typographic forms ("ﬁ", full-width letters) into plain ones; lone
    surrogates (which SQLite cannot store) become U+FFFD; NUL, which ends an FTS5 query string
    early, becomes a space (other control characters already separate words for FTS5). A change
    here must come with a migration that indexes every article again.
    """
    if text.isascii():  # NFKC leaves ASCII as it is, and it holds no ligature nor surrogate
        return text.lower().replace("\x00", " ")
    try:
        latin = text.encode("latin-1")
    except UnicodeEncodeError:
        return _fold_typeset(text)
    # The table makes the characters that do not fold into one NUL, which no other does.
    folded = latin.translate(_latin_1_folds())
    if b"\x00" in folded:
        return _fold_any(text)
    # "æ" is the one fold of a Latin-1 character longer than it, and the only one a text can
    # lower into ("Æ"): spelled out after the table, as _fold_any does after lowering.
    return folded.replace(b"\xe6", b"ae").decode("latin-1")


# The typographic signs of French text beyond Latin-1, as NFKC and lower() fold each (a
# Latin-1 text), and those each folds into itself. Like Latin-1's, none composes with another
# character under NFKC, nor changes another's lowering: a text of them and of Latin-1 folds
# character by character (tests/test_store.py holds both roads to the same words).
_TYPESET_FOLDS = (("\u2026", "..."), ("\u202f", " "), ("\u2009", " "), ("\u0153", "oe"), ("\u0152", "oe"))
_TYPESET_KEPT = "\u2019\u2018\u201c\u201d\u2013\u2014\u20ac\u2022"  # ’ ‘ “ ” – — € •


def _fold_typeset(text: str) -> str:
    """:func:`fold_for_search` of a text beyond Latin-1: by the Latin-1 table when all it holds
    beyond Latin-1 is typographic signs (a French text typeset with "’", "œ" or a narrow
    no-break space), else by :func:`_fold_any`."""
    original = text
    for sign, fold in _TYPESET_FOLDS:
        text = text.replace(sign, fold)  # the very string back when it holds none
    # Each sign kept stands in the table's text for one of the Latin-1 characters the table
    # makes NUL ("¼", "µ"...; the text must hold none of those it takes), put back after.
    kept = [
        (sign, stand_in) for sign, stand_in in zip(_TYPESET_KEPT, _stand_ins(), strict=True) if sign in text
    ]
    for sign, stand_in in kept:
        if stand_in in text:
            return _fold_any(original)
        text = text.replace(sign, stand_in)
    try:
        latin = text.encode("latin-1")
    except UnicodeEncodeError:  # Arabic, Tifinagh, other signs...
        return _fold_any(original)
    folded = latin.translate(_typeset_folds("".join(stand_in for _, stand_in in kept)))
    if b"\x00" in folded:
        return _fold_any(original)
    text = folded.replace(b"\xe6", b"ae").decode("latin-1")
    for sign, stand_in in kept:
        text = text.replace(stand_in, sign)
    return text


@functools.cache
def _stand_ins() -> str:
    """The Latin-1 characters the table makes NUL, as many as the signs kept (there are eight);
    none of them is the fold of another character."""
    table = _latin_1_folds()
    return "".join(chr(code) for code in range(1, 256) if not table[code])[: len(_TYPESET_KEPT)]


@functools.cache
def _typeset_folds(stand_ins: str) -> bytes:
    """The Latin-1 table, with ``stand_ins`` folding into themselves."""
    table = bytearray(_latin_1_folds())
    for stand_in in stand_ins:
        table[ord(stand_in)] = ord(stand_in)
    return bytes(table)


def _fold_any(text: str) -> str:
    """:func:`fold_for_search` of any text."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = unicodedata.normalize("NFKC", text).lower()
    # str.replace, not str.translate: much faster on a long body (BENCHMARKS.md).
    return text.replace("œ", "oe").replace("æ", "ae").replace("\x00", " ")


@functools.cache
def _latin_1_folds() -> bytes:
    """A table for bytes.translate: the fold of each Latin-1 character that folds into one other
    (NUL's is a space), and NUL for those that do not ("¼", "µ", "¨"...: NFKC makes them
    several or other characters).

    A text made only of the former folds character by character: none of them composes with
    another under NFKC, and lower() reads no context but for a capital sigma. So a Latin-1 text
    (a French one without typographic quotes) is folded by a table in C, where NFKC's check and
    lower() look every character up in Unicode's tables.
    """
    table = bytearray(256)
    for code in range(256):
        folded = _fold_any(chr(code)).replace("ae", "\xe6")
        if len(folded) == 1 and 0 < ord(folded) < 256:
            table[code] = ord(folded)
    return bytes(table)


def search_columns(
    title: str, lead: str, body: str, summary: str, tags: Sequence[str] | str, author: str
) -> tuple[str, str, str, str]:
    """The four indexed columns of an article: title, body (lead, body, summary), tags, author."""
    if isinstance(tags, str):  # as the store keeps them (JSON): a row read back from it
        import json  # so not imported before the reader's first frame

        tags = json.loads(tags or "[]")
    text = "\n\n".join(part for part in (lead, body, summary) if part)
    return (
        fold_for_search(title),
        fold_for_search(text),
        fold_for_search(" ; ".join(tags)),
        fold_for_search(author),
    )


def register_functions(db) -> None:
    """The folding above as SQL functions, for the trigger that takes a deleted article out of
    the index: a contentless FTS5 table forgets a row only when given the very values it
    indexed (schema version 6). Every connection to a store needs them."""
    db.create_function("bladi_fold", 1, lambda text: fold_for_search(text or ""), deterministic=True)
    db.create_function(
        "bladi_fold_body",
        3,
        lambda lead, body, summary: search_columns("", lead or "", body or "", summary or "", (), "")[1],
        deterministic=True,
    )
    db.create_function(
        "bladi_fold_tags",
        1,
        lambda tags: search_columns("", "", "", "", tags or "[]", "")[2],
        deterministic=True,
    )


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression for what a user typed, or None when it holds no word.

    Every whitespace-separated token becomes a quoted phrase with a prefix star, so that
    ``l'économie``, ``sécurité-énergie``, ``AND``, ``NEAR``, ``"`` or ``(`` are only words, and
    ``secur`` finds "sécurité". Tokens are ANDed (FTS5's implicit operator).
    """
    phrases = []
    for token in fold_for_search(query).split():
        if not any(char.isalnum() for char in token):
            continue  # punctuation alone: FTS5 would find no token in it anyway
        phrases.append('"' + token.replace('"', '""') + '"*')
    return " ".join(phrases) or None
