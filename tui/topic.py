"""What the article list shows: a view, a source, a rubrique, a tag or a search's results, and the
folding that makes two spellings of a rubrique or a tag one.

Apart from the articles (:mod:`tui.model`, which re-exports these): the reader's first frame
lists a topic and needs no article's model.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal


def fold(text: str) -> str:
    """Case- and accent-insensitive key: "Société" and "societe" meet; œ and æ are spelled out."""
    text = text.casefold().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


TopicKind = Literal["all", "unread", "saved", "source", "rubrique", "tag", "search"]


@dataclass(frozen=True, slots=True)
class Topic:
    """What the article list shows: a view, a source, a rubrique, a tag (``key`` is folded) or
    the results of a search (``key`` is the query as typed)."""

    kind: TopicKind = "all"
    key: str = ""
    label: str = ""

    @classmethod
    def of(cls, kind: TopicKind, label: str = "") -> Topic:
        return cls(kind, fold(label) if kind in ("rubrique", "tag") else label, label)


ALL = Topic("all")
