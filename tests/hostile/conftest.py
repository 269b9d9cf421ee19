"""Fixtures of the hostile suite: the corpus served by the loopback server acting as the HTTP proxy."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.hostile.corpus import Corpus, install
from tests.loopback import LoopbackServer
from tui.config import FetchSettings

MIB = 1024 * 1024

#: Small limits, so that the stalling and dripping sources end in about three seconds. The read
#: timeout is longer than the drip's one second, so that only the deadline can stop it.
SETTINGS = FetchSettings(connect_timeout=2.0, read_timeout=2.0, deadline=3.0, max_bytes=8 * MIB)

#: What must never be displayed: C0 controls but tab and newline, DEL, C1, the bidi embeddings,
#: overrides, isolates and marks, the line and paragraph separators, the deprecated format
#: controls (U+206A–U+206F) and the TAG characters (U+E0000–U+E007F).
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u206f\U000e0000-\U000e007f]"
)


def proxy_environment(server: LoopbackServer, setenv, delenv) -> None:
    """Send every plain-http request through ``server``, as tests/bladi_site.py does."""
    for name in ("HTTP_PROXY", "http_proxy"):
        setenv(name, server.base_url)
    for name in ("ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy"):
        delenv(name, raising=False)


@pytest.fixture
def hostile(loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> Corpus:
    """The whole corpus on the test's loopback server, which is the HTTP proxy for the test."""
    proxy_environment(loopback, monkeypatch.setenv, monkeypatch.delenv)
    corpus = install(loopback)
    corpus.server = loopback
    return corpus


@contextmanager
def serving_corpus() -> Iterator[Corpus]:
    """The corpus on a server of its own, for fixtures wider than one test."""
    with pytest.MonkeyPatch.context() as patch, LoopbackServer() as server:
        for name in ("NO_PROXY", "no_proxy"):
            patch.setenv(name, "127.0.0.1,localhost")
        proxy_environment(server, patch.setenv, patch.delenv)
        corpus = install(server)
        corpus.server = server
        yield corpus
        assert not server.errors, f"a corpus route handler raised {server.errors[0]!r}"
