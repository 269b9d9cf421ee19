"""Articles from local files: a folder (or one file) of Markdown articles, pages and feeds.

The native format is Markdown with TOML front matter between ``+++`` lines (title, date,
rubrique, tags, author, url, lead, ``[[related]]`` and ``[[suggested]]`` links). ``.html`` pages
and ``.xml``/``.json`` feeds lying in the folder are read with the same parsers as remote ones.

Links inside a local article may point to other files of its own folder by relative path; any
other target that is not http(s) is turned into plain text here, before anything is stored.
"""

from __future__ import annotations

import asyncio
import re
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from datetime import date as date_type
from functools import partial
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from tui import reasons
from tui.model import BODY_LIMIT, SUMMARY_LIMIT, Article, Link, SourceOutcome, cut_text
from tui.sanitize import clean_line, clean_text, clean_url, is_web_url
from tui.sources.kinds import LOCAL

if TYPE_CHECKING:
    from tui.config import SourceSpec
    from tui.sources.readers import Reading

MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
FEED_SUFFIXES = {".xml", ".rss", ".atom", ".json"}
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_FILES = 20_000


class LocalSourceError(Exception):
    """A local path that cannot be read; one sentence."""


@dataclass
class LocalRead:
    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one sentence per unreadable file


class LocalSource:
    """The ``local`` kind (:class:`tui.sources.readers.SourceReader`): a file or a folder of
    articles on this machine, read whole at each refresh."""

    kind = LOCAL

    async def refresh(self, spec: SourceSpec, reading: Reading) -> SourceOutcome:
        store = reading.store
        try:
            read = await asyncio.to_thread(read_local_source, Path(spec.path), spec.name)
        except (OSError, LocalSourceError) as error:
            detail = clean_line(error)
            outcome = SourceOutcome(
                spec.key,
                spec.name,
                error=detail,
                reason=reasons.encode(reasons.LOCAL_UNREADABLE, detail=detail),
            )
        else:
            new = await asyncio.to_thread(
                partial(store.upsert_articles, spec.key, read.articles, listing=True)
            )
            problem = reason = ""
            if read.problems:
                count, first = len(read.problems), read.problems[0]
                params = {"count": count, "first": first}
                problem = reasons.sentence(reasons.UNREADABLE_FILES, params)
                reason = reasons.encode(reasons.UNREADABLE_FILES, **params)
            outcome = SourceOutcome(spec.key, spec.name, new=new, error=problem, reason=reason)
        await asyncio.to_thread(store.set_source_status, spec.key, error=outcome.error, reason=outcome.reason)
        return outcome


def article_files(root: Path) -> list[Path]:
    """The readable article files under ``root`` (a folder, searched recursively, or one file)."""
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise LocalSourceError(f"{clean_line(root)} is neither a file nor a folder.")
    suffixes = MARKDOWN_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES
    files = []
    for path in sorted(root.rglob("*")):
        if path.suffix.lower() in suffixes and path.is_file() and not path.name.startswith("."):
            files.append(path)
            if len(files) >= MAX_FILES:
                break
    return files


def read_local_source(root: Path, source: str) -> LocalRead:
    """Every article under ``root``; a file that cannot be read is named in ``problems``.

    File names are untrusted text too (an unpacked archive may name a file with an escape
    sequence): every message names them cleaned.
    """
    try:
        root = root.resolve()
        folder = root if root.is_dir() else root.parent
        files = article_files(root)
    except (OSError, RuntimeError) as error:  # RuntimeError: a symlink loop, before Python 3.13
        raise LocalSourceError(f"{clean_line(root)} cannot be read: {clean_line(error)}") from None
    result = LocalRead()
    for path in files:
        try:
            result.articles.extend(read_article_file(path, folder, source))
        except (OSError, ValueError, LocalSourceError) as error:
            result.problems.append(f"{clean_line(path.name, 200)}: {clean_line(error)}")
        except RecursionError:  # whatever parser recursed on this file: the others still count
            result.problems.append(f"{clean_line(path.name, 200)}: nested too deeply")
    return result


