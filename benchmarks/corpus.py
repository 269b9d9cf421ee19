"""Realistic French news text, generated from a seed: titles, rubriques, tags, bodies, big dossiers.

Every figure of the benchmark reads from this, so two runs with the same seed draw the same
screens. A few words are reserved as on-screen markers (``MARKER_10K``, ``MARKER_200K``) and
appear nowhere else; the newest and the oldest article of every store have titles of their own,
so the benchmark knows when the list shows its top or its bottom.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from tui.model import Article, fold

CASABLANCA = timezone(timedelta(hours=1))

# The newest article's title (the top row at start) and the oldest one's (the row End shows).
NEWEST_TITLE = "À la une : Rabat accueille le sommet africain de l'eau"
OLDEST_TITLE = "Fonds d'archives : le tout premier article du lecteur"
# The list shows ~20 characters of a title at 120 columns: these prefixes are what is looked for.
NEWEST_MARK = "À la une : Rabat"
OLDEST_MARK = "Fonds d'archives"

# Single words (never cut by wrapping) that appear only in the first paragraph of one article.
MARKER_10K = "Lixus"
MARKER_200K = "Volubilis"
TITLE_10K = "Enquête : les MRE face à la flambée des loyers"
TITLE_200K = "Grand format : vingt ans de Marocains du monde"

RUBRIQUES = (  # name, weight
    ("Maroc", 20),
    ("Marocains du monde", 15),
    ("Société", 12),
    ("Economie", 10),
    ("Sport", 10),
    ("Monde", 8),
    ("Culture", 7),
    ("Politique", 6),
    ("Faits divers", 5),
    ("Santé", 3),
    ("Tourisme", 2),
    ("Immigration", 2),
)

MOROCCAN_PLACES = (
    "Casablanca",
    "Rabat",
    "Tanger",
    "Marrakech",
    "Agadir",
    "Fès",
    "Oujda",
    "Nador",
    "Tétouan",
    "Meknès",
    "Laâyoune",
    "Dakhla",
    "Essaouira",
    "El Jadida",
    "Kénitra",
    "Safi",
    "Béni Mellal",
    "Khouribga",
    "Taza",
    "Al Hoceïma",
    "Ouarzazate",
    "Errachidia",
    "Settat",
    "Mohammedia",
    "Larache",
    "Guelmim",
    "Tiznit",
    "Taroudant",
    "Ifrane",
    "Chefchaouen",
    "Berkane",
    "Salé",
    "Témara",
    "Khémisset",
    "Sidi Kacem",
    "Taourirt",
    "Azrou",
    "Midelt",
    "Zagora",
    "Tinghir",
    "Asilah",
    "Martil",
    "Fnideq",
    "Saïdia",
    "Ksar El Kébir",
    "Youssoufia",
    "Benguerir",
    "Sidi Ifni",
    "Tan-Tan",
    "Boujdour",
    "Smara",
    "Figuig",
    "Bouarfa",
    "Demnate",
    "Imilchil",
    "Ouzoud",
    "Tafraout",
    "Mirleft",
    "Oualidia",
    "Bouznika",
)
WORLD_PLACES = (
    "Paris",
    "Madrid",
    "Bruxelles",
    "Amsterdam",
    "Milan",
    "Montréal",
    "Barcelone",
    "Lyon",
    "Marseille",
    "Anvers",
    "Rotterdam",
    "Francfort",
    "Turin",
    "Séville",
    "Malaga",
    "Algésiras",
    "Ceuta",
    "Melilla",
    "Dakar",
    "Abidjan",
    "Nouakchott",
    "Alger",
    "Tunis",
    "Le Caire",
    "Doha",
    "Dubaï",
    "Riyad",
    "Istanbul",
    "Londres",
    "New York",
    "Washington",
    "Lisbonne",
    "Genève",
    "Berlin",
    "Liège",
    "Toulouse",
    "Bordeaux",
    "Nice",
    "Lille",
    "Strasbourg",
)
PLACES = MOROCCAN_PLACES + WORLD_PLACES  # 100

THEMES = (
    "Immigration",
    "Diaspora",
    "Football",
    "CAN 2025",
    "Mondial 2030",
    "Ramadan",
    "Tourisme",
    "Sécurité",
    "Économie",
    "Justice",
    "Éducation",
    "Santé",
    "Eau",
    "Sécheresse",
    "Transport",
    "Aviation",
    "Royal Air Maroc",
    "Opération Marhaba",
    "Fiscalité",
    "Immobilier",
    "Logement",
    "Emploi",
    "Chômage",
    "Agriculture",
    "Pêche",
    "Énergie",
    "Hydrogène vert",
    "Phosphates",
    "Automobile",
    "Industrie",
    "Port",
    "TGV",
    "Autoroutes",
    "Douane",
    "Consulat",
    "Passeport",
    "Visa",
    "Schengen",
    "Binationaux",
    "Retraite",
    "Transferts d'argent",
    "Banque",
    "Inflation",
    "Prix",
    "Carburant",
    "Climat",
    "Séisme",
    "Inondations",
    "Incendies",
    "Environnement",
    "Culture",
    "Cinéma",
    "Musique",
    "Festival",
    "Littérature",
    "Patrimoine",
    "Artisanat",
    "Gastronomie",
    "Mode",
    "Religion",
    "Mosquées",
    "Aïd",
    "Pèlerinage",
    "Femmes",
    "Jeunesse",
    "Enfance",
    "Handicap",
    "Université",
    "Recherche",
    "Numérique",
    "Startups",
    "Télécoms",
    "Internet",
    "Réseaux sociaux",
    "Presse",
    "Médias",
    "Police",
    "Gendarmerie",
    "Drogue",
    "Contrebande",
    "Terrorisme",
    "Diplomatie",
    "Sahara",
    "Union africaine",
    "Union européenne",
    "Espagne",
    "France",
    "Belgique",
    "Pays-Bas",
    "Italie",
    "Algérie",
    "Mauritanie",
    "Sénégal",
    "Élections",
    "Parlement",
    "Gouvernement",
    "Syndicats",
    "Grèves",
    "Commerce",
    "Export",
)  # 100

SUBJECTS = (
    "le gouvernement",
    "la diaspora marocaine",
    "les MRE",
    "la Royal Air Maroc",
    "l'ONCF",
    "la DGSN",
    "les supporters des Lions de l'Atlas",
    "le ministère de la Santé",
    "les agriculteurs",
    "la Bourse de Casablanca",
    "les douaniers",
    "Bank Al-Maghrib",
    "les enseignants",
    "la police espagnole",
    "le port de Tanger Med",
    "les étudiants",
    "la Fédération royale marocaine de football",
    "les consulats",
    "les hôteliers",
    "les médecins",
    "la wilaya",
    "les transporteurs",
    "le Parlement",
    "les commerçants",
)
VERBS = (
    "annonce",
    "dévoile",
    "prépare",
    "lance",
    "dénonce",
    "réclame",
    "suspend",
    "renforce",
    "célèbre",
    "accélère",
    "reporte",
    "soutient",
    "conteste",
    "finalise",
    "inaugure",
)
OBJECTS = (
    "un plan contre la sécheresse",
    "de nouvelles liaisons aériennes",
    "une hausse des prix du carburant",
    "la réforme des retraites",
    "l'opération Marhaba",
    "un programme de logement social",
    "des contrôles renforcés aux frontières",
    "le chantier du stade du Mondial 2030",
    "une campagne de vaccination",
    "la numérisation des services consulaires",
    "un festival de musique gnaoua",
    "la baisse des transferts d'argent",
    "de nouvelles règles pour les visas Schengen",
    "un partenariat avec l'Union européenne",
    "la rénovation de la médina",
    "la construction d'une usine de dessalement",
    "une enquête sur un réseau de contrebande",
    "le recrutement de milliers d'enseignants",
    "la hausse des loyers",
    "l'extension de la ligne à grande vitesse",
    "un plan d'urgence pour les hôpitaux",
)
WHEN = (
    "ce lundi",
    "mardi soir",
    "ce mercredi",
    "jeudi matin",
    "vendredi dernier",
    "ce week-end",
    "la semaine dernière",
    "depuis plusieurs mois",
    "cette année",
    "dès le mois prochain",
)
SOURCES_OF_NEWS = (
    "l'agence MAP",
    "un communiqué officiel",
    "des sources concordantes",
    "la presse espagnole",
    "nos confrères de Le360",
    "un responsable du ministère",
    "des témoins sur place",
    "un rapport parlementaire",
)
COMMENTS = (
    "Une décision très attendue par les familles concernées.",
    "Les associations saluent une avancée, mais restent prudentes.",
    "Sur les réseaux sociaux, les réactions ne se sont pas fait attendre.",
    "Les professionnels du secteur espèrent des mesures concrètes avant l'été.",
    "Le dossier devrait revenir sur la table du Conseil de gouvernement.",
    "Plusieurs élus locaux réclament davantage de transparence sur le calendrier.",
    "Les chiffres officiels montrent une tendance nette depuis la fin de la pandémie.",
    "Pour les Marocains résidant à l'étranger, l'enjeu est d'abord pratique.",
)
AUTHORS = ("S.A", "Y.B", "A. Lemrini", "Bladi.net", "M. Tazi", "K. Alaoui", "R. Bennani", "N.E")


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


class FrenchText:
    """Sentences, paragraphs and titles drawn from a seeded generator."""

    def __init__(self, seed: int = 2024) -> None:
        self.random = random.Random(seed)
        self.paragraphs = [self._paragraph() for _ in range(400)]

    def sentence(self) -> str:
        r = self.random
        form = r.randrange(4)
        if form == 0:
            return (
                f"{capitalize(r.choice(SUBJECTS))} {r.choice(VERBS)} {r.choice(OBJECTS)} "
                f"à {r.choice(PLACES)}, a-t-on appris {r.choice(WHEN)} auprès de {r.choice(SOURCES_OF_NEWS)}."
            )
        if form == 1:
            return (
                f"Selon {r.choice(SOURCES_OF_NEWS)}, {r.choice(SUBJECTS)} {r.choice(VERBS)} "
                f"{r.choice(OBJECTS)} {r.choice(WHEN)}."
            )
        if form == 2:
            return r.choice(COMMENTS)
        return (
            f"À {r.choice(PLACES)}, {r.choice(SUBJECTS)} suit de près {r.choice(OBJECTS)}, "
            f"{r.randrange(2, 95)} % des personnes interrogées se disant concernées."
        )

    def _paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.random.randrange(3, 6)))

    def title(self) -> str:
        r = self.random
        return f"{r.choice(PLACES)} : {r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)}"

    def body(self, paragraphs: int) -> str:
        chosen = [self.random.choice(self.paragraphs) for _ in range(paragraphs)]
        if self.random.random() < 0.3:
            # Bladi's "À lire" lines: a link to another article in the middle of the text.
            chosen.insert(
                len(chosen) // 2,
                f"**À lire :** [{capitalize(self.title())}]"
                f"(https://www.bladi.net/article-{self.random.randrange(10**6)}.html)",
            )
        return "\n\n".join(chosen)

    def long_body(self, size: int, marker: str) -> str:
        """A dossier of about ``size`` bytes: sections with headings, paragraphs and a list."""
        parts = [
            f"Depuis le site antique de {marker}, notre équipe a sillonné le pays. "
            + self.random.choice(self.paragraphs)
        ]
        length = len(parts[0].encode())
        section = 1
        while length < size:
            if len(parts) % 8 == 0:
                part = f"## {section}. {capitalize(self.random.choice(OBJECTS))}"
                section += 1
            elif len(parts) % 13 == 0:
                part = "\n".join(f"- {self.sentence()}" for _ in range(4))
            else:
                part = self.random.choice(self.paragraphs)
            parts.append(part)
            length += len(part.encode()) + 2
        return "\n\n".join(parts)


@dataclass(frozen=True)
class GeneratedArticle:
    source: int  # index into the store's sources
    article: Article


def tag_pool(size: int) -> list[str]:
    """``size`` distinct tags: themes, places, then theme-place pairs ("Immigration Tanger")."""
    pool = list(dict.fromkeys(THEMES + PLACES))
    pairs = (f"{theme} {place}" for theme in THEMES for place in PLACES)
    for tag in pairs:
        if len(pool) >= size:
            break
        pool.append(tag)
    if len(pool) < size:
        raise ValueError(f"at most {len(THEMES) * len(PLACES) + len(pool)} tags")
    return pool[:size]


def generate_articles(
    count: int,
    *,
    sources: int,
    tags: list[str],
    seed: int = 2024,
    span_days: float | None = None,
    now: datetime | None = None,
    big_articles: bool = False,
) -> list[GeneratedArticle]:
    """``count`` articles, newest first, spread over ``span_days`` up to ``now``.

    Each has a rubrique (weighted as on Bladi), 2 to 5 tags from ``tags`` (every tag of the
    pool is used at least once when ``count`` allows), a body of 3 to 5 paragraphs (~2 KB) and
    a summary. With ``big_articles`` the two newest are the 10 KB and 200 KB dossiers.
    """
    text = FrenchText(seed)
    r = text.random
    now = (now or datetime.now(CASABLANCA)).replace(microsecond=0)
    span_days = span_days if span_days is not None else max(30.0, count / 110)
    step = span_days * 86400 / max(count, 1)
    names = [name for name, _ in RUBRIQUES]
    weights = [weight for _, weight in RUBRIQUES]
    result = []
    for index in range(count):
        date = now - timedelta(seconds=3600 + index * step + r.random() * step * 0.5)
        chosen = {tags[index % len(tags)]} if len(tags) <= count * 2 else set()
        while len(chosen) < min(len(tags), r.randint(2, 5)):
            chosen.add(r.choice(tags))
        rubrique = r.choices(names, weights)[0]
        title = capitalize(text.title())
        body = text.body(r.randint(3, 5))
        if index == 0:
            title = NEWEST_TITLE
        elif index == count - 1:
            title = OLDEST_TITLE
        if big_articles and index < 2:
            title = TITLE_10K if index == 0 else TITLE_200K
            body = text.long_body(
                10_000 if index == 0 else 200_000, MARKER_10K if index == 0 else MARKER_200K
            )
            rubrique = "Marocains du monde"
        number = 900_000 - index
        article = Article(
            guid=f"https://www.bladi.net/bench-{seed}-{number}.html",
            title=title,
            url=f"https://www.bladi.net/bench-{seed}-{number}.html",
            date=date,
            rubrique=rubrique,
            tags=sorted(chosen, key=fold),
            author=r.choice(AUTHORS),
            summary=body.split("\n\n", 1)[0][:300],
            body=body,
            full_text=True,
        )
        result.append(GeneratedArticle(index % sources, article))
    return result
