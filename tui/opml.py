"""OPML: the list of subscriptions every feed reader imports and exports.

An OPML file comes from another program, so it is untrusted input: it is parsed with expat
directly, refusing any document type declaration that could declare entities (the "billion
laughs" expansion, external entities), with a size cap; every name and address then goes through
:mod:`tui.sanitize` like any feed, and only http(s) addresses are kept.

Imported sources go to ``state.toml`` as ``[[added_sources]]``: the user's config file is never
rewritten.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

from tui.config import Config, SourceSpec
from tui.paths import display_path, expand_user_path
from tui.sanitize import clean_line, clean_url, is_web_url
from tui.sources.kinds import AUTO, FEED, kind_of
from tui.state import StateFile

MAX_BYTES = 8 * 1024 * 1024  # thousands of subscriptions fit in a few hundred KB
MAX_SOURCES = 10_000
_NAME_LIMIT = 200  # as for a name in the config file

# Characters XML 1.0 cannot carry at all, even escaped, once the sanitizer has run.
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


class OpmlError(Exception):
    """An OPML file that cannot be read; ``str()`` is one sentence."""


@dataclass(frozen=True)
class _Outlines:
    sources: list[SourceSpec]
    dropped: int  # outlines with an address that is not http(s), or seen before in the file


class _Refused(Exception):
    """Raised from an expat handler to stop the parse on a declaration we do not accept."""


def _refuse_doctype(name: str, system_id: str | None, public_id: str | None, internal: int) -> None:
    # A bare <!DOCTYPE opml> is harmless; one with a subset or an external DTD can declare
    # entities, which is how expansion and external-entity attacks start.
    if internal:
        raise _Refused("has a DTD that can declare entities, refused as OPML never needs one")
    if system_id or public_id:
        raise _Refused("refers to an external DTD, refused as OPML never needs one")


def _refuse_entity(*_: Any) -> None:
    raise _Refused("declares XML entities, refused as OPML never needs them")


def _refuse_external(*_: Any) -> int:
    raise _Refused("refers to an external entity, refused as OPML never needs one")


def _parse(data: bytes, subject: str = "The OPML file") -> _Outlines:
    """The outlines of ``data``; ``subject`` starts the sentence of an OpmlError."""
    if len(data) > MAX_BYTES:
        raise OpmlError(f"{subject} is larger than {MAX_BYTES // (1024 * 1024)} MiB.")
    sources: list[SourceSpec] = []
    seen: set[str] = set()
    dropped = 0
    depth = 0  # of the element being read
    root_seen = False
    body_depth = 0  # depth of <body>, 0 outside it
    commented: list[bool] = []  # per open <outline>: commented out (isComment) or inside one

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal depth, root_seen, body_depth, dropped
        depth += 1
        if not root_seen:
            root_seen = True
            if name.lower() != "opml":
                shown = clean_line(name, limit=40)
                raise _Refused(f"is not an OPML document (its root element is <{shown}>)")
            return
        if depth == 2 and name.lower() == "body":
            body_depth = depth
            return
        if not body_depth or name.lower() != "outline":
            return
        fields = {key.lower(): value for key, value in attributes.items()}
        said_off = fields.get("iscomment", "").strip().lower() == "true"
        off = (commented[-1] if commented else False) or said_off
        commented.append(off)
        feed_url = clean_url(fields.get("xmlurl", ""))
        page_url = clean_url(fields.get("htmlurl", "") or fields.get("url", ""))
        if not feed_url and not page_url:
            return  # a folder: its outlines are read in turn
        if is_web_url(feed_url):
            url, kind = feed_url, FEED
        elif is_web_url(page_url):
            url, kind = page_url, AUTO
        else:
            dropped += 1  # javascript:, file:, data:, a relative address...
            return
        if url in seen:
            dropped += 1
            return
        seen.add(url)
        if len(sources) >= MAX_SOURCES:
            raise _Refused(f"lists more than {MAX_SOURCES:,} sources")
        name_text = clean_line(fields.get("text", "") or fields.get("title", ""), limit=_NAME_LIMIT)
        sources.append(SourceSpec.from_url(url, name=name_text, kind=kind, enabled=not off))

    def end(name: str) -> None:
        nonlocal depth, body_depth
        if body_depth and name.lower() == "outline" and depth > body_depth:
            commented.pop()
        if depth == body_depth:
            body_depth = 0
        depth -= 1

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_entity
    parser.ExternalEntityRefHandler = _refuse_external
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except _Refused as refusal:
        raise OpmlError(f"{subject} {refusal}.") from None
    except expat.ExpatError as error:
        reason = clean_line(expat.ErrorString(error.code))
        raise OpmlError(
            f"{subject} is not valid XML: {reason} at line {error.lineno}, column {error.offset + 1}."
        ) from None
    return _Outlines(sources, dropped)


def read_opml(data: bytes) -> list[SourceSpec]:
    """The sources an OPML 1.0 or 2.0 document lists, in document order.

    Nested outlines (folders) are flattened. ``xmlUrl`` gives a source of kind ``feed``; an
    outline without one but with ``htmlUrl`` (or ``url``) gives a source of kind ``auto``. Only
    http(s) addresses are kept, each once. The name is ``text``, else ``title``, else the host.
    An outline marked ``isComment="true"`` (or inside one) is read as a disabled source.
    Raises OpmlError.
    """
    return _parse(data).sources


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("", clean_line(value))


def write_opml(specs: Iterable[SourceSpec], title: str = "bladi-tui") -> bytes:
    """An OPML 2.0 document (UTF-8) listing the web sources of ``specs``; local ones are skipped.

    Feeds (and ``auto`` sources) are written with ``xmlUrl``, which other readers subscribe to;
    sites and single articles with ``htmlUrl`` only. A disabled source is written commented out
    (``isComment="true"``). The output is the same for the same sources (no date in it).
    """
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = _xml_text(title)
    body = ET.SubElement(root, "body")
    for spec in specs:
        url = clean_url(spec.url)
        if not is_web_url(url):
            continue
        name = _xml_text(spec.name)
        outline = ET.SubElement(body, "outline", text=name, title=name)
        if kind_of(spec.kind).feed_address:
            outline.set("type", "rss")
            outline.set("xmlUrl", _xml_text(url))
        else:
            outline.set("type", "link")
            outline.set("htmlUrl", _xml_text(url))
        if not spec.enabled:
            outline.set("isComment", "true")
    ET.indent(root, space="  ")
    text = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{text}\n'.encode()


def _read_file(path: Path) -> bytes:
    shown = clean_line(display_path(path))
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise OpmlError(f"{shown} does not exist.") from None
    except IsADirectoryError:
        raise OpmlError(f"{shown} is a folder, not an OPML file.") from None
    except OSError as error:
        raise OpmlError(f"{shown} cannot be read: {clean_line(error.strerror or error)}.") from None
    return data


def import_opml(
    path: str | os.PathLike[str], state_path: str | os.PathLike[str], config: Config
) -> tuple[int, int]:
    """Add the sources of the OPML file ``path`` to ``state.toml``; return (added, skipped).

    ``config`` is the effective configuration (the state already merged over the config file).
    A source already there (same address) is skipped and left as it is, switched off or not; one
    the user had removed comes back. Outlines without a usable http(s) address, or repeated in
    the file, count as skipped too. The config file is never touched. Raises OpmlError.
    """
    file = expand_user_path(path)
    outlines = _parse(_read_file(file), subject=clean_line(display_path(file)))

    added, skipped = StateFile(state_path).import_sources(outlines.sources, config)
    return added, skipped + outlines.dropped


def export_opml(config: Config) -> bytes:
    """The web sources of the effective configuration as OPML 2.0 (local folders are skipped)."""
    return write_opml(config.sources)
