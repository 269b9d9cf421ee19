"""One picture for the article on screen: from the cache, else over HTTP, then decoded.

Pictures are fetched only when an article is opened (or by ``fetch --images``), through the one
HTTP client with its own cap (:data:`MAX_PICTURE_BYTES`), its per-host limit and a conditional
GET when a cached copy has validators. Offline, only cached pictures are shown.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace

from tui.images.cache import PictureCache
from tui.images.decode import Picture, PictureRefused, decode_picture
from tui.net.limits import MIB, FetchLimits

MAX_PICTURE_BYTES = 5 * MIB

# Reason codes, beside those of tui.images.decode.
OFFLINE = "offline"  # not cached, and the reader is offline
TOO_LARGE = "too_large"  # over MAX_PICTURE_BYTES
UNREACHABLE = "unreachable"  # the server did not give it: ``detail`` says why


@dataclass(frozen=True, slots=True)
class PictureResult:
    url: str
    picture: Picture | None = None
    reason: str = ""  # a reason code when ``picture`` is None
    detail: str = ""  # the HTTP client's sentence, for UNREACHABLE


def picture_limits(limits: FetchLimits) -> FetchLimits:
    """The fetch limits for pictures: the user's, with the picture cap."""
    return replace(limits, max_bytes=min(limits.max_bytes, MAX_PICTURE_BYTES))


def picture_loader(store_path: str, config=None, *, offline: bool = False) -> PictureLoader:
    """The loader for the store at ``store_path``: its cache beside the store (none for a store
    in memory), and online an HTTP client of its own under :func:`picture_limits`."""
    from tui.images.cache import MIB, pictures_folder

    cap = (config.retention.images_mb if config is not None else 200) * MIB
    cache = PictureCache(pictures_folder(store_path), cap) if store_path != ":memory:" else None
    client = None
    if not offline:
        from tui.config import FetchSettings
        from tui.net.http import HttpClient

        client = HttpClient(picture_limits(config.fetch if config is not None else FetchSettings()))
    return PictureLoader(cache, client)


PREFETCH_ARTICLES = 200  # fetch --images: the newest articles whose pictures are kept


async def fetch_pictures(store, source_keys: list[str], config=None) -> tuple[int, int]:
    """``fetch --images``: the pictures of the newest articles of ``source_keys`` into the cache
    (not decoded: the reader decodes what it shows); how many were kept and how many not."""
    from tui.extract.images import images_in
    from tui.model import ALL
    from tui.store.topics import with_listing_sources

    scope, _count = store.open_list(ALL, with_listing_sources(source_keys))
    loader = picture_loader(store.path, config)
    kept = missed = 0
    try:
        for rowid in store.list_rowids(scope, 0, PREFETCH_ARTICLES):
            stored = store.article(rowid)
            if stored is None:
                continue
            article = stored.article
            for _alt, url in images_in(f"{article.lead}\n\n{article.body}")[:40]:
                result = await loader.fetch(url, article.id)
                kept, missed = (kept + 1, missed) if isinstance(result, bytes) else (kept, missed + 1)
    finally:
        if loader.client is not None:
            await loader.client.aclose()
    return kept, missed


class PictureLoader:
    """``client`` is an :class:`tui.net.http.HttpClient` under :func:`picture_limits` (None
    when offline); ``cache`` None keeps nothing on disk."""

    def __init__(self, cache: PictureCache | None, client=None) -> None:
        self.cache = cache
        self.client = client

    async def load(self, url: str, article: str = "", box: tuple[int, int] | None = None) -> PictureResult:
        data = await self.fetch(url, article)
        if isinstance(data, PictureResult):
            return data
        try:
            picture = await asyncio.to_thread(decode_picture, data, *(() if box is None else (box,)))
        except PictureRefused as refused:
            return PictureResult(url, reason=refused.reason)
        return PictureResult(url, picture)

    async def fetch(self, url: str, article: str = "") -> bytes | PictureResult:
        """The picture's bytes (cached, or fetched and cached), or why there are none."""
        cached = await asyncio.to_thread(self.cache.get, url) if self.cache is not None else None
        if self.client is None:
            if cached is None:
                return PictureResult(url, reason=OFFLINE)
            if article and self.cache is not None:
                await asyncio.to_thread(self.cache.note_article, url, article)
            return cached[0]
        from tui.net.http import FetchError, Validators  # online only: httpx is not needed offline

        validators = Validators(cached[1], cached[2]) if cached else None
        try:
            response = await self.client.get(
                url, validators, accept="image/webp,image/png,image/jpeg,image/gif"
            )
        except FetchError as error:
            if cached is not None:
                return cached[0]  # the server is away: the copy we have
            if str(error).startswith("the response exceeded"):  # the cap, said by tui.net.http
                return PictureResult(url, reason=TOO_LARGE)
            return PictureResult(url, reason=UNREACHABLE, detail=str(error))
        if response.not_modified and cached is not None:
            if article and self.cache is not None:
                await asyncio.to_thread(self.cache.note_article, url, article)
            return cached[0]
        data = response.content
        if self.cache is None:
            return data
        await asyncio.to_thread(
            self.cache.put, url, data, response.validators.etag, response.validators.last_modified, article
        )
        return data
