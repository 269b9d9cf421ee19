"""Every form of Bladi.net's date line the site has printed (BLADI_FACTS.md), read as data."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from tui.extract.date_line import DateLine, parse_date_line
from tui.extract.sites.bladi import RULES as BLADI

TITLE = "Un titre que la vieille mise en page répète après la date"


def read(line: str, **kwargs) -> DateLine:
    return parse_date_line(line, author_markers=BLADI.author_markers, **kwargs)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # Today's full line.
        (
            "16 décembre 2023 - 15h00 - Maroc - Ecrit par : S.A",
            (date(2023, 12, 16), time(15, 0), "Maroc", "S.A"),
        ),
        # "1er", another rubrique than the menu's seven.
        (
            "1er juin 2023 - 14h30 - Espagne - Ecrit par : Bladi.net",
            (date(2023, 6, 1), time(14, 30), "Espagne", "Bladi.net"),
        ),
        # No rubrique: the author is not one.
        (
            "21 novembre 2016 - 12h30 - Ecrit par : Bladi.net",
            (date(2016, 11, 21), time(12, 30), "", "Bladi.net"),
        ),
        # No author after the marker.
        ("15 janvier 2003 - 23h49 - Maroc - Ecrit par :", (date(2003, 1, 15), time(23, 49), "Maroc", "")),
        # The old layout: date and time, nothing else.
        ("9 janvier 2006 - 09h46", (date(2006, 1, 9), time(9, 46), "", "")),
        # Recent pages: no date at all. The time is never the rubrique.
        ("- 08h00 - Monde - Ecrit par : Bladi.net", (None, time(8, 0), "Monde", "Bladi.net")),
        ("- 15h46 - Belgique - Ecrit par : P. A", (None, time(15, 46), "Belgique", "P. A")),
        ("- 03h04 - Ecrit par : A.P", (None, time(3, 4), "", "A.P")),
        ("- 03h04", (None, time(3, 4), "", "")),
        # Other authors, spaced or not.
        (
            "3 mars 2024 - 7h05 - Economie - Ecrit par : L.A",
            (date(2024, 3, 3), time(7, 5), "Economie", "L.A"),
        ),
        # A day that does not exist is no day; the rest still reads.
        ("31 février 2023 - 10h00 - Maroc", (None, time(10, 0), "Maroc", "")),
        ("", (None, None, "", "")),
    ],
)
def test_every_date_line_form(line: str, expected: tuple) -> None:
    got = read(line)
    assert (got.day, got.time, got.rubrique, got.author) == expected


def test_the_old_layouts_title_after_the_line_is_not_a_rubrique() -> None:
    got = read(f"9 janvier 2006 - 09h46 - {TITLE}", title=TITLE)
    assert (got.day, got.time, got.rubrique) == (date(2006, 1, 9), time(9, 46), "")
    # Even without the title to compare with: a sentence is no rubrique.
    assert read(f"9 janvier 2006 - 09h46 - {TITLE}").rubrique == ""


def test_the_rubrique_link_names_the_rubrique_and_its_listing() -> None:
    got = read(
        "- 15h46 - Monde - Ecrit par : Bladi.net", links=(("Monde", "https://www.bladi.net/monde.html"),)
    )
    assert (got.rubrique, got.rubrique_url, got.day) == ("Monde", "https://www.bladi.net/monde.html", None)


def test_a_date_is_aware_in_the_sites_zone_and_a_time_alone_is_no_date() -> None:
    assert read("16 décembre 2023 - 15h00 - Maroc").when(BLADI.timezone) == datetime(
        2023, 12, 16, 15, 0, tzinfo=ZoneInfo("Africa/Casablanca")
    )
    assert read("5 fevrier 2021 - Economie").when(BLADI.timezone) == datetime(
        2021, 2, 5, 0, 0, tzinfo=ZoneInfo("Africa/Casablanca")
    )
    assert read("- 08h00 - Monde").when(BLADI.timezone) is None
