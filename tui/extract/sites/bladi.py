"""Bladi.net's article and listing pages, as data: where each part sits and what the site has
called them.

The selectors come from public scrapers and may have changed; every one has a fallback, and the
related sections are found by their French headings, not by markup (see ``site_rules``). The
labels list every wording of the site's eras (BLADI_FACTS.md): 2016-2021 "Tags" and "Nous vous
recommandons", around 2022 "Aller plus loin", today "Sujets associés".
"""

from __future__ import annotations

import re

from tui.extract.site_rules import ListingRules, SiteRules

RULES = SiteRules(
    name="Bladi.net",
    hosts=("bladi.net", "www.bladi.net"),
    # slug,ID.html (and the old article3766,3766.html: the number after the comma), the short
    # /ID. Slug-only pages are old articles, rubriques and tags alike: not told apart by URL.
    article_paths=(re.compile(r"/[^/]+,(?P<id>\d{1,9})\.html"), re.compile(r"/(?P<id>\d{1,9})")),
    id_prefix="bladi",
    article_globs=("/*,{id}.html", "/{id}"),
    feeds=("https://www.bladi.net/spip.php?page=backend",),
    title=("div.magauche.pas.article h1", "div.article h1", "h1"),
    date_line=("p.datenews", ".datenews"),
    lead=(
        "div.magauche.pas.article div.mbs.mtm strong p",
        "div.mbs.mtm strong p",
        "div.mbs.mtm p strong",
        "div.mbs.mtm strong",
    ),
    # SPIP calls an article's illustration its "logo" (arton<ID>.jpg); the page's og:image is
    # the fallback (tui.extract.images.lead_image).
    lead_image=(
        "div.magauche.pas.article img.spip_logo",
        "div.magauche.pas.article .illustration img",
        "div.article img.spip_logo",
    ),
    body=(
        "div.mtl.mbm > p, div.mtl.mbm > h2, div.mtl.mbm > h3, div.mtl.mbm > h4,"
        " div.mtl.mbm > ul, div.mtl.mbm > ol, div.mtl.mbm > blockquote, div.mtl.mbm > table",
    ),
    container=("div.magauche.pas.article", "div.article"),
    read_also=("À lire",),
    author_markers=("Ecrit par",),
    tags_labels=("Sujets associés", "Tags"),
    related_labels=("Aller plus loin", "Nous vous recommandons"),
    suggested_labels=("Ces articles devraient vous intéresser",),
    drop_texts=("Suivez bladi.net sur Google News", "Suivez bladi.net sur WhatsApp"),
    timezone="Africa/Casablanca",
    # Rubrique and tag pages (the 2018 markup, BLADI_FACTS.md): each entry a link holding its
    # date ("21 mars 2018 - 15h20") and its title; older pages put the title in an h2.
    listing=ListingRules(
        entries=("div.grid4 > a", "div.grid3 > a"),
        title=("p.big", "h2", "h3"),
        date=("span.accueildate",),
        image="img",
        chrome_headings=("Les plus populaires de la semaine", "Vidéos et photos"),
    ),
)
