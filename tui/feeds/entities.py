"""Feeds whose only entities are the five of XML and character references.

A feed never needs a DTD, and every entity it declares is an expansion waiting to happen:
expat expands megabytes of a "billion laughs" before its amplification guard stops it, and
feedparser's ``replace_doctype()`` lifts any ``<!ENTITY>`` line of the prolog, even one inside a
comment, into a subset of its own that its loose parser then expands without any limit.

:func:`only_xml_entities` gives feedparser a document in which nothing can be declared and
nothing is left to expand:

- the prolog keeps the XML declaration (and a byte order mark) and loses the rest: the DOCTYPE
  with its internal subset, comments, other processing instructions, stray declarations;
- every other entity reference becomes what it stands for without any declaration: an HTML
  entity (``&eacute;``, which feeds use undeclared) its character reference, any other name
  itself as text (``&amp;a;``, as feedparser's loose parser shows an unknown one). The document
  is then well-formed, and may be read by lxml (:mod:`tui.sources.feed_fast`), whose memory is
  linear in the document, rather than by feedparser, which keeps a string per reference.

It works on bytes in any encoding where markup is ASCII (UTF-8, Latin-1, Windows-125x...):
:func:`readable_markup` gives a document in any other (UTF-16, UTF-32, UTF-7, EBCDIC), which a
parser would decode before finding its declarations, in UTF-8 first. Linear in the document's size.
"""

from __future__ import annotations

import codecs
import functools
import html.entities
import re

_SPACE = b" \t\r\n"
# "<!" opening a declaration, in any case (expat and feedparser's regex want upper case).
_DECLARATION_START = re.compile(rb"<!(?=(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION))", re.I)
# The XML declaration, and nothing that could hide a declaration in it.
_XML_DECLARATION = re.compile(rb"""<\?xml(?:\s+[\w:.-]+\s*=\s*(?:"[^"<>]*"|'[^'<>]*'))*\s*\?>""")


def readable_markup(data: bytes, charset: str) -> tuple[bytes, str]:
    """``(data, charset)`` when markup reads as ASCII in the document's encoding; else the
    document decoded (its byte order mark, its pattern, ``charset`` or its XML declaration say
    how) and encoded in UTF-8, its declaration saying so, with the charset "utf-8"."""
    encoding = _encoding_of(data, charset)
    if encoding is None or _markup_is_ascii(encoding):
        return data, charset
    text = data.decode(encoding, "replace").removeprefix("\ufeff")
    text = _DECLARED_ENCODING.sub(r"\g<1>\g<2>utf-8\g<2>", text, count=1)
    return text.encode("utf-8", "surrogatepass"), "utf-8"


