"""A small Bladi.net, served by the loopback server acting as the HTTP proxy for www.bladi.net.

Requests for ``http://www.bladi.net/...`` go through ``HTTP_PROXY`` to the loopback server, so
the real site rules (chosen by host) and the real proxy support are exercised without a network.
The pages follow the site's markup (BLADI_FACTS.md); their words are the project's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

import pytest

SITE = "http://www.bladi.net"
FEED_URL = f"{SITE}/spip.php?page=backend"


@dataclass
class Page:
    slug: str
    title: str
    date_line: str
    dc_date: str
    rubrique: str
    tags: list[str]
    author: str
    lead: str
    paragraphs: list[str]
    a_lire: list[tuple[int, str, str]] = field(default_factory=list)  # (after paragraph, slug, title)
    related: list[tuple[str, str, str]] = field(default_factory=list)  # (slug, title, summary)
    suggested: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"{SITE}/{self.slug}"


PAGES = [
    Page(
        slug="dialogue-securitaire-rabat-paris,116201.html",
        title="Rabat et Paris relancent leur dialogue sécuritaire",
        date_line="16 décembre 2023 - 15h00 - Maroc - Ecrit par : S.A",
        dc_date="2023-12-16T14:00:00Z",
        rubrique="Maroc",
        tags=["France", "Rabat", "DGSN"],
        author="S.A",
        lead="Les patrons du renseignement des deux pays se sont vus deux jours durant dans la capitale.",
        paragraphs=[
            "Les échanges ont porté sur la menace terroriste et la criminalité organisée.",
            "Seule la page dit ceci : le protocole signé prévoit trois réunions par an.",
            "Les deux délégations ont salué un climat de confiance retrouvé.",
        ],
        a_lire=[
            (
                1,
                "jeux-paris-policiers-marocains,116180.html",
                "Jeux de Paris : des policiers marocains en renfort",
            )
        ],
        related=[
            (
                "jeux-paris-policiers-marocains,116180.html",
                "Jeux de Paris : des policiers marocains en renfort",
                "Une équipe marocaine rejoindra le dispositif des Jeux.",
            )
        ],
        suggested=[
            (
                "recrutement-police-concours,116100.html",
                "La police recrute pour l'été",
                "Un concours national est ouvert aux bacheliers.",
            )
        ],
    ),
    Page(
        slug="jeux-paris-policiers-marocains,116180.html",
        title="Jeux de Paris : des policiers marocains en renfort",
        date_line="12 décembre 2023 - 09h30 - Monde - Ecrit par : Bladi.net",
        dc_date="2023-12-12T08:30:00Z",
        rubrique="Monde",
        tags=["France", "JO 2024"],
        author="Bladi.net",
        lead="Le royaume enverra des spécialistes pour la durée des épreuves.",
        paragraphs=[
            "Phrase propre à la page des Jeux : les renforts logeront au village des forces de l'ordre.",
            "La coopération s'étendra à la cybersécurité.",
        ],
    ),
]

SHARE_LINES = (
    '<div class="partage"><a href="https://news.google.com/publications/bladi">Suivez bladi.net sur Google News</a></div>'
    '<div class="partage"><a href="https://whatsapp.com/channel/bladi">Suivez bladi.net sur WhatsApp</a></div>'
)


def page_html(page: Page) -> str:
    body = []
    for index, paragraph in enumerate(page.paragraphs):
        body.append(f"<p>{escape(paragraph)}</p>")
        for after, slug, title in page.a_lire:
            if after == index:
                body.append(f'<p>À lire&nbsp;: <a href="{slug}">{escape(title)}</a></p>')

    def entries(items):
        return "".join(
            f'<div class="grid4"><a href="{slug}"><p class="big">{escape(title)}</p></a><p>{escape(summary)}</p></div>'
            for slug, title, summary in items
        )

    tags = " - ".join(f'<a href="{t.lower()}.html">{escape(t)}</a>' for t in page.tags)
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{escape(page.title)} - Bladi.net</title>
<script>var tracker = "MENU-SCRIPT-TEXT";</script></head>
<body>
<nav class="menu"><a href="maroc.html">Maroc</a> <a href="societe.html">Société</a> Menu principal du site</nav>
<form action="site.php?page=recherche"><input name="q"></form>
<div class="magauche pas article">
<h1>{escape(page.title)}</h1>
<p class="datenews mbs">{escape(page.date_line)}</p>
<div class="mbs mtm"><strong><p>{escape(page.lead)}</p></strong></div>
<div class="mtl mbm">{"".join(body)}</div>
{SHARE_LINES}
<p>Sujets associés&nbsp;: {tags}</p>
<h2>Aller plus loin</h2>{entries(page.related)}
<h2>Ces articles devraient vous intéresser&nbsp;:</h2>{entries(page.suggested)}
</div>
<aside><h3>Les plus populaires de la semaine</h3><a href="x,1.html">Boîte des plus lus</a></aside>
<footer>Bladi.net - 2023 - Archives - A Propos - Contact</footer>
</body></html>"""


def feed_xml(pages: list[Page]) -> str:
    items = []
    for page in pages:
        tail = f' - <a rel="directory">{escape(page.rubrique)}</a> / ' + ", ".join(
            f'<a rel="tag">{escape(t)}</a>' for t in page.tags
        )
        description = escape(f"{page.lead}&nbsp;(...){tail}")
        subjects = "".join(f"<dc:subject>{escape(t)}</dc:subject>" for t in page.tags)
        items.append(f"""<item xml:lang="fr">
<title>{escape(page.title)}</title>
<link>{page.url}</link>
<guid isPermaLink="true">{page.url}</guid>
<dc:date>{page.dc_date}</dc:date>
<dc:format>text/html</dc:format>
<dc:language>fr</dc:language>
<dc:creator>{escape(page.author)}</dc:creator>
{subjects}
<description>{description}</description>
</item>""")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel xml:lang="fr"><title>Bladi.net</title><link>{SITE}/</link>
<description>Les Marocains du monde</description>
{"".join(items)}
</channel></rss>"""


@pytest.fixture
def bladi_site(loopback, monkeypatch):
    """The loopback server answering for www.bladi.net (through HTTP_PROXY); returns the server."""
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, loopback.base_url)
    for name in ("ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    loopback.route(
        FEED_URL,
        feed_xml(PAGES),
        content_type="application/rss+xml; charset=utf-8",
        headers={"ETag": '"feed-v1"'},
    )
    for page in PAGES:
        loopback.route(page.url, page_html(page))
    return loopback
