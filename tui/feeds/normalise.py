"""One normaliser, from a road's :class:`FeedEntry` to a sanitized :class:`Article`.

Everything that leaves the feed pipeline has been through here, hence through
:mod:`tui.sanitize`: feedparser decodes ``&#27;`` in a title into a raw ESC, the lxml walk does
too, and neither sanitizes titles.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin

import tui
from tui.feeds.entry import FeedEntry
from tui.feeds.spip import split_plain_spip_tail, split_spip_tail, topic_pages
from tui.feeds.text import TAG, text_to_markdown, to_markdown
from tui.model import BODY_LIMIT, NAME_LIMIT, TAGS_LIMIT, TITLE_LIMIT, Article, capped, check_deadline, fold
from tui.sanitize import clean_line, clean_text, clean_url, is_simple_web_url, is_web_url

_SUMMARY_FROM_CONTENT_LIMIT = 500  # an intro cut from the full text when the feed gives no summary


def articles_of(
    entries: Iterable[FeedEntry],
    base: str,
    source: str,
    deadline: float | None = None,
    stored: Mapping[str, str] | None = None,
) -> tuple[list[Article], int, list[str]]:
    """The articles of ``entries``, each guid once, how many entries gave no article, and the
    ids of the stored articles whose entries came again unchanged; :class:`TimeoutError` once
    ``deadline`` has passed (:func:`tui.model.check_deadline`).

    ``stored`` maps the :func:`entry_digest` of entries the store holds articles from to their
    ids: such an entry costs its digest, not a conversion. With ``stored`` (even empty), every
    article carries its entry's digest, for the store to keep."""
    articles: list[Article] = []
    unchanged: list[str] = []
    seen: set[str] = set()
    empty = 0
    for number, entry in enumerate(entries):
        if not number % 64:
            check_deadline(deadline)
        digest = entry_digest(entry, base, source) if stored is not None else ""
        if digest:
            known = stored.get(digest) if stored is not None else None
            if known is not None:
                unchanged.append(known)
                continue
        article = article_from_entry(entry, base, source)
        if article is None:
            empty += 1
        elif article.guid not in seen:
            seen.add(article.guid)
            article.entry_digest = digest
            articles.append(article)
    return articles, empty, unchanged


def entry_digest(entry: FeedEntry, base: str, source: str) -> str:
    """What identifies an entry as an article is read from it: its fields as the feed wrote
    them, the URL its links are relative to, the source's name and this version of bladi-tui
    (whose reading may differ)."""
    parts = (
        entry.guid,
        entry.title,
        entry.link,
        entry.summary,
        entry.content,
        entry.author,
        entry.date.isoformat() if entry.date is not None else "",
        "\x1f".join(entry.tags),
        f"{entry.title_html:d}{entry.summary_html:d}{entry.content_html:d}",
        base,
        source,
        tui.__version__,
    )
    # The lengths first, so that no two sets of fields hash alike; one encoding of it all.
    text = ",".join([str(len(part)) for part in parts]) + "\0" + "\0".join(parts)
    # SHA-1 runs on the processor's own instructions where it has them, BLAKE2 never
    # (BENCHMARKS.md); the digest tells an entry from the feed's own earlier forms of it.
    try:
        # A text of Latin-1 characters only (most French feeds') is held as those very bytes:
        # encoding it to Latin-1 is a copy, to UTF-8 a conversion of every accent.
        digest = hashlib.sha1(text.encode("latin-1"), usedforsecurity=False)
    except UnicodeEncodeError:
        # No UTF-8 text reads as the Latin-1 bytes of another ("’" as "â\x80\x99"): the two
        # would have the same lengths in characters, written first, and this one more bytes.
        digest = hashlib.sha1(text.encode("utf-8", "surrogatepass"), usedforsecurity=False)
    return digest.hexdigest()[:32]


