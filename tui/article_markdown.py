"""An article as one Markdown document, laid out as on the site, and the links it holds.

The section labels ("Sujets associés", "Aller plus loin", "Ces articles devraient vous
intéresser") are the article's own French content, kept whatever the UI language. Tags and
the rubrique link to their topic through the reader's own ``bladi-topic:`` links, which only
this module writes: content links were reduced to http(s) and local files before storage, and
:func:`links_of` drops any other target that would still turn up.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

from tui.lazy_pattern import LazyPattern
from tui.model import BODY_LIMIT, Article, Link, Topic, capped
from tui.reasons import notice_sentence
from tui.sanitize import clean_line, clean_text, clean_url, is_web_url

if TYPE_CHECKING:
    from markdown_it.token import Token

TOPIC_SCHEME = "bladi-topic:"
NO_BREAK = "\u00a0"
FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

# Characters that would start Markdown syntax inside a title or label we write ourselves; "&"
# too, or "&rlm;" in a title would come out of the Markdown parser as a bidi mark.
_MARKDOWN_SPECIAL = LazyPattern(r"([\\`*_{}\[\]<>()#+!|~&])")
# Inside a <pointy> link destination: what would end it early or be decoded ("&lrm;").
_DESTINATION_SPECIAL = LazyPattern(r"([<>\\&])")
_WHITESPACE = LazyPattern(r"\s")


def escape(text: str) -> str:
    """Plain text made literal inside Markdown."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def topic_url(topic: Topic) -> str:
    return f"{TOPIC_SCHEME}{topic.kind}/{quote(topic.label, safe='')}"


def topic_from_url(url: str) -> Topic | None:
    if not url.startswith(TOPIC_SCHEME):
        return None
    kind, _, label = url[len(TOPIC_SCHEME) :].partition("/")
    if kind not in ("rubrique", "tag", "source") or not label:
        return None
    return Topic.of(kind, unquote(label))  # type: ignore[arg-type]


def date_line(article: Article) -> str:
    """The site's own date line, or one built the same way: "16 décembre 2023 - 15h00 - Maroc -
    Ecrit par : S.A" (the date in the article's own offset, as the site prints it)."""
    if article.date_line:
        return article.date_line
    parts = []
    if article.date:
        d = article.date
        parts.append(f"{d.day} {FRENCH_MONTHS[d.month - 1]} {d.year}")
        parts.append(f"{d.hour:02d}h{d.minute:02d}")
    if article.rubrique:
        parts.append(article.rubrique)
    if article.author:
        parts.append(f"Ecrit par : {article.author}")
    return " - ".join(parts)


def _destination(url: str) -> str:
    """A URL as a Markdown link destination that ends where the URL ends: a ">" in a hostile
    URL would otherwise close it and let the rest of the URL be read as more links."""
    url = _DESTINATION_SPECIAL.sub(r"\\\1", url)
    return _WHITESPACE.sub(lambda match: quote(match.group()), url)


def _link(title: str, url: str) -> str:
    return f"[{escape(title)}](<{_destination(url)}>)" if url else escape(title)


# The site's wording today, for a section whose page printed no heading (or a store that kept none).
_CURRENT_LABELS = {
    "tags": "Sujets associés",
    "related": "Aller plus loin",
    "suggested": "Ces articles devraient vous intéresser",
}


def _label(article: Article, section: str) -> str:
    return clean_line(article.labels.get(section, ""), 80).rstrip(" :") or _CURRENT_LABELS[section]


def _related_section(heading: str, links: list[Link]) -> list[str]:
    if not links:
        return []
    lines = [f"## {escape(heading)}", ""]
    for link in links:
        lines.append(f"**{_link(link.title, link.url)}**")
        lines.append("")
        if link.summary:
            lines.append(escape(link.summary))
            lines.append("")
    return lines


# Bold markers inside the lead, which the whole lead's bold would otherwise close and reopen.
_INNER_BOLD = LazyPattern(r"(?<!\\)(?:\*\*|__)")


_PICTURE_BLOCK = LazyPattern(r"!\[(?:\\.|[^\]\\])*\]\((?:<(?:\\.|[^>\\])*>|[^()\s]+)\)")


def _leading_pictures(lead: str) -> tuple[list[str], str]:
    """The pictures that open the lead (its photo), each a block above it, and the lead's text."""
    photos: list[str] = []
    first, _, rest = lead.partition("\n\n")
    while _PICTURE_BLOCK.fullmatch(first):
        photos += [first, ""]
        lead = rest
        first, _, rest = lead.partition("\n\n")
    return photos, lead


#: Above an article whose text was longer than the caps (tui.model); the reader gives its own
#: words, in the UI's language.
CUT_NOTICE = f"Article trop long : seul son début est gardé ({BODY_LIMIT:,} caractères au plus).".replace(
    ",", "\u202f"
)


