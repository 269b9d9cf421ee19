"""A news site's date line read as data: "16 décembre 2023 - 15h00 - Maroc - Ecrit par : S.A".

Every part may be missing, and the site has printed every combination: no date at all
("- 08h00 - Monde - Ecrit par : Bladi.net"), no rubrique, no author, the day as "1er". A part
the line does not give is left empty, for the feed to fill; it is never guessed from a
neighbouring segment (a time is never a rubrique, nor the title repeated after the line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from tui.model import fold
from tui.sanitize import clean_line

_MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}  # fmt: skip
_DATE = re.compile(r"(\d{1,2})(?:er)?\s+([a-z]+)\.?\s+(\d{4})")
_TIME = re.compile(r"(\d{1,2})\s*[h:]\s*(\d{2})?")
# A dash or bar between spaces, or at either end of the line: "- 08h00 - Monde" starts with one.
_SEGMENTS = re.compile(r"(?:^|\s+)[-–—|](?:\s+|$)")
# A rubrique is a short name ("Marocains du monde"); a longer segment is a title or a sentence.
_RUBRIQUE_WORDS = 5
_RUBRIQUE_CHARS = 60


@dataclass(frozen=True, slots=True)
class DateLine:
    """What a date line says; ``rubrique_url`` is set when the rubrique is a link to its listing."""

    day: date | None = None
    time: time | None = None
    rubrique: str = ""
    rubrique_url: str = ""
    author: str = ""

    def when(self, timezone: str) -> datetime | None:
        """The aware date and time in the site's zone (midnight when only the day is given); None
        without a day: a time alone says nothing of which day."""
        if self.day is None:
            return None
        return datetime.combine(self.day, self.time or time(0, 0), tzinfo=ZoneInfo(timezone))


def split_date_line(line: str) -> list[str]:
    """The line's segments, cleaned, without the empty ones."""
    return [part for part in (clean_line(p) for p in _SEGMENTS.split(clean_line(line))) if part]


def parse_date_line(
    line: str,
    *,
    author_markers: tuple[str, ...] = (),
    title: str = "",
    links: tuple[tuple[str, str], ...] = (),
) -> DateLine:
    """Read ``line``. ``author_markers`` open the author's segment ("Ecrit par"); ``title`` is
    the article's, never taken for a rubrique; ``links`` are the line's (text, URL) links, the
    one whose text is a segment giving the rubrique with the URL of its listing."""
    day = hour = None
    rubrique = rubrique_url = author = ""
    markers = tuple(fold(marker) for marker in author_markers if marker)
    folded_title = fold(title)
    linked = {fold(text): url for text, url in links if text and url}
    candidates: list[str] = []
    for segment in split_date_line(line):
        folded = fold(segment)
        if day is None and (found := _DATE.fullmatch(folded)) and found.group(2) in _MONTHS:
            try:
                day = date(int(found.group(3)), _MONTHS[found.group(2)], int(found.group(1)))
            except ValueError:  # 31 février: a day that does not exist is no day
                day = None
        elif hour is None and (found := _TIME.fullmatch(folded)):
            if int(found.group(1)) < 24 and int(found.group(2) or 0) < 60:
                hour = time(int(found.group(1)), int(found.group(2) or 0))
        elif marker := next((m for m in markers if folded.startswith(m)), ""):
            name = segment.split(":", 1)[1] if ":" in segment else segment[len(marker) :]
            author = clean_line(name, 200)
        elif _DATE.search(folded) or _TIME.fullmatch(folded) or folded == folded_title:
            continue  # a second date or time, or the title printed after the line
        else:
            candidates.append(segment)
    for segment in candidates:
        if fold(segment) in linked:
            rubrique, rubrique_url = clean_line(segment, 200), linked[fold(segment)]
            break
    else:
        plausible = (
            s
            for s in candidates
            if len(s) <= _RUBRIQUE_CHARS and len(s.split()) <= _RUBRIQUE_WORDS and not s.isdigit()
        )
        rubrique = clean_line(next(plausible, ""), 200)
    return DateLine(day, hour, rubrique, rubrique_url, author)
