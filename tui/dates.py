"""Dates the UI writes itself (the list, relative times), in the UI's language.

An article's own date line is content and is never rewritten here.
"""

from __future__ import annotations

from datetime import datetime

MONTHS_SHORT = {
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def short_date(date: datetime, now: datetime, language: str = "fr") -> str:
    """At most 8 cells: the time today, day and month this year, the numeric date before.

    The article's date is shown in the clock's time zone, so "today" means the reader's today.
    """
    if now.tzinfo is not None and date.tzinfo is not None:
        date = date.astimezone(now.tzinfo)
    if date.date() == now.date():
        return f"{date.hour:02d}:{date.minute:02d}"
    if date.year == now.year:
        month = MONTHS_SHORT.get(language, MONTHS_SHORT["fr"])[date.month - 1]
        return f"{date.day} {month}" if language != "en" else f"{month} {date.day}"
    return date.strftime("%d/%m/%y") if language != "en" else date.strftime("%y-%m-%d")
