"""Untrusted HTML → sanitized Markdown: the only road from a page's markup to an article's text.

Three passes, each with one job:

1. A rebuild over the parsed tree (selectolax/lexbor, which parses any depth without recursion):
   drops scripts, frames, forms and the like with their content, keeps an allowlist of tags and no
   attribute but a link's target, resolves every link and image against the page's address and
   keeps the article's pictures (see :mod:`tui.extract.images`) as links marked with this
   process's secret word, which pass 3 turns into Markdown images (``![alt](src)``): a page
   cannot know the word, so no text of it becomes an image. Elements nested deeper than
   ``MAX_DEPTH`` lose their tag but keep their text: html-to-markdown silently returns nothing
   past about 1,000 levels, and a hostile page must not be able to blank an article that way.
2. nh3, the sanitizer of record, over the rebuilt HTML: a second, independent allowlist, and the
   one that guarantees only http(s) (or, for local files, in-folder relative) links survive.
3. html-to-markdown with its escaping on, so that text which *looks* like Markdown
   (``[x](javascript:y)``, ``**``, ``#``) stays text; then :func:`tui.sanitize.clean_text`.

Plain markup (see :mod:`tui.extract.plain_markup`) skips pass 1, bare plain markup pass 2 too,
and the commonest plain markup all three: its Markdown is written straight from its tags, the
very Markdown the three passes would give.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from html import escape

import html_to_markdown as h2m
import nh3
from selectolax.lexbor import LexborNode

from tui.extract.html_tree import parse_html
from tui.extract.images import image_alt, image_source
from tui.extract.links import link_target
from tui.extract.plain_markup import BANG_LINK, plain_markdown
from tui.extract.plain_markup import plain_markup as _plain_markup
from tui.sanitize import clean_line, clean_text, is_clean, is_web_url

MAX_DEPTH = 128
"""Deepest element that keeps its tag; real articles stay well under 40."""

# Elements whose content is never article text.
_DROPPED = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "form",
        "input",
        "button",
        "select",
        "option",
        "optgroup",
        "textarea",
        "label",
        "fieldset",
        "legend",
        "svg",
        "math",
        "canvas",
        "audio",
        "video",
        "source",
        "track",
        "map",
        "area",
        "head",
        "title",
        "meta",
        "link",
        "base",
        "dialog",
    ]
)
# Elements kept as they are (the rest lose their tag and keep their content).
_KEPT = frozenset(
    [
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "blockquote",
        "pre",
        "code",
        "em",
        "i",
        "strong",
        "b",
        "del",
        "s",
        "sub",
        "sup",
        "q",
        "br",
        "hr",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "caption",
        "dl",
        "dt",
        "dd",
        "figcaption",
    ]
)
# Sectioning elements become <div>: no meaning of their own, but they still separate blocks.
_AS_DIV = frozenset(
    [
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "nav",
        "figure",
        "address",
        "details",
        "summary",
        "center",
    ]
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
    # Its clean-up of navigation and forms finds nothing left by the rebuild (which drops forms
    # and turns sectioning elements into <div>): same output, a twentieth sooner.
    preprocessing=h2m.PreprocessingOptions(enabled=False),
)


def _make_convert():
    """html-to-markdown's ``convert`` with the options above turned into the Rust binding's
    once: ``h2m.convert`` rebuilds them at every call, which is more than half of its time."""
    try:
        from html_to_markdown import _html_to_markdown as binding
        from html_to_markdown.api import _to_rust_conversion_options

        options = _to_rust_conversion_options(_OPTIONS)
        if binding.convert(html="<p>a</p>", options=options, visitor=None).content != (
            h2m.convert("<p>a</p>", _OPTIONS).content
        ):
            raise ValueError("the binding answers differently")
    except Exception:  # another html-to-markdown version: the public API, slower
        return lambda html: h2m.convert(html, _OPTIONS).content or ""
    return lambda html: binding.convert(html=html, options=options, visitor=None).content or ""


_convert = _make_convert()

_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_ESCAPED = re.compile(r"\\(.)")
# What may precede a "-" or "+" that opens a list item or a rule: indentation, quote and list
# markers (CommonMark's: ASCII digits only).
_LINE_START = re.compile(r"(?:[ \t>]+|[-+*][ \t]|[0-9]{1,9}[.)][ \t])*")
# A line that may start with an escaped "-" or "+" (after such markers): a superset, searched in
# the text after a "\n", eight times sooner than a multiline "^" (tried at every character).
_MAYBE_SIGN_AT_LINE_START = re.compile(r"\n[ \t>*+\-0-9.)]*\\[-+]")
_IMAGE_WORD = "img" + secrets.token_hex(8)
_MARKED_IMAGE = re.compile(r"\[" + _IMAGE_WORD + r" ?")


def html_to_markdown(html: str, base_url: str, *, allow_relative: bool = False) -> str:
    """Sanitized Markdown for an HTML document or fragment from ``base_url``.

    Links and images resolve against ``base_url`` and survive only as http(s) URLs; anything else
    keeps its text and loses its target. With ``allow_relative`` (local files) a relative path
    that stays inside the document's folder is kept as written, for the local reader to resolve.
    """
    if not html or not html.strip():
        return ""
    markdown = plain_markdown(html, base_url, allow_relative)
    if markdown is not None:
        return markdown
    return converted_markdown(html, base_url, allow_relative=allow_relative)


def converted_markdown(html: str, base_url: str, *, allow_relative: bool = False) -> str:
    """:func:`html_to_markdown` always through html-to-markdown: what it gives for the markup
    that :func:`~tui.extract.plain_markup.plain_markdown` does not write itself, and the
    reference that writer is proven against (tests/test_plain_markdown.py)."""
    if not html or not html.strip():
        return ""
    plain = _plain_markup(html, base_url, allow_relative)
    if plain is not None:  # already what the rebuild would write: straight to nh3
        markup, bare = plain
        return _sanitized_markdown(markup, allow_relative, cleaner=not bare)
    return node_to_markdown(parse_html(html).body, base_url, allow_relative=allow_relative)


def node_to_markdown(node: LexborNode | None, base_url: str, *, allow_relative: bool = False) -> str:
    """:func:`html_to_markdown` of an element already parsed (the element included)."""
    rebuilt = _rebuild(node, base_url, allow_relative)
    if not rebuilt:
        return ""
    return _sanitized_markdown(rebuilt, allow_relative)


def _sanitized_markdown(rebuilt: str, allow_relative: bool, *, cleaner: bool = True) -> str:
    """Passes 2 and 3: nh3, html-to-markdown, and the clean-up of what it wrote.

    ``cleaner=False`` only for bare plain markup (see :func:`~tui.extract.plain_markup.plain_markup`), which nh3 would
    give back as it is: allowlisted tags, no attribute but links' checked targets.
    """
    safe = _CLEANER[allow_relative].clean(rebuilt) if cleaner else rebuilt
    markdown = _convert(safe)
    # Each pass only where it can change something (a plain search costs a tenth of a sub()).
    if "![" in markdown:
        markdown = BANG_LINK.sub(r"\1\\![", markdown)
    if _IMAGE_WORD in markdown:
        markdown = _MARKED_IMAGE.sub("![", markdown)
    if "\\-" in markdown or "\\+" in markdown:
        markdown = _unescape_signs(markdown)
    if not is_clean(markdown):
        markdown = clean_text(markdown)
    if " \n" in markdown or "\t\n" in markdown:
        markdown = _TRAILING_SPACE.sub("\n", markdown)
    return _BLANK_LINES.sub("\n\n", markdown).strip()


def _unescape_signs(markdown: str) -> str:
    """Drop the converter's escape of a "-" or "+" inside a line ("rendez\\-vous", "2023 \\- 15h00"):
    only at the start of a line can they open a list or a rule. Other escapes stay.

    A French text escapes a hyphen every few words: unless a line starts with one, or a
    backslash is escaped (then escapes are paired one by one), every one goes at once.
    """
    if "\\\\" in markdown or _MAYBE_SIGN_AT_LINE_START.search("\n" + markdown):
        return _ESCAPED.sub(_needed_escape, markdown)
    return markdown.replace("\\-", "-").replace("\\+", "+")


def _needed_escape(match: re.Match[str]) -> str:
    """One escape, as :func:`_unescape_signs` leaves it, by what precedes it on its line."""
    if match.group(1) not in "-+":
        return match.group()
    text, start = match.string, match.start()
    line_start = text.rfind("\n", 0, start) + 1
    return match.group() if _LINE_START.fullmatch(text, line_start, start) else match.group(1)


def _rebuild(root: LexborNode | None, base_url: str, allow_relative: bool) -> str:
    """The allowlisted HTML of ``root`` (``<body>`` and unknown tags keep only their content),
    walked without recursion."""
    if root is None:
        return ""
    out: list[str] = []
    append = out.append
    # Each item: the children still to write, their depth, and their parent's closing tag.
    stack: list[tuple[Iterator[LexborNode], int, str]] = [(iter((root,)), 0, "")]
    while stack:
        children, depth, parent_close = stack[-1]
        node = next(children, None)
        if node is None:
            stack.pop()
            append(parent_close)
            continue
        if node.is_text_node:
            text = node.text_content or ""
            if "\r" in text:  # clean_text's line ends, node by node; the rest of it runs once, below
                text = text.replace("\r\n", "\n").replace("\r", "\n")
            append(
                text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            )  # escape(text, quote=False)
            continue
        if not node.is_element_node:  # comments, doctype
            continue
        tag = node.tag or ""
        if tag in _DROPPED:
            continue
        if tag == "img":
            append(_image_link(node, base_url, allow_relative))
            continue
        open_tag = close_tag = ""
        if tag == "a" and (picture := _only_picture(node)) is not None:
            append(_image_link(picture, base_url, allow_relative, in_link=False))  # the picture, not the link
            continue
        if tag == "a":
            target = link_target(node.attributes.get("href"), base_url, allow_relative=allow_relative)
            if target:
                open_tag, close_tag = f'<a href="{escape(target)}">', "</a>"
        elif depth <= MAX_DEPTH:
            if tag in _VOID:
                append(f"<{tag}>")
                continue
            if tag in _KEPT:
                open_tag, close_tag = f"<{tag}>", f"</{tag}>"
            elif tag in _AS_DIV:
                open_tag, close_tag = "<div>", "</div>"
        if open_tag:
            append(open_tag)
        stack.append((node.iter(include_text=True), depth + 1, close_tag))
    # Text nodes are the only untrusted text here (links and labels are clean already): removing
    # unsafe characters from the whole is removing them from each.
    return clean_text("".join(out))


def _image_link(node: LexborNode, base_url: str, allow_relative: bool, *, in_link: bool | None = None) -> str:
    """A picture as a marked link (an image in pass 3); a local file's picture as a link to it;
    inside a link (links do not nest), its label alone; chrome (pixels, icons), nothing."""
    inside = _in_link(node, base_url, allow_relative) if in_link is None else in_link
    source = image_source(node, base_url)
    if source:
        alt = escape(image_alt(node), quote=False)
        if inside:
            return f" {alt or 'image'} "
        return f' <a href="{escape(source)}">{_IMAGE_WORD} {alt}</a> '
    if not allow_relative:
        return ""
    target = ""
    for name in ("src", "data-src", "data-lazy-src"):
        target = link_target(node.attributes.get(name), base_url, allow_relative=True)
        if target:
            break
    if not target or is_web_url(target):
        return ""
    alt = clean_line(node.attributes.get("alt") or "", 200)
    label = escape(f"image: {alt}" if alt else "image", quote=False)
    if inside:
        return f" {label} "
    return f' <a href="{escape(target)}">{label}</a> '


def _only_picture(anchor: LexborNode) -> LexborNode | None:
    """The one picture a link holds with no text of its own (a thumbnail linking to the full
    size): the picture is shown instead of the link."""
    pictures = anchor.css("img")
    if len(pictures) != 1 or clean_line(anchor.text()):
        return None
    return pictures[0]


def _in_link(node: LexborNode, base_url: str, allow_relative: bool) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == "a":
            return bool(link_target(parent.attributes.get("href"), base_url, allow_relative=allow_relative))
        parent = parent.parent
    return False
