"""What the sidebar shows, section by section: the views, the sources (with their state), the
rubriques and the tags. Each builder turns the store's counts into a :class:`SidebarSection`;
the reader hands the list to :meth:`tui.ui.widgets.sidebar.Sidebar.update_topics`. A new
section is one more builder here and one more entry in that list.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text

from tui.reasons import REFUSED_BY_SITE, code_of
from tui.sanitize import clean_line
from tui.sources.kinds import kind_of
from tui.store import SourceState, TopicCount
from tui.topic import ALL, Topic

Translate = Callable[..., str]


@dataclass(frozen=True)
class SidebarRow:
    label: Text  # Text, never a markup string: names come from feeds
    topic: Topic | None  # None: a row that selects nothing ("and 120 more")
    tooltip: Text | None = None


@dataclass(frozen=True)
class SidebarSection:
    """A heading and its rows; ``title`` "" puts the rows at the top level, with no heading.

    ``load`` makes a section lazy: its rows are read when it is first opened (there can be
    thousands of tags), and ``more`` says how many it did not show.
    """

    title: str
    rows: Sequence[SidebarRow] = ()
    expanded: bool = True
    load: Callable[[], Sequence[SidebarRow]] | None = None
    more: Callable[[int], SidebarRow | None] | None = None


def row_label(
    name: str, count: int, unread: int, *, mark: str = "", mark_style: str = "", note: str = ""
) -> Text:
    """ "mark name unread/count · note"; the counts end the label (the sidebar cuts the name, never them)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    if mark:
        text.append(mark + " ", style=mark_style)
    text.append(clean_line(name))
    text.append(f" {unread}/{count}" if unread else f" {count}", style="dim")
    if note:
        text.append(f" · {clean_line(note)}", style="dim italic")
    return text


def views_section(t: Translate, views: dict[str, tuple[int, int]]) -> SidebarSection:
    rows = []
    for kind, key in (("all", "view.all"), ("unread", "view.unread"), ("saved", "view.saved")):
        count, unread = views.get(kind, (0, 0))
        topic = ALL if kind == "all" else Topic(kind)  # type: ignore[arg-type]
        rows.append(SidebarRow(row_label(t(key), count, unread if kind != "unread" else 0), topic))
    return SidebarSection("", rows)


def sources_section(
    t: Translate, sources: Sequence[SourceState], *, offline: bool, statuses: dict[str, str]
) -> SidebarSection:
    """``statuses``: the failing sources' status lines, by key, shown as their rows' tooltips."""
    rows = []
    for source in sources:
        # A glyph, not only a colour: "!" failed at its last refresh, "○" not read (offline).
        # "⊘": the site turns automated readers away; the note says so, and until when
        # the source waits (its cached articles stay listed).
        note = ""
        if code_of(source.reason) == REFUSED_BY_SITE:
            mark, style = "⊘", "bold red"
            note = t("reason.refused_by_site")
            if source.retry_at is not None:
                when = time.strftime("%H:%M", time.localtime(source.retry_at))
                note += " ; " + t("sidebar.waiting_until", time=when)
        elif source.last_error:
            mark, style = "!", "bold red"
        elif offline and not kind_of(source.kind).local:
            mark, style = "○", "dim"
        else:
            mark, style = "", ""
        status = statuses.get(source.key)
        rows.append(
            SidebarRow(
                row_label(source.name, source.count, source.unread, mark=mark, mark_style=style, note=note),
                Topic("source", source.key, source.name),
                Text(status) if status else None,
            )
        )
    return SidebarSection(t("sidebar.sources"), rows)


def rubriques_section(
    t: Translate, rubriques: Sequence[TopicCount], total: Callable[[], int] = lambda: 0
) -> SidebarSection:
    """The most used rubriques (``rubriques``); a last row says how many more Ctrl+P finds."""
    rows = [SidebarRow(row_label(i.topic.label, i.count, i.unread), i.topic) for i in rubriques]
    hidden = total() - len(rows) if rows else 0
    if hidden > 0:
        rows.append(SidebarRow(Text(t("sidebar.more_rubriques", count=hidden), style="dim italic"), None))
    return SidebarSection(t("sidebar.rubriques"), rows)


def tags_section(
    t: Translate, load: Callable[[], Sequence[TopicCount]], total: Callable[[], int]
) -> SidebarSection:
    """Folded, read when first opened; a last row says how many tags are not shown."""

    def rows() -> list[SidebarRow]:
        return [SidebarRow(row_label(i.topic.label, i.count, i.unread), i.topic) for i in load()]

    def more(shown: int) -> SidebarRow | None:
        hidden = total() - shown if shown else 0
        if hidden <= 0:
            return None
        return SidebarRow(Text(t("sidebar.more_tags", count=hidden), style="dim italic"), None)

    return SidebarSection(t("sidebar.tags"), expanded=False, load=rows, more=more)
