"""Shared fixtures: the loopback HTTP server and the paths of the bundled data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

pytest_plugins = ["tests.loopback"]


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
