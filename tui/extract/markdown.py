"""Untrusted HTML → sanitized Markdown: the only road from a page's markup to an article's text.

Three passes, each with one job:

1. A rebuild over the parsed tree (selectolax/lexbor, which parses any depth without recursion):
   drops scripts, frames, forms and the like with their content, keeps an allowlist of tags and no
   attribute but a link's target, resolves every link and image against the page's address and
   turns images into plain links (``[image: alt](src)``). Elements nested deeper than
   ``MAX_DEPTH`` lose their tag but keep their text: html-to-markdown silently returns nothing
   past about 1,000 levels, and a hostile page must not be able to blank an article that way.
2. nh3, the sanitizer of record, over the rebuilt HTML: a second, independent allowlist, and the
   one that guarantees only http(s) (or, for local files, in-folder relative) links survive.
3. html-to-markdown with its escaping on, so that text which *looks* like Markdown
   (``[x](javascript:y)``, ``**``, ``#``) stays text; then :func:`tui.sanitize.clean_text`.
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import unquote, urljoin, urlsplit

import html_to_markdown as h2m
import nh3
from selectolax.lexbor import LexborHTMLParser, LexborNode

from tui.sanitize import clean_line, clean_text, is_web_url

MAX_DEPTH = 128
"""Deepest element that keeps its tag; real articles stay well under 40."""

# Elements whose content is never article text.
_DROPPED = frozenset(
    """script style noscript template iframe frame frameset object embed applet form input button
    select option optgroup textarea label fieldset legend svg math canvas audio video source track
    map area head title meta link base dialog""".split()
)
# Elements kept as they are (the rest lose their tag and keep their content).
_KEPT = frozenset(
    """p h1 h2 h3 h4 h5 h6 ul ol li blockquote pre code em i strong b del s sub sup q br hr
    table thead tbody tfoot tr th td caption dl dt dd figcaption""".split()
)
# Sectioning elements become <div>: no meaning of their own, but they still separate blocks.
_AS_DIV = frozenset(
    """div section article main header footer aside nav figure address details summary center""".split()
)
_VOID = frozenset({"br", "hr"})

_CLEANER = {
    allow_relative: nh3.Cleaner(
        tags=set(_KEPT | {"a", "div"}),
        clean_content_tags={"script", "style"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        url_relative="pass_through" if allow_relative else "deny",
        link_rel=None,
        strip_comments=True,
    )
    for allow_relative in (False, True)
}

_OPTIONS = h2m.ConversionOptions(
    extract_metadata=False,
    # Text that looks like Markdown stays text: "[x](javascript:y)", "**", "# " in a sentence.
    escape_misc=True,
    escape_asterisks=True,
    escape_underscores=True,
    autolinks=False,
    heading_style="atx",
    bullets="-",
    newline_style="backslash",
    include_blockquote_citations=False,
    expand_abbreviations=False,
    inline_data_media="drop_element",
    skip_images=True,
)

_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
# A "!" that the converter left right before a link would turn that link into an image.
_BANG_LINK = re.compile(r"(?<!\\)!\[")
_ESCAPED = re.compile(r"\\(.)")
# What may precede a "-" or "+" that opens a list item or a rule: indentation, quote and list markers.
_LINE_START = re.compile(r"(?:[ \t>]+|[-+*][ \t]|\d{1,9}[.)][ \t])*")
_URL_STRIP = re.compile(r"[\t\n\r]")


def html_to_markdown(html: str, base_url: str, *, allow_relative: bool = False) -> str:
    """Sanitized Markdown for an HTML document or fragment from ``base_url``.

    Links and images resolve against ``base_url`` and survive only as http(s) URLs; anything else
    keeps its text and loses its target. With ``allow_relative`` (local files) a relative path
    that stays inside the document's folder is kept as written, for the local reader to resolve.
    """
    if not html or not html.strip():
        return ""
    return node_to_markdown(LexborHTMLParser(html).body, base_url, allow_relative=allow_relative)


def node_to_markdown(node: LexborNode | None, base_url: str, *, allow_relative: bool = False) -> str:
    """:func:`html_to_markdown` of an element already parsed (the element included)."""
    rebuilt = _rebuild(node, base_url, allow_relative)
    if not rebuilt:
        return ""
    safe = _CLEANER[allow_relative].clean(rebuilt)
    markdown = h2m.convert(safe, _OPTIONS).content or ""
    markdown = _BANG_LINK.sub(r"\\![", markdown)
    markdown = _ESCAPED.sub(_needed_escape, markdown)
    markdown = clean_text(markdown)
    markdown = _TRAILING_SPACE.sub("\n", markdown)
    return _BLANK_LINES.sub("\n\n", markdown).strip()


def _needed_escape(match: re.Match[str]) -> str:
    """Drop the converter's escape of a "-" or "+" inside a line ("rendez\\-vous", "2023 \\- 15h00"):
    only at the start of a line can they open a list or a rule. Other escapes stay."""
    if match.group(1) not in "-+":
        return match.group()
    text, start = match.string, match.start()
    line_start = text.rfind("\n", 0, start) + 1
    return match.group() if _LINE_START.fullmatch(text, line_start, start) else match.group(1)


def link_target(href: str | None, base_url: str, *, allow_relative: bool = False) -> str:
    """Where a link from a page at ``base_url`` may point: an absolute http(s) URL, or with
    ``allow_relative`` an in-folder relative path; ``""`` for anything else."""
    if not href:
        return ""
    href = _URL_STRIP.sub("", clean_text(href)).strip().replace(" ", "%20")
    if not href or href.startswith("#"):
        return ""
    if allow_relative and _is_local_relative(href):
        return href
    try:
        url = urljoin(base_url, href)
    except ValueError:
        return ""
    return url if is_web_url(url) else ""


def _is_local_relative(href: str) -> bool:
    try:
        parts = urlsplit(href)
    except ValueError:
        return False
    path = unquote(parts.path).replace("\\", "/")
    if parts.scheme or parts.netloc or not path or path.startswith("/"):
        return False
    return ".." not in path.split("/")


def _rebuild(root: LexborNode | None, base_url: str, allow_relative: bool) -> str:
    """The allowlisted HTML of ``root`` (``<body>`` and unknown tags keep only their content),
    walked without recursion."""
    if root is None:
        return ""
    out: list[str] = []
    # Items are (node, depth) to enter, or a closing tag (str) to write.
    stack: list[tuple[LexborNode, int] | str] = [(root, 0)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        node, depth = item
        if node.is_text_node:
            out.append(escape(clean_text(node.text_content or ""), quote=False))
            continue
        if not node.is_element_node:  # comments, doctype
            continue
        tag = node.tag or ""
        if tag in _DROPPED:
            continue
        if tag == "img":
            out.append(_image_link(node, base_url, allow_relative))
            continue
        open_tag = close_tag = ""
        if tag == "a":
            target = link_target(node.attributes.get("href"), base_url, allow_relative=allow_relative)
            if target:
                open_tag, close_tag = f'<a href="{escape(target)}">', "</a>"
        elif depth <= MAX_DEPTH:
            if tag in _VOID:
                out.append(f"<{tag}>")
                continue
            if tag in _KEPT:
                open_tag, close_tag = f"<{tag}>", f"</{tag}>"
            elif tag in _AS_DIV:
                open_tag, close_tag = "<div>", "</div>"
        if open_tag:
            out.append(open_tag)
            stack.append(close_tag)
        children = list(node.iter(include_text=True))
        children.reverse()
        stack.extend((child, depth + 1) for child in children)
    return "".join(out)


def _image_link(node: LexborNode, base_url: str, allow_relative: bool) -> str:
    """An image as a link to it, or as its label alone inside a link (links do not nest)."""
    attrs = node.attributes
    target = ""
    for name in ("src", "data-src", "data-lazy-src"):
        target = link_target(attrs.get(name), base_url, allow_relative=allow_relative)
        if target:
            break
    if not target:
        return ""
    alt = clean_line(attrs.get("alt") or "", 200)
    label = escape(f"image: {alt}" if alt else "image", quote=False)
    if _in_link(node, base_url, allow_relative):
        return f" {label} "
    return f' <a href="{escape(target)}">{label}</a> '


def _in_link(node: LexborNode, base_url: str, allow_relative: bool) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == "a":
            return bool(link_target(parent.attributes.get("href"), base_url, allow_relative=allow_relative))
        parent = parent.parent
    return False
