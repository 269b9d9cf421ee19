"""Which article an item is: the key whose hash is its id, so that no source writes another's.

An item's guid (or URL) is its key only when it is a URL on its source's own site; on a site
with rules it is the rules' canonical id (``bladi:103006``), the same for http and https and for
every URL form of the article, so that one article read from the feed, a listing or a followed
link is one article with one read state. Any other guid (an opaque ``good-0``, a URL on another
host, the ``sha1:`` of an item without either) is keyed by its source's URL as well: feed B
publishing feed A's guid gets an article of its own, and never rewrites A's.

The source's own site is the host of its URL (``www.`` aside, subdomains of one another
included); for the links the user follows, the page each was read from; a local folder's files
are the user's own and keep their keys.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import fields
from urllib.parse import urlsplit

from tui.lazy_pattern import LazyPattern
from tui.model import Article
from tui.sanitize import SIMPLE_WEB_URL, is_web_url

#: The source holding the links the user followed (tui.sources.web): each article is its page's own.
FOLLOWED_SOURCE_KEY = "bladi-tui:followed"
_LISTING_PREFIX = "listing:"  # tui.store.topics: a source's listing pages are that source's
_CANONICAL = LazyPattern(r"[a-z][a-z0-9-]*:[0-9]+")


def article_key(guid: str, url: str, location: str, source_key: str) -> str:
    """The key of an item with ``guid`` and ``url`` from the source ``source_key`` (read from
    the page at ``location``, for a link the user followed). Applying it to its own result
    gives that result again."""
    key = guid.strip() or url.strip()
    origin = source_key.removeprefix(_LISTING_PREFIX)
    if not is_web_url(origin):
        if source_key != FOLLOWED_SOURCE_KEY or not is_web_url(location):
            return key  # a local folder: the user's own files
        origin = location
    scope = _scope(origin)
    if key.startswith(scope + " "):
        return key  # keyed already
    # Each of the key and the URL judged once (the key is most often the URL itself).
    key_on_site = is_web_url(key) and same_site(key, origin)
    if key_on_site and (canonical := _canonical_id(key)):
        return canonical
    if url and url != key and is_web_url(url) and same_site(url, origin):
        canonical = _canonical_id(url)
        if canonical:
            return canonical
    if key_on_site:
        return key
    if _CANONICAL.fullmatch(key) and _canonical_site(key, origin):
        return key  # keyed already: the canonical id of an article of this very site
    return f"{scope} {key}"


def owned(article: Article, source_key: str) -> Article:
    """``article`` with its key (:func:`article_key`) as its guid: itself when that is so already."""
    key = article_key(article.guid, article.url, article.location, source_key)
    if key == article.guid:
        return article
    # dataclasses.replace() builds its keyword arguments field by field: a third of the cost.
    return Article(key, *_FIELDS_AFTER_GUID(article))


# Every field of an Article but its first, the guid, in their order.
_FIELDS_AFTER_GUID = operator.attrgetter(*[field.name for field in fields(Article) if field.name != "guid"])


def same_site(url: str, other: str) -> bool:
    """Both URLs on one site: the same host but for ``www.``, or one a subdomain of the other's."""
    first, second = _site_host(url), _site_host(other)
    if not first or not second:
        return False
    return first == second or first.endswith("." + second) or second.endswith("." + first)


@functools.lru_cache(maxsize=4096)  # a source's URL, and each item's twice (storing, then the store)
def _site_host(url: str) -> str:
    # Most links are simple web URLs, whose pattern reads the host as urlsplit does (but for
    # case): one match in C, not urlsplit's Python.
    simple = SIMPLE_WEB_URL.fullmatch(url)
    if simple is not None:
        host = simple.group("host").lower().rstrip(".")
    else:
        try:
            host = (urlsplit(url).hostname or "").rstrip(".")
        except ValueError:
            return ""
    return host.removeprefix("www.")


@functools.lru_cache(maxsize=1024)  # asked for each item of a source
def _scope(origin: str) -> str:
    """The source's URL without its scheme: an http feed that moves to https keeps its keys."""
    parts = urlsplit(origin)
    host = (parts.hostname or "").rstrip(".")
    port = f":{parts.port}" if parts.port else ""
    return f"//{host}{port}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")


def _canonical_id(url: str) -> str | None:
    from tui.extract.sites import rules_for  # the site rules, read once an article is stored

    rules = rules_for(url)
    return rules.canonical_id(url) if rules is not None else None


def _canonical_site(key: str, origin: str) -> bool:
    from tui.extract.sites import SITES

    prefix = key.partition(":")[0]
    return any(rules.id_prefix == prefix and rules.serves(origin) for rules in SITES)
