"""The topic sidebar: views, sources (with their state), rubriques and tags.

A Tree draws only its visible lines, and the tags ("Sujets"), of which there can be thousands,
are only added when their branch is first expanded. Labels are Text, never markup strings.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.model import ALL, Topic
from tui.reasons import REFUSED_BY_SITE, code_of
from tui.sanitize import clean_line
from tui.store import SourceState, TopicCount

Translate = Callable[[str], str]


def _label(
    name: str, count: int, unread: int, *, mark: str = "", mark_style: str = "", note: str = ""
) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    if mark:
        text.append(mark + " ", style=mark_style)
    text.append(clean_line(name))
    text.append(f" {unread}/{count}" if unread else f" {count}", style="dim")
    if note:
        text.append(f" · {clean_line(note)}", style="dim italic")
    return text


class Sidebar(Tree[Topic]):
    """Selecting a node posts :class:`Sidebar.TopicSelected`."""

    BINDINGS = [
        Binding("j", "cursor_down", "Bas", show=False, id="sidebar.down"),
        Binding("k", "cursor_up", "Haut", show=False, id="sidebar.up"),
        Binding("g,home", "scroll_home", "Début", show=False, id="sidebar.first"),
        Binding("G,end", "scroll_end", "Fin", show=False, id="sidebar.last"),
    ]

    class TopicSelected(Message):
        def __init__(self, topic: Topic) -> None:
            super().__init__()
            self.topic = topic

    def __init__(self, translate: Translate, *, id: str | None = None) -> None:
        super().__init__(Text(translate("sidebar.title")), id=id)
        self.show_root = False
        self.guide_depth = 2
        self._t = translate
        self._tags_loader: Callable[[], Sequence[TopicCount]] | None = None
        self._tags_node: TreeNode[Topic] | None = None
        self._tags_loaded = False
        self._tags_total: Callable[[], int] = lambda: 0  # asked only when "Sujets" opens
        self._tooltips: dict[int, Text] = {}  # node id -> the tooltip of its row

    def update_topics(
        self,
        views: dict[str, tuple[int, int]],
        sources: Sequence[SourceState],
        rubriques: Sequence[TopicCount],
        tags_loader: Callable[[], Sequence[TopicCount]],
        *,
        offline: bool = False,
        tags_total: Callable[[], int] = lambda: 0,
        statuses: dict[str, str] | None = None,
    ) -> None:
        """Rebuild the tree from fresh counts, keeping the selection and what was expanded.
        ``statuses`` are the failing sources' status lines, by key: their rows' tooltips."""
        selected = self.cursor_node.data if self.cursor_node else None
        tags_open = self._tags_node is not None and self._tags_node.is_expanded
        self._tags_loader = tags_loader
        self._tags_total = tags_total
        self.clear()
        self._tooltips = {}
        root = self.root
        for kind, key in (("all", "view.all"), ("unread", "view.unread"), ("saved", "view.saved")):
            count, unread = views.get(kind, (0, 0))
            topic = ALL if kind == "all" else Topic(kind)  # type: ignore[arg-type]
            root.add_leaf(_label(self._t(key), count, unread if kind != "unread" else 0), data=topic)
        node = root.add(Text(self._t("sidebar.sources"), style="bold"), expand=True)
        for source in sources:
            # A glyph, not only a colour: "!" failed at its last refresh, "○" not read (offline).
            # "⊘": the site turns automated readers away; the note says so, and until when
            # the source waits (its cached articles stay listed).
            note = ""
            if code_of(source.reason) == REFUSED_BY_SITE:
                mark, style = "⊘", "bold red"
                note = self._t("reason.refused_by_site")
                if source.retry_at is not None:
                    when = time.strftime("%H:%M", time.localtime(source.retry_at))
                    note += " ; " + self._t("sidebar.waiting_until", time=when)
            elif source.last_error:
                mark, style = "!", "bold red"
            elif offline and source.kind != "local":
                mark, style = "○", "dim"
            else:
                mark, style = "", ""
            leaf = node.add_leaf(
                _label(source.name, source.count, source.unread, mark=mark, mark_style=style, note=note),
                data=Topic("source", source.key, source.name),
            )
            status = (statuses or {}).get(source.key)
            if status:
                self._tooltips[leaf.id] = Text(status)  # Text: a name from a feed is no markup
        node = root.add(Text(self._t("sidebar.rubriques"), style="bold"), expand=True)
        for item in rubriques:
            node.add_leaf(_label(item.topic.label, item.count, item.unread), data=item.topic)
        self._tags_node = root.add(
            Text(self._t("sidebar.tags"), style="bold"), expand=False, allow_expand=True
        )
        self._tags_loaded = False
        if tags_open:
            self._tags_node.expand()
            self._load_tags()
        if selected is not None:
            self.select_topic(selected, post=False)

    # Keys jump, never animate (Tree animates its page and home/end moves).

    def action_page_down(self) -> None:
        self._move_to_line(self.cursor_line + self.scrollable_content_region.height - 1)

    def action_page_up(self) -> None:
        self._move_to_line(self.cursor_line - self.scrollable_content_region.height + 1)

    def action_scroll_home(self) -> None:
        self._move_to_line(0)

    def action_scroll_end(self) -> None:
        self._move_to_line(self.last_line)

    def _move_to_line(self, line: int) -> None:
        self.cursor_line = max(0, min(line, self.last_line))
        self.scroll_to_line(self.cursor_line, animate=False)

    def _load_tags(self) -> None:
        if self._tags_loaded or self._tags_node is None or self._tags_loader is None:
            return
        self._tags_loaded = True
        shown = self._tags_loader()
        for item in shown:
            self._tags_node.add_leaf(_label(item.topic.label, item.count, item.unread), data=item.topic)
        total = self._tags_total() if len(shown) else 0
        if total > len(shown):
            more = Text(self._t("sidebar.more_tags", count=total - len(shown)), style="dim italic")
            self._tags_node.add_leaf(more, data=None)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[Topic]) -> None:
        if event.node is self._tags_node:
            self._load_tags()

    def render_label(self, node: TreeNode[Topic], base_style: Style, style: Style) -> Text:
        # A name too long for the sidebar is cut, never its count: "Marocains du m… 3/3".
        text = super().render_label(node, base_style, style)
        count = len(node._label.plain) - len(node._label.plain.rstrip("0123456789/")) + 1
        depth = 0
        parent = node.parent
        while parent is not None and parent is not self.root:
            depth, parent = depth + 1, parent.parent
        room = self.scrollable_content_region.width - depth * self.guide_depth
        if node.data is None or room <= count + 4 or text.cell_len <= room:
            return text
        name, _rest = text.divide([text.cell_len - count])
        name.truncate(room - count, overflow="ellipsis")
        name.append_text(text[len(text) - count :])
        return name

    def on_mouse_move(self, event: events.MouseMove) -> None:
        # A Tree has one tooltip: it becomes that of the row under the pointer.
        node = self.get_node_at_line(event.y + self.scroll_offset.y)
        self.tooltip = self._tooltips.get(node.id) if node is not None else None

    def on_tree_node_selected(self, event: Tree.NodeSelected[Topic]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(self.TopicSelected(event.node.data))

    def select_topic(self, topic: Topic, *, post: bool = True) -> bool:
        """Move the cursor to a topic's node (loading the tags if needed)."""
        if topic.kind == "tag":
            if self._tags_node is not None:
                self._tags_node.expand()
            self._load_tags()
        for node in self._walk(self.root):
            data = node.data
            if data is not None and data.kind == topic.kind and data.key == topic.key:
                self.move_cursor(node)
                if post:
                    self.post_message(self.TopicSelected(data))
                return True
        return False

    def _walk(self, node: TreeNode[Topic]):
        for child in node.children:
            yield child
            yield from self._walk(child)
