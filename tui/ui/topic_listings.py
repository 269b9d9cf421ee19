"""A topic's articles beyond what the feeds brought: its listing pages on its site, read for the
reader when the topic is shown (the first page) and when its list is scrolled to the end (the
next one), with the list's last row saying so.

The reading itself is the core's (:class:`tui.sources.listing.ListingSource`); this only runs it
for the reader, which the app does in a worker, and puts what arrives on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.sanitize import clean_line, is_web_url
from tui.topic import Topic
from tui.ui.reasons import reason_text

if TYPE_CHECKING:
    # Read when a listing is first asked for, not at start: the listing source brings the HTTP
    # client and the page extraction with it, most of what the app would import before its
    # first frame (BENCHMARKS.md, first paint).
    from tui.sources.listing import ListingOutcome, ListingSource

LISTED_KINDS = ("rubrique", "tag")


class TopicListings:
    """Reads listings for the app's reader; one per app (it remembers the pages read)."""

    def __init__(self, app) -> None:
        self.app = app
        self._source: ListingSource | None = None
        self.loading_older: Topic | None = None

    @property
    def source(self) -> ListingSource:
        if self._source is None:
            from tui.sources.listing import ListingSource

            self._source = ListingSource(self.app.store, self.app.live)
        self._source.names = {spec.key: spec.name for spec in self.app.sources}
        return self._source

    def topic_of_page(self, url: str, title: str) -> Topic | None:
        """The topic a followed link leads to: one whose listing a site gave at this URL, or a
        new one named by the link when the URL is a topic page of a configured source's site
        (its articles then come from that listing)."""
        from tui.sources.listing import is_topic_page, source_of_page
        from tui.store.topics import add_topic_page, find_topic_by_url

        store = self.app.store
        known = find_topic_by_url(store, url)
        if known is not None:
            return known
        label = clean_line(title, 200)
        if not label or not is_web_url(url) or not is_topic_page(url):
            return None
        source_key = source_of_page(self.app.sources, url)
        if not source_key:
            return None
        add_topic_page(store, source_key, "tag", label, url)
        return Topic.of("tag", label)

    def wanted(self, topic: Topic, *, older: bool) -> bool:
        """Whether reading ``topic``'s listing now makes sense (not offline, a listed kind, and
        for older pages not already under way or at the end)."""
        if self.app.offline or topic.kind not in LISTED_KINDS:
            return False
        if older:
            reader = self.app.reader
            return self.loading_older != topic and reader.article_list.footer != self.app.t("list.end")
        return True

    async def read(self, topic: Topic, *, older: bool) -> None:
        reader = self.app.reader
        source = self.source
        keys = reader.source_keys
        if older:
            if await source.has_older(topic, keys) is None:
                return  # no site lists this topic: the list is all there is
            self.loading_older = topic
            reader.article_list.footer = self.app.t("list.older_loading")
            try:
                outcome = await source.read_older(topic, keys)
            finally:
                self.loading_older = None
        else:
            outcome = await source.read_first(topic, keys)
        if reader.topic != topic:
            await source.complete(outcome)
            return
        self._show(topic, outcome, older=older)
        if outcome.wanted:
            await source.complete(outcome)
            if reader.topic == topic:
                reader.reload(keep=True)

    def _show(self, topic: Topic, outcome: ListingOutcome, *, older: bool) -> None:
        reader = self.app.reader
        if outcome.new:
            reader.reload(keep=True)
        if older:
            ended = not outcome.more and not outcome.errors
            reader.article_list.footer = self.app.t("list.end") if ended else ""
        if outcome.errors and older:  # asked for: said; a first page missing only leaves the list as it is
            self.app.notify(
                self.app.t(
                    "notice.listing_failed",
                    error=reason_text(outcome.reasons[0], outcome.errors[0], self.app.t.language),
                ),
                severity="warning",
                markup=False,
            )
