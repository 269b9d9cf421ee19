"""Site rules are data, one module per site under tui/extract/sites/, found there: a module
dropped in such a folder is a site, and each URL is read by the one site serving its host."""

from __future__ import annotations

import sys

import pytest

from tui.extract.site_rules import SiteRules
from tui.extract.sites import SITES, rules_for, rules_in
from tui.extract.sites.bladi import RULES as BLADI

SITE_MODULE = """
import re
from tui.extract.site_rules import SiteRules

RULES = SiteRules(name="{name}", hosts=("{host}",), article_paths=(re.compile(r"/a/(?P<id>\\d+)"),))
"""


@pytest.fixture
def sites_package(tmp_path, monkeypatch):
    """A package of site modules of its own, importable for this test only."""
    package = tmp_path / "other_sites"
    package.mkdir()
    (package / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield package
    for name in [name for name in sys.modules if name.split(".")[0] == "other_sites"]:
        del sys.modules[name]


def test_a_module_in_the_sites_folder_is_a_site(sites_package):
    (sites_package / "zeta.py").write_text(SITE_MODULE.format(name="Zeta", host="zeta.example"))
    (sites_package / "alpha.py").write_text(SITE_MODULE.format(name="Alpha", host="alpha.example"))
    found = rules_in("other_sites")
    assert [rules.name for rules in found] == ["Alpha", "Zeta"]  # in the modules' name order
    assert found[0].canonical_id("https://alpha.example/a/0042") is None  # no id_prefix: no canonical id
    assert found[0].is_article_url("https://alpha.example/a/42")


def test_a_module_without_rules_is_refused_by_name(sites_package):
    (sites_package / "broken.py").write_text("RULES = {'name': 'not rules'}\n")
    with pytest.raises(TypeError, match="other_sites.broken"):
        rules_in("other_sites")


def test_bladi_is_a_site_and_every_url_has_at_most_one():
    assert BLADI in SITES and all(isinstance(rules, SiteRules) for rules in SITES)
    hosts = [host for rules in SITES for host in rules.hosts]
    assert len(hosts) == len(set(hosts))
    assert rules_for("https://www.bladi.net/rabat-paris,116201.html") is BLADI
    assert rules_for("https://bladi.net/116201") is BLADI
    assert rules_for("https://example.org/rabat-paris,116201.html") is None
    assert BLADI.listing is not None  # its rubriques and tags are read from their pages
