"""Sniffing: what a document is, from its first bytes, before any parser reads it."""

from __future__ import annotations

import codecs
import re

SNIFF_BYTES = 65536
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)


def charset_of(content_type: str) -> str:
    """The charset a Content-Type names, or ""."""
    found = _CHARSET.search(content_type)
    return found.group(1) if found else ""


def looks_like_feed(data: bytes, content_type: str = "") -> bool:
    """A cheap guess, without parsing: an RSS, RDF or Atom root element, or a JSON Feed."""
    if not data:
        return False
    head = sniff_text(data)
    if head.lstrip().startswith("{"):
        return b"jsonfeed.org" in data or "jsonfeed.org" in head or "feed+json" in content_type.lower()
    root = root_element(head)
    return root is not None and root.rpartition(":")[2].lower() in ("rss", "rdf", "feed")


def sniff_text(data: bytes) -> str:
    """The start of the document as text, good enough to read its markup (not its words)."""
    head = data[:SNIFF_BYTES]
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, "replace")
    for pattern, codec in _NUL_PATTERNS:
        if head.startswith(pattern):
            return head.decode(codec, "replace")
    # Markup is ASCII in every encoding we may meet here; latin-1 never fails to decode.
    return head.decode("latin-1")


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM it starts with
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_NUL_PATTERNS = (  # "<" or "<?" in UTF-32 and UTF-16 without a BOM (XML 1.0, appendix F)
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)
_ELEMENT_NAME = re.compile(r"[A-Za-z_][\w.:-]*")


def root_element(head: str) -> str | None:
    """The name of the first element after the prolog (declaration, comments, doctype), or None."""
    i, n = 0, len(head)
    while i < n:
        if head[i].isspace():
            i += 1
        elif head.startswith("<?", i):
            i = _after(head, "?>", i + 2)
        elif head.startswith("<!--", i):
            i = _after(head, "-->", i + 4)
        elif head[i : i + 9].upper() == "<!DOCTYPE":
            bracket, close = head.find("[", i), head.find(">", i)
            if 0 <= bracket < close:  # an internal subset may hold ">" in its declarations
                close = head.find("]", bracket)
                close = -1 if close < 0 else head.find(">", close)
            i = -1 if close < 0 else close + 1
        elif head[i] == "<":
            match = _ELEMENT_NAME.match(head, i + 1)
            return match.group() if match else None
        else:
            return None
        if i < 0:
            return None
    return None


def _after(text: str, marker: str, start: int) -> int:
    found = text.find(marker, start)
    return -1 if found < 0 else found + len(marker)
