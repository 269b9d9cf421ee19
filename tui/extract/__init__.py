"""Web pages → articles: site rules (Bladi.net), generic extraction, and HTML → sanitized Markdown.

Nothing here imports Textual; everything returned has been through :mod:`tui.sanitize`.
"""

from tui.extract.markdown import html_to_markdown
from tui.extract.page import decode_html, discover_feeds, extract_article, is_article_page

__all__ = ["decode_html", "discover_feeds", "extract_article", "html_to_markdown", "is_article_page"]
