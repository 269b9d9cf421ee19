"""Web sources: feeds, sites and article pages fetched over HTTP, extracted and stored.

One :class:`LiveReader` per refresh (or per running app) holds the one HTTP client, so its
per-host limits apply across all sources. Parsing and extraction run off the event loop, in
threads, or for the large feeds of a large refresh in worker processes that also store what they
read (:mod:`tui.feeds.storing`); the store is written in batches, one transaction per source and page.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from urllib.parse import urljoin, urlsplit

import tui
from tui import reasons
from tui.article_keys import FOLLOWED_SOURCE_KEY
from tui.config import FetchSettings, SourceSpec
from tui.extract.images import with_feed_photo
from tui.extract.page import discover_feeds, extract_article, page_title, same_article_globs
from tui.faults import fault_of
from tui.feeds.entry import FeedParseError, ParsedFeed
from tui.feeds.parse import parse_feed
from tui.feeds.pool import off_the_loop
from tui.feeds.sniff import looks_like_feed
from tui.feeds.storing import parse_and_store_feed, pending_pages
from tui.model import Article, SourceOutcome
from tui.net.backoff import next_wait
from tui.net.http import FetchError, HttpClient, Validators
from tui.sanitize import clean_line, is_web_url
from tui.sources.kinds import FOLLOWED
from tui.sources.web_kinds import FEED_ACCEPT, PAGE_ACCEPT, WebSource
from tui.store import RefreshState, SourceStatus, Store, StoredArticle

# Where feeds usually live when a page advertises none: SPIP, WordPress and most others.
KNOWN_FEED_PATHS = ("/spip.php?page=backend", "/feed", "/rss", "/feed/", "/rss.xml", "/atom.xml")
FOLLOWED_SOURCE = (FOLLOWED_SOURCE_KEY, "Liens suivis")

logger = logging.getLogger("bladi_tui.sources.web")

# Sources' statuses are written together, at most this often (seconds) and at the end of a
# refresh: one transaction per source was one of the costs that grew with their number.
STATUS_WRITE_INTERVAL = 0.25


def document_digest(
    content: bytes, url: str, content_type: str, spec: SourceSpec, site_title: str = ""
) -> str:
    """What identifies a feed document as the store holds it: its bytes, and everything its
    articles were read with (the URL their links are relative to, the source's name and
    settings, this version of bladi-tui, whose parsing may differ). The same digest twice
    means the store holds that document's articles already.

    SHA-256, not BLAKE2b: CPUs with SHA instructions (most x86 and ARM cores of the last years)
    hash it faster, and the fetching process hashes every body it hands to the workers while
    they wait for a core (BENCHMARKS.md, issue 16's seventh round)."""
    digest = hashlib.sha256(content)
    for part in (
        url,
        content_type,
        spec.name,
        str(spec.full_text),
        str(spec.named),
        site_title,
        tui.__version__,
    ):
        digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class SourceFailure(Exception):
    """A source that gave nothing usable: its reason (:mod:`tui.reasons`, a code and its
    parameters), stored as :attr:`reason`; ``str()`` words it in English."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(reasons.sentence(code, params))
        self.reason = reasons.encode(code, **params)


class LiveReader:
    """``parse`` reads a feed document (:func:`parse_feed`'s signature); in a large refresh it may
    run in a worker process, so it must be a module-level function there. ``clock`` gives the
    time (epoch seconds) for the waits of sources that turned it away."""

    def __init__(
        self,
        store: Store,
        settings: FetchSettings | None = None,
        client: HttpClient | None = None,
        *,
        parse: Callable[..., ParsedFeed] = parse_feed,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.settings = settings or FetchSettings()
        self.client = client or HttpClient(self.settings)
        self.parse = parse
        self.clock = clock
        self._page_slots: dict[str, asyncio.Semaphore] = {}
        self._states: dict[str, RefreshState] = {}  # read ahead by prepare(), used once
        self._validators: dict[str, tuple[str, str]] = {}
        self._statuses: list[SourceStatus] = []  # not written yet (see STATUS_WRITE_INTERVAL)
        self._statuses_written = 0.0  # time.monotonic() of the last write

    async def aclose(self) -> None:
        await self.write_statuses()
        await self.client.aclose()

    async def prepare(self, specs: list[SourceSpec]) -> None:
        """Read what refreshing these sources starts from (waits, digests, validators) in one
        go, rather than in a read of the store per source."""
        states, validators = await asyncio.to_thread(
            self.store.refresh_states, [spec.key for spec in specs], [spec.url for spec in specs]
        )
        self._states.update(states)
        for spec in specs:
            self._validators[spec.url] = validators.get(spec.url, ("", ""))

    async def write_statuses(self) -> None:
        """Write the sources' statuses not written yet, in one transaction."""
        statuses, self._statuses = self._statuses, []
        self._statuses_written = time.monotonic()
        if statuses:
            await asyncio.to_thread(self.store.set_source_statuses, statuses)

    async def _state(self, key: str) -> RefreshState:
        state = self._states.pop(key, None)
        if state is None:
            states, _ = await asyncio.to_thread(self.store.refresh_states, [key], [])
            state = states.get(key) or RefreshState()
        return state

    async def __aenter__(self) -> LiveReader:
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self.aclose()

    # -- one source ---------------------------------------------------------------------------

    async def refresh(
        self, spec: SourceSpec, source: WebSource, *, respect_backoff: bool = False
    ) -> SourceOutcome:
        """Read one source of the web kind ``source`` into the store. With ``respect_backoff`` (a refresh nobody asked for),
        a source still waiting after a refusal is skipped: its outcome says until when."""
        state = await self._state(spec.key)
        previous, retry_at = state.backoff, state.retry_at
        if respect_backoff and retry_at is not None and retry_at > self.clock():
            return SourceOutcome(
                spec.key,
                spec.name,
                error=state.last_error,
                reason=state.last_reason,
                retry_at=retry_at,
                skipped=True,
            )
        backoff, retry_at = 0.0, None
        # The source's budget for this refresh: its feed, then as many of its pages as fit.
        deadline = asyncio.get_running_loop().time() + self.settings.source_budget
        try:
            new = await self._refresh(spec, source, state.body_digest, deadline)
        except FetchError as error:
            interval = self.settings.refresh_minutes * 60
            backoff, retry_at = next_wait(previous, error, interval, self.clock())
            outcome = SourceOutcome(
                spec.key, spec.name, error=clean_line(error), reason=error.stored_reason, retry_at=retry_at
            )
        except SourceFailure as error:
            outcome = SourceOutcome(spec.key, spec.name, error=clean_line(error), reason=error.reason)
        except FeedParseError as error:
            reason = getattr(error, "reason", "") or reasons.NOT_A_FEED
            outcome = SourceOutcome(spec.key, spec.name, error=clean_line(error), reason=reason)
        except Exception as error:  # a bug met on one source's content must not cost the others theirs
            if fault_of(error) is not None:
                raise  # the machine's (a full disk): no source's, and said once (tui.faults)
            logger.exception("refreshing %s failed", clean_line(spec.key))
            unexpected = SourceFailure(reasons.UNEXPECTED_ERROR, error=type(error).__name__)
            outcome = SourceOutcome(spec.key, spec.name, error=str(unexpected), reason=unexpected.reason)
        else:
            outcome = SourceOutcome(spec.key, spec.name, new=new)
        self._statuses.append(
            SourceStatus(
                spec.key, error=outcome.error, reason=outcome.reason, backoff=backoff, retry_at=retry_at
            )
        )
        if time.monotonic() - self._statuses_written >= STATUS_WRITE_INTERVAL:
            await self.write_statuses()
        return outcome

    async def _refresh(self, spec: SourceSpec, source: WebSource, last_digest: str, deadline: float) -> int:
        try:
            return await self._within_budget(spec, source, last_digest, deadline)
        except TimeoutError:
            budget = self.settings.source_budget
            raise SourceFailure(reasons.OVER_BUDGET, seconds=f"{budget:g}") from None

    async def _within_budget(
        self, spec: SourceSpec, source: WebSource, last_digest: str, deadline: float
    ) -> int:
        async with asyncio.timeout_at(deadline):
            found = await self._document(spec, source)
        if found is None:
            return 0  # 304: nothing changed
        content, final_url, content_type, validators, site_title, is_page = found
        if is_page:
            article = await asyncio.to_thread(extract_article, content, final_url, source=spec.name)
            if not article.title and not article.body:
                raise SourceFailure(reasons.NO_ARTICLE_TEXT)
            article.location = final_url
            if not article.url:
                article.url = final_url
            return await asyncio.to_thread(
                partial(self.store.upsert_articles, spec.key, [article], listing=True, validators=validators)
            )
        return await self._store_feed(
            spec, content, final_url, content_type, validators, site_title, last_digest, deadline
        )

    async def _document(
        self, spec: SourceSpec, source: WebSource
    ) -> tuple[bytes, str, str, tuple[str, str, str], str, bool] | None:
        """What the source's address leads to (content, final URL, content type, validators,
        the site's title, whether it is one article's page), or None when it has not changed."""
        response = await self._get(spec.url, source.accept, spec.headers)
        if response is None:
            return None
        content, final_url, content_type, validators = response
        is_feed = looks_like_feed(content, content_type)
        if await source.is_one_article(content, final_url, is_feed=is_feed):
            return content, final_url, content_type, validators, "", True
        site_title = ""
        if not is_feed and source.discovers:
            if not spec.named:  # the source may be named after the site, if its feed has no title
                site_title = await asyncio.to_thread(page_title, content)
            content, final_url, content_type = await self._discover(content, final_url, spec.headers)
        return content, final_url, content_type, validators, site_title, False

    async def _get(
        self, url: str, accept: str, headers: tuple[tuple[str, str], ...] = ()
    ) -> tuple[bytes, str, str, tuple[str, str, str]] | None:
        """The document at ``url`` (content, final URL, content type, validators to save with what
        is read from it), or None when it has not changed since the validators saved last."""
        known = self._validators.pop(url, None)
        etag, last_modified = (
            known if known is not None else await asyncio.to_thread(self.store.validators, url)
        )
        response = await self.client.get(url, Validators(etag, last_modified), accept=accept, headers=headers)
        logger.debug("GET %s: %s, %d bytes", clean_line(url), response.status, len(response.content))
        if response.not_modified:
            return None
        content_type = response.headers.get("content-type", "")
        validators = (url, response.validators.etag, response.validators.last_modified)
        return response.content, response.url, content_type, validators

    async def _discover(
        self, html: bytes, page_url: str, headers: tuple[tuple[str, str], ...] = ()
    ) -> tuple[bytes, str, str]:
        """The first feed a site's page leads to: advertised ones, then the usual places."""
        candidates = await asyncio.to_thread(discover_feeds, html, page_url)
        root = f"{urlsplit(page_url).scheme}://{urlsplit(page_url).netloc}"
        candidates += [urljoin(root, path) for path in KNOWN_FEED_PATHS]
        seen = set()
        for candidate in candidates:
            if candidate in seen or not is_web_url(candidate):
                continue
            seen.add(candidate)
            try:
                # Discovery asks unconditionally: a 304 would hide whether this is a feed.
                response = await self.client.get(
                    candidate, None, accept=FEED_ACCEPT, headers=_same_host(headers, page_url, candidate)
                )
            except FetchError:
                continue
            if looks_like_feed(response.content, response.headers.get("content-type", "")):
                return response.content, response.url, response.headers.get("content-type", "")
        raise SourceFailure(reasons.NO_FEED_FOUND)

    async def _store_feed(
        self,
        spec: SourceSpec,
        content: bytes,
        url: str,
        content_type: str,
        validators: tuple[str, str, str],
        site_title: str = "",
        last_digest: str = "",
        deadline: float | None = None,
    ) -> int:
        digest = document_digest(content, url, content_type, spec, site_title)
        if digest == last_digest:
            # The very document whose articles the store holds: no parsing, no writing (its
            # validators, if any, are those saved with it). Only pages a stopped refresh left
            # unread are read.
            wanted = await asyncio.to_thread(pending_pages, self.store, spec.key, spec.full_text)
            await self._complete_all(spec, wanted, deadline)
            return 0
        read = partial(
            parse_and_store_feed,
            source_key=spec.key,
            content=content,
            url=url,
            source=spec.name,
            content_type=content_type,
            full_text=spec.full_text,
            validators=validators,
            parse=self.parse,
            name_from_title=not spec.named,
            site_title=site_title,
            digest=digest,
            deadline=deadline,
        )
        # Large feeds of a large refresh: in a worker process, with its own connection to the
        # store (an in-memory store has no other connection). Here: with this connection.
        there = partial(read, self.store.path) if self.store.path != ":memory:" else None
        new, wanted = await off_the_loop(partial(read, self.store), there, size=len(content))
        await self._complete_all(spec, wanted, deadline)
        return new

    async def _complete_all(
        self, spec: SourceSpec, wanted: list[Article], deadline: float | None = None
    ) -> None:
        """Full text: once per article, a few pages per host, the newest first and no more of
        them than the refresh allows the source (in number and in time); the others keep their
        intro and no notice, and so are read at the next refresh."""
        wanted = sorted(wanted, key=_newest_first)[: self.settings.pages_per_refresh]
        if not wanted:
            return
        try:
            async with asyncio.timeout_at(deadline):
                await asyncio.gather(
                    *(
                        self._complete(spec.key, article, _same_host(spec.headers, spec.url, article.url))
                        for article in wanted
                    )
                )
        except TimeoutError:
            logger.info("%s: pages left for the next refresh (budget spent)", clean_line(spec.key))

    def _page_slot(self, url: str) -> asyncio.Semaphore:
        host = urlsplit(url).hostname or ""
        if host not in self._page_slots:
            self._page_slots[host] = asyncio.Semaphore(max(1, self.settings.pages_per_host))
        return self._page_slots[host]

    async def complete(self, source_key: str, item: Article) -> None:
        """Replace an article's intro (or bare title) with its page's full text, politely."""
        await self._complete(source_key, item)

    async def _complete(
        self, source_key: str, item: Article, headers: tuple[tuple[str, str], ...] = ()
    ) -> None:
        """Replace a feed item's intro with its page's full text, or say why not."""
        async with self._page_slot(item.url):
            try:
                response = await self.client.get(item.url, None, accept=PAGE_ACCEPT, headers=headers)
                page = await asyncio.to_thread(
                    extract_article, response.content, response.url, source=item.source
                )
            except FetchError as error:
                page, reason, sentence = None, error.stored_reason, clean_line(error)
            except Exception as error:  # the intro stays, with a notice, whatever broke on this page
                logger.exception("reading the page %s failed", clean_line(item.url))
                failure = SourceFailure(reasons.UNEXPECTED_ERROR, error=type(error).__name__)
                page, reason, sentence = None, failure.reason, str(failure)
            else:
                failure = SourceFailure(reasons.NO_ARTICLE_TEXT)
                reason, sentence = failure.reason, str(failure)
        if page is not None and page.body:
            article = merge_page(item, page, response.url)
        elif item.full_text:
            return
        else:
            # The notice is stored as a reason, worded in the reader's language when shown.
            article = replace(item, notice=reasons.page_unavailable(reason, sentence))
        await asyncio.to_thread(self.store.upsert_articles, source_key, [article])

    # -- one page a link points to ------------------------------------------------------------

    async def load_article(self, url: str) -> StoredArticle | None:
        """Fetch and extract an article a link points to, keep it, and return it as stored; an
        article the store holds under another of its site's URL forms is returned unfetched."""
        globs = same_article_globs(url)
        if globs:
            stored = await asyncio.to_thread(self.store.find, url, globs)
            if stored is not None:
                return stored
        try:
            response = await self.client.get(url, None, accept=PAGE_ACCEPT)
        except FetchError:
            return None
        if looks_like_feed(response.content, response.headers.get("content-type", "")):
            return None
        article = await asyncio.to_thread(
            extract_article, response.content, response.url, source=FOLLOWED_SOURCE[1]
        )
        if not article.body:
            return None
        article.guid = url
        article.url = article.url if is_web_url(article.url) else url
        article.location = response.url
        key, name = FOLLOWED_SOURCE
        await asyncio.to_thread(self.store.ensure_source, key, name, FOLLOWED)
        # A link followed on purpose brings back an article the retention had purged.
        await asyncio.to_thread(partial(self.store.upsert_articles, key, [article], revive=True))
        # Found by its URL, or by another of its site's forms (the page may name itself otherwise).
        return await asyncio.to_thread(self.store.find, url, globs)


def _newest_first(article: Article) -> tuple[bool, float]:
    date = article.date
    return (date is None, -date.timestamp() if date is not None else 0.0)


def _same_host(
    headers: tuple[tuple[str, str], ...], source_url: str, url: str
) -> tuple[tuple[str, str], ...]:
    """A source's own headers for another URL of its site; none for another site's."""
    if not headers:
        return ()
    try:
        same = urlsplit(source_url).hostname == urlsplit(url).hostname
    except ValueError:
        same = False
    return headers if same else ()


def merge_page(item: Article, page: Article, page_url: str) -> Article:
    """The page's text with the feed's identity: its guid, and what the page did not say.

    Where they disagree the feed's date wins (a date line may lack the day); the same instant
    keeps the page's zone, the site's own. The page's rubrique wins: its date line names it, or
    links it to the rubrique's listing; a segment that is not one was never taken for it. The
    feed's picture is the lead photo when the page gives none.
    """
    return replace(
        page,
        guid=item.guid,
        url=item.url or page.url,
        title=page.title or item.title,
        date=page.date if page.date == item.date else (item.date or page.date),
        rubrique=page.rubrique or item.rubrique,
        tags=page.tags or item.tags,
        author=page.author or item.author,
        summary=item.summary or page.summary,
        lead=with_feed_photo(page.lead, page.body, item.lead),
        source=item.source,
        location=page_url,
        topic_pages=[*item.topic_pages, *page.topic_pages],
        full_text=True,
        notice="",
        entry_digest=item.entry_digest,  # still what the feed's entry says: not read again
    )


async def load_article_page(store: Store, url: str, config) -> StoredArticle | None:
    """One article page, for `show URL` and links followed in the reader."""
    async with LiveReader(store, config.fetch if config else None) as reader:
        return await reader.load_article(url)