def article_from_entry(entry: FeedEntry, base: str, source: str) -> Article | None:
    """The article of one entry (its links resolved against ``base``), or None when it has
    neither a title, a link nor a text."""
    summary, summary_html = entry.summary, entry.summary_html
    content, content_html = entry.content, entry.content_html
    # The caps (tui.model) apply before any conversion: a megabyte more of HTML is never read.
    cut = len(content) > BODY_LIMIT or len(summary) > BODY_LIMIT
    if cut:
        content, summary = content[:BODY_LIMIT], summary[:BODY_LIMIT]
    # Without a summary of its own (feedparser copies Atom content into it), an entry's intro is
    # cut from its content, which is then the whole article.
    content_only = bool(content) and (not summary or content == summary)
    if content_only:
        summary, summary_html = content, content_html
    rubrique = ""
    tail_tags: list[str] = []
    tail_links: list[tuple[str, str, str]] = []
    if summary_html:
        summary_text, rubrique, tail_tags, tail_links = split_spip_tail(summary)
    else:
        summary_text = clean_text(summary, multiline=False)
    if not rubrique:
        summary_text, rubrique, plain_tags = split_plain_spip_tail(summary_text)
        tail_tags = tail_tags or plain_tags

    url = web_url(entry.link, base)
    body = ""
    if content and (content_only or len(content) > len(summary)):
        body = to_markdown(content, url or base) if content_html else text_to_markdown(content)
        if content_only:
            summary_text = clean_line(summary_text, _SUMMARY_FROM_CONTENT_LIMIT)

    title = feed_title(entry.title, entry.title_html) or clean_line(summary_text, 120)
    if not (title or url or body):
        return None
    guid = entry.guid
    key = guid or entry.link or title + "\n" + summary
    feed_tags = _tags(entry.tags[: TAGS_LIMIT * 2])
    picture = web_url(entry.picture, base) if entry.picture else ""
    article = Article(
        guid=clean_line(guid) or url or "sha1:" + hashlib.sha1(key.encode("utf-8", "replace")).hexdigest(),
        title=title,
        url=url,
        date=entry.date,
        rubrique=clean_line(rubrique, NAME_LIMIT) or next(iter(feed_tags), ""),
        tags=feed_tags or _tags(tail_tags),
        author=clean_line(entry.author, NAME_LIMIT),
        summary=summary_text,
        body=body,
        source=source,
        full_text=bool(body),
        topic_pages=topic_pages(tail_links, url or base) if tail_links else [],
        cut=cut,
        lead=lead_photo(picture, body) if picture else "",
    )
    return capped(article)


def lead_photo(picture: str, body: str) -> str:
    """The item's picture (its enclosure, media:content or media:thumbnail) as the article's
    lead photo, unless its text shows that picture already: then it is in its place."""
    from tui.extract.images import images_in, markdown_image  # the HTML libraries: only when needed

    if any(url == picture for _, url in images_in(body)):
        return ""
    return markdown_image("", picture)


def feed_title(value: Any, is_html: bool) -> str:
    """A feed's or an entry's title as one line of plain text."""
    text = value if isinstance(value, str) else ""
    if is_html and ("<" in text or "&" in text):
        text = html.unescape(TAG.sub("", text))
    return clean_line(text, TITLE_LIMIT)


def _tags(values: list[str]) -> list[str]:
    tags: list[str] = []
    seen: set[str] = set()
    for value in values:
        tag, key = _tag_and_key(value)
        if key and key not in seen:
            seen.add(key)
            tags.append(tag)
    return tags


@functools.lru_cache(maxsize=4096)  # a feed names the same few tags over and over
def _tag_and_key(value: str) -> tuple[str, str]:
    tag = clean_line(value, NAME_LIMIT)
    return tag, fold(tag)


def web_url(value: Any, base: str) -> str:
    """``value`` resolved against ``base`` when it is an http(s) URL then, else ""."""
    url = clean_url(value) if value else ""
    if not url:
        return ""
    if is_simple_web_url(url):
        return url  # what urljoin gives back, and a web URL: most links, without parsing them
    try:
        url = urljoin(base, url) if base else url
    except ValueError:
        return ""
    return url if is_web_url(url) else ""


# The RFC 822 date most feeds write (email.utils.format_datetime's form), read in one match as
# parsedate_to_datetime reads it: a date is read for every item, and that reader is pure Python.
# A four-digit year from 1000 (it takes 0099 for 1999) and a numeric offset or GMT only.
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_COMMON_RFC_822 = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?([0-9]{1,2}) "
    rf"({'|'.join(_MONTHS)}) ([1-9][0-9]{{3}}) "
    r"([0-9]{2}):([0-9]{2}):([0-9]{2}) (?:([+-])([0-9]{2})([0-9]{2})|GMT)"
)


def _common_rfc_822(text: str) -> datetime | None:
    match = _COMMON_RFC_822.fullmatch(text)
    if match is None:
        return None
    day, month, year, hour, minute, second, sign, hours, minutes = match.groups()
    offset = 0 if sign is None else (int(hours) * 3600 + int(minutes) * 60) * (-1 if sign == "-" else 1)
    return datetime(
        int(year),
        _MONTHS[month],
        int(day),
        int(hour),
        int(minute),
        int(second),
        tzinfo=timezone(timedelta(seconds=offset)),
    )


def date_from_text(text: str) -> datetime | None:
    """An aware datetime (UTC when the text gives no offset) from ISO 8601 or RFC 822 text,
    or None when neither reader knows it; never raises."""
    text = text.strip()
    if not text:
        return None
    try:
        common = _common_rfc_822(text)
    except (ValueError, OverflowError):  # no such day, an offset of a day or more: as below
        common = None
    if common is not None:
        return common
    for read in (datetime.fromisoformat, parsedate_to_datetime):
        try:
            value = read(text)
        except (ValueError, TypeError, IndexError, OverflowError):
            continue
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None
