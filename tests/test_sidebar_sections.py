"""The sidebar is a list of sections: a new one is one more builder, its rows Text, a lazy one
read only when first opened, and the selection and open sections kept across updates."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Button

from tui.model import Topic
from tui.ui.sidebar_sections import SidebarRow, SidebarSection, row_label
from tui.ui.widgets.sidebar import Sidebar


class OneSidebar(App):
    def compose(self) -> ComposeResult:
        yield Sidebar(lambda key, **_: key, id="sidebar")


def sections(reads: list[int]) -> list[SidebarSection]:
    def load() -> list[SidebarRow]:
        reads.append(1)
        return [SidebarRow(row_label("Lu plus tard", 3, 1), Topic("tag", "lu plus tard", "Lu plus tard"))]

    return [
        SidebarSection("", [SidebarRow(row_label("Tous", 9, 2), Topic("all"))]),
        SidebarSection(
            "Auteurs",  # a section no built-in code knows
            [SidebarRow(row_label("[b]Ali[/b]", 2, 0), Topic("source", "ali", "Ali"), Text("pourquoi"))],
        ),
        SidebarSection("Sujets", expanded=False, load=load),
    ]


async def test_a_new_section_shows_its_rows_and_a_lazy_one_reads_when_opened():
    reads: list[int] = []
    app = OneSidebar()
    async with app.run_test(size=(60, 20)) as pilot:
        sidebar = app.query_one(Sidebar)
        sidebar.update_topics(sections(reads))
        await pilot.pause()
        top = sidebar.root.children
        assert [str(node.label) for node in top] == ["Tous 2/9", "Auteurs", "Sujets"]
        assert [str(node.label) for node in top[1].children] == ["[b]Ali[/b] 2"]  # text, not markup
        assert sidebar._tooltips[top[1].children[0].id].plain == "pourquoi"
        assert reads == [] and not top[2].children  # folded: not read
        top[2].expand()
        await pilot.pause()
        assert reads == [1] and [str(n.label) for n in top[2].children] == ["Lu plus tard 1/3"]
        # An update keeps the open section open (read again) and the selection where it was.
        sidebar.move_cursor(top[1].children[0])
        await pilot.pause()
        assert sidebar.cursor_node.data.key == "ali"
        sidebar.update_topics(sections(reads))
        await pilot.pause()
        assert reads == [1, 1] and sidebar.root.children[2].is_expanded
        assert sidebar.cursor_node is not None and sidebar.cursor_node.data.key == "ali"


class SidebarAndButton(App):
    CSS = "Sidebar { background: #800000; } Sidebar:focus { background: #000080; }"

    def compose(self) -> ComposeResult:
        yield Sidebar(lambda key, **_: key, id="sidebar")
        yield Button("ok")


async def test_each_frame_draws_the_blank_lines_in_the_sidebar_s_style_of_the_moment():
    """The sidebar's style is read once per frame, not kept from one frame to the next: its
    blank lines take the focused style once it has the focus, and lose it with the focus."""
    app = SidebarAndButton()
    async with app.run_test(size=(40, 12)) as pilot:
        sidebar = app.query_one(Sidebar)
        sidebar.update_topics(sections([]))

        async def blank_line_colour() -> str:
            await pilot.pause()
            sidebar.refresh()
            await pilot.pause()
            strip = sidebar.render_lines(sidebar.region.reset_offset)[-1]
            return {segment.style.bgcolor.name for segment in strip if segment.style}.pop()

        app.query_one(Button).focus()
        unfocused = await blank_line_colour()
        assert unfocused == sidebar.rich_style.bgcolor.name
        sidebar.focus()
        focused = await blank_line_colour()
        assert focused == sidebar.rich_style.bgcolor.name != unfocused
        app.query_one(Button).focus()
        assert await blank_line_colour() == unfocused


async def test_choosing_a_topic_draws_the_sidebar_again_without_listing_its_lines_or_a_layout(reader_app):
    """The list takes the focus at each topic chosen, and the sidebar is restyled as the focus
    leaves it: its lines are drawn again in their new style, not listed again (every label
    measured) nor the screen laid out again for it, as a Tree does at any change of style."""
    from tests.conftest import counts_shown
    from tui.ui.widgets.article_list import ArticleList

    async with reader_app.run_test(size=(120, 40)) as pilot:
        await counts_shown(pilot)
        screen = reader_app.screen
        sidebar = screen.query_one(Sidebar)
        sidebar.focus()
        await pilot.pause()
        await pilot.press(*"jjjjjjj")
        assert sidebar.cursor_node is not None and sidebar.cursor_node.data.kind == "rubrique"

        def cursor_line():
            lines = sidebar.render_lines(sidebar.region.reset_offset)
            return lines[sidebar.cursor_line - round(sidebar.scroll_offset.y)]

        focused_line = cursor_line()
        builds: list[int] = []
        layouts: list[int] = []
        build, refresh = sidebar._build, sidebar.refresh

        def counted_build() -> None:
            builds.append(1)
            build()

        def counted_refresh(*regions, **options):
            if options.get("layout"):
                layouts.append(1)
            return refresh(*regions, **options)

        sidebar._build = counted_build  # type: ignore[method-assign]
        sidebar.refresh = counted_refresh  # type: ignore[method-assign]
        await pilot.press("enter")
        await pilot.pause()
        assert screen.topic.kind == "rubrique" and screen.focused is screen.query_one(ArticleList)
        assert (builds, layouts) == ([], [])
        blurred_line = cursor_line()
        assert blurred_line.text == focused_line.text and blurred_line != focused_line
