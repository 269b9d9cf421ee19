"""A page's HTML cut to the body's cap before its conversion to Markdown (issue 14: every stored
field is capped before conversion, the article marked as cut): a page may hold 8 MiB of it."""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from tui.extract.markdown import html_to_markdown, node_to_markdown
from tui.model import BODY_LIMIT


def capped_html_to_markdown(html: str, base_url: str, *, allow_relative: bool = False) -> tuple[str, bool]:
    """:func:`html_to_markdown` of at most ``BODY_LIMIT`` characters of ``html``, cut before the
    conversion (a page may be 8 MiB of it), never inside a tag; and whether it was cut."""
    if len(html) <= BODY_LIMIT:
        return html_to_markdown(html, base_url, allow_relative=allow_relative), False
    kept = html[:BODY_LIMIT]
    tag = kept.rfind("<")
    if tag > kept.rfind(">"):
        kept = kept[:tag]
    return html_to_markdown(kept, base_url, allow_relative=allow_relative), True


def capped_node_to_markdown(
    node: LexborNode | None, base_url: str, *, allow_relative: bool = False
) -> tuple[str, bool]:
    """:func:`node_to_markdown`, cut like :func:`capped_html_to_markdown` when the element's
    HTML is longer than ``BODY_LIMIT``; and whether it was cut."""
    if node is None:
        return "", False
    html = node.html or ""
    if len(html) > BODY_LIMIT:
        return capped_html_to_markdown(html, base_url, allow_relative=allow_relative)
    return node_to_markdown(node, base_url, allow_relative=allow_relative), False
