"""The pictures of the article on screen, as a part of the app: loaded in reading order through
the picture loader (its cache and its own HTTP client), each drawn as it arrives."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import work

from tui.config import Config
from tui.store import Store
from tui.ui.parts import AppPart
from tui.ui.screens.reader import ReaderScreen

if TYPE_CHECKING:
    from tui.images.load import PictureLoader

# The most pictures loaded for one article: a gallery of hundreds is a page to open elsewhere.
MAX_PICTURES = 40


class ArticlePictures(AppPart):
    store: Store
    config: Config | None
    offline: bool

    if TYPE_CHECKING:  # the app's

        @property
        def reader(self) -> ReaderScreen: ...

    def __init__(self) -> None:
        super().__init__()
        self._pictures: PictureLoader | None = None  # once an article with pictures is opened

    @property
    def pictures(self) -> PictureLoader:
        """The PictureLoader: the cache beside the store, and (online) its own HTTP client under
        the picture cap."""
        if self._pictures is None:
            from tui.images.load import picture_loader

            self._pictures = picture_loader(self.store.path, self.config, offline=self.offline)
        return self._pictures

    def _picture_loader(self) -> PictureLoader:
        return self.pictures

    @work(exclusive=True, group="pictures", exit_on_error=False)
    async def load_pictures(self, article_id: str, document: str) -> None:
        """The pictures of the article on screen, in reading order (the lead photo first), each
        drawn as it arrives; never before the article's text is on screen."""
        from tui.extract.images import images_in

        view = self.reader.article_view
        # The loader's modules (Pillow, the HTTP client) are imported in a thread the first time:
        # the screen keeps answering keys meanwhile.
        loader = self._pictures
        if loader is None:
            loader = await asyncio.to_thread(self._picture_loader)
        for _alt, url in images_in(document)[:MAX_PICTURES]:
            result = await loader.load(url, article_id)
            if view.document != document:
                return
            view.picture_arrived(document, result)
