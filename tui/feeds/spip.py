"""SPIP backends (Bladi.net's ``spip.php?page=backend``): the rubrique and keywords that SPIP
appends to every description (``&nbsp;(...) - <a rel="directory">Rubrique</a> / <a rel="tag">mot</a>,
…``) become the article's rubrique and tags, and the links to their listings, and leave the summary."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

from tui.feeds.text import html_to_text
from tui.model import NAME_LIMIT, TopicPage
from tui.sanitize import clean_line, clean_url, is_web_url

# "Intro&nbsp;(...) - <a rel="directory">Rubrique</a> / <a rel="tag">mot</a>, <a rel="tag">mot2</a>"
# at the very end of the description's HTML; the "(...)" is only there when the intro was cut.
# Found by walking back from the end rather than by one regex search, which a description of
# many thousand spaces would make quadratic.
_SPIP_LINK = re.compile(r"""<a\b[^<>]*\brel\s*=\s*["']?(directory|tag)\b[^<>]*>([^<]*)</a>""", re.I)
_SPIP_HREF = re.compile(r"""\bhref\s*=\s*["']?([^"'\s<>]+)""", re.I)
_SPIP_LINK_SEPARATORS = " \t\r\n\xa0/,"
_SPIP_LEAD = re.compile(r"(?:(?:\s|&nbsp;|&\#160;|&\#xa0;)*\((?:\.\.\.|…)\))?\s*-[\s/]*\Z", re.I)
_SPIP_LEAD_WINDOW = 200


def split_spip_tail(summary_html: str) -> tuple[str, str, list[str], list[tuple[str, str, str]]]:
    """(summary as plain text, rubrique, tags, the tail's links as (rel, text, href)) from an
    HTML description, SPIP tail removed."""
    links = list(_SPIP_LINK.finditer(summary_html)) if "rel" in summary_html else []
    tail: list[re.Match[str]] = []
    end = len(summary_html)
    for link in reversed(links):  # the links that end the text, with only "/", "," between them
        if summary_html[link.end() : end].strip(_SPIP_LINK_SEPARATORS):
            break
        tail.append(link)
        end = link.start()
    lead = _SPIP_LEAD.search(summary_html, max(0, end - _SPIP_LEAD_WINDOW), end) if tail else None
    if lead is None:
        return html_to_text(summary_html), "", [], []
    rubrique, tags, found = "", [], []
    for link in reversed(tail):
        rel, text = link.groups()
        if rel.lower() == "directory":
            rubrique = rubrique or html.unescape(text)
        else:
            tags.append(html.unescape(text))
        href = _SPIP_HREF.search(link.group(0))
        if href is not None:
            found.append((rel.lower(), html.unescape(text), html.unescape(href.group(1))))
    return html_to_text(summary_html[: lead.start()]), rubrique, tags, found


def topic_pages(links: list[tuple[str, str, str]], base: str) -> list[TopicPage]:
    """Where the site lists the rubrique and tags a SPIP tail links to."""
    pages = []
    for rel, text, href in links:
        try:
            url = clean_url(urljoin(base, href))
        except ValueError:
            continue
        label = clean_line(text, NAME_LIMIT)
        if label and is_web_url(url):
            pages.append(TopicPage("rubrique" if rel == "directory" else "tag", label, url))
    return pages


def split_plain_spip_tail(text: str) -> tuple[str, str, list[str]]:
    """The same tail once its links are gone, as a forum quoting an item shows it:
    "(...) - Economie / Contrebande, Sebta, Melilla". Without the "(...)" it is ordinary text."""
    cut = max(text.rfind("(...) - "), text.rfind("(…) - "))
    if cut < 0:
        return text, "", []
    rubrique, _, tags = text[text.index(" - ", cut) + 3 :].partition(" / ")
    if not rubrique.strip() or len(rubrique) > 80 or len(tags) > 500:
        return text, "", []
    return text[:cut].rstrip(), rubrique.strip(), [tag for tag in tags.split(",") if tag.strip()]
