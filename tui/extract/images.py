"""Which pictures of a page are the article's, and how they are written in its Markdown.

A picture is kept as a Markdown image (``![alt](https://…)``) where the page puts it: the lead
photo above the lead, inline pictures in their paragraph. What only looks like a picture is
dropped: tracking pixels (a 1x1 image, a known ad or analytics host), icons, emoji and share
buttons. Only http(s) pictures are kept; the alt text and caption are sanitized single lines.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tui.extract.links import link_target
from tui.sanitize import clean_line, is_web_url

MAX_ALT = 200
# Hosts that serve pixels and ads, not pictures (each also matches its subdomains).
_TRACKER_HOSTS = (
    "doubleclick.net",
    "googlesyndication.com",
    "googleadservices.com",
    "google-analytics.com",
    "googletagmanager.com",
    "adservice.google.com",
    "facebook.com",
    "facebook.net",
    "scorecardresearch.com",
    "quantserve.com",
    "adnxs.com",
    "criteo.com",
    "criteo.net",
    "outbrain.com",
    "taboola.com",
    "amazon-adsystem.com",
    "pixel.wp.com",
    "stats.wp.com",
    "ad.doubleclick.net",
    "bat.bing.com",
    "analytics.twitter.com",
    "t.co",
    "smartadserver.com",
    "xiti.com",
    "hotjar.com",
    "chartbeat.net",
    "mathtag.com",
    "rubiconproject.com",
    "pubmatic.com",
    "teads.tv",
)
# Words in an image's address, class, id or alt text that mark it as chrome, not content.
_CHROME_WORDS = frozenset(
    {
        "icon", "icons", "ico", "favicon", "emoji", "emojis", "smiley", "avatar", "avatars", "gravatar",
        "share", "sharing", "partage", "partager", "social", "pixel", "tracking", "tracker", "spacer",
        "blank", "badge", "button", "btn", "sprite", "loader", "loading", "placeholder", "ads", "advert",
    }
)  # fmt: skip
# An alt text that is only a network's name is a share or follow button.
_NETWORKS = ("facebook", "twitter", "whatsapp", "telegram", "linkedin", "instagram", "google news",
             "tiktok", "youtube", "pinterest", "messenger", "bluesky", "threads", "e-mail", "email", "rss")  # fmt: skip
_WORDS = re.compile(r"[a-z]+")
_SMALLEST = 33  # pixels: an image declared smaller than this on a side is an icon or a pixel
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&])")
_DESTINATION_SPECIAL = re.compile(r"([<>\\&])")
_IMAGE = re.compile(r"!\[((?:\\.|[^\]\\])*)\]\(<((?:\\.|[^>\\])*)>\)|!\[((?:\\.|[^\]\\])*)\]\(([^()\s]+)\)")
_UNESCAPE = re.compile(r"\\(.)")


def image_source(node: LexborNode, base_url: str) -> str:
    """The absolute http(s) address of an ``<img>`` worth showing, or "" for none (no usable
    address, a tracking pixel, an icon, a share button)."""
    attrs = node.attributes
    target = ""
    for name in ("src", "data-src", "data-lazy-src", "data-original"):
        target = link_target(attrs.get(name), base_url)
        if target:
            break
    if not target or not is_web_url(target) or _is_chrome(node, target):
        return ""
    return target


def image_alt(node: LexborNode) -> str:
    """The picture's alt text, else its title, else the caption of the figure holding it."""
    attrs = node.attributes
    alt = clean_line(attrs.get("alt") or "", MAX_ALT) or clean_line(attrs.get("title") or "", MAX_ALT)
    if alt:
        return alt
    figure = node.parent
    while figure is not None and figure.tag not in ("figure", "body"):
        figure = figure.parent
    caption = figure.css_first("figcaption") if figure is not None and figure.tag == "figure" else None
    return clean_line(caption.text(), MAX_ALT) if caption is not None else ""


