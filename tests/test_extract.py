"""Article pages → articles: Bladi.net by its rules, any other site generically, hostile pages safely."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.extract import decode_html, discover_feeds, extract_article, html_to_markdown, is_article_page
from tui.model import Article, Link
from tui.sanitize import is_web_url

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
BLADI_URL = "https://www.bladi.net/rabat-paris-echanges-universitaires,116201.html"
BLADI_NOAUTHOR_URL = "https://www.bladi.net/belgique-consulats-samedi,116310.html"
WORDPRESS_URL = "https://news.example.com/2024/02/10/dakhla-port-atlantique/"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MARKDOWN_LINK_TARGET = re.compile(r"(?<!\\)\]\(<?([^)>\s]*)>?\)")


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def every_string(article: Article) -> str:
    """All the text an article carries, one field per line."""
    links = [
        part for link in article.related + article.suggested for part in (link.title, link.url, link.summary)
    ]
    fields = [article.guid, article.title, article.url, article.rubrique, article.author, article.date_line,
              article.summary, article.lead, article.body, article.source, article.notice]  # fmt: skip
    return "\n".join(fields + article.tags + links)


def link_targets(article: Article) -> list[str]:
    markdown = article.lead + "\n" + article.body
    return MARKDOWN_LINK_TARGET.findall(markdown) + [link.url for link in article.related + article.suggested]


@pytest.fixture(scope="module")
def bladi() -> Article:
    return extract_article(page("bladi-article.html"), BLADI_URL, source="Bladi.net")


@pytest.fixture(scope="module")
def bladi_noauthor() -> Article:
    return extract_article(page("bladi-article-noauthor.html"), BLADI_NOAUTHOR_URL, source="Bladi.net")


@pytest.fixture(scope="module")
def wordpress() -> Article:
    return extract_article(page("wordpress-article.html"), WORDPRESS_URL, source="L’Écho du Sud")


# --- Bladi.net ----------------------------------------------------------------------------------


def test_bladi_page_gives_title_date_line_rubrique_and_author(bladi: Article) -> None:
    assert bladi.title == "Rabat et Paris relancent leurs échanges universitaires"
    assert bladi.date_line == "16 décembre 2023 - 15h00 - Maroc - Ecrit par : S.A"
    assert bladi.rubrique == "Maroc"
    assert bladi.author == "S.A"
    assert (bladi.guid, bladi.url, bladi.source, bladi.full_text) == (BLADI_URL, BLADI_URL, "Bladi.net", True)


def test_bladi_date_is_casablanca_local_time(bladi: Article) -> None:
    assert bladi.date is not None and bladi.date.tzinfo == ZoneInfo("Africa/Casablanca")
    assert (bladi.date.year, bladi.date.month, bladi.date.day, bladi.date.hour, bladi.date.minute) == (
        2023,
        12,
        16,
        15,
        0,
    )
    assert bladi.date.astimezone(UTC) == datetime(2023, 12, 16, 14, 0, tzinfo=UTC)


def test_bladi_lead_is_the_bold_intro_and_not_repeated_in_the_body(bladi: Article) -> None:
    assert bladi.lead == (
        # the page's og:image, the lead photo, above the lead
        "![](<https://img.bladi.net/IMG/arton116201.jpg>)\n\n"
        "Une feuille de route signée cette semaine à Rabat entend doubler, d’ici trois ans, "
        "le nombre de doubles diplômes entre établissements marocains et français."
    )
    assert "Une feuille de route signée" not in bladi.body


def test_bladi_body_keeps_every_paragraph_in_order_with_read_also_links_inline(bladi: Article) -> None:
    expected = [
        "se sont retrouvés vendredi matin dans la capitale pour parapher un accord",
        "près de quarante mille étudiants marocains suivent aujourd’hui un cursus",
        "À lire : [Visas étudiants : des rendez-vous plus rapides dès janvier]"
        "(https://www.bladi.net/visas-etudiants-rendez-vous-plus-rapides,116150.html)",
        "dans les écoles d’ingénieurs de Casablanca, de Fès et de Marrakech",
        "À lire : [Écoles d’ingénieurs : le classement qui bouscule les habitudes]"
        "(https://www.bladi.net/ecoles-ingenieurs-classement-maroc,116098.html)",
        "plusieurs universités promettent d’ouvrir davantage de contrats doctoraux",
        "Un comité de suivi présentera un premier bilan du dispositif à Paris au printemps 2024",
    ]
    positions = [bladi.body.find(fragment) for fragment in expected]
    assert -1 not in positions, [f for f, p in zip(expected, positions, strict=True) if p == -1]
    assert positions == sorted(positions)
    # Each "À lire" is a paragraph of its own, and other inline links are resolved too.
    assert "\n\nÀ lire : [Visas" in bladi.body
    assert "[la rubrique Maroc](https://www.bladi.net/maroc.html)" in bladi.body
    assert len(bladi.body.split("\n\n")) == 7


def test_bladi_tags_come_from_sujets_associes(bladi: Article) -> None:
    assert bladi.tags == ["France", "Rabat", "Enseignement supérieur", "Étudiants marocains"]


def test_bladi_aller_plus_loin_gives_title_url_and_summary(bladi: Article) -> None:
    assert bladi.related == [
        Link(
            "Bourses d’excellence : un nouveau guichet pour les étudiants",
            "https://www.bladi.net/bourses-excellence-etudiants,115870.html",
            "Les candidatures se feront désormais en ligne, sans passage obligatoire par le consulat.",
        ),
        Link(
            "Logement étudiant à Paris : la pénurie s’aggrave",
            "https://www.bladi.net/logement-etudiant-paris-penurie,115702.html",
            "Les résidences universitaires affichent complet et les loyers privés continuent de grimper.",
        ),
        Link(
            "Une université marocaine multiplie les partenariats européens",
            "https://www.bladi.net/universite-mohammed-vi-partenariats,115511.html",
            "Sept conventions ont été signées en un an avec des établissements de quatre pays.",
        ),
    ]


def test_bladi_suggested_articles_merge_image_and_title_links(bladi: Article) -> None:
    assert [(link.title, link.url) for link in bladi.suggested] == [
        ("Masters au Maroc : les inscriptions s’ouvrent plus tôt", "https://www.bladi.net/masters-maroc-inscriptions,114980.html"),
        ("Campus France enregistre un record de candidatures marocaines", "https://www.bladi.net/campus-france-maroc-record,114777.html"),
        ("Une aide pour les stages à l’étranger", "https://www.bladi.net/stage-etranger-aide,114650.html"),
        ("Reconnaissance des diplômes : ce qui change pour les MRE", "https://www.bladi.net/diplomes-reconnaissance-mre,114402.html"),
    ]  # fmt: skip
    assert bladi.suggested[0].summary.startswith("Le calendrier avance d’un mois")
    assert bladi.suggested[2].summary == "Le montant couvre le billet d’avion et une partie du logement."


@pytest.mark.parametrize(
    "chrome",
    ["Accueil", "Top 100", "Société", "Culture", "Rechercher", "Google News", "WhatsApp", "Suivez",
     "Les plus populaires", "Tanger Med", "Carburants", "A Propos", "Contact", "Archives", "Bladi.net - 2023",
     "googletag", "adsbygoogle", "_paq", "trackPageView", "min-height", "logo.png"],
)  # fmt: skip
def test_bladi_page_chrome_is_left_out(bladi: Article, chrome: str) -> None:
    assert chrome not in every_string(bladi)


def test_bladi_date_line_without_author(bladi_noauthor: Article) -> None:
    article = bladi_noauthor
    assert article.title == "Belgique : les consulats marocains ouvrent le samedi"
    assert article.author == ""
    assert article.rubrique == "Marocains du monde"
    assert article.date == datetime(2024, 3, 3, 9, 30, tzinfo=ZoneInfo("Africa/Casablanca"))
    assert article.date.utcoffset() == timedelta(hours=1)


def test_bladi_variant_markup_still_yields_every_part(bladi_noauthor: Article) -> None:
    """Lead as <p><strong>, tags as plain text, related sections as flat siblings."""
    article = bladi_noauthor
    assert article.lead.startswith("**Pour réduire les files d’attente")
    assert article.body.split("\n\n") == [
        "Les permanences du samedi concerneront d’abord Bruxelles, Anvers et Liège, où les demandes "
        "de passeports biométriques ont bondi depuis l’automne.",
        "À lire : [Passeport biométrique : les délais enfin raccourcis]"
        "(https://www.bladi.net/passeport-biometrique-delais,115990.html)",
        "Un système de rendez-vous en ligne doit accompagner la mesure afin d’éviter que les usagers "
        "ne se déplacent pour rien.",
    ]
    assert article.tags == ["Belgique", "Consulat", "Marocains de Belgique"]
    assert [link.url for link in article.related] == [
        "https://www.bladi.net/cartes-consulaires-en-ligne,115801.html",
        "https://www.bladi.net/bruxelles-consulat-nouveaux-locaux,115344.html",
    ]
    assert article.related[1].summary == "Les nouveaux bureaux doublent la surface d’accueil du public."
    # The section ends at the next box's heading: the "most read" entry is not suggested.
    assert article.suggested == [
        Link(
            "Double nationalité : les MRE de Belgique s’interrogent",
            "https://www.bladi.net/mre-belgique-double-nationalite,114900.html",
            "Un projet de réforme relance le débat au sein de la diaspora.",
        )
    ]
    for chrome in ("Horaires des mosquées", "Google News", "Top 100", "bladiPub", "Archives"):
        assert chrome not in every_string(article)


def test_bladi_redesign_falls_back_to_generic_extraction() -> None:
    """A Bladi URL whose page no longer has Bladi's markup still gives an article."""
    article = extract_article(page("wordpress-article.html"), BLADI_URL)
    assert article.title == "Dakhla : le port atlantique entre dans sa phase décisive"
    assert "les grues tournent désormais jour et nuit" in article.body
    assert article.full_text


