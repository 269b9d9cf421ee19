"""Plain article markup: how to tell it, and its Markdown written straight from its tags.

Feeds' full text is mostly *plain markup*: paragraphs, headings, lists, quotes, emphasis and
links to pages, written so that every HTML parser reads it one way. :func:`plain_markup` tells
it (then :mod:`tui.extract.markdown` skips its rebuild, and nh3 too for bare markup); for the
commonest part of it, paragraphs and headings of text, emphasis and links, :func:`plain_markdown`
writes the Markdown itself.
"""

from __future__ import annotations

import re
from html import unescape
from html.entities import html5 as _NAMED_REFERENCES

from tui.extract.links import is_local_relative, link_target
from tui.sanitize import SIMPLE_WEB_URL, is_clean, is_printable_text, needs_cleaning

# Plain article markup — paragraphs, headings, lists, quotes, emphasis and links to pages —
# written so that no HTML parser can read it two ways (every element closed where it opened,
# nothing that closes or moves an element implicitly, no ambiguous character reference) parses
# in nh3 to the very tree the rebuild would write, so the rebuild, a third of the conversion,
# is skipped. Feeds' full text is mostly that. Anything else goes the long way.
# A tag's inside: whether it closes, its name, its attributes, whether it closes itself.
_TAG_INSIDE = r'(/?)([a-z][a-z0-9]*)((?:[ \t\n]+[a-z][a-z-]*="[^"<>]*")*)[ \t\n]*(/?)'
_PLAIN_TAG = re.compile("<" + _TAG_INSIDE + ">")
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


def plain_markup(html: str, base_url: str, allow_relative: bool) -> tuple[str, bool] | None:
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


# The Markdown of the commonest plain markup, written here rather than by html-to-markdown: a
# feed's items are converted at every refresh, and that converter was the largest part of a
# fetch worker's work (BENCHMARKS.md, issue 16's fifth round). What is written is what
# html-to-markdown and the clean-up after it (tui.extract.markdown) give for the same markup,
# escapes included: tests/test_plain_markdown.py proves it over feeds, articles and hostile
# strings. Only blocks of text are written: paragraphs and headings at the top, emphasis and
# links inside, each element with some text; the rest of plain markup (lists, quotes, line
# breaks, code, an emphasis inside the same emphasis, a line break in a text...), where that
# converter has rules of its own, takes the road through it.
#
# What the writer adds is written first as a control character, which no clean text holds, and
# kept aside, so that one escape over the whole document touches only its text.
_MARK = "\x01"
_EMPHASIS = {"strong": "**", "b": "**", "em": "*", "i": "*"}
_BLOCK_OPENING = {"p": "", **{f"h{level}": "#" * level + " " for level in range(1, 7)}}
# The tags written without attributes, with whether they close and their name: no regular
# expression to read them.
_BARE_TAGS = {
    f"{closing}{name}": (closing, name) for name in [*_EMPHASIS, *_BLOCK_OPENING] for closing in ("", "/")
}
_TAG = re.compile(_TAG_INSIDE)  # read between a "<" and its ">"
_SIMPLE_HREF = re.compile(r'[ \t\n]+href="([^"<>&()]*)"')
# html-to-markdown's escapes in text: these signs everywhere, "." and ")" after an ASCII digit
# ("1990." could open a numbered list), "-" and "+" only where the clean-up keeps them (at the
# start of a line, where they would open a list).
_ESCAPED_SIGNS = "\\&<`[]>~#=|*_"
_ESCAPED_SIGN = re.compile(r"[\\&<`\[\]>~#=|*_]")
# What may read as a character reference in a link's target, to a Markdown reader.
_REFERENCE_LIKE = re.compile(r"&(?:#|[A-Za-z0-9]+;)")
# A "!" right before a link would make it an image (the clean-up's rule, shared): one not
# escaped, that is after an even number of backslashes (each pair is a backslash of the text).
BANG_LINK = re.compile(r"(?<!\\)((?:\\\\)*)!\[")