def read_article_file(path: Path, folder: Path, source: str) -> list[Article]:
    """The article(s) of one file: one for Markdown and HTML, every item for a feed."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise LocalSourceError(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return [read_markdown_article(data.decode("utf-8-sig", errors="replace"), path, folder, source)]
    if suffix in HTML_SUFFIXES:
        from tui.extract.page import extract_article

        article = extract_article(data, path.resolve().as_uri(), source=source, allow_relative=True)
        article.location = path.resolve().as_uri()
        article.guid = _local_guid(article.url, path, folder)
        article.body = local_links(article.body, path, folder)
        return [article]
    from tui.feeds.entry import FeedParseError
    from tui.feeds.parse import parse_feed

    try:
        feed = parse_feed(data, path.resolve().as_uri(), source=source)
    except FeedParseError as error:
        raise LocalSourceError(str(error)) from None
    return feed.articles


def _local_guid(url: str, path: Path, folder: Path) -> str:
    # A local article with a web URL is that web article; otherwise its place in its folder,
    # which is the same on every machine (the absolute path is not).
    if is_web_url(url):
        return url
    return "local:" + path.resolve().relative_to(folder).as_posix()


_FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\n(.*?)\n\+\+\+[ \t]*(?:\n|\Z)", re.S)


def read_markdown_article(text: str, path: Path, folder: Path, source: str) -> Article:
    """A Markdown article with ``+++`` TOML front matter; without it, the first heading is the title."""
    text = text.replace("\r\n", "\n")
    meta: dict = {}
    match = _FRONT_MATTER.match(text)
    if match:
        try:
            meta = tomllib.loads(match.group(1))
        except tomllib.TOMLDecodeError as error:
            raise LocalSourceError(f"front matter is not valid TOML ({error})") from None
        except RecursionError:  # tomllib recurses once per nested array or table
            raise LocalSourceError("front matter is nested too deeply") from None
        text = text[match.end() :]
    body = text.strip("\n")
    title = _string(meta, "title")
    if not title:
        heading = re.match(r"\A#\s+(.+)\n?", body)
        if heading:
            title, body = heading.group(1), body[heading.end() :].lstrip("\n")
        else:
            title = path.stem.replace("-", " ").replace("_", " ")
    url = clean_url(_string(meta, "url"))
    if not is_web_url(url):
        url = ""
    lead = _string(meta, "lead")
    cut = len(body) > BODY_LIMIT or len(lead) > SUMMARY_LIMIT  # cut before its links are read
    body, lead = cut_text(body, BODY_LIMIT), cut_text(lead, SUMMARY_LIMIT)
    return Article(
        guid=_local_guid(url, path, folder),
        title=clean_line(title, 500),
        url=url,
        date=_date(meta.get("date")),
        rubrique=clean_line(_string(meta, "rubrique"), 100),
        tags=_tags(meta.get("tags")),
        author=clean_line(_string(meta, "author"), 200),
        date_line=clean_line(_string(meta, "date_line"), 300),
        summary=clean_line(_string(meta, "summary") or _string(meta, "lead"), 1000),
        lead=local_links(clean_text(lead), path, folder),
        body=local_links(clean_text(body), path, folder),
        related=_links(meta.get("related"), path, folder),
        suggested=_links(meta.get("suggested"), path, folder),
        source=source,
        full_text=True,
        location=path.resolve().as_uri(),
        cut=cut,
    )


def _string(meta: dict, key: str) -> str:
    value = meta.get(key, "")
    return value if isinstance(value, str) else ""


def _date(value: object) -> datetime | None:
    # TOML gives offset datetimes, local datetimes and dates; strings are tried as ISO 8601.
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date_type):
        return datetime.combine(value, time(12, 0), tzinfo=UTC)
    return None


def _tags(value: object) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        return []
    tags: list[str] = []
    for tag in value:
        if isinstance(tag, str) and (tag := clean_line(tag, 100)) and tag not in tags:
            tags.append(tag)
    return tags


def _links(value: object, path: Path, folder: Path) -> list[Link]:
    links = []
    for entry in value if isinstance(value, list) else []:
        if not isinstance(entry, dict):
            continue
        target = local_target(_string(entry, "url"), path, folder)
        title = clean_line(_string(entry, "title"), 500)
        if title or target:
            links.append(Link(title or target, target, clean_line(_string(entry, "summary"), 1000)))
    return links


def local_target(url: str, path: Path, folder: Path) -> str:
    """What a link of a local article may point to: an http(s) URL, or a file of its own folder
    (kept relative: the reader resolves it against the article's location and looks the target
    up in the store, never on the disk). Anything else becomes ""."""
    url = clean_url(url)
    if not url:
        return ""
    if is_web_url(url):
        return url
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return ""
    relative = PurePosixPath(unquote(parts.path))
    if relative.is_absolute():
        return ""
    target = (path.parent / relative).resolve()
    if not target.is_relative_to(folder.resolve()):
        return ""
    return relative.as_posix()


# [text](target) and ![alt](target), with an optional title; one level of brackets inside the
# text. Anything this misses is still never followed: tui.article_markdown.links_of keeps only http(s),
# topic and relative targets, and the article view makes only those clickable.
# Every run of spaces is possessive ("*+", "++"): with backtracking, "[a](" followed by 40,000
# spaces made the three runs around an empty target share them out in quadratic time.
_LINK_TEXT = r"(?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*+"
_MD_LINK = re.compile(
    r"(!?)\[(" + _LINK_TEXT + r")\]"  # [text] or ![alt]
    r"\(\s*+(?:<([^<>\n]*)>|((?:[^()\s<>]|\([^()\s<>]*\))*+))"  # (<target>) or (target), one level of ()
    r"(?:\s++(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*+\)"  # an optional title
)
# [label]: target, the other way to give a link its target ("[text][label]" uses it).
_REFERENCE = re.compile(
    r"^( {0,3}\[(?:[^\[\]\\]|\\.)++\]:[ \t]*+(?:\n[ \t]*+)?)(<[^<>\n]*>|\S++)(?=[ \t]*+$|[ \t]++[\"'(])",
    re.MULTILINE,
)
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>")


def local_links(markdown: str, path: Path, folder: Path) -> str:
    """Markdown with every link target checked: relative links become absolute paths inside the
    folder, web links stay, and any other link (``javascript:``, ``file:``, ``data:``, outside the
    folder) is reduced to its text."""

    def replace(match: re.Match) -> str:
        bang, text, pointed, target = match.groups()
        resolved = local_target(pointed if pointed is not None else target, path, folder)
        if not resolved:
            return text
        return f"{bang}[{text}](<{resolved}>)"

    def replace_reference(match: re.Match) -> str:
        label, target = match.groups()
        resolved = local_target(target[1:-1] if target.startswith("<") else target, path, folder)
        return f"{label}<{resolved}>"  # "<>": the references to it show their text, link to nothing

    markdown = _MD_LINK.sub(replace, markdown)
    markdown = _REFERENCE.sub(replace_reference, markdown)
    return _AUTOLINK.sub(lambda m: f"<{m.group(1)}>" if is_web_url(m.group(1)) else m.group(1), markdown)
