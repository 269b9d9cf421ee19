"""``list`` and ``show``: the stored articles, printed one a line (or as JSON), or one whole as
Markdown."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from tui.cli.context import Context
from tui.cli.parser import UsageError
from tui.sanitize import clean_line


def article_json(stored) -> dict:
    article = stored.article
    return {
        "id": article.id,
        "title": article.title,
        "url": article.url or article.location,
        "date": article.date.isoformat() if article.date else None,
        "rubrique": article.rubrique,
        "tags": article.tags,
        "author": article.author,
        "source": article.source,
        "read": stored.read,
        "saved": stored.saved,
        "summary": article.summary,
    }


def command_list(context: Context) -> int:
    from tui.model import fold
    from tui.store.listing_sources import with_listing_sources

    context.refresh(missing_only=True)
    options = context.options
    store = context.store
    keys = context.source_keys
    if options.source:
        # A source's name (the config's, or its feed's title, which can change) or its URL or
        # path: scripts that name a source by its URL keep working when its title changes.
        wanted = fold(options.source)
        stored = {state.key: state.name for state in store.sources(keys)} if keys else {}
        keys = with_listing_sources(
            [
                spec.key
                for spec in context.sources
                if wanted in (fold(spec.name), fold(stored.get(spec.key, ""))) or spec.key == options.source
            ]
        )
        if not keys:
            names = ", ".join(stored.get(spec.key) or spec.name for spec in context.sources)
            raise UsageError(
                f"no source named {clean_line(options.source)!r} (sources: {clean_line(names)})."
            )
    if options.more:
        _read_topic_listings(context, keys)
    rowids = store.matching_rowids(
        keys,
        unread=options.unread,
        saved=options.saved,
        topic_key=fold(options.topic) if options.topic else "",
        query=options.search or "",
        limit=options.limit or -1,
    )
    articles = [a for a in (store.article(rowid) for rowid in rowids) if a is not None]
    if options.json:
        json.dump([article_json(a) for a in articles], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for stored in articles:
        a = stored.article
        date = a.date.strftime("%Y-%m-%d %H:%M") if a.date else " " * 16
        print(f"{date}  {a.rubrique[:18]:<18}  {a.title}  [{a.id}]")
    return 0


def _read_topic_listings(context: Context, keys: list[str]) -> None:
    """`list --topic T --more N`: N pages of T's listings into the store (none with --offline)."""
    from tui.model import Topic
    from tui.sources.listing import read_topic_pages

    options = context.options
    if not options.topic:
        raise UsageError("--more needs --topic (the rubrique or tag whose listing to read).")
    if context.offline:
        return
    topics = [Topic.of("rubrique", options.topic), Topic.of("tag", options.topic)]
    # The names the store gives (a feed's title): a listing source is named as its source is.
    stored = {state.key: state.name for state in context.store.sources(keys)} if keys else {}
    names = {spec.key: stored.get(spec.key) or spec.name for spec in context.sources}
    errors = asyncio.run(
        read_topic_pages(context.store, topics, keys, names, pages=options.more, fetch=context.config.fetch)
    )
    for error in dict.fromkeys(errors):
        print(f"bladi-tui: warning: a listing page could not be read: {clean_line(error)}", file=sys.stderr)


def command_show(context: Context) -> int:
    from tui.article_markdown import to_markdown

    ref = context.options.ref
    path = Path(ref).expanduser()
    if "://" not in ref and path.is_file():
        from tui.sources.local import LocalSourceError, read_article_file

        try:
            articles = read_article_file(path.resolve(), path.resolve().parent, path.stem)
        except (OSError, LocalSourceError) as error:
            raise UsageError(f"{clean_line(ref)} cannot be read: {error}") from None
        if not articles:
            raise UsageError(f"{clean_line(ref)} holds no article.")
        sys.stdout.write(to_markdown(articles[0], reader=False))
        return 0
    from tui.extract.page import same_article_globs

    context.refresh(missing_only=True)
    stored = context.store.find(ref.strip(), same_article_globs(ref.strip()))
    if stored is None and "://" in ref and not context.offline:
        from tui.sources.web import load_article_page

        stored = asyncio.run(load_article_page(context.store, ref.strip(), context.config))
    if stored is None:
        print(f"bladi-tui: no article {clean_line(ref)} in the store.", file=sys.stderr)
        return 1
    sys.stdout.write(to_markdown(stored.article, reader=False))
    return 0
