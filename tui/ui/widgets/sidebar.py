"""The topic sidebar: a tree of sections (views, sources, rubriques, tags: see
:mod:`tui.ui.sidebar_sections`), in a pane of its own (:class:`SidebarPane`) that mounts it
right after the first frame.

A Tree draws only its visible lines, and a lazy section (the tags, of which there can be
thousands) is only read when its branch is first expanded. Labels are Text, never markup strings.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Self

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.topic import Topic

if TYPE_CHECKING:  # the reader builds the sections, after its first frame
    from tui.ui.sidebar_sections import SidebarRow, SidebarSection

Translate = Callable[[str], str]


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
        # The lazy sections not read yet: their node id -> the section.
        self._unread_sections: dict[int, SidebarSection] = {}
        self._lazy_nodes: set[int] = set()  # node ids of every lazy section
        self._tooltips: dict[int, Text] = {}  # node id -> the tooltip of its row
        self._frame_style: Style | None = None  # the widget's style while a frame is drawn

    def update_topics(self, sections: Sequence[SidebarSection]) -> None:
        """Rebuild the tree from fresh sections (:mod:`tui.ui.sidebar_sections`), keeping the
        selection and which sections were open."""
        selected = self.cursor_node.data if self.cursor_node else None
        was_open = {str(node.label): node.is_expanded for node in self.root.children if node.allow_expand}
        self.clear()
        self._tooltips = {}
        self._unread_sections = {}
        self._lazy_nodes = set()
        for section in sections:
            if not section.title:
                self._add_rows(self.root, section.rows)
                continue
            expanded = was_open.get(section.title, section.expanded)
            node = self.root.add(Text(section.title, style="bold"), expand=False, allow_expand=True)
            self._add_rows(node, section.rows)
            if section.load is not None:
                self._unread_sections[node.id] = section
                self._lazy_nodes.add(node.id)
            if expanded:
                node.expand()
                self._load_section(node)
        # last_line lays the new lines out (a Tree does it lazily): a node has no line before.
        if selected is not None and self.last_line >= 0:
            self.select_topic(selected, post=False)

    def _add_rows(self, node: TreeNode[Topic], rows: Sequence[SidebarRow]) -> None:
        for row in rows:
            leaf = node.add_leaf(row.label, data=row.topic)
            if row.tooltip is not None:
                self._tooltips[leaf.id] = row.tooltip

    def _load_section(self, node: TreeNode[Topic]) -> None:
        section = self._unread_sections.pop(node.id, None)
        if section is None or section.load is None:
            return
        rows = list(section.load())
        more = section.more(len(rows)) if section.more is not None else None
        self._add_rows(node, rows + ([more] if more is not None else []))

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

    def notify_style_update(self) -> None:
        # A Tree drops its lines, lists them again (every label measured) and has the screen
        # laid out again at every change of its style, such as the focus leaving it at each
        # topic chosen. Its lines and their widths do not depend on its style (a resize and a
        # change of nodes rebuild them; a style that moves or sizes it lays the screen out by
        # itself): only their drawing, cached, is dropped.
        super(Tree, self).notify_style_update()
        self._line_cache.clear()
        self.refresh()

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[Topic]) -> None:
        self._load_section(event.node)

    # A Tree reads its style (a walk up the DOM) for every line it draws, the blank ones below
    # its last node too: read once per frame.

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame_style = super().rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._frame_style = None

    @property
    def rich_style(self) -> Style:
        return self._frame_style if self._frame_style is not None else super().rich_style

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
        if topic.kind == "tag":  # the tags are read when their section first opens
            for node in self.root.children:
                if node.id in self._lazy_nodes:
                    node.expand()
                    self._load_section(node)
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


class SidebarPane(Widget, can_focus=True):
    """The sidebar's place on the screen, there from the first frame: what the width folds and
    what takes the focus. Its tree (:attr:`topics`) is made with it and mounted right after the
    first frame, whose sidebar is empty anyway (the counts come after it): the Tree's stylesheet,
    the costliest of the screen's to parse and apply, is left out of that frame. Until the tree
    is mounted the pane takes the focus the tree would (and gives it to the tree once mounted);
    an empty tree does nothing with the keys the pane lets through."""

    def __init__(self, translate: Translate, *, id: str) -> None:
        super().__init__(id=id)
        self.topics = Sidebar(translate, id=f"{id}-tree")
        self._tree_mounted = asyncio.Event()
        self._tree_mounting = False

    def on_mount(self) -> None:
        self.call_after_refresh(self._mount_tree)

    async def _mount_tree(self) -> None:
        if self._tree_mounting or not self.is_attached:  # asked already; the app quit first
            return
        self._tree_mounting = True
        await self.mount(self.topics)
        self.can_focus = False
        if self.has_focus:
            self.topics.focus()
        self._tree_mounted.set()

    async def tree_mounted(self) -> Sidebar:
        """The tree, once mounted (the sidebar's counts wait for it). Mounted now if it is not
        yet: Textual runs an after-refresh callback on the screen active when it is handled, and
        drops it with that screen if it closes first (the command palette, opened at once): the
        counts would wait for the tree for ever."""
        await self._mount_tree()
        await self._tree_mounted.wait()
        return self.topics

    def focus(self, scroll_visible: bool = True) -> Self:
        if self.topics.is_mounted:
            self.topics.focus(scroll_visible)
            return self
        return super().focus(scroll_visible)