def _is_chrome_address(target: str) -> bool:
    """A tracker's host, an icon's or a vector file's name, or chrome words in the path."""
    try:
        parts = urlsplit(target)
    except ValueError:
        return True
    host = (parts.hostname or "").lower()
    if any(host == tracker or host.endswith("." + tracker) for tracker in _TRACKER_HOSTS):
        return True
    path = parts.path.lower()
    return path.endswith((".ico", ".svg")) or bool(set(_WORDS.findall(path)) & _CHROME_WORDS)


def _is_chrome(node: LexborNode, target: str) -> bool:
    attrs = node.attributes
    sizes = [_pixels(attrs.get(side)) for side in ("width", "height")]
    if any(size is not None and size < _SMALLEST for size in sizes) or _is_chrome_address(target):
        return True
    marks = " ".join(((attrs.get("class") or "").lower(), (attrs.get("id") or "").lower()))
    if set(_WORDS.findall(marks)) & _CHROME_WORDS:
        return True
    alt = (attrs.get("alt") or "").lower()
    return bool(alt) and len(alt.split()) <= 4 and any(network in alt for network in _NETWORKS)


def _pixels(value: str | None) -> int | None:
    match = re.match(r"\s*(\d{1,6})\s*(?:px)?\s*$", value or "")
    return int(match.group(1)) if match else None


def markdown_image(alt: str, url: str) -> str:
    """A Markdown image whose alt text stays text and whose address ends where it ends."""
    alt = _MARKDOWN_SPECIAL.sub(r"\\\1", clean_line(alt, MAX_ALT))
    destination = _DESTINATION_SPECIAL.sub(r"\\\1", url).replace(" ", "%20")
    return f"![{alt}](<{destination}>)"


def images_in(markdown: str) -> list[tuple[str, str]]:
    """(alt, url) of every http(s) Markdown image of ``markdown``, in order, without repeats."""
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for match in _IMAGE.finditer(markdown):
        alt = match.group(1) if match.group(2) is not None else match.group(3)
        url = _UNESCAPE.sub(r"\1", match.group(2) if match.group(2) is not None else match.group(4))
        if is_web_url(url) and url not in seen:
            seen.add(url)
            found.append((clean_line(_UNESCAPE.sub(r"\1", alt or ""), MAX_ALT), url))
    return found


def with_feed_photo(lead: str, body: str, feed_lead: str) -> str:
    """The lead of a page's article given the lead photo of its feed item (``feed_lead``, as
    :func:`tui.feeds.normalise.lead_photo` wrote it): the page's own lead when its text opens on
    a picture or shows the feed's already, else the feed's photo above it."""
    photos = images_in(feed_lead)
    if not photos:
        return lead
    first = (lead.strip() or body.strip()).partition("\n\n")[0]
    if _IMAGE.fullmatch(first) or any(url == photos[0][1] for _, url in images_in(f"{lead}\n\n{body}")):
        return lead
    photo = markdown_image(*photos[0])
    return f"{photo}\n\n{lead}" if lead.strip() else photo


def lead_image(tree: LexborHTMLParser, url: str, selectors: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """(alt, address) of the page's lead photo: the site's illustration (``selectors``), else the
    page's ``og:image`` / ``twitter:image``; None when it has none worth showing."""
    for selector in selectors:
        for node in tree.css(selector):
            source = image_source(node, url)
            if source:
                return image_alt(node), source
    for key in ("og:image", "og:image:url", "og:image:secure_url", "twitter:image"):
        for node in tree.css("meta[content]"):
            attrs = node.attributes
            if (attrs.get("property") or attrs.get("name") or "").strip().lower() != key:
                continue
            source = link_target(attrs.get("content"), url)
            if source and is_web_url(source) and not _is_chrome_address(source):
                alt_node = tree.css_first('meta[property="og:image:alt"], meta[name="twitter:image:alt"]')
                alt = clean_line(alt_node.attributes.get("content") or "", MAX_ALT) if alt_node else ""
                return alt, source
    return None