# --- any other site -----------------------------------------------------------------------------


def test_wordpress_metadata_comes_from_the_page_head(wordpress: Article) -> None:
    assert wordpress.title == "Dakhla : le port atlantique entre dans sa phase décisive"
    assert wordpress.date == datetime(2024, 2, 10, 7, 30, tzinfo=UTC)
    assert wordpress.author == "Salma Bennani"  # not article:author, which is a Facebook URL
    assert wordpress.rubrique == "Économie"
    assert wordpress.tags == ["Dakhla", "Infrastructures", "Ports"]
    assert wordpress.summary == "Les travaux du grand port de Dakhla franchissent une étape majeure."
    assert wordpress.full_text and wordpress.source == "L’Écho du Sud"


def test_wordpress_main_text_keeps_structure_and_resolves_links(wordpress: Article) -> None:
    body = wordpress.body
    assert body.startswith("Sur le chantier du futur port de Dakhla")
    assert "\n## Un calendrier tenu malgré les intempéries\n" in body
    assert "> Nous visons une première escale commerciale avant la fin de l’année 2028" in body
    assert "- la digue de protection longue de plusieurs kilomètres ;\n- les quais destinés" in body
    assert (
        "[le dossier présenté lors de l’appel d’offres](https://news.example.com/2023/11/02/dakhla-appel-offres/)"
        in body
    )
    assert (
        "![La digue du port de Dakhla](https://news.example.com/wp-content/uploads/2024/02/dakhla-digue.jpg)"
        in body
    )
    assert "Reste la question du financement de la dernière tranche" in body
    assert "# Dakhla" not in body  # the title is not repeated as a heading


