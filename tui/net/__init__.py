"""Fetching: the one HTTP client (:mod:`tui.net.http`), its caps (:mod:`tui.net.limits`) and the
request headers a source may set (:mod:`tui.net.headers`); no Textual here. Nothing is imported
here: the config reads the caps and the headers' rules at start-up, before anything needs httpx."""
