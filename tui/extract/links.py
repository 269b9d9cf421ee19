"""Where a link or picture of a page may point: an absolute http(s) URL, or for local articles a
relative path inside their own folder; nothing else (see SECURITY.md)."""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit

from tui.sanitize import SIMPLE_WEB_URL, clean_text, is_web_url

_URL_STRIP = re.compile(r"[\t\n\r]")


def link_target(href: str | None, base_url: str, *, allow_relative: bool = False) -> str:
    """Where a link from a page at ``base_url`` may point: an absolute http(s) URL, or with
    ``allow_relative`` an in-folder relative path; ``""`` for anything else."""
    if not href:
        return ""
    href = _URL_STRIP.sub("", clean_text(href)).strip().replace(" ", "%20")
    if not href or href.startswith("#"):
        return ""
    if SIMPLE_WEB_URL.fullmatch(href):
        return href  # what urljoin would give back, and a web URL: most links, without parsing
    if allow_relative and is_local_relative(href):
        return href
    try:
        url = urljoin(base_url, href)
    except ValueError:
        return ""
    return url if is_web_url(url) else ""


def is_local_relative(href: str) -> bool:
    try:
        parts = urlsplit(href)
    except ValueError:
        return False
    path = unquote(parts.path).replace("\\", "/")
    if parts.scheme or parts.netloc or not path or path.startswith("/"):
        return False
    return ".." not in path.split("/")