@pytest.mark.parametrize(
    "chrome",
    ["Abonnez-vous", "Aller au contenu", "Politique", "Karim", "bravo aux ouvriers", "dessalement",
     "Laisser un commentaire", "Votre message", "Articles récents", "tramway", "lettre quotidienne",
     "Catégories du site", "Tous droits réservés", "Propulsé par WordPress", "G-TRACKER", "dataLayer",
     "Article précédent", "Étiquettes"],
)  # fmt: skip
def test_wordpress_page_chrome_is_left_out(wordpress: Article, chrome: str) -> None:
    assert chrome not in every_string(wordpress)


# --- hostile pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["https://evil.example/article", "https://www.bladi.net/piege,1.html"])
def test_hostile_page_yields_no_terminal_control_and_no_unsafe_link(url: str) -> None:
    article = extract_article(page("hostile-article.html"), url)
    text = every_string(article)
    assert not UNSAFE.search(text), sorted({hex(ord(c)) for c in UNSAFE.findall(text)})
    assert "Premier paragraphe assez long" in article.body and "Cinquième paragraphe" in article.body
    targets = link_targets(article)
    assert targets == ["https://safe.example.org/page", "https://img.example.org/photo.jpg"]
    assert all(is_web_url(target) for target in targets)
    for leftover in ("alert(", "document.cookie", "steal", "secret", "Envoyer", "CSS", "objet", "iVBORw0K"):
        assert leftover not in text
    # Literal markup in the page's text stays inert text.
    assert r"\[x\](javascript:y)" in article.body
    assert r"\[bold\]x\[/\]" in article.body
    assert r"\&\#27;" in article.body


