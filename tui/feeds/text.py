"""Feed text to what an article holds: HTML to one line of plain text, HTML or plain text to
sanitized Markdown (through :mod:`tui.extract.markdown` when it can be imported)."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable

from tui.sanitize import clean_text

# Elements whose content is never text to read. An unclosed one runs to the end of the document.
_HIDDEN = re.compile(
    r"<(script|style|noscript|template|iframe|object|svg|math|head)\b[^<>]*>.*?(?:</\1\s*>|\Z)"
    r"|<!--.*?(?:-->|\Z)",
    re.I | re.S,
)
_LINE_BREAK = re.compile(r"<br\b[^<>]*>", re.I)
_BLOCK = re.compile(
    r"</?(?:p|div|li|ul|ol|dl|dt|dd|h[1-6]|blockquote|pre|table|tr|hr|section|article|header|footer"
    r"|aside|nav|figure|figcaption|address|details|summary|main)\b[^<>]*>",
    re.I,
)
_CELL = re.compile(r"</?t[dh]\b[^<>]*>", re.I)
# "[^<>]" and not "[^>]": a "<" with no ">" after it must not make every later "<" scan to the end.
TAG = re.compile(r"<[A-Za-z/!?][^<>]*>")
_BLANK_LINES = re.compile(r"\n\s*\n\s*")


def html_to_text(fragment: str, *, paragraphs: bool = False) -> str:
    """Plain text of an HTML fragment: hidden elements dropped, tags removed, entities decoded.

    One line, whitespace collapsed; with ``paragraphs``, blocks stay apart as blank-line-separated
    paragraphs.
    """
    if "<" in fragment:
        fragment = _HIDDEN.sub(" ", fragment)
        fragment = _LINE_BREAK.sub("\n", fragment)
        fragment = _BLOCK.sub("\n\n", fragment)
        fragment = _CELL.sub(" ", fragment)
        fragment = TAG.sub("", fragment)
    if "&" in fragment:
        fragment = html.unescape(fragment)
    if not paragraphs:
        return clean_text(fragment, multiline=False)
    lines = (clean_text(line, multiline=False) for line in clean_text(fragment).split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


# Every ASCII punctuation that Markdown could read as syntax, entities ("&#x202e;") included.
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_\[\]<>#|~&!])")


def text_to_markdown(text: str) -> str:
    """Plain text as Markdown that shows exactly that text: no link, image or HTML can appear."""
    paragraphs = _BLANK_LINES.sub("\n\n", clean_text(text)).strip()
    return _MARKDOWN_SYNTAX.sub(r"\\\1", paragraphs)


def _fallback_html_to_markdown(fragment: str, base_url: str) -> str:
    """Used while ``tui.extract.markdown`` is unavailable: the text's paragraphs, no links."""
    return text_to_markdown(html_to_text(fragment, paragraphs=True))


# Converters whose result has been through clean_text() and strip() already.
_CLEAN_CONVERTERS: set[Callable[[str, str], str]] = set()


@functools.cache
def _markdown_converter() -> Callable[[str, str], str]:
    try:
        from tui.extract.markdown import html_to_markdown
    except ImportError:
        return _fallback_html_to_markdown
    _CLEAN_CONVERTERS.add(html_to_markdown)
    return html_to_markdown


def to_markdown(fragment: str, base_url: str) -> str:
    convert = _markdown_converter()
    try:
        markdown = convert(fragment, base_url)
    except Exception:  # a converter's failure on one hostile entry must not lose the whole feed
        markdown = _fallback_html_to_markdown(fragment, base_url)
    else:
        if convert in _CLEAN_CONVERTERS:
            return markdown
    return clean_text(markdown).strip()


def warm_up() -> None:
    """Import and build the converter, so that the first feed read pays nothing more."""
    _markdown_converter()
