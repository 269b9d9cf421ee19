"""Every use of Textual's private API, in one place, each with its test
(tests/test_textual_compat.py): when Textual changes one of them, one module and one test say so.

Textual offers no public way to do these three things: catch an exception raised by any message
handler (it ends the app), read a node's own bindings (``active_bindings`` holds only the focused
chain's, and only the keys not shadowed), and read the keymap set with ``App.set_keymap``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.message import Message


class HandlerErrorGuard:
    """Mixed into an app or a screen (before the Textual class): an exception raised by one of
    its message handlers goes to :meth:`handler_failed` instead of ending the app."""

    async def _dispatch_message(self, message: Message) -> None:
        try:
            await super()._dispatch_message(message)  # type: ignore[misc]
        except asyncio.CancelledError:
            raise
        except Exception as error:
            self.handler_failed(error, message)

    def handler_failed(self, error: Exception, message: Message) -> None:
        raise NotImplementedError


def own_bindings(node: DOMNode) -> BindingsMap:
    """A copy of the bindings ``node`` itself declares (its ``BINDINGS``, as Textual holds them)."""
    return node._bindings.copy()


def key_table(node: DOMNode) -> dict[str, list[Binding]]:
    """The node's own bindings by key, to be changed in place (a description, for one)."""
    return node._bindings.key_to_bindings


def keymap(app: App) -> Mapping[str, str]:
    """The keymap given to ``App.set_keymap`` (binding id -> keys); empty if none was."""
    return app._keymap
