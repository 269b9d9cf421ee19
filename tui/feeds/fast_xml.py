"""The fast road's view of an XML document, as feedparser's handlers see it.

lxml parses the document safely (no entities resolved, no DTD, nothing from the network), one
parser per thread. :class:`ElementReader` then names each element and attribute the way
feedparser does (namespaces under its prefixes, names and some values lowercased, ``xml:base``
on the root only) and raises :class:`Unsupported` at anything it does not reproduce exactly, so
that the tolerant road (feedparser) reads that document instead.
"""

from __future__ import annotations

import threading
from typing import Any

from tui.feeds.fast_rules import (
    HANDLED,
    HARMLESS,
    NAMESPACES,
    PERSON_PARTS,
    RESERVED,
    VERSION_NAMESPACES,
    XML,
    make_safe_absolute_uri,
    urljoin,
)

etree: Any = None  # lxml.etree, imported at the first feed
_XML_LANG = f"{{{XML}}}lang"
_XML_BASE = f"{{{XML}}}base"


class Unsupported(Exception):
    """Something the fast road does not reproduce exactly: feedparser reads the document."""


def parse_xml(body: bytes) -> Any:
    """The root element of ``body``, or None when lxml is missing, the document is not
    well-formed, libxml2 warned about it or it has a DTD."""
    global etree
    if etree is None:
        try:
            from lxml import etree
        except ImportError:  # lxml comes with trafilatura; without it, feedparser reads every feed
            return None
    parser = _parser()
    try:
        root = etree.fromstring(body, parser)
    except (etree.LxmlError, ValueError):
        return None
    if len(parser.error_log) or root.getroottree().docinfo.doctype:
        return None  # a warning (recoverable for libxml2, maybe fatal for expat), or a DTD
    return root


_local = threading.local()


def _parser():
    # lxml parsers must not be shared between threads; parse_feed runs in worker threads.
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
            strip_cdata=True,
            collect_ids=False,
            recover=False,
        )
    return parser


class ElementReader:
    """A document's elements and attributes under the names feedparser gives them."""

    def __init__(self, root, body: bytes) -> None:
        self.root = root
        self.body = body
        self.names: dict[str, str] = {}
        self.base = ""

    def _namespaces(self) -> None:
        """Every namespace declared on the root element and nowhere else, each URI under one
        prefix, so that an element's name is what feedparser makes of it."""
        declared = self.root.nsmap
        if self.body.count(b"xmlns") != len(declared):
            for element in self.root.iter():
                if isinstance(element.tag, str) and element.nsmap != declared:
                    raise Unsupported
        self.prefixes: dict[str, str] = {}  # namespace URI -> feedparser's prefix ("" for none)
        namespacemap: dict[str, str] = {}  # a document's prefix -> feedparser's, for known URIs
        versions = 0
        for prefix, uri in declared.items():
            lower = uri.lower()
            if "backend.userland.com/rss" in lower:
                raise Unsupported
            if lower in VERSION_NAMESPACES:
                versions += 1
            if lower in NAMESPACES:
                if prefix is not None:
                    namespacemap[prefix] = NAMESPACES[lower]
                self.prefixes[uri] = NAMESPACES[lower].lower()
            elif uri in self.prefixes:
                raise Unsupported  # one unknown URI under two prefixes
            else:
                self.prefixes[uri] = (prefix or "").lower()
        if versions > 1:
            raise Unsupported
        # feedparser looks the prefix it made up again in the document's prefixes.
        for uri, prefix in self.prefixes.items():
            self.prefixes[uri] = namespacemap.get(prefix, prefix) if prefix else ""

    def _name(self, element) -> str:
        return self._tag_name(element.tag)

    def _tag_name(self, tag: str) -> str:
        name = self.names.get(tag)
        if name is None:
            uri, _, local = tag[1:].rpartition("}") if tag[0] == "{" else ("", "", tag)
            prefix = self.prefixes.get(uri, "") if uri else ""
            name = self.names[tag] = (prefix.lower() + "_" if prefix else "") + local.lower()
        return name

    def _attrs(self, element, root: bool = False) -> dict[str, str]:
        """The attributes as feedparser's handlers see them: names lowercased, ``rel`` and
        ``type`` values too. ``xml:lang`` is allowed anywhere, ``xml:base`` on the root only."""
        attrib = element.attrib
        if not attrib:
            return {}
        attrs: dict[str, str] = {}
        for key, value in attrib.items():
            if key[0] == "{":
                if key == _XML_LANG:
                    continue
                if root and key == _XML_BASE:
                    self._set_base(value)
                    continue
                raise Unsupported
            key = key.lower()
            if key in attrs or key == "base":
                raise Unsupported
            attrs[key] = value.lower() if key in ("rel", "type") else value
        return attrs

    @staticmethod
    def _check_attrs(attrs: dict[str, str], refused: tuple[str, ...]) -> None:
        if any(name in attrs for name in refused):
            raise Unsupported

    def _set_base(self, value: str) -> None:
        base = urljoin("", value)
        # Every element below takes make_safe_absolute_uri(base, base) or base: it must be base.
        if base and make_safe_absolute_uri(base, base) not in ("", base):
            raise Unsupported
        self.base = base

    def _resolve(self, uri: str) -> str:
        return urljoin(self.base or "", uri)

    @staticmethod
    def _text(element) -> str:
        """The stripped text of an element that holds no element."""
        if len(element):
            raise Unsupported
        return (element.text or "").strip()

    # -- elements that hold no element, or only harmless ones -----------------------------------

    def _harmless(self, element) -> None:
        if len(element):
            raise Unsupported
        self._attrs(element)

    def _other(self, element) -> None:
        """An element feedparser has no handler for: its text lands under its own name."""
        name = self._name(element)
        if name in HARMLESS:
            return self._harmless(element)
        if name in HANDLED or name in RESERVED:
            raise Unsupported
        self._attrs(element)
        for child in element:
            if isinstance(child.tag, str):
                self._other(child)

    def _person_harmless(self, element) -> None:
        """An author or contributor of the feed itself: its own keys only."""
        self._attrs(element)
        for child in element:
            if isinstance(child.tag, str):
                if self._name(child) not in PERSON_PARTS:
                    raise Unsupported
                self._harmless(child)
