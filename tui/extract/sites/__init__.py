"""The sites bladi-tui has rules for: one module each in this folder, whose ``RULES`` is a
:class:`~tui.extract.site_rules.SiteRules` (with its listing pages' rules when it has them).

Every module here is read, in name order, into :data:`SITES`: adding a site's rules is adding its
module (and a saved page with its test), nothing else.
"""

from __future__ import annotations

import importlib
import pkgutil

from tui.extract.site_rules import SiteRules


def rules_in(package: str) -> tuple[SiteRules, ...]:
    """The ``RULES`` of every module of ``package``, in name order."""
    found = []
    for module in sorted(
        pkgutil.iter_modules(importlib.import_module(package).__path__), key=lambda m: m.name
    ):
        rules = getattr(importlib.import_module(f"{package}.{module.name}"), "RULES", None)
        if not isinstance(rules, SiteRules):
            raise TypeError(f"{package}.{module.name} has no RULES that are a SiteRules")
        found.append(rules)
    return tuple(found)


#: Every site's rules.
SITES: tuple[SiteRules, ...] = rules_in(__name__)


def rules_for(url: str) -> SiteRules | None:
    """The site rules for ``url``'s host, if any."""
    return next((rules for rules in SITES if rules.serves(url)), None)
