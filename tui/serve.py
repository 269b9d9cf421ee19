"""``bladi-tui serve``: the same app in a web browser, through textual-serve.

textual-serve starts one app process per browser tab from a *shell* command line
(``asyncio.create_subprocess_shell``), not from an argument list. A SOURCE such as
``x; rm -rf ~`` or ``$(id)`` put into that line as it is would run in the shell, so the line is
built here with every argument quoted (``shlex.join``) and nowhere else.

The server listens on loopback unless told otherwise: whoever reaches the port gets the app (and
one process per connection), with no login.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import socket
import sys
from collections.abc import Sequence

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
TITLE = "bladi-tui"


class ServeError(Exception):
    """The server cannot be started as asked; ``str()`` is one sentence."""


def app_program() -> list[str]:
    """How this Python runs bladi-tui: the start of every command line the server runs."""
    if not sys.executable:
        raise ServeError("The Python running bladi-tui cannot be found to start the app.")
    return [sys.executable, "-m", "tui"]


def serve_command_line(argv_for_app: Sequence[str], *, program: Sequence[str] | None = None) -> str:
    """The shell command line that starts the app with ``argv_for_app``, every word quoted.

    ``program`` replaces ``python -m tui`` (tests run a script that prints its arguments).
    The quoting is POSIX shell quoting, the shell textual-serve uses everywhere but Windows.
    """
    if os.name != "posix":
        raise ServeError("bladi-tui serve needs a POSIX shell (not Windows) to start the app.")
    words = [*(app_program() if program is None else program), *argv_for_app]
    return shlex.join(str(word) for word in words)


def is_loopback(host: str) -> bool:
    """True when ``host`` is reachable only from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def default_public_url(host: str, port: int) -> str:
    """The address browsers use to reach the server (the page points its websocket there)."""
    name = host.strip("[]")
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        address = None
    if address is not None and address.is_unspecified:
        name = socket.gethostname()  # 0.0.0.0 or :: is where to listen, not where to connect
    elif address is not None and address.version == 6:
        name = f"[{name}]"
    return f"http://{name}:{port}"


def run_server(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    app_args: Sequence[str] = (),
    *,
    public_url: str | None = None,
) -> None:
    """Serve the app, started with ``app_args``, on ``host``:``port`` until interrupted.

    ``public_url`` is the address browsers reach the server at, when it differs from host and
    port (behind a proxy, or listening on 0.0.0.0).
    """
    from textual_serve.server import Server  # aiohttp and friends: only when serving

    class BladiServer(Server):
        async def on_startup(self, app) -> None:  # type: ignore[no-untyped-def]
            # textual-serve's own banner prints the command line through Rich markup: a SOURCE
            # holding "[/]" would stop the server, "[link=...]" would write a terminal link.
            self.console.print(
                f"bladi-tui is served on {self.public_url} (Ctrl+C stops it)",
                markup=False,
                highlight=False,
            )

    server = BladiServer(
        serve_command_line(app_args),
        host=host,
        port=port,
        title=TITLE,
        public_url=public_url or default_public_url(host, port),
    )
    try:
        server.serve()
    except OSError as error:  # the port is taken, the host is not this machine's...
        reason = error.strerror or str(error)
        raise ServeError(f"bladi-tui cannot listen on {host} port {port}: {reason}.") from None
