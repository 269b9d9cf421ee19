"""Listing pages as a source of articles (kind ``listing``): a topic's pages on its site, read
when the topic is selected (the first page) and when its list runs out (the next one).

A site with listing rules (Bladi.net) is read by them (:mod:`tui.extract.listing`); any other
site's topic page is read through its feed when it has one (WordPress serves a category's
articles at ``/category/x/feed/``). Pages go through the one HTTP client with its per-host
limits and conditional GET, and a page read in the last few minutes is not asked for again.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from urllib.parse import urlsplit, urlunsplit

from tui import reasons
from tui.extract.listing import read_listing
from tui.extract.page import decode_html
from tui.extract.sites import rules_for
from tui.feeds.entry import FeedParseError
from tui.feeds.parse import parse_feed
from tui.feeds.sniff import looks_like_feed
from tui.model import Article, Topic, fold
from tui.net.http import FetchError, Validators
from tui.sanitize import clean_line, clean_url, is_web_url
from tui.sources.kinds import LISTING_KIND
from tui.sources.web import LiveReader
from tui.store import Store
from tui.store.topics import (
    TopicListing,
    listing_key,
    listing_read,
    note_listing_read,
    set_progress,
    store_listing_articles,
    topic_listings,
)

#: A listing page read this recently is not read again (seconds).
FRESH_FOR = 300.0

LISTING_ACCEPT = "text/html, application/xhtml+xml;q=0.9, application/rss+xml;q=0.8, */*;q=0.5"

# A WordPress category or tag page: its feed sits under it.
_WORDPRESS_TOPIC = re.compile(r"^/(?:[^/]+/)*(?:category|tag)/[^/]+/?$")


@dataclass(slots=True)
class ListingOutcome:
    new: int = 0
    more: bool = False  # some listing of the topic has older pages still to read
    errors: list[str] = field(default_factory=list)  # one English sentence each
    reasons: list[str] = field(default_factory=list)  # the same failures as tui.reasons encodes them
    wanted: list[tuple[str, Article]] = field(default_factory=list)  # new articles to complete


def feed_of_topic_page(url: str) -> str:
    """The feed of a generic site's topic page (``/category/x/`` → ``/category/x/feed/``), or ""."""
    parts = urlsplit(url)
    if not _WORDPRESS_TOPIC.match(parts.path):
        return ""
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/") + "/feed/", "", ""))


