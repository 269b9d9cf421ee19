"""Prototypes of the fixes BENCHMARKS.md proposes, applied to the real app by monkeypatching.

    python -m benchmarks --app-command "python -m benchmarks.prototypes PATCH[,PATCH...] --"

starts bladi-tui with some of the patches below applied, so that a proposal's gain is measured by
the same benchmark, in the same terminal, before anyone edits the app. They are measurements,
not code to ship: each names the real change it stands for, and the owners of those files make
it properly (tests included). Nothing imports this module but that command line.

Patches:

- ``gc-freeze``: ``gc.freeze()`` once the first frame is drawn. Textual's start-up leaves ~100,000
  long-lived objects that every full collection walks again (50-100 ms each, several per article
  opened); frozen, they are no longer scanned.
- ``quiet-refresh``: a refresh that read no source (offline, remote sources only) does not reload
  the list and the counts. At start-up that reload runs before the reader has even mounted, and
  the reader then does it again: twice the counting before the first frame.
- ``deferred-counts``: the sidebar counts are computed after the frame is drawn, and repeated
  requests are coalesced: the list shows first, and opening an article does not wait for them.
- ``count-indexes``: two covering indexes, so that the sidebar's counts (all, unread, saved, per
  source, per rubrique) are read from an index instead of every article row (the schema
  migration would add them; here they are added when the store opens, and left in that store).
- ``article-render-once``: the article view renders the document once per width (and theme),
  not again whenever its focus or a class on the screen changes its style.
- ``progressive``: a long article shows its first screen from its first blocks; the rest is
  rendered a few KB at a time, yielding to the event loop in between, so keys are answered
  meanwhile. (A thread does not do it: rendering holds the GIL and the app still stalls.)
- ``top-tags``: "Sujets" loads the 200 most used tags, counted and sorted by SQL.
"""

from __future__ import annotations

import gc
import sys

PATCHES = ("gc-freeze", "quiet-refresh", "deferred-counts", "count-indexes", "article-render-once", "progressive", "top-tags")
# The indexes count-indexes adds; the benchmark drops them from the stores it keeps (--data).
PROTOTYPE_INDEXES = {
    "prototype_counts": "articles(source_id, read, saved)",
    "prototype_rubriques": "articles(source_id, rubrique_key, rubrique, read)",
}
TOP_TAGS = 200
FIRST_CHUNK_BYTES = 4_000  # enough Markdown for a screen of text at any width; ~5 ms to render
CHUNK_BYTES = 2_000  # the rest, ~3 ms of rendering at a time


def gc_freeze() -> None:
    from tui.ui.app import BladiApp

    original = BladiApp.on_mount

    def on_mount(self) -> None:
        original(self)
        self.call_after_refresh(gc.freeze)

    BladiApp.on_mount = on_mount


def quiet_refresh() -> None:
    import tui.refresh
    from tui.ui.screens.reader import ReaderScreen

    refresh, reload = tui.refresh.refresh_sources, ReaderScreen.reload
    idle = {"last": False}

    async def refresh_sources(*args, **kwargs):
        outcomes = await refresh(*args, **kwargs)
        idle["last"] = not outcomes
        return outcomes

    def quiet_reload(self, *, keep: bool = True) -> None:
        if keep and idle["last"]:
            idle["last"] = False
            return
        reload(self, keep=keep)

    tui.refresh.refresh_sources = refresh_sources
    ReaderScreen.reload = quiet_reload


def deferred_counts() -> None:
    from tui.ui.screens.reader import ReaderScreen

    original = ReaderScreen.update_counts

    def update_counts(self) -> None:
        if getattr(self, "_counts_pending", False):
            return
        self._counts_pending = True

        def run() -> None:
            self._counts_pending = False
            original(self)

        self._update_title()
        self.call_after_refresh(run)

    ReaderScreen.update_counts = update_counts


def count_indexes() -> None:
    from tui.store import Store

    original = Store.__init__

    def __init__(self, *args, **kwargs) -> None:
        original(self, *args, **kwargs)
        for name, columns in PROTOTYPE_INDEXES.items():
            self._db.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {columns}")

    Store.__init__ = __init__


def article_render_once() -> None:
    from textual.scroll_view import ScrollView

    from tui.ui.widgets.article_view import ArticleView

    def notify_style_update(self) -> None:
        ScrollView.notify_style_update(self)
        theme = self.app.theme
        if theme != getattr(self, "_rendered_theme", None):
            self._rendered_theme = theme
            self._rendered_width = -1
            if self.is_mounted:
                self._render_document()

    ArticleView.notify_style_update = notify_style_update


