"""The app's own bindings (``BladiApp.BINDINGS``).

Apart from the list of every binding and its owner (:mod:`tui.ui.bindings`), which the help, the
keymap check and the docs read: the app's class needs these before its first frame, and that list
is left for after it.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

#: The app's own bindings (``BladiApp.BINDINGS``).
APP_BINDINGS: list[BindingType] = [
    Binding("q", "quit", "Quitter", id="app.quit"),
    # Textual 8 answers Ctrl+C with a hint unless the app binds it: here it quits, status 0.
    Binding("ctrl+c", "quit", "Quitter", show=False, priority=True, id="app.quit_ctrl_c"),
    Binding("question_mark", "help", "Aide", id="app.help"),
    Binding("r", "refresh", "Actualiser", id="app.refresh"),
    Binding("ctrl+p", "command_palette", "Commandes", show=False, id="app.palette"),
]
