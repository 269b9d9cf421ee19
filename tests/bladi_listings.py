"""A deeper Bladi.net on loopback (through ``HTTP_PROXY``, as ``tests.bladi_site``): 40 articles,
a feed of the 30 newest, and rubrique and tag listing pages in the 2018 markup, 5 per page.

"Sport" has 12 articles, only 2 of them in the feed; the tag "Lions" has 7, 1 in the feed.
Every page and listing is written in the project's own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

import pytest

from tests.bladi_site import FEED_URL, SHARE_LINES, SITE

PER_PAGE = 5
NEWEST = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
MONTHS = [
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
]
RUBRIQUE_PAGES = {"Sport": "maroc-sport.html", "Maroc": "maroc.html", "Monde": "monde.html"}
TAG_PAGES = {"Lions": "lions.html", "Rabat": "rabat.html"}
FEED_SIZE = 30


@dataclass
class Story:
    number: int  # 0 is the newest
    rubrique: str
    tags: list[str]

    @property
    def id(self) -> int:
        return 120000 - self.number

    @property
    def slug(self) -> str:
        return f"{self.rubrique.lower()}-nouvelle-{self.number},{self.id}.html"

    @property
    def url(self) -> str:
        return f"{SITE}/{self.slug}"

    @property
    def title(self) -> str:
        return f"{self.rubrique} : la nouvelle numéro {self.number}"

    @property
    def date(self) -> datetime:
        return NEWEST - timedelta(hours=6 * self.number)

    def date_text(self) -> str:
        local = self.date.astimezone(ZoneInfo("Africa/Casablanca"))
        return f"{local.day} {MONTHS[local.month - 1]} {local.year} - {local.hour:02d}h{local.minute:02d}"


def _stories() -> list[Story]:
    stories = []
    for number in range(40):
        if number in (3, 17) or number >= 30 and number < 40:
            rubrique = "Sport"
        else:
            rubrique = ("Maroc", "Monde")[number % 2]
        tags = ["Rabat"] if number % 4 == 0 else []
        if number == 5 or 32 <= number <= 37:
            tags.append("Lions")
        stories.append(Story(number, rubrique, tags))
    return stories


STORIES = _stories()
FEED_STORIES = STORIES[:FEED_SIZE]


def story_page(story: Story) -> str:
    tags = " - ".join(f'<a href="{TAG_PAGES[t]}">{escape(t)}</a>' for t in story.tags)
    rubrique = f'<a href="{RUBRIQUE_PAGES[story.rubrique]}">{escape(story.rubrique)}</a>'
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{escape(story.title)} - Bladi.net</title></head>
<body>
<nav class="menu"><a href="maroc.html">Maroc</a> <a href="maroc-sport.html">Sport</a></nav>
<div class="magauche pas article">
<h1>{escape(story.title)}</h1>
<p class="datenews mbs">{story.date_text()} - {rubrique} - Ecrit par : Bladi.net</p>
<div class="mbs mtm"><strong><p>Chapeau de la nouvelle {story.number}.</p></strong></div>
<div class="mtl mbm"><p>Texte complet de la nouvelle {story.number}, lu sur sa page.</p></div>
{SHARE_LINES}
<p>Sujets associés&nbsp;: {tags}</p>
</div>
<footer>Bladi.net - 2026 - Archives</footer>
</body></html>"""


def feed_xml() -> str:
    items = []
    for story in FEED_STORIES:
        tail = f' - <a href="{SITE}/{RUBRIQUE_PAGES[story.rubrique]}" rel="directory">{story.rubrique}</a>'
        if story.tags:
            tail += " / " + ", ".join(
                f'<a href="{SITE}/{TAG_PAGES[t]}" rel="tag">{t}</a>' for t in story.tags
            )
        description = escape(f"Chapeau de la nouvelle {story.number}.&nbsp;(...){tail}")
        items.append(f"""<item xml:lang="fr">
<title>{escape(story.title)}</title><link>{story.url}</link>
<guid isPermaLink="true">{story.url}</guid>
<dc:date>{story.date.strftime("%Y-%m-%dT%H:%M:%SZ")}</dc:date>
<dc:creator>Bladi.net</dc:creator>
<description>{description}</description>
</item>""")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Bladi.net</title><link>{SITE}/</link><description>Les Marocains du monde</description>
{"".join(items)}
</channel></rss>"""


def listing_html(title: str, stories: list[Story], path: str, parameter: str, start: int) -> str:
    """One page of a listing in the 2018 markup, with the site's chrome and SPIP's pagination."""
    entries = "".join(
        f'<div class="grid4"><a href="{s.slug}"><div class="mbs"><div class="accueil">'
        f'<img class="imglogo" src="//img.bladi.net/cache-vignettes/L230xH144/arton{s.id}.jpg" alt="">'
        f'<span class="accueildate">{s.date_text()}</span></div></div>'
        f'<p class="big">{escape(s.title)}</p></a></div>'
        for s in stories[start : start + PER_PAGE]
    )
    pages = []
    for offset in range(0, len(stories), PER_PAGE):
        label = str(offset // PER_PAGE + 1)
        if offset == start:
            pages.append(f'<strong class="on">{label}</strong>')
        else:
            query = f"?{parameter}={offset}" if offset else ""
            pages.append(f'<a href="{path}{query}#pagination" class="lien_pagination">{label}</a>')
    popular = STORIES[1]  # a Maroc story, repeated on every page of the site
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{escape(title)} - Bladi.net</title></head>
<body>
<nav class="menu"><a href="maroc.html">Maroc</a> <a href="maroc-sport.html">Sport</a>
<a href="{STORIES[2].slug}">Une du menu</a></nav>
<h1>{escape(title)}</h1>
<div class="liste">{entries}</div>
<p class="pagination">{" | ".join(pages)}</p>
<div class="populaires"><h3>Les plus populaires de la semaine</h3>
<div class="grid4"><a href="{popular.slug}"><p class="big">{escape(popular.title)}</p></a></div></div>
<footer>Bladi.net - 2026 - Archives - A Propos - Contact</footer>
</body></html>"""


def route_listing(server, title: str, stories: list[Story], path: str, parameter: str) -> None:
    for start in range(0, len(stories), PER_PAGE):
        query = f"?{parameter}={start}" if start else ""
        server.route(f"{SITE}/{path}{query}", listing_html(title, stories, path, parameter, start))


@pytest.fixture
def bladi_topics(bladi_site):
    """The loopback server as www.bladi.net with the deeper site above; returns the server."""
    server = bladi_site
    server.route(FEED_URL, feed_xml(), content_type="application/rss+xml; charset=utf-8")
    for story in STORIES:
        server.route(story.url, story_page(story))
    for rubrique, path in RUBRIQUE_PAGES.items():
        stories = [s for s in STORIES if s.rubrique == rubrique]
        route_listing(server, rubrique, stories, path, "debut_suite_rubrique")
    for tag, path in TAG_PAGES.items():
        stories = [s for s in STORIES if tag in s.tags]
        route_listing(server, tag, stories, path, "debut_articles")
    return server


def sport() -> list[Story]:
    return [s for s in STORIES if s.rubrique == "Sport"]


def lions() -> list[Story]:
    return [s for s in STORIES if "Lions" in s.tags]
