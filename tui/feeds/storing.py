"""A feed document parsed and its articles stored in one go: the work a refresh hands to a
worker process.

During a large refresh (:func:`tui.feeds.pool.parsing_processes`) the worker that reads
a feed also writes its articles, through its own connection to the store (SQLite serializes the
writers; each feed is one transaction). The articles then never travel back to the process
that fetched them, and that process, which only fetches, no longer holds the others up: on two
cores, three busy processes (the fetching one storing what two workers read) each had two
thirds of a core, and the store came last.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet

from tui.article_keys import owned
from tui.extract.sites import rules_for
from tui.feeds.entry import ParsedFeed
from tui.feeds.parse import parse_feed
from tui.model import Article, newest
from tui.sanitize import is_web_url
from tui.store import Store

# In a worker process: its own connection to each store it was given, kept for its next feeds.
_stores: dict[str, Store] = {}


def parse_and_store_feed(
    store: Store | str,
    source_key: str,
    content: bytes,
    url: str,
    *,
    source: str,
    content_type: str,
    full_text: bool,
    validators: tuple[str, str, str] | None = None,
    parse: Callable[..., ParsedFeed] = parse_feed,
    name_from_title: bool = False,
    site_title: str = "",
    digest: str | None = None,
    deadline: float | None = None,
) -> tuple[int, list[Article]]:
    """Parse a feed document and store its articles: (how many were new, the new ones whose page
    must be read for their full text).

    ``name_from_title``: the source is named after the feed's title (else ``site_title``, that
    of the page the feed was found on). ``deadline``: the source's time budget
    (:func:`tui.model.check_deadline`), past which nothing is stored. ``store`` is the store
    itself, or in a worker process its path; ``validators`` of the
    document are saved with its articles (:meth:`Store.upsert_articles`), and so is its
    ``digest``. Full text comes from the page for Bladi's articles always (the related sections
    live only there), and for the others when the source asks for it and the feed gave only an
    intro: the new articles, and those a refresh stopped before their page was read.
    """
    if isinstance(store, str):
        # A checkpoint waits on an fsync, a worker should not: the fetching process does them.
        store = _stores.get(store) or _stores.setdefault(store, Store(store, checkpoints=False))
    # Entries stored before and unchanged since cost their digest: no conversion, no write.
    stored = store.entry_digests(source_key)
    feed = parse(content, url, source=source, content_type=content_type, deadline=deadline, stored=stored)
    # Whatever the parser: never more than a document's share of articles, the newest; with
    # their ids as stored (each id a hash: made once here). One the document repeats from an
    # unchanged entry stays as stored.
    articles = [owned(article, source_key) for article in newest(feed.articles, lambda a: a.date)]
    ids = [article.id for article in articles]
    if feed.unchanged:
        unchanged = set(feed.unchanged)
        kept = [
            (article_id, article)
            for article_id, article in zip(ids, articles, strict=True)
            if article_id not in unchanged
        ]
        ids, articles = [article_id for article_id, _ in kept], [article for _, article in kept]
    known = store.known_ids(ids)
    new = store.upsert_articles(
        source_key,
        articles,
        listing=True,
        validators=validators,
        digest=digest,
        unchanged=feed.unchanged,
        # The user gave the source no name: it takes its feed's, in the same transaction.
        source_title=(feed.title or site_title) if name_from_title else None,
    )
    wanted = [
        article
        for article_id, article in zip(ids, articles, strict=True)
        if article_id not in known and wants_page(article, full_text)
    ]
    if known or feed.unchanged:
        fresh = {article.id for article in wanted}
        wanted += pending_pages(store, source_key, full_text, exclude=fresh)
    return new, wanted


def wants_page(article: Article, full_text: bool) -> bool:
    """Whether an article's text is to be completed from its page (see :func:`parse_and_store_feed`)."""
    return is_web_url(article.url) and (
        rules_for(article.url) is not None or (full_text and not article.full_text)
    )


def pending_pages(
    store: Store, source_key: str, full_text: bool, *, exclude: AbstractSet[str] = frozenset()
) -> list[Article]:
    """The source's stored articles whose page a refresh was to read and never did."""
    return [
        article
        for article in store.pending_pages(source_key)
        if article.id not in exclude and wants_page(article, full_text)
    ]