def test_literal_markdown_in_text_stays_text() -> None:
    markdown = html_to_markdown(
        "<p>Voir [x](javascript:y) et **gras** ou <a href='javascript:y'>ceci</a>.</p>", "https://e.ma/"
    )
    assert markdown == r"Voir \[x\](javascript:y) et \*\*gras\*\* ou ceci."
    assert not MARKDOWN_LINK_TARGET.search(markdown)


def test_links_and_images_resolve_against_the_page_and_keep_only_http() -> None:
    html = (
        '<p><a href="autre,2.html">relatif</a> <a href="//cdn.example.org/x">sans schéma</a> '
        '<a href="mailto:a@b.ma">courriel</a> <a href="#haut">ancre</a> <a href="ftp://f.ma/x">ftp</a> '
        '<img src="/img/a.jpg" alt="Une vue"> <img src="b.png"> <img src="data:image/png;base64,AAAA" alt="pixel"></p>'
    )
    assert html_to_markdown(html, "https://www.bladi.net/rubrique/article,1.html") == (
        "[relatif](https://www.bladi.net/rubrique/autre,2.html) [sans schéma](https://cdn.example.org/x) "
        "courriel ancre ftp ![Une vue](https://www.bladi.net/img/a.jpg) "
        "![](https://www.bladi.net/rubrique/b.png)"
    )


def test_local_files_may_link_inside_their_folder_only() -> None:
    html = (
        '<p><a href="voisin.html">voisin</a> <a href="sous/dossier.html">sous-dossier</a> '
        '<a href="../dehors.html">dehors</a> <a href="/etc/passwd">racine</a> '
        '<a href="file:///etc/shadow">fichier</a> <a href="https://web.ma/">web</a> <img src="photo.jpg" alt="p"></p>'
    )
    base = "file:///home/lecteur/articles/un.html"
    assert html_to_markdown(html, base, allow_relative=True) == (
        "[voisin](voisin.html) [sous-dossier](sous/dossier.html) dehors racine fichier "
        "[web](https://web.ma/) [image: p](photo.jpg)"
    )
    assert html_to_markdown(html, base) == "voisin sous-dossier dehors racine fichier [web](https://web.ma/)"


@pytest.mark.parametrize("tags", ["div", "span", "blockquote", "ul><li", "table><tr><td", "b><i"])
def test_ten_thousand_levels_of_nesting_neither_crash_nor_lose_the_text(tags: str) -> None:
    opening = "".join(f"<{tag}>" for tag in tags.split("><"))
    closing = "".join(f"</{tag}>" for tag in reversed(tags.split("><")))
    html = opening * 10_000 + "<p>Le texte tout au fond.</p>" + closing * 10_000
    assert "Le texte tout au fond." in html_to_markdown(html, "https://e.ma/")


@pytest.mark.parametrize("url", [WORDPRESS_URL, BLADI_URL])
def test_deeply_nested_page_extracts_without_error(url: str) -> None:
    deep = "<div>" * 10_000 + "<p>" + "Un paragraphe profond mais lisible. " * 20 + "</p>" + "</div>" * 10_000
    html = f"<html><head><title>Profond</title></head><body><article><h1>Profond</h1>{deep}</article></body></html>"
    article = extract_article(html.encode(), url)
    assert article.title == "Profond"
    # lxml stops at depth 255, so trafilatura sees nothing: the <article> element is converted whole.
    assert article.body.startswith("Un paragraphe profond mais lisible.") and article.full_text


# --- what a page given as a SOURCE is -----------------------------------------------------------


def test_discover_feeds_resolves_dedupes_and_keeps_only_feed_types() -> None:
    assert discover_feeds(page("site-home.html"), "https://courrier-oriental.example/") == [
        "https://www.courrier-oriental.example/feed",
        "https://www.courrier-oriental.example/atom.xml",
        "https://www.courrier-oriental.example/feed.json",
    ]
    assert discover_feeds(page("wordpress-article.html"), WORDPRESS_URL) == [
        "https://news.example.com/feed/",
        "https://news.example.com/comments/feed/",
    ]


