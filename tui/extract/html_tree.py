"""Every HTML document the core parses goes through :func:`parse_html`: nesting within a budget.

An HTML parser checks the elements still open at every start tag (the "scope" rules of the HTML
standard), so its cost grows with the product of the tags and their nesting: a page of
unclosed ``<div>`` costs it the square of its size. Before parsing, a linear scan counts how
deep the markup goes; past :data:`MAX_DEPTH` open elements, further start tags are dropped
(their text stays, one level up), so no page costs more than its size times the budget.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

#: How deeply elements may nest before the parser sees them; real pages stay under a hundred.
MAX_DEPTH = 256

# One tag, up to its ">" or the next "<" (never past it: a "<" left open cannot make the scan
# quadratic). Comments, doctypes and processing instructions do not match.
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/<>]*)[^<>]*?(/?)>")
# Elements that never hold others, and those the parser closes when a sibling starts (a new
# <p> closes the open <p>): neither nests.
_FLAT = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "p",
        "li",
        "dt",
        "dd",
        "option",
        "optgroup",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
        "rb",
        "rt",
        "rp",
        "rtc",
    ]
)


def within_depth(html: str, max_depth: int = MAX_DEPTH) -> str:
    """``html`` with the start tags nested deeper than ``max_depth`` removed (and as many end
    tags); unchanged, and not copied, when it stays within the budget."""
    if html.count("<") <= max_depth:
        return html
    depth = 0
    over = False
    for match in _TAG.finditer(html):
        closing, name, empty = match.groups()
        if empty or name.lower() in _FLAT:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        if depth > max_depth:
            over = True
            break
    if not over:
        return html
    parts: list[str] = []
    kept = 0  # where the text not yet copied starts
    depth = 0
    dropped = 0  # start tags dropped and not yet matched by an end tag
    for match in _TAG.finditer(html):
        closing, name, empty = match.groups()
        if empty or name.lower() in _FLAT:
            continue
        if closing:
            if dropped:
                dropped -= 1
                parts.append(html[kept : match.start()])
                kept = match.end()
            else:
                depth = max(0, depth - 1)
        elif depth >= max_depth:
            dropped += 1
            parts.append(html[kept : match.start()])
            kept = match.end()
        else:
            depth += 1
    parts.append(html[kept:])
    return "".join(parts)


def parse_html(html: str) -> LexborHTMLParser:
    """The parsed document, its nesting within :data:`MAX_DEPTH` (see above)."""
    return LexborHTMLParser(within_depth(html))
