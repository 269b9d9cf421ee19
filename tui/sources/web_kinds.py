"""The web kinds of source (:mod:`tui.sources.kinds`), each a class saying what its address may
lead to: a feed, a site whose page leads to its feed, one article's page, or (``auto``) whatever
its content says. The refresh's :class:`tui.sources.web.LiveReader` reads them all, with its one
HTTP client; :mod:`tui.sources.readers` finds the class of each kind."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from tui.extract.page import is_article_page
from tui.sources.kinds import ARTICLE, AUTO, FEED, SITE

if TYPE_CHECKING:
    from tui.config import SourceSpec
    from tui.model import SourceOutcome
    from tui.sources.readers import Reading

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
    "text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


class WebSource:
    """A web kind (:class:`tui.sources.readers.SourceReader`): what its address may lead to. The
    refresh's :class:`tui.sources.web.LiveReader` does the reading, with its one HTTP client."""

    kind = ""
    accept = FEED_ACCEPT  # what its first request asks for
    discovers = False  # a page that is neither a feed nor one article leads to the site's feed

    async def refresh(self, spec: SourceSpec, reading: Reading) -> SourceOutcome:
        if reading.web is None:
            raise ValueError(f"{self.kind} sources are read with a LiveReader")
        return await reading.web.refresh(spec, self, respect_backoff=reading.respect_backoff)

    async def is_one_article(self, content: bytes, url: str, *, is_feed: bool) -> bool:
        """Whether the document the address led to is one article's page."""
        return False


class FeedSource(WebSource):
    """A feed's address."""

    kind = FEED


class SiteSource(WebSource):
    """A site's address: its page leads to its feed."""

    kind = SITE
    discovers = True


class ArticleSource(WebSource):
    """One article's page."""

    kind = ARTICLE
    accept = PAGE_ACCEPT

    async def is_one_article(self, content: bytes, url: str, *, is_feed: bool) -> bool:
        return True


class AutoSource(WebSource):
    """An address whose content says what it is: a feed, one article's page, or a site."""

    kind = AUTO
    discovers = True

    async def is_one_article(self, content: bytes, url: str, *, is_feed: bool) -> bool:
        return not is_feed and await asyncio.to_thread(is_article_page, content, url)
