"""Bladi.net's article pages, as data: where each part sits and what the site calls it.

The selectors come from public scrapers and may have changed; every one has a fallback, and the
related sections are found by their French headings, not by markup (see ``site_rules``).
"""

from __future__ import annotations

import re

from tui.extract.listing import ListingRules
from tui.extract.site_rules import SiteRules

BLADI = SiteRules(
    name="Bladi.net",
    hosts=("bladi.net", "www.bladi.net"),
    # slug,ID.html (and the old article3766,3766.html); listings and tag pages are slug-only.
    article_path=re.compile(r"^/[^/]+,\d+\.html$"),
    feeds=("https://www.bladi.net/spip.php?page=backend",),
    title=("div.magauche.pas.article h1", "div.article h1", "h1"),
    date_line=("p.datenews", ".datenews"),
    lead=(
        "div.magauche.pas.article div.mbs.mtm strong p",
        "div.mbs.mtm strong p",
        "div.mbs.mtm p strong",
        "div.mbs.mtm strong",
    ),
    body=(
        "div.mtl.mbm > p, div.mtl.mbm > h2, div.mtl.mbm > h3, div.mtl.mbm > h4,"
        " div.mtl.mbm > ul, div.mtl.mbm > ol, div.mtl.mbm > blockquote, div.mtl.mbm > table",
    ),
    read_also="À lire",
    author_marker="Ecrit par",
    tags_label="Sujets associés",
    related_label="Aller plus loin",
    suggested_label="Ces articles devraient vous intéresser",
    drop_texts=("Suivez bladi.net sur Google News", "Suivez bladi.net sur WhatsApp"),
    timezone="Africa/Casablanca",
)

# Rubrique and tag pages (the 2018 markup, BLADI_FACTS.md): each entry a link holding its date
# ("21 mars 2018 - 15h20") and its title; older pages put the title in an h2.
BLADI_LISTING = ListingRules(
    entries=("div.grid4 > a", "div.grid3 > a"),
    title=("p.big", "h2", "h3"),
    date=("span.accueildate",),
    image="img",
    chrome_headings=("Les plus populaires de la semaine", "Vidéos et photos"),
)
