"""``bladi-tui serve``: the same app in a web browser, through textual-serve.

textual-serve starts one app process per browser tab from a *shell* command line
(``asyncio.create_subprocess_shell``), not from an argument list. A SOURCE such as
``x; rm -rf ~`` or ``$(id)`` put into that line as it is would run in the shell, so the line is
built here with every argument quoted (``shlex.join``) and nowhere else.

The server listens on loopback unless told otherwise. textual-serve itself checks neither the
``Host`` nor the ``Origin`` of a request: any web page the user visits could open
``ws://127.0.0.1:8000/ws``, read the screen and type keys, and a DNS-rebinding site could load the
page under its own name. So every request goes through :func:`access_guard` first: a ``Host``
that is not the address served, or an ``Origin`` that is not the page's own, is refused (403,
so no websocket is ever opened for it). On an address other than loopback a random token is also
required, printed with the URL (as Jupyter does): the page's request carries it in the query,
and the answer sets it as a cookie the page's websocket and static files then send.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import secrets
import shlex
import socket
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

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


def new_token(host: str) -> str | None:
    """The token a server on ``host`` asks of every connection: none on loopback, where the
    Host and Origin checks keep other sites out; a random one anywhere else."""
    return None if is_loopback(host) else secrets.token_urlsafe(24)


def served_hosts(host: str, port: int, public_url: str) -> frozenset[str] | None:
    """The ``Host`` values the server answers to, lowercased; None when any will do (listening on
    every address, where the names the machine is reached by are not known: the token guards)."""
    try:
        unspecified = ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        unspecified = False
    if unspecified:
        return None
    names = {host.strip("[]")}
    if is_loopback(host):
        names |= {"127.0.0.1", "localhost", "::1"}
    hosts = {f"[{name}]:{port}" if ":" in name else f"{name}:{port}" for name in names}
    public = urlsplit(public_url)
    hosts.add(public.netloc)
    default_port = {"http": 80, "https": 443}.get(public.scheme)
    if public.port is None and default_port is not None:
        hosts.add(f"{public.netloc}:{default_port}")
    return frozenset(h.lower() for h in hosts)


Handler = Callable[[Any], Awaitable[Any]]


def access_guard(hosts: frozenset[str] | None, public_url: str, token: str | None, cookie: str):
    """aiohttp middleware refusing (403) what is not the served page's own request; see above."""
    from aiohttp import web

    public_origin = "{0.scheme}://{0.netloc}".format(urlsplit(public_url)).lower()

    def refused(reason: str) -> web.HTTPForbidden:
        return web.HTTPForbidden(text=f"bladi-tui: {reason}\n")

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        host = request.headers.get("Host", "").lower()
        if hosts is not None and host not in hosts:
            raise refused("this server does not answer to that host name.")
        origin = request.headers.get("Origin")
        # A browser sends Origin with every websocket and cross-site request: it must be the
        # page's own (the host asked for, or the public address behind a proxy).
        if origin is not None and origin.lower() not in (f"{request.scheme}://{host}", public_origin):
            raise refused("requests from another site are refused.")
        if token is not None:
            given = request.query.get("token") or request.cookies.get(cookie) or ""
            if not hmac.compare_digest(given.encode(), token.encode()):
                raise refused("the token printed with the address is required.")
        response = await handler(request)
        if token is not None and request.query.get("token") and isinstance(response, web.Response):
            response.set_cookie(cookie, token, httponly=True, samesite="Strict", path="/")
        return response

    return guard


def run_server(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    app_args: Sequence[str] = (),
    *,
    public_url: str | None = None,
    token: str | None = None,
) -> None:
    """Serve the app, started with ``app_args``, on ``host``:``port`` until interrupted.

    ``public_url`` is the address browsers reach the server at, when it differs from host and
    port (behind a proxy, or listening on 0.0.0.0). With a ``token`` (see :func:`new_token`),
    every connection must carry it.
    """
    from textual_serve.server import Server  # aiohttp and friends: only when serving

    public_url = (public_url or default_public_url(host, port)).rstrip("/")
    guard = access_guard(served_hosts(host, port, public_url), public_url, token, f"bladi-tui-token-{port}")
    shown_url = f"{public_url}/?token={token}" if token else public_url

    class BladiServer(Server):
        async def _make_app(self):
            app = await super()._make_app()
            app.middlewares.append(guard)  # before any of textual-serve's routes answers
            return app

        async def on_startup(self, app) -> None:
            # textual-serve's own banner prints the command line through Rich markup: a SOURCE
            # holding "[/]" would stop the server, "[link=...]" would write a terminal link.
            self.console.print(
                f"bladi-tui is served on {shown_url} (Ctrl+C stops it)",
                markup=False,
                highlight=False,
            )

    server = BladiServer(
        serve_command_line(app_args),
        host=host,
        port=port,
        title=TITLE,
        public_url=public_url,
    )
    try:
        server.serve()
    except OSError as error:  # the port is taken, the host is not this machine's...
        reason = error.strerror or str(error)
        raise ServeError(f"bladi-tui cannot listen on {host} port {port}: {reason}.") from None