_BOMS = (  # UTF-32 LE before UTF-16 LE, whose mark it starts with
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_PATTERNS = (  # "<" or "<?" without a mark (XML 1.0, appendix F), EBCDIC's "<?xm"
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x4c\x6f\xa7\x94", "cp037"),
)
_XML_DECLARATION_ENCODING = re.compile(rb"""\A\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""")
_DECLARED_ENCODING = re.compile(r"""\A(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])[^"'<>]*\2""")


def _encoding_of(data: bytes, charset: str) -> str | None:
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            return encoding
    for pattern, encoding in _PATTERNS:
        if data.startswith(pattern):
            return encoding
    declared = _XML_DECLARATION_ENCODING.match(data)
    return charset or (declared.group(1).decode("ascii") if declared else None)


@functools.lru_cache(maxsize=64)
def _markup_is_ascii(encoding: str) -> bool:
    """Whether markup is written in ``encoding`` as in ASCII (an unknown one counts as such: the
    parsers cannot decode with it either)."""
    markup = "<!ENTITY DOCTYPE []>&;%\"'-?"
    escaped = b"+ADw-!ENTITY"  # UTF-7's way of writing "<!ENTITY"
    try:
        return (
            markup.encode(encoding) == markup.encode("ascii") and escaped.decode(encoding) == escaped.decode()
        )
    except LookupError:
        return True
    except UnicodeError:
        return False


def only_xml_entities(data: bytes) -> bytes:
    """``data`` with no DTD and no entity reference but the five of XML (see above)."""
    data = without_dtd(data)
    return _references_as_text(data) if b"&" in data else data


# A reference to an entity by name. Each name is replaced everywhere at once (bytes.replace, in
# C): a Python call per reference costs seconds and a string each for millions of them. Inside
# a CDATA section a reference was text; made a character reference, or "&amp;name;", it is the
# same text once the HTML it nearly always is there is read.
_NAME = rb"[A-Za-z_:][\w.:-]{0,40}"
_REFERENCE = re.compile(b"&(" + _NAME + b");")
_XML_ENTITIES = (b"lt", b"gt", b"amp", b"quot", b"apos")
_NAMES_AT_ONCE = 32  # beyond, the remaining references are replaced one by one


def _references_as_text(data: bytes) -> bytes:
    names: dict[bytes, bytes] = {}
    position = 0
    while len(names) < _NAMES_AT_ONCE:
        known = b"|".join(re.escape(name) for name in (*_XML_ENTITIES, *names))
        match = re.compile(b"&(?!(?:" + known + b");)(" + _NAME + b");").search(data, position)
        if match is None:
            break
        names[match.group(1)] = _meaning(match.group(1))
        position = match.start()
    for name, text in names.items():
        data = data.replace(b"&" + name + b";", text)
    if len(names) == _NAMES_AT_ONCE:  # a document of many names: the rest one by one
        data = _REFERENCE.sub(_replacement, data)
    return data


def _replacement(match: re.Match[bytes]) -> bytes:
    name = match.group(1)
    return match.group() if name in _XML_ENTITIES else _meaning(name)


def _meaning(name: bytes) -> bytes:
    """What an undeclared ``&name;`` is: an HTML entity's character references, or text."""
    characters = html.entities.html5.get(name.decode("ascii") + ";")
    if characters is None:
        return b"&amp;" + name + b";"
    return b"".join(b"&#%d;" % ord(character) for character in characters)


def without_dtd(data: bytes) -> bytes:
    """``data`` whose prolog holds the XML declaration (and byte order mark) only.

    When the prolog cannot be read to its end (an unclosed comment, text before the root
    element), every "<!" that could open a declaration anywhere in the document is written as
    text ("&lt;!"): the document is malformed anyway, and no parser may find a declaration in it.
    """
    kept: list[bytes] = []
    i, n = 0, len(data)
    if data.startswith(b"\xef\xbb\xbf"):
        kept.append(data[:3])
        i = 3
    declaration = _XML_DECLARATION.match(data, i)
    if declaration is not None:
        kept.append(declaration.group())
        i = declaration.end()
    while i < n:
        byte = data[i : i + 1]
        if byte in (b" ", b"\t", b"\r", b"\n"):
            start = i
            while i < n and data[i] in _SPACE:
                i += 1
            kept.append(data[start:i])
        elif data.startswith(b"<?", i):  # a style sheet, or a PI hiding a line "<!ENTITY ...>"
            end = data.find(b"?>", i + 2)
            if end < 0:
                break
            i = end + 2
        elif data.startswith(b"<!--", i):
            end = data.find(b"-->", i + 4)
            if end < 0:
                break
            i = end + 3
        elif data.startswith(b"<!", i):
            end = _declaration_end(data, i + 2)
            if end < 0:
                break
            i = end
        elif byte == b"<":
            prolog = b"".join(kept)
            return data if len(prolog) == i else prolog + data[i:]  # unchanged: not copied
        else:
            break
    else:
        return b"".join(kept)  # no root element at all: nothing a parser can expand
    return b"".join(kept) + _DECLARATION_START.sub(b"&lt;!", data[i:])


def _declaration_end(data: bytes, i: int) -> int:
    """Where the declaration whose body starts at ``i`` ends (past its ">"), or -1.

    Quoted strings may hold ">" and "]"; an internal subset ("[...]") holds declarations,
    comments and processing instructions of its own, each with quoted strings.
    """
    n = len(data)
    in_subset = False
    while i < n:
        byte = data[i]
        if byte in (0x22, 0x27):  # " '
            end = data.find(data[i : i + 1], i + 1)
            if end < 0:
                return -1
            i = end + 1
        elif in_subset and data.startswith(b"<!--", i):
            end = data.find(b"-->", i + 4)
            if end < 0:
                return -1
            i = end + 3
        elif in_subset and data.startswith(b"<?", i):
            end = data.find(b"?>", i + 2)
            if end < 0:
                return -1
            i = end + 2
        elif byte == 0x5B and not in_subset:  # [
            in_subset = True
            i += 1
        elif byte == 0x5D and in_subset:  # ]
            in_subset = False
            i += 1
        elif byte == 0x3E and not in_subset:  # >
            return i + 1
        else:
            i += 1
    return -1
