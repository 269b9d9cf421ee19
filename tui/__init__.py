"""bladi-tui: a keyboard-first terminal reader for Bladi.net and any news site with a feed."""

__version__ = "0.1.0"
USER_AGENT = f"bladi-tui/{__version__} (+https://github.com/bladi-tui/bladi-tui)"