def plain_markdown(html: str, base_url: str, allow_relative: bool) -> str | None:
    """The sanitized Markdown of ``html`` when it is plain markup of paragraphs and headings
    (see above), else None: :func:`tui.extract.markdown.html_to_markdown` without the three
    passes."""
    html = html.lstrip(" \t\n\f\r")
    if "\r" in html or "\ufeff" in html:
        return None
    # Printable but its line ends, tabs and no-break spaces (is_printable_text): clean, one
    # test of every character. Its texts' spaces are then " " or those (html-to-markdown turns
    # tabs and every Unicode space into " "): with the latter made " ", a text without two
    # spaces together and without references needs no more than a look at its ends.
    regular = is_printable_text(html)
    if not regular and needs_cleaning(html):
        return None
    spaces = regular and ("\t" in html or "\xa0" in html or "\u202f" in html)
    if "&" in html:
        if not _plain_references(html):
            return None
        regular = False
    chunks = html.split("<")  # each a tag and the text after it, but the first
    if chunks[0]:
        return None
    out: list[str] = []  # the text, and _MARK for each of marks
    append = out.append
    marks: list[str] = []
    mark = marks.append
    block = ""  # the open paragraph or heading
    block_start = content_start = 0  # where it starts in out, and its text
    first_line = False  # a paragraph's text starts a line; a heading's follows its "#"
    # The open emphasis and link; the first ``opened`` of them are written (each is written
    # right before its first text). None of them is open inside the same kind (refused below),
    # so there are three at most.
    open_marks: list[str] = []
    opened = 0
    href = ""
    space = False  # a space is due before the next text
    closed = ""  # the emphasis that was just closed, with nothing after it yet
    for chunk in chunks[1:]:
        end = chunk.find(">")
        bare = _BARE_TAGS.get(chunk[:end]) if end > 0 else None
        if bare is not None:
            closing, tag = bare
            attributes = ""
        else:
            found = _TAG.fullmatch(chunk, 0, end) if end > 0 else None
            if found is None:
                return None  # a "<" that starts no tag read here: a comment, a stray "<"
            closing, tag, attributes, self_closing = found.groups()
            if self_closing or (closing and attributes):
                return None
        text = chunk[end + 1 :]
        if not block:
            if closing or tag not in _BLOCK_OPENING or (attributes and not _plain_attributes(attributes)):
                return None
            block = tag
            block_start = len(out)
            if out:
                append("\n\n")
            if tag != "p":
                append(_MARK)
                mark(_BLOCK_OPENING[tag])
            content_start = len(out)
            first_line = tag == "p"
            space = False
            closed = ""
        elif closing:
            if not open_marks:
                if tag != block or text.strip(" \n"):
                    return None
                if len(out) == content_start:  # no text: html-to-markdown writes nothing
                    if tag != "p":
                        marks.pop()
                    del out[block_start:]
                block = ""
                continue
            if opened < len(open_marks):
                return None  # an element without text: html-to-markdown has rules for its spaces
            emphasis = open_marks.pop()
            opened -= 1
            append(_MARK)
            if emphasis == "[":
                if tag != "a":
                    return None
                mark(f"]({href})")
                closed = ""
            else:
                if _EMPHASIS.get(tag) != emphasis:
                    return None
                mark(emphasis)
                closed = emphasis
        elif tag == "a":
            if "[" in open_marks:
                return None
            simple = _SIMPLE_HREF.fullmatch(attributes)
            if simple is not None and SIMPLE_WEB_URL.fullmatch(simple.group(1)):
                href = simple.group(1)
            elif _plain_href(attributes, base_url, allow_relative):
                href = _href(attributes)
                if "(" in href or ")" in href:
                    return None  # html-to-markdown escapes them when they are not paired
            else:
                return None
            if not href.isascii():
                return None  # html-to-markdown writes such a target percent-encoded
            if "\\" in href or ("&" in href and _REFERENCE_LIKE.search(href)):
                # A Markdown reader decodes these in a target: written as they are, the target
                # read would not be the one checked. html-to-markdown escapes them.
                return None
            open_marks.append("[")
        else:
            emphasis = _EMPHASIS.get(tag, "")
            if not emphasis or emphasis in open_marks or (attributes and not _plain_attributes(attributes)):
                return None
            if emphasis == closed and not space:
                return None  # "<b>a</b><b>b</b>": html-to-markdown writes "**ab**"
            open_marks.append(emphasis)
        if not text:
            continue
        if "\n" in text:
            return None  # html-to-markdown keeps a text's line ends, with rules of its own
        if spaces and ("\t" in text or "\xa0" in text or "\u202f" in text):
            if not text.strip(" \t\xa0\u202f"):
                return None  # spaces but " " between elements: kept as they are
            text = text.replace("\t", " ").replace("\xa0", " ").replace("\u202f", " ")
        if regular and "  " not in text:
            if text == " ":
                space = True
                continue
            start = text[0] == " "
            end_space = text[-1] == " "
            words = text.strip(" ") if start or end_space else text
        else:
            decoded = unescape(text) if "&" in text else text
            if decoded is not text and ("\n" in decoded or "\t" in decoded):
                return None  # a line end or tab from a character reference: kept as it is
            split = decoded.split()  # the spaces html-to-markdown collapses, and no other
            if not split:
                if text.strip(" "):
                    return None  # spaces but " " between elements: kept as they are
                space = True
                continue
            start = decoded[0].isspace()
            end_space = decoded[-1].isspace()
            words = " ".join(split)
        first = len(out) == content_start
        if (space or start) and not first:
            append(" ")
        space = end_space
        if opened < len(open_marks):
            for emphasis in open_marks[opened:]:
                append(_MARK)
                mark(emphasis)
            opened = len(open_marks)
            first = False
        if first and first_line and words[0] in "-+":
            append(_MARK)
            mark("\\")
        append(words)
        closed = ""
    if block:
        return None
    return _escaped("".join(out), marks)


def _escaped(markdown: str, marks: list[str]) -> str:
    """The writer's document with its text escaped as html-to-markdown escapes it, and its marks
    in their places."""
    # One look for each sign (a fast scan in C) costs a fraction of a regular expression's
    # search over the text, and most articles hold none of them.
    if any(sign in markdown for sign in _ESCAPED_SIGNS):
        markdown = _ESCAPED_SIGN.sub(r"\\\g<0>", markdown)
    markdown = _numbered_escaped(markdown)
    if marks:
        pieces: list[str] = [""] * (2 * len(marks) + 1)
        pieces[0::2] = markdown.split(_MARK)
        pieces[1::2] = marks
        markdown = "".join(pieces)
    if "![" in markdown:
        markdown = BANG_LINK.sub(r"\1\\![", markdown)
    return markdown


def _numbered_escaped(markdown: str) -> str:
    """``markdown`` with a backslash before each "." and ")" that follows an ASCII digit."""
    # Split at them (one pass in C), as a search for a digit before them tries every character.
    for sign in ".)":
        if sign in markdown:
            pieces = markdown.split(sign)
            for index in range(len(pieces) - 1):
                if "0" <= pieces[index][-1:] <= "9":
                    pieces[index] += "\\"
            markdown = sign.join(pieces)
    return markdown


def _href(attributes: str) -> str:
    """The target of a link whose attributes :func:`_plain_href` accepted, as written."""
    return next(value for name, value in _PLAIN_ATTRIBUTE.findall(attributes) if name == "href").replace(
        "&amp;", "&"
    )