def progressive() -> None:
    import asyncio

    from textual.geometry import Size
    from textual.strip import Strip

    from tui.ui.widgets.article_view import ArticleView

    original = ArticleView._render_document

    def _render_document(self) -> None:
        document = self.document
        width = self.text_width
        if len(document) <= 2 * FIRST_CHUNK_BYTES or width == self._rendered_width:
            return original(self)
        chunks = _chunks(document)
        self.document = chunks[0]
        try:
            original(self)  # the first blocks: the first screen, drawn at once
        finally:
            self.document = document
        generation = getattr(self, "_generation", 0) + 1
        self._generation = generation

        async def render_rest() -> None:
            # The rest, a few KB at a time, yielding to the event loop in between: keys are
            # answered and the screen is drawn while a long article is still being laid out.
            # It starts once the first screen is out and what follows an opening (the footer's
            # new keys, the counts) is done: nobody reads past the first screen in 0.1 s.
            await asyncio.sleep(0.1)
            for chunk in chunks[1:]:
                # Not sleep(0): Textual draws on idle, and a loop that is never idle never draws.
                await asyncio.sleep(1 / 60)
                if self._generation != generation or self.document != document:
                    return
                view = _Shadow(self, chunk)
                original(view)
                self._lines.extend([Strip([]), *view._lines])
                self.virtual_size = Size(width, len(self._lines))
            self.refresh()

        self.run_worker(render_rest(), exclusive=True, group="article-render")

    ArticleView._render_document = _render_document


def _chunks(document: str) -> list[str]:
    """The document cut at blank lines (between top-level blocks): FIRST_CHUNK_BYTES for the
    first screen, then CHUNK_BYTES at a time (a few ms of rendering each)."""
    chunks, start = [], 0
    while start < len(document):
        size = CHUNK_BYTES if chunks else FIRST_CHUNK_BYTES
        cut = document.find("\n\n", start + size)
        if cut < 0 or len(document) - cut < size // 2:
            cut = len(document)
        chunks.append(document[start:cut].strip("\n"))
        start = cut + 2
    return [c for c in chunks if c]


class _Shadow:
    """What ArticleView._render_document reads and writes, outside the widget (for a thread)."""

    def __init__(self, view, document: str) -> None:
        self.__dict__["_view"] = view
        self.__dict__["document"] = document
        self.__dict__["_rendered_width"] = -1
        self.__dict__["_query"] = ""

    def __getattr__(self, name):
        return getattr(self.__dict__["_view"], name)

    def __setattr__(self, name, value):
        if name == "virtual_size":
            return
        self.__dict__[name] = value


def top_tags() -> None:
    from tui.model import Topic
    from tui.store import Store, TopicCount

    def tags(self, source_keys=None):
        with self._lock:
            where, params = self._scope(source_keys)
            rows = self._db.execute(
                "SELECT t.tag_key, MAX(t.tag), COUNT(*), SUM(a.read = 0) FROM article_tags t "
                f"JOIN articles a ON a.rowid = t.article WHERE {where} GROUP BY t.tag_key "
                "ORDER BY COUNT(*) DESC, t.tag_key LIMIT ?",
                [*params, TOP_TAGS],
            ).fetchall()
        return [TopicCount(Topic("tag", key, label), count, unread or 0) for key, label, count, unread in rows]

    Store.tags = tags


APPLY = {
    "gc-freeze": gc_freeze,
    "quiet-refresh": quiet_refresh,
    "deferred-counts": deferred_counts,
    "count-indexes": count_indexes,
    "article-render-once": article_render_once,
    "progressive": progressive,
    "top-tags": top_tags,
}


def main(argv: list[str]) -> int:
    if not argv or "--" not in argv:
        print("usage: python -m benchmarks.prototypes PATCH[,PATCH...]|all -- [bladi-tui arguments]", file=sys.stderr)
        return 2
    split = argv.index("--")
    names = [n for part in argv[:split] for n in part.split(",") if n]
    if names == ["all"]:
        names = list(PATCHES)
    unknown = [n for n in names if n not in APPLY]
    if unknown:
        print(f"unknown patch(es): {', '.join(unknown)}; known: {', '.join(PATCHES)}", file=sys.stderr)
        return 2
    for name in names:
        APPLY[name]()
    from tui.cli import main as bladi_main

    return bladi_main(argv[split + 1:])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