class ListingSource:
    """Reads a topic's listing pages into the store for the sources that gave a listing URL.

    ``live`` is the :class:`tui.sources.web.LiveReader` holding the one HTTP client; ``names`` gives
    each source's name (the listing source is named like the source it belongs to).
    """

    kind = LISTING_KIND

    def __init__(
        self,
        store: Store,
        live: LiveReader,
        names: dict[str, str] | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.live = live
        self.names = dict(names or {})
        self.clock = clock
        # Per topic and source, the pages read during this session: a "next" link leading back
        # to one of them ends the listing.
        self._visited: dict[tuple[Topic, str], set[str]] = {}

    async def read_first(self, topic: Topic, source_keys: Sequence[str] | None) -> ListingOutcome:
        """Read the first listing page of ``topic`` for every source in scope that gave one."""
        listings = await asyncio.to_thread(topic_listings, self.store, topic, source_keys)
        outcome = ListingOutcome()
        await asyncio.gather(
            *(self._read(topic, listing, listing.url, outcome, first=True) for listing in listings)
        )
        return outcome

    async def read_older(self, topic: Topic, source_keys: Sequence[str] | None) -> ListingOutcome:
        """Read the next page of each listing of ``topic`` that has one."""
        listings = await asyncio.to_thread(topic_listings, self.store, topic, source_keys)
        outcome = ListingOutcome()
        # A listing whose first page was never read (the topic was left before it arrived)
        # starts there.
        pending = [listing for listing in listings if not listing.ended]
        await asyncio.gather(
            *(
                self._read(
                    topic, listing, listing.next_url or listing.url, outcome, first=not listing.next_url
                )
                for listing in pending
            )
        )
        return outcome

    async def has_older(self, topic: Topic, source_keys: Sequence[str] | None) -> bool | None:
        """Whether older pages remain (None: the topic has no listing at all)."""
        listings = await asyncio.to_thread(topic_listings, self.store, topic, source_keys)
        if not listings:
            return None
        return any(listing.next_url and not listing.ended for listing in listings)

    async def complete(self, outcome: ListingOutcome) -> None:
        """Fetch the full text of the new articles of a reading, a few pages per host at a time."""
        await asyncio.gather(*(self.live.complete(key, article) for key, article in outcome.wanted))

    # -- one page -----------------------------------------------------------------------------

    async def _read(
        self, topic: Topic, listing: TopicListing, url: str, outcome: ListingOutcome, *, first: bool
    ) -> None:
        visited = self._visited.setdefault((topic, listing.source_key), set())
        visited.add(url)
        try:
            labelled = replace(topic, label=listing.label or topic.label)
            next_url, new = await self._page(labelled, listing.source_key, url, outcome)
        except (FetchError, FeedParseError) as error:
            outcome.errors.append(clean_line(error))
            if isinstance(error, FetchError):
                outcome.reasons.append(error.stored_reason)
            else:
                outcome.reasons.append(getattr(error, "reason", "") or reasons.NOT_A_FEED)
            outcome.more = outcome.more or bool(listing.next_url and not listing.ended)
            return
        outcome.new += new
        if next_url in visited or next_url == url:
            next_url = ""  # a loop: this page leads back to one already read
        if first and (listing.next_url or listing.ended):
            # The older pages already read stay read: the chain goes on where it stopped.
            outcome.more = outcome.more or (bool(listing.next_url) and not listing.ended)
            return
        await asyncio.to_thread(
            partial(set_progress, self.store, topic, listing.source_key, next_url, ended=not next_url)
        )
        outcome.more = outcome.more or bool(next_url)

    async def _page(
        self, topic: Topic, source_key: str, url: str, outcome: ListingOutcome
    ) -> tuple[str, int]:
        """Read one listing page (unless read a moment ago): (its next page's URL, new articles)."""
        now = self.clock()
        read = await asyncio.to_thread(listing_read, self.store, url)
        if read is not None and now - read[0] < FRESH_FOR:
            return read[1], 0
        site = rules_for(url)
        rules = site.listing if site is not None else None
        fetch_url = url if rules is not None else (feed_of_topic_page(url) or url)
        etag, last_modified = await asyncio.to_thread(self.store.validators, fetch_url)
        response = await self.live.client.get(
            fetch_url, Validators(etag, last_modified), accept=LISTING_ACCEPT
        )
        if response.not_modified:
            next_url = read[1] if read is not None else ""
            await asyncio.to_thread(note_listing_read, self.store, url, now, next_url)
            return next_url, 0
        validators = (fetch_url, response.validators.etag, response.validators.last_modified)
        content_type = response.headers.get("content-type", "")
        name = self.names.get(source_key, "")
        next_url = ""
        if looks_like_feed(response.content, content_type):
            parsed = await asyncio.to_thread(
                parse_feed, response.content, response.url, source=name, content_type=content_type
            )
            articles = parsed.articles
        elif site is not None and rules is not None and site.serves(response.url):
            text = decode_html(response.content)
            page = await asyncio.to_thread(read_listing, text, response.url, site, rules)
            articles = page.articles(source=name)
            next_url = page.next_url
        else:
            articles = []  # a page off the site's hosts, or of a site without listing rules
        articles = [_in_topic(article, topic) for article in articles if is_web_url(article.url)]
        new_ids = await asyncio.to_thread(self._new_ids, articles)
        new = await asyncio.to_thread(
            partial(store_listing_articles, self.store, source_key, name, articles, validators=validators)
        )
        await asyncio.to_thread(note_listing_read, self.store, url, now, clean_url(next_url))
        key = listing_key(source_key)
        outcome.wanted += [
            (key, article)
            for article in articles
            if article.id in new_ids and (rules is not None or not article.full_text)
        ]
        return next_url, new

    def _new_ids(self, articles: list[Article]) -> set[str]:
        ids = [article.id for article in articles]
        return set(ids) - self.store.known_ids(ids)


def _in_topic(article: Article, topic: Topic) -> Article:
    """An article of a topic's listing belongs to that topic, whatever else it says."""
    if topic.kind == "rubrique" and not article.rubrique:
        return replace(article, rubrique=topic.label)
    if topic.kind == "tag" and topic.key not in {fold(tag) for tag in article.tags}:
        return replace(article, tags=[*article.tags, topic.label])
    return article


async def read_topic_pages(
    store: Store,
    topics: Sequence[Topic],
    source_keys: Sequence[str],
    names: dict[str, str],
    *,
    pages: int,
    fetch=None,
) -> list[str]:
    """Read up to ``pages`` listing pages of each topic (the first, then older ones) into the
    store, for the headless ``list --topic T --more N``; returns the errors met, one sentence each."""
    errors: list[str] = []
    async with LiveReader(store, fetch) as live:
        source = ListingSource(store, live, names)
        for topic in topics:
            outcome = await source.read_first(topic, source_keys)
            errors += outcome.errors
            for _ in range(pages - 1):
                if not outcome.more:
                    break
                outcome = await source.read_older(topic, source_keys)
                errors += outcome.errors
    return errors


def is_topic_page(url: str) -> bool:
    """Whether ``url`` looks like a topic's listing: a page of a site with listing rules in the
    form its topics' pages take (Bladi's ``/maroc.html``, ``/abdellatif-hammouchi.html``) or a
    WordPress category."""
    site = rules_for(url)
    if site is not None and site.listing is not None:
        return not site.is_article_url(url) and bool(site.listing.topic_path.match(urlsplit(url).path))
    return bool(feed_of_topic_page(url))


def source_of_page(specs: Sequence, url: str) -> str:
    """The key of the configured source on the same site as ``url`` (bladi.net is www.bladi.net),
    or "" when none is."""
    site = rules_for(url)
    host = _bare_host(url)
    for spec in specs:
        spec_url = getattr(spec, "url", "") or ""
        if spec_url and (site.serves(spec_url) if site is not None else _bare_host(spec_url) == host):
            return spec.key
    return ""


def _bare_host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        return ""