def test_bladi_homepage_gets_the_feed_it_does_not_advertise() -> None:
    home = "<html><head><title>Bladi.net : Les Marocains du monde</title></head><body></body></html>"
    assert discover_feeds(home, "https://www.bladi.net/") == ["https://www.bladi.net/spip.php?page=backend"]
    assert discover_feeds(home, "https://autre.example/") == []


@pytest.mark.parametrize(
    ("name", "url", "expected"),
    [
        ("bladi-article.html", BLADI_URL, True),  # slug,ID.html
        ("site-home.html", "https://www.bladi.net/article3766,3766.html", True),  # the URL decides
        ("site-home.html", "https://www.bladi.net/maroc.html", False),  # a rubrique listing
        ("wordpress-article.html", WORDPRESS_URL, True),  # og:type=article
        ("hostile-article.html", "https://evil.example/a", True),
        ("site-home.html", "https://courrier-oriental.example/", False),  # three <article> teasers
    ],
)
def test_is_article_page(name: str, url: str, expected: bool) -> None:
    assert is_article_page(page(name), url) is expected


def test_a_single_article_element_makes_an_article_page() -> None:
    html = "<html><body><nav>menu</nav><article><h1>Titre</h1><article>commentaire</article></article></body></html>"
    assert is_article_page(html, "https://site.example/post")
    assert not is_article_page("<html><body><p>Bonjour</p></body></html>", "https://site.example/")


# --- bytes to text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "declared", "expected"),
    [
        ("\ufeffSécurité".encode(), "", "Sécurité"),
        ("\ufeffSécurité".encode("utf-16-le"), "iso-8859-1", "Sécurité"),  # BOM wins over the header
        (
            '<meta charset="iso-8859-1">Sécurité ’'.encode("cp1252"),
            "",
            '<meta charset="iso-8859-1">Sécurité ’',
        ),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">المغرب'.encode(
                "cp1256"
            ),
            "",
            '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">المغرب',
        ),
        ("Sécurité".encode("cp1252"), "", "Sécurité"),  # undeclared and not UTF-8
        (
            '<meta charset="utf-8">Sécurité'.encode("cp1252"),
            "",
            '<meta charset="utf-8">Sécurité',
        ),  # mislabelled
        ("Sécurité".encode(), "", "Sécurité"),  # undeclared UTF-8
        (b'<meta charset="utf-7">+ACE-', "", '<meta charset="utf-7">+ACE-'),  # never UTF-7
        ("Sécurité".encode("cp1252"), "windows-1252", "Sécurité"),
        ('<meta charset="windows-1252">Sécurité'.encode(), "utf-8", '<meta charset="windows-1252">Sécurité'),
    ],
)
def test_decode_html(data: bytes, declared: str, expected: str) -> None:
    assert decode_html(data, declared) == expected


def test_a_stray_bad_byte_does_not_turn_a_utf8_page_into_mojibake() -> None:
    data = ('<meta charset="utf-8"><p>' + "Sécurité routière au Maroc. " * 20 + "</p>").encode() + b"\x97"
    assert "Sécurité routière" in decode_html(data)


def test_extract_article_reads_a_page_in_its_declared_charset() -> None:
    html = (
        page("bladi-article.html").decode().replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
    )
    article = extract_article(html.encode("cp1252", "replace"), BLADI_URL)
    assert article.title == "Rabat et Paris relancent leurs échanges universitaires"
    assert article.tags[-1] == "Étudiants marocains"


def test_bladi_sections_are_found_by_their_labels_whatever_the_markup() -> None:
    """Tags under a heading of their own, related entries as cards wrapped in one link each."""
    html = """<html><body><div class="magauche pas article"><h1>Un titre</h1>
      <p class="datenews">2 janvier 2024 - 10h15 - Monde</p>
      <div class="mtl mbm"><p>Le seul paragraphe du corps.</p></div>
      <section><h3>Sujets associés</h3><ul><li><a href="/espagne.html">Espagne</a></li><li><a href="/mre.html">MRE</a></li></ul></section>
      <section><h3>Aller plus loin</h3>
        <a href="/carte,7.html"><h4>Le titre de la carte</h4><p>Son résumé, dans le même lien.</p></a>
        <a href="javascript:void(0)"><h4>Un faux lien</h4></a>
      </section>
      <footer><a href="/contact.html">Contact</a></footer></div></body></html>"""
    article = extract_article(html, "https://bladi.net/un-titre,9.html")
    assert article.tags == ["Espagne", "MRE"]
    assert article.related == [
        Link("Le titre de la carte", "https://bladi.net/carte,7.html", "Son résumé, dans le même lien.")
    ]
    assert article.suggested == []
    assert article.body == "Le seul paragraphe du corps."


