"""The app's and the reader screen's parts are plain classes at run time (tui/ui/parts.py): only
BladiApp and ReaderScreen are Textual classes, each made once. A part's handlers go by name."""

from __future__ import annotations

import inspect

import pytest
from textual.app import App
from textual.dom import DOMNode
from textual.reactive import Reactive
from textual.screen import Screen

from tui.ui.app import BladiApp
from tui.ui.app_palette import AppPalette
from tui.ui.app_pictures import ArticlePictures
from tui.ui.app_sources import SourceChanges
from tui.ui.screens.reader import ReaderScreen
from tui.ui.screens.reader_find import FindAndSearch
from tui.ui.screens.reader_links import LinkFollowing
from tui.ui.screens.reader_marks import ArticleMarks
from tui.ui.screens.reader_panes import ReaderPanes

PARTS = [AppPalette, ArticlePictures, SourceChanges, FindAndSearch, LinkFollowing, ArticleMarks, ReaderPanes]


@pytest.mark.parametrize("part", PARTS, ids=lambda part: part.__name__)
def test_a_part_is_no_textual_class_and_registers_no_decorated_handler(part):
    assert not issubclass(part, DOMNode)
    # @on would register nothing in a plain class: the handler would never be called.
    decorated = [name for name, value in inspect.getmembers(part) if getattr(value, "_textual_on", None)]
    assert decorated == []
    # Nor what only a Textual class reads from its own body: a part's would be ignored silently.
    textual_only = {"BINDINGS", "DEFAULT_CSS", "COMPONENT_CLASSES", "CSS", "CSS_PATH", "SCOPED_CSS"}
    own = set(vars(part)) & textual_only
    reactives = [name for name, value in vars(part).items() if isinstance(value, Reactive)]
    assert own == set() and reactives == []


def test_the_app_and_the_screen_gather_their_parts_before_the_textual_class():
    app_mro, screen_mro = BladiApp.__mro__, ReaderScreen.__mro__
    assert all(
        app_mro.index(part) < app_mro.index(App) for part in (AppPalette, ArticlePictures, SourceChanges)
    )
    assert all(
        screen_mro.index(part) < screen_mro.index(Screen)
        for part in (FindAndSearch, LinkFollowing, ArticleMarks, ReaderPanes)
    )
