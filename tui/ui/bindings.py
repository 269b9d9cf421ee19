"""Every binding of the reader with its owner, in one list.

The keymap check (:mod:`tui.ui.keymap`), the help screen (``?``), the README's keys table
(``python -m docs.keys``) and the tests all read :data:`BINDING_OWNERS`: a binding given an id in
one of these classes is documented, accepted in ``[keys]`` and shown in the help at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType

from tui.ui.app_bindings import APP_BINDINGS
from tui.ui.screens.reader import ReaderScreen
from tui.ui.widgets.article_list import ArticleList
from tui.ui.widgets.article_view import ArticleView
from tui.ui.widgets.find_bar import FindBar
from tui.ui.widgets.sidebar import Sidebar


@dataclass(frozen=True)
class BindingOwner:
    """One class's bindings: ``name`` words its place in the help (``help.<name>`` in
    tui.ui.strings), ``where`` in the README; ``widget`` is the class (None: the app);
    ``always`` says they are active whatever has the focus (else only with ``widget`` focused)."""

    name: str
    where: str
    bindings: tuple[Binding, ...]
    widget: type | None
    always: bool


def _bindings(declared: list[BindingType]) -> tuple[Binding, ...]:
    # Textual also takes tuples in BINDINGS; only a Binding has an id.
    return tuple(binding for binding in declared if isinstance(binding, Binding))


BINDING_OWNERS: tuple[BindingOwner, ...] = (
    BindingOwner("everywhere", "everywhere", _bindings(APP_BINDINGS), None, True),
    BindingOwner("reader", "reader", _bindings(ReaderScreen.BINDINGS), ReaderScreen, True),
    BindingOwner("list", "list", _bindings(ArticleList.BINDINGS), ArticleList, False),
    BindingOwner("article", "article", _bindings(ArticleView.BINDINGS), ArticleView, False),
    BindingOwner("sidebar", "sidebar", _bindings(Sidebar.BINDINGS), Sidebar, False),
    BindingOwner("find", "find bar", _bindings(FindBar.BINDINGS), FindBar, False),
)


def binding_ids() -> list[str]:
    """Every binding id, in the owners' order."""
    return [binding.id for owner in BINDING_OWNERS for binding in owner.bindings if binding.id]