def test_metadata_falls_back_on_json_ld_then_on_the_page() -> None:
    html = """<html><head><title>Titre de l'onglet</title>
      <script type="application/ld+json">[{"@type": "WebPage"}, {"@type": ["NewsArticle"],
        "datePublished": "2024-05-02T18:45:00", "author": [{"@type": "Person", "name": "Youssef A."}],
        "articleSection": "Sport", "keywords": ["Raja", "Botola"]}]</script>
      <script type="application/ld+json">[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[</script>
      </head><body><article><h1>Le Raja reprend la tête</h1><p>Un match serré jusqu'au bout.</p></article></body></html>"""
    article = extract_article(html, "https://sport.example.ma/raja")
    assert article.title == "Le Raja reprend la tête"
    assert article.date == datetime(2024, 5, 2, 18, 45, tzinfo=UTC)  # no offset given: UTC
    assert (article.author, article.rubrique, article.tags) == ("Youssef A.", "Sport", ["Raja", "Botola"])
    assert article.body == "Un match serré jusqu'au bout."
    assert article.location == "https://sport.example.ma/raja"


_PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<a href='javascript:alert(1)'>",
        "<a href='data:text/html,x'>",
        "<a href=' java\tscript:x'>",
        "<a href='/rel'>",
        "<a href='https://ok.example/'>",
        "</a>",
        "<img src='data:image/png;base64,AA' alt='d'>",
        "<img src='x.png'>",
        "<script>",
        "</script>",
        "<ul><li>",
        "<blockquote>",
        "<div>",
        "</div>",
        "[x](javascript:y)",
        "![i](file:///etc/passwd)",
        "&#27;[31m",
        "&#x9b;",
        "&#x202e;",
        "\x1b]52;c;aGk=\x07",
        "\u2066",
        "&lt;a&gt;",
        "*",
        "_",
        "`",
        "\\",
        "#",
        "-",
        "!",
        "texte ",
        "\n",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_any_mix_of_hostile_pieces_gives_safe_markdown(pieces: list[str]) -> None:
    markdown = html_to_markdown("".join(pieces), "https://www.bladi.net/a,1.html")
    assert not UNSAFE.search(markdown)
    assert all(is_web_url(target) for target in MARKDOWN_LINK_TARGET.findall(markdown))


def test_generic_extraction_drops_repeats_and_share_lines_and_keeps_related_titles() -> None:
    """An unknown site: the date line printed twice and the share lines go; related articles
    whose titles sit in headings inside links keep their titles (trafilatura drops them)."""
    html = """<html><head><title>Dakhla</title></head><body><nav><a href="/">Accueil</a></nav>
    <article><h1>Le port de Dakhla avance</h1>
    <p class="date">12 mars 2024 - 10h00 - Economie</p>
    <p class="date">12 mars 2024 - 10h00 - Economie</p>
    <p>Premier paragraphe, assez long pour compter comme le texte de cet article de presse.</p>
    <p><a href="https://www.facebook.com/sharer?u=x">Partager sur Facebook</a></p>
    <p>Suivez-nous sur WhatsApp</p>
    <p>Deuxième paragraphe, qui continue l'histoire du port et de ses grues géantes.</p>
    <div class="related"><h2>Sur le même sujet</h2>
    <a href="/dakhla-quai"><h3>Un nouveau quai pour Dakhla</h3></a><p>Les travaux commencent.</p>
    <a href="/dakhla-pêche"><h3>La pêche se modernise</h3></a><p>Des bateaux neufs.</p>
    </div></article><footer><a href="/contact"><h4>Contact</h4></a></footer></body></html>"""
    article = extract_article(html, "https://exemple.ma/dakhla")
    assert article.body.count("12 mars 2024 - 10h00 - Economie") == 1
    assert "Facebook" not in article.body and "WhatsApp" not in article.body
    assert "Deuxième paragraphe" in article.body
    assert [(link.title, link.summary) for link in article.related] == [
        ("Un nouveau quai pour Dakhla", "Les travaux commencent."),
        ("La pêche se modernise", "Des bateaux neufs."),
    ]
