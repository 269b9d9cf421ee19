"""Sites that turn readers away: a bot wall's 403 is told apart from a broken feed, the source
waits before it is asked again (recorded in the store), its cached articles stay, and a source's
own request headers are sent, never shown."""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.bladi_site import PAGES, feed_xml
from tests.test_cli import run
from tui.config import ConfigError, SourceSpec, load_config, to_toml
from tui.model import ALL
from tui.net.backoff import MAX_BACKOFF, next_wait
from tui.net.http import REFUSED_BY_SITE, FetchError, HttpClient
from tui.opml import export_opml
from tui.reasons import FORBIDDEN, NOT_FOUND, SERVER_ERROR, code_of, decode
from tui.refresh import refresh_sources
from tui.store import Store
from tui.ui.app import BladiApp
from tui.ui.widgets.sidebar import Sidebar

CHALLENGE = b"""<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>
<div id="cf-chl-widget">Checking your browser before accessing the site.</div>
<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script></body></html>"""
COOKIE = "cf_clearance=SECRET-COOKIE-VALUE"
AGENT = "Mozilla/5.0 (lecteur de test)"


def fetch(url: str, headers=()) -> FetchError | None:
    async def go():
        async with HttpClient() as client:
            try:
                await client.get(url, headers=headers)
            except FetchError as error:
                return error
            return None

    return asyncio.run(go())


@pytest.mark.parametrize(
    ("status", "body", "headers"),
    [
        (403, CHALLENGE, {}),
        (503, CHALLENGE, {}),
        (429, b"<title>Attention Required! | Cloudflare</title>", {}),
        (403, b"", {"cf-mitigated": "challenge"}),
    ],
)
def test_a_challenge_is_a_refusal(loopback, status, body, headers):
    loopback.route("/feed", body, status=status, headers=headers)
    error = fetch(loopback.url("/feed"))
    assert error is not None and error.reason == REFUSED_BY_SITE and error.status == status
    assert str(error) == f"the site refuses automated readers (HTTP {status})"
    assert not error.transient and loopback.hits("/feed") == 1  # not asked again at once


def test_a_plain_503_behind_cloudflare_is_an_outage_not_a_refusal(loopback):
    loopback.route(
        "/feed", b"<h1>Service temporarily unavailable</h1>", status=503, headers={"Server": "cloudflare"}
    )
    error = fetch(loopback.url("/feed"))
    assert error is not None and error.reason == SERVER_ERROR and error.transient
    loopback.route("/plain403", b"<h1>Forbidden</h1>", status=403)
    assert fetch(loopback.url("/plain403")).reason == FORBIDDEN


def test_a_sources_headers_are_sent_and_secrets_not_sent_to_another_host(loopback):
    loopback.route("/feed", b"ok", content_type="text/plain")
    assert fetch(loopback.url("/feed"), (("Cookie", COOKIE), ("User-Agent", AGENT))) is None
    sent = loopback.requests[-1].headers
    assert (sent["cookie"], sent["user-agent"]) == (COOKIE, AGENT)
    # A redirect to another host (localhost is not 127.0.0.1) gets the agent, not the cookie.
    loopback.route("/away", status=302, headers={"Location": f"http://localhost:{loopback.port}/feed"})
    assert fetch(loopback.url("/away"), (("Cookie", COOKIE), ("User-Agent", AGENT))) is None
    sent = loopback.requests[-1].headers
    assert "cookie" not in sent and sent["user-agent"] == AGENT


def test_the_default_user_agent_is_honest(loopback):
    from tui import __version__

    loopback.route("/feed", b"ok", content_type="text/plain")
    fetch(loopback.url("/feed"))
    agent = loopback.requests[-1].headers["user-agent"]
    assert agent.startswith(f"bladi-tui/{__version__} (+https://")


