"""French full-text search: what the FTS5 index holds, and how a user's words become a query.

The index (``article_search``, an FTS5 table with ``unicode61 remove_diacritics 2``) folds case
and accents itself, so "securite" meets "sécurité". It does not spell out ligatures: "œuvre" is
one token and "oeuvre" another. So text is passed through :func:`fold_for_search` both when it
is indexed and when it is searched for.
"""

from __future__ import annotations

import functools
import json
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
        return _fold_any(text)
    # The table makes the characters that do not fold into one NUL, which no other does.
    folded = latin.translate(_latin_1_folds())
    if b"\x00" in folded:
        return _fold_any(text)
    # "æ" is the one fold of a Latin-1 character longer than it, and the only one a text can
    # lower into ("Æ"): spelled out after the table, as _fold_any does after lowering.
    return folded.replace(b"\xe6", b"ae").decode("latin-1")


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
    if isinstance(tags, str):
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
