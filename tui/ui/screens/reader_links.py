"""Following links inside the reader, as a part of the reader screen: to a topic, to an article
the store holds, to a site's page of a rubrique or a tag, else to the web; the history of links
followed that Escape walks back; and the links dialog (`l`)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from tui.sanitize import is_web_url
from tui.topic import Topic
from tui.ui.screens.reader_panes import ReaderPanes

if TYPE_CHECKING:  # the links come with the first article opened, and their modules with them
    from tui.article_markdown import DocumentLink
    from tui.store.articles import StoredArticle

# Links followed that Escape can walk back.
HISTORY_LIMIT = 100


class LinkFollowing(ReaderPanes):
    if TYPE_CHECKING:  # the reader screen's

        def show_topic(self, topic: Topic) -> None: ...
        def show_article(self, stored: StoredArticle) -> None: ...
        def leave_article(self, *, keep_place: bool = False) -> None: ...
        def go_to_topic(self, topic: Topic) -> None: ...
        def action_back(self) -> None: ...

    def __init__(self) -> None:
        super().__init__()
        # Where each followed link was taken: (topic, open article or None), newest last.
        self._history: list[tuple[Topic, int | None]] = []

    def follow(self, link: DocumentLink) -> None:
        """Follow a link inside the reader: a topic, an article it holds, or else copy it.
        Where the user was goes on the link history, which Escape walks back."""
        self._history.append(
            (self.topic, self.open_article.rowid if self.reading and self.open_article else None)
        )
        del self._history[:-HISTORY_LIMIT]
        if link.image:  # a picture opens where pictures are seen: the browser
            self._history.pop()
            self.app.open_in_browser(link.url)  # type: ignore[attr-defined]
            return
        from tui.article_markdown import topic_from_url

        topic = topic_from_url(link.url)
        if topic is not None:
            self.go_to_topic(topic)
            return
        url = link.url
        base = self.open_article.article.location if self.open_article else ""
        if not urlsplit(url).scheme and base:
            url = urljoin(base, url)
        stored = self.store.find(url)
        if stored is not None:
            self.show_article(stored)
            index = self.article_list.position(stored.rowid)
            if index is not None:
                self.article_list.move_to(index)
            return
        topic = self._topic_page(url) or self.app.listings.topic_of_page(url, link.text)  # type: ignore[attr-defined]
        if topic is not None:
            self.go_to_topic(topic)
        elif is_web_url(url):
            self.app.load_web_article(url)  # type: ignore[attr-defined]
        else:
            self.notify(self.t("notice.not_available", url=url), severity="warning", markup=False)

    def history_back(self) -> bool:
        """Back to where the last followed link was taken (a topic, an open article); False when
        no link was followed since the user last chose from the list or the sidebar."""
        if not self._history:
            return False
        topic, rowid = self._history.pop()
        if (topic.kind, topic.key) != (self.topic.kind, self.topic.key):
            self.show_topic(topic)
            self.sidebar.topics.select_topic(topic, post=False)
        stored = self.store.article(rowid) if rowid is not None else None
        if stored is None:
            self.leave_article()
            self.article_list.focus()
            return True
        self.show_article(stored)
        index = self.article_list.position(stored.rowid)
        if index is not None:
            self.article_list.move_to(index)
        return True

    def action_history_back(self) -> None:
        if not self.history_back():
            self.action_back()

    def _topic_page(self, url: str) -> Topic | None:
        """A site's page of a rubrique or a tag (``…/maroc.html``, ``…/abdellatif-hammouchi.html``:
        a slug with no article id) that names one the reader holds: that topic, read here."""
        from tui.article_markdown import slugify, topic_slug_of

        slug = topic_slug_of(url)
        if not slug:
            return None
        # Only the topics whose names could be the slug: there can be hundreds of thousands.
        name = slug.replace("-", " ")
        found = [
            *self.store.rubriques(self.source_keys, matching=name),
            *self.store.tags(self.source_keys, matching=name),
        ]
        for item in found:
            if slugify(item.topic.label) == slug:
                return item.topic
        return None

    def action_links(self) -> None:
        if not self.reading and self.focused is not self.article_view:
            self.notify(self.t("notice.links_need_article"), markup=False)
            return
        # One entry per target: a tag listed in two sections, the article's own address twice.
        links = list({link.url: link for link in reversed(self.article_view.links)}.values())[::-1]

        def chosen(link: DocumentLink | None) -> None:
            if link is not None:
                self.follow(link)

        from tui.ui.screens.links import LinksScreen  # a dialog: not before the first frame

        self.app.push_screen(
            LinksScreen(
                self.t("links.title"),
                self.t("links.none"),
                links,
                self.t("links.topic"),
                picture_note=self._picture_note,
            ),
            chosen,
        )

    def _picture_note(self, link: DocumentLink) -> tuple[str, str]:
        """A picture's entry in the links dialog: its placeholder, and why it is not drawn."""
        view = self.article_view
        label = view.pictures.label(link.text)
        reason = view.picture_problem(link.url)
        if reason:
            return label, self.t(f"picture.reason.{reason}", detail=view.picture_detail(link.url))
        return label, ""