def test_backoff_doubles_from_the_refresh_interval_up_to_six_hours_and_honours_retry_after():
    refused = FetchError(REFUSED_BY_SITE, {"status": 403}, status=403)
    waits, backoff = [], 0.0
    for _ in range(6):
        backoff, until = next_wait(backoff, refused, 1800, now=1000.0)
        waits.append(until - 1000.0)
    assert waits == [1800, 3600, 7200, 14400, MAX_BACKOFF, MAX_BACKOFF]
    later = FetchError(REFUSED_BY_SITE, {"status": 403}, status=403, retry_after=10 * 3600)
    assert next_wait(0.0, later, 1800, now=0.0) == (1800, 10 * 3600)
    # A broken feed waits for nothing; an outage that names its end is not asked before it.
    assert next_wait(0.0, FetchError(NOT_FOUND, {"status": 404}, status=404), 1800, now=0.0) == (0.0, None)
    assert next_wait(
        0.0, FetchError(SERVER_ERROR, {"status": 503}, status=503, retry_after=600), 1800, now=0.0
    ) == (0.0, 600)


@pytest.fixture
def walled(loopback):
    """A feed that answers once, then hides behind a bot wall that checks the configured headers."""
    state = {"walled": False, "seen": []}
    body = feed_xml(PAGES).replace("http://www.bladi.net", loopback.base_url).encode()

    def feed(request):
        state["seen"].append({name.lower(): value for name, value in request.headers.items()})
        if state["walled"]:
            request.send_body(403, CHALLENGE, {"Content-Type": "text/html", "Retry-After": "120"})
        else:
            request.send_body(200, body, {"Content-Type": "application/rss+xml"})

    loopback.route_handler("/feed.xml", feed)
    return state


def test_refused_source_keeps_its_articles_and_waits_before_the_next_refresh(loopback, walled, tmp_path):
    spec = SourceSpec(
        name="Mur", url=loopback.url("/feed.xml"), kind="feed", full_text=False, headers=(("Cookie", COOKIE),)
    )
    store = Store(tmp_path / "s.sqlite3")
    (first,) = asyncio.run(refresh_sources(store, [spec]))
    assert first.error == "" and first.new == 2
    walled["walled"] = True
    started = time.time()
    (refused,) = asyncio.run(refresh_sources(store, [spec]))
    assert refused.error == "the site refuses automated readers (HTTP 403)"
    assert decode(refused.reason) == (REFUSED_BY_SITE, {"status": "403"})
    assert walled["seen"][-1]["cookie"] == COOKIE  # the test server saw the configured header
    (state,) = store.sources([spec.key])
    assert code_of(state.reason) == REFUSED_BY_SITE and state.count == 2  # cached articles stay listed
    assert len(store.topic_rowids(ALL)) == 2
    backoff, retry_at, _, _ = store.source_backoff(spec.key)
    assert backoff == 30 * 60 and retry_at >= started + 30 * 60  # the refresh interval, in the store
    asked = len(walled["seen"])
    # The next refresh nobody asked for leaves it alone and says until when.
    (waiting,) = asyncio.run(refresh_sources(store, [spec], respect_backoff=True))
    assert waiting.skipped and waiting.retry_at == retry_at and len(walled["seen"]) == asked
    # Asked on purpose ("r", fetch SOURCE): tried at once; refused again, the wait doubles.
    (again,) = asyncio.run(refresh_sources(store, [spec]))
    assert not again.skipped and len(walled["seen"]) == asked + 1
    assert store.source_backoff(spec.key)[0] == 60 * 60
    # A success ends the wait.
    walled["walled"] = False
    asyncio.run(refresh_sources(store, [spec]))
    assert store.source_backoff(spec.key)[:2] == (0.0, None)
    store.close()


def test_the_sidebar_says_the_site_refuses_automated_readers(loopback, walled, tmp_path):
    spec = SourceSpec(name="Mur", url=loopback.url("/feed.xml"), kind="feed", full_text=False)
    store = Store(tmp_path / "s.sqlite3")
    asyncio.run(refresh_sources(store, [spec]))
    walled["walled"] = True
    asyncio.run(refresh_sources(store, [spec]))

    async def session():
        app = BladiApp(store, [spec], offline=True, refresh_on_start=False, language="fr")
        async with app.run_test(size=(160, 40)) as pilot:
            await pilot.pause()
            sidebar = app.screen.query_one(Sidebar)
            labels = []
            stack = [sidebar.root]
            while stack:
                node = stack.pop()
                labels.append(str(node.label))
                stack.extend(node.children)
            (line,) = [label for label in labels if label.startswith("⊘ Mur")]
            assert "2" in line and "le site refuse les lecteurs automatiques" in line
            assert "nouvel essai après" in line

    asyncio.run(session())
    store.close()


