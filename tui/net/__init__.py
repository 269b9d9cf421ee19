"""Fetching: the one HTTP client and its caps (no Textual here)."""

from tui.net.http import FetchError, FetchLimits, HttpClient, Response, Validators

__all__ = ["FetchError", "FetchLimits", "HttpClient", "Response", "Validators"]
