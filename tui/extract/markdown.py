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
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from html import escape, unescape
from html.entities import html5 as _NAMED_REFERENCES

import html_to_markdown as h2m
import nh3
from selectolax.lexbor import LexborNode

from tui.extract.html_tree import parse_html
from tui.extract.images import image_alt, image_source
from tui.extract.links import is_local_relative, link_target
from tui.sanitize import SIMPLE_WEB_URL, clean_line, clean_text, is_clean, is_web_url

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
# A "!" that the converter left right before a link would turn that link into an image.
_BANG_LINK = re.compile(r"(?<!\\)!\[")
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

    ``cleaner=False`` only for bare plain markup (see :func:`_plain_markup`), which nh3 would
    give back as it is: allowlisted tags, no attribute but links' checked targets.
    """
    safe = _CLEANER[allow_relative].clean(rebuilt) if cleaner else rebuilt
    markdown = _convert(safe)
    # Each pass only where it can change something (a plain search costs a tenth of a sub()).
    if "![" in markdown:
        markdown = _BANG_LINK.sub(r"\\![", markdown)
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


# Plain article markup — paragraphs, headings, lists, quotes, emphasis and links to pages —
# written so that no HTML parser can read it two ways (every element closed where it opened,
# nothing that closes or moves an element implicitly, no ambiguous character reference) parses
# in nh3 to the very tree the rebuild would write, so the rebuild, a third of the conversion,
# is skipped. Feeds' full text is mostly that. Anything else goes the long way.
_PLAIN_TAG = re.compile(r'<(/?)([a-z][a-z0-9]*)((?:[ \t\n]+[a-z][a-z-]*="[^"<>]*")*)[ \t\n]*(/?)>')
_PLAIN_ATTRIBUTE = re.compile(r'([a-z][a-z-]*)="([^"<>]*)"')
_BARE_HREF = re.compile(r'[ \t\n]+href="[^"<>]*"')
_PLAIN_PHRASING = frozenset(["a", "em", "i", "strong", "b", "code", "sub", "sup", "q", "del", "s", "br"])
_PLAIN_HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
_PLAIN_FLOW = _PLAIN_PHRASING | _PLAIN_HEADINGS | {"p", "ul", "ol", "blockquote"}
_PLAIN_CHILDREN: dict[str | None, frozenset[str]] = {
    None: _PLAIN_FLOW,
    "p": _PLAIN_PHRASING,
    **dict.fromkeys(_PLAIN_HEADINGS, _PLAIN_PHRASING),
    **dict.fromkeys(_PLAIN_PHRASING, _PLAIN_PHRASING),  # and no <a> in an <a>, below
    "ul": frozenset({"li"}),
    "ol": frozenset({"li"}),
    "li": _PLAIN_FLOW,
    "blockquote": _PLAIN_FLOW,
}
_PLAIN_MAX_DEPTH = 64  # well under MAX_DEPTH
# A character reference every HTML parser reads the same way: a name with its ";", a number.
_CHARACTER_REFERENCE = re.compile(r"&(?:#([0-9]{1,7});|#[xX]([0-9a-fA-F]{1,6});|([A-Za-z][A-Za-z0-9]*;))?")
_AMBIGUOUS_AFTER_AMPERSAND = re.compile(r"[A-Za-z0-9#]")
_READ_AS_WINDOWS_1252 = re.compile("[\x80-\x9f]")
_TEXT_IN_A_LIST = re.compile(r"<[uo]l\b[^>]*>\s*[^\s<]|</li>\s*[^\s<]")


def _plain_markup(html: str, base_url: str, allow_relative: bool) -> tuple[str, bool] | None:
    """``html`` as the rebuild would write it when it is plain markup (see above), else None;
    with whether it is *bare*: no attribute at all but the ``href`` of links. Bare plain markup
    is what nh3 would give back (its tags and link targets are checked here against the same
    allowlists), so it skips nh3 too: a sixth of the conversion."""
    html = html.lstrip(" \t\n\f\r")  # what an HTML document's parser drops before the first tag
    if "\r" in html or "\ufeff" in html or not is_clean(html):
        return None  # (what clean_text removes from text, the rebuild removes too)
    if "&" in html and not _plain_references(html):
        return None
    tags = _PLAIN_TAG.findall(html)
    if len(tags) != html.count("<"):
        return None  # a "<" that starts no tag read here: a comment, a doctype, a stray "<"
    stack: list[str | None] = [None]
    in_link = False
    bare = True
    for closing, tag, attributes, self_closing in tags:
        if closing:
            if attributes or self_closing or stack[-1] != tag:
                return None
            stack.pop()
            if tag == "a":
                in_link = False
            continue
        if tag not in _PLAIN_CHILDREN[stack[-1]] or len(stack) > _PLAIN_MAX_DEPTH:
            return None
        if tag == "br":
            continue
        if self_closing:
            return None  # "<p/>" opens a paragraph that never closes
        if tag == "a":
            if in_link or not _plain_href(attributes, base_url, allow_relative):
                return None
            in_link = True
            bare = bare and _BARE_HREF.fullmatch(attributes) is not None
        elif attributes and not _plain_attributes(attributes):
            return None
        elif attributes:
            bare = False
        elif tag in ("ul", "ol") and _TEXT_IN_A_LIST.search(html):
            return None  # text between the items of a list
        stack.append(tag)
    return (html, bare) if len(stack) == 1 else None


def _plain_attributes(attributes: str) -> bool:
    """No attribute the rebuild drops and nh3 would keep (``title``, ``lang`` on any element)."""
    return not any(name in ("title", "lang") for name, _ in _PLAIN_ATTRIBUTE.findall(attributes))


def _plain_href(attributes: str, base_url: str, allow_relative: bool) -> bool:
    """Whether an <a> links where the rebuild would keep its target as written."""
    pairs = _PLAIN_ATTRIBUTE.findall(attributes)
    names = [name for name, _ in pairs]
    if names.count("href") != 1 or len(set(names)) != len(names) or not _plain_attributes(attributes):
        return False
    href = next(value for name, value in pairs if name == "href")
    if "&" in href.replace("&amp;", ""):
        return False
    href = href.replace("&amp;", "&")
    if not href or link_target(href, base_url, allow_relative=allow_relative) != href:
        return False
    # A link that is not simple (userinfo, punycode, an IP address...) may be one that nh3
    # refuses although urllib reads it: such markup takes the long road, through nh3.
    return SIMPLE_WEB_URL.fullmatch(href) is not None or (allow_relative and is_local_relative(href))


def _plain_references(html: str) -> bool:
    """Whether every "&" reads the same in every HTML parser, and what they stand for needs no
    cleaning either."""
    for reference in _CHARACTER_REFERENCE.finditer(html):
        decimal, hexadecimal, name = reference.groups()
        if name is not None:
            if name not in _NAMED_REFERENCES:
                return False
        elif decimal is not None or hexadecimal is not None:
            code = int(decimal, 10) if decimal is not None else int(hexadecimal, 16)
            if not _plain_code_point(code):
                return False
        elif _AMBIGUOUS_AFTER_AMPERSAND.match(html, reference.end()):
            return False  # "&copy" without ";", "&#" without a number: legacy rules
    text = unescape(html)
    return not ("\r" in text or "\ufeff" in text or _READ_AS_WINDOWS_1252.search(text)) and is_clean(text)


def _plain_code_point(code: int) -> bool:
    """A numeric reference that HTML parsers and html.unescape read as that very character:
    not a control (read as Windows-1252 or dropped), a surrogate or a noncharacter."""
    if code in (0x09, 0x0A) or 0x20 <= code <= 0x7E:
        return True
    return (
        0xA0 <= code <= 0x10FFFF
        and not 0xD800 <= code <= 0xDFFF
        and not 0xFDD0 <= code <= 0xFDEF
        and code & 0xFFFE != 0xFFFE
    )


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