def write_config(tmp_path, url: str, headers: str) -> str:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[[sources]]\nname = "Mur"\nurl = "{url}"\nkind = "feed"\nfull_text = false\n{headers}\n'
    )
    return str(path)


def test_fetch_source_says_the_site_refuses_and_sends_the_configured_headers(loopback, walled, tmp_path):
    url = loopback.url("/feed.xml")
    config = write_config(tmp_path, url, f'headers = {{ "User-Agent" = "{AGENT}", "Cookie" = "{COOKIE}" }}')
    assert run("--config", config, "fetch", url, tmp_path=tmp_path).returncode == 0
    walled["walled"] = True
    result = run("--config", config, "fetch", url, tmp_path=tmp_path)
    assert result.returncode == 1
    assert "Mur: the site refuses automated readers (HTTP 403); waiting until" in result.stderr
    assert (walled["seen"][-1]["cookie"], walled["seen"][-1]["user-agent"]) == (COOKIE, AGENT)
    asked = len(walled["seen"])
    # The routine fetch (no SOURCE, from cron) lets it wait; the cached articles are still listed.
    result = run("--config", config, "fetch", tmp_path=tmp_path)
    assert result.returncode == 0 and len(walled["seen"]) == asked
    assert "next try after" in result.stderr
    listed = run("--config", config, "--offline", "list", tmp_path=tmp_path)
    assert listed.stdout.count("\n") == 2
    # The cookie is never shown: not by config show, the log, any message, nor OPML export.
    shown = run("--config", config, "config", "show", tmp_path=tmp_path)
    assert AGENT in shown.stdout and "(hidden)" in shown.stdout
    opml = run("--config", config, "opml", "export", "-", tmp_path=tmp_path)
    everything = shown.stdout + shown.stderr + result.stderr + opml.stdout + listed.stderr
    logs = "".join(p.read_text(errors="replace") for p in tmp_path.rglob("*.log"))
    assert "SECRET-COOKIE-VALUE" not in everything + logs


@pytest.mark.parametrize(
    "headers",
    [
        '{ "Accept-Encoding" = "br" }',
        '{ "Host" = "evil.example" }',
        '{ "X-Forwarded-For" = "1.2.3.4" }',
        '{ "Cookie" = "a=SECRET-COOKIE-VALUE\\nInjected: yes" }',
        '{ "Authorization" = 3 }',
    ],
)
def test_headers_a_source_may_not_set_are_refused_without_showing_the_value(tmp_path, headers):
    path = write_config(tmp_path, "https://exemple.ma/feed", f"headers = {headers}")
    with pytest.raises(ConfigError) as raised:
        load_config(path, explicit=True)
    assert "sources[1].headers" in str(raised.value) and "SECRET" not in str(raised.value)


def test_allowed_headers_are_read_and_hidden_when_shown(tmp_path):
    path = write_config(
        tmp_path,
        "https://exemple.ma/feed",
        'headers = { "user-agent" = "Lecteur", "Cookie" = "SECRET-COOKIE-VALUE", "Authorization" = "Bearer SECRET-TOKEN",'
        ' "Accept-Language" = "fr" }',
    )
    config = load_config(path, explicit=True)
    (spec,) = config.sources
    assert dict(spec.headers) == {
        "User-Agent": "Lecteur",
        "Cookie": "SECRET-COOKIE-VALUE",
        "Authorization": "Bearer SECRET-TOKEN",
        "Accept-Language": "fr",
    }
    shown = to_toml(config) + repr(spec) + export_opml(config).decode()
    assert "SECRET" not in shown and "Lecteur" in to_toml(config)
