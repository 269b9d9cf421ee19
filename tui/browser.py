"""Opening a link in a browser, only where one runs on the user's own display.

Over SSH the machine the app runs on is a server: a browser started there is useless (or worse,
a text browser taking over the terminal), so the link is copied to the user's own terminal
instead (OSC 52). ``webbrowser`` starts browsers with an argument list, never through a shell.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from tui.sanitize import is_web_url


def is_remote_session(environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return any(env.get(name) for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"))


def can_open_browser(environ: Mapping[str, str] | None = None, platform: str = sys.platform) -> bool:
    env = os.environ if environ is None else environ
    if is_remote_session(env):
        return False
    if platform.startswith("linux") or "bsd" in platform:
        return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))
    return platform in ("darwin", "win32")


def open_in_browser(url: str) -> bool:
    """Open an http(s) URL in the local graphical browser; False when none can be used."""
    if not is_web_url(url) or not can_open_browser():
        return False
    import webbrowser

    try:
        return webbrowser.open(url, new=2)
    except webbrowser.Error:
        return False