def to_markdown(
    article: Article,
    *,
    reader: bool = True,
    word_notice: Callable[[str], str] = notice_sentence,
    cut_notice: str = CUT_NOTICE,
) -> str:
    """The whole article: title, date line, lead, body, then the site's related sections.

    ``reader``: the tags link to the reader's own topics (``bladi-topic:``); without, the
    document is plain Markdown for any other tool (``bladi-tui show``) and tags are text.
    ``word_notice`` words the article's notice (stored as a reason) in the reader's language;
    English by default, as the command line speaks. Nothing beyond the caps is rendered,
    whatever the store holds (one written before them)."""
    article = capped(article)
    lines = [f"# {escape(article.title)}", ""]
    line = date_line(article)
    if line:
        line = escape(line)
        if reader:  # a no-break space before a French colon: the line never wraps before ": S.A"
            line = line.replace(" :", NO_BREAK + ":")
        lines += [f"*{line}*", ""]
    if article.notice:
        lines += [f"> {escape(word_notice(article.notice))}", ""]
    if article.cut:
        lines += [f"> {escape(cut_notice)}", ""]
    if article.lead:
        photos, lead = _leading_pictures(article.lead.strip())
        lines += photos
        if lead:
            lines += [f"**{_INNER_BOLD.sub('', lead)}**", ""]
    body = article.body.strip() or escape(article.summary)
    if body:
        lines += [body, ""]
    if article.tags:
        tags = " - ".join(
            _link(tag, topic_url(Topic.of("tag", tag))) if reader else escape(tag) for tag in article.tags
        )
        lines += [f"**{escape(_label(article, 'tags'))} :** {tags}", ""]
    lines += _related_section(_label(article, "related"), article.related)
    lines += _related_section(_label(article, "suggested") + " :", article.suggested)
    if article.url:
        lines += ["---", "", _link(article.url, article.url), ""]
    # Every field was sanitized where it entered the core; this is the last door before the
    # terminal, and a store written by an older version may hold what that version let through.
    return clean_text("\n".join(lines))


@dataclass(frozen=True, slots=True)
class DocumentLink:
    text: str
    url: str
    image: bool = False  # a picture of the article (``text`` is its alt text)


_parser = None


def markdown_parser():
    # markdown-it is slow to import (BENCHMARKS.md): only once an article is shown, not before the
    # first frame.
    global _parser
    if _parser is None:
        from markdown_it import MarkdownIt

        _parser = MarkdownIt("commonmark")
    return _parser


def is_followable(url: str) -> bool:
    """What a link in a document may lead to: an http(s) URL, a topic of the reader, or a path
    relative to the article's own folder (looked up in the store, never read from the disk)."""
    if is_web_url(url) or url.startswith(TOPIC_SCHEME):
        return True
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return not (parts.scheme or parts.netloc or url.startswith(("/", "\\"))) and bool(parts.path)


def links_of(tokens: Sequence[Token]) -> list[DocumentLink]:
    """Every followable link of a document parsed into ``tokens`` (markdown-it's), in reading
    order, without repeats.

    A link to anything else (``javascript:``, ``file:``, ``data:``, ``ftp:``…) is not one: the
    article view shows its text and nothing happens when it is clicked.
    """
    found: list[DocumentLink] = []
    seen: set[str] = set()
    for token in tokens:
        # One pass over the inline tokens: the text of the link being read is gathered as it
        # goes (looking each link's place up again made 8,000 links quadratic).
        url: str | None = None
        text: list[str] = []
        for child in token.children or ():
            if child.type == "link_open":
                url, text = str(child.attrs.get("href", "")), []
            elif child.type == "image" and url is None:
                src = clean_url(str(child.attrs.get("src", "")))
                if src and src not in seen and is_web_url(src):
                    seen.add(src)
                    found.append(DocumentLink(clean_line(child.content), src, image=True))
            elif child.type == "link_close" and url is not None:
                url = clean_url(url)
                if url and url not in seen and is_followable(url):
                    seen.add(url)
                    found.append(DocumentLink(clean_line("".join(text)) or url, url))
                url = None
            elif url is not None:
                text.append(child.content)
    return found


_TOPIC_PAGE = LazyPattern(r"^/([a-z0-9]+(?:-[a-z0-9]+)*)\.html$")


def topic_slug_of(url: str) -> str:
    """The slug of a web page that looks like a topic page (``/maroc.html``, not an article's
    ``/slug,116201.html``), or ""."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    match = _TOPIC_PAGE.match(parts.path) if is_web_url(url) and not parts.query else None
    return match.group(1) if match else ""


def slugify(label: str) -> str:
    """A topic's label as a site writes it in a URL: "Abdellatif Hammouchi" → "abdellatif-hammouchi"."""
    from tui.model import fold

    return re.sub(r"[^a-z0-9]+", "-", fold(label)).strip("-")
