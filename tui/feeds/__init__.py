"""Feeds: reading RSS, Atom and JSON Feed documents into articles, and the worker processes that do it for a large refresh."""
