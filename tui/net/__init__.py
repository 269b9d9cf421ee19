"""Fetching: the one HTTP client (:mod:`tui.net.http`) and its caps (:mod:`tui.net.limits`); no Textual here."""
