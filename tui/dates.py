"""Dates the UI writes itself (the list, relative times), in the UI's language.

An article's own date line is content and is never rewritten here.
"""

from __future__ import annotations

from datetime import datetime, timedelta

MONTHS_SHORT = {
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
WIDTH = 10  # the widest result: "il y a 59 min" is avoided by switching to hours at 60 min


def short_date(date: datetime, now: datetime, language: str = "fr") -> str:
    """At most 10 cells: relative when recent ("il y a 2 h", "hier" / "2 h ago", "yesterday"),
    then day and month this year, then the numeric date.

    The article's date is shown in the clock's time zone, so "today" means the reader's today.
    """
    english = language == "en"
    if now.tzinfo is not None and date.tzinfo is not None:
        date = date.astimezone(now.tzinfo)
    age = now - date
    if timedelta(0) <= age < timedelta(hours=1):
        minutes = max(1, int(age.total_seconds() // 60))
        return f"{minutes} min ago" if english else f"il y a {minutes}m"
    if timedelta(0) <= age < timedelta(hours=12) or (age >= timedelta(0) and date.date() == now.date()):
        hours = int(age.total_seconds() // 3600)
        return f"{hours} h ago" if english else f"il y a {hours} h"
    if date.date() == (now - timedelta(days=1)).date():
        return "yesterday" if english else "hier"
    if date.year == now.year or timedelta(0) <= age < timedelta(days=300):
        month = MONTHS_SHORT["en" if english else "fr"][date.month - 1]
        return f"{month} {date.day}" if english else f"{date.day} {month}"
    # Two-digit years: the list's date column is a hint beside the title, not a record.
    return date.strftime("%Y-%m-%d") if english else date.strftime("%d/%m/%y")
