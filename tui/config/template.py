"""The commented configuration file ``config init`` writes; as written it means the defaults."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from tui.config.model import BLADI_FEED_URL, BUNDLED_PREFIX, RANGES, FetchSettings, RetentionSettings
from tui.config.validation import bound_text


@dataclass(frozen=True)
class SuggestedSource:
    """A French-language Moroccan source offered (commented out) in the template."""

    name: str
    url: str
    note: str = ""


SUGGESTED_SOURCES = (
    SuggestedSource("Yabiladi", "https://www.yabiladi.com/rss"),
    SuggestedSource("TelQuel", "https://telquel.ma/feed"),
    SuggestedSource("Le360", "https://fr.le360.ma/rss"),
    SuggestedSource(
        "Hespress FR",
        "https://fr.hespress.com/feed",
        "also per section: /economie/feed, /societe/feed, /politique/feed, /sport/feed, /monde/feed",
    ),
    SuggestedSource("Le Matin", "https://lematin.ma/rss"),
    SuggestedSource("Médias24", "https://medias24.com/feed/"),
)


_FETCH_NOTES = {
    "connect_timeout": "seconds to open a connection",
    "read_timeout": "seconds to wait between two pieces of a response",
    "deadline": "seconds for a whole response",
    "max_bytes": "a larger response is cut off (8 MiB)",
    "max_redirects": "redirects followed for one request",
    "retry_after_max": "seconds a server may ask to wait before one retry; longer fails",
    "concurrency": "requests at once",
    "per_host": "requests at once to the same site",
    "pages_per_host": "article pages fetched at once from the same site",
    "pages_per_refresh": "article pages one source reads per refresh; the rest at the next",
    "source_budget": "seconds one source may take per refresh; the rest at the next",
    "refresh_minutes": "the open app refreshes this often; 0 = never",
}
_RETENTION_NOTES = {
    "max_age_days": "forget articles stored longer ago; 0 keeps them all",
    "max_articles": "keep at most this many; 0 = no cap",
    "images_mb": "MiB of article pictures kept on disk",
}


def settings_block(table: str, values: Any, notes: dict[str, str]) -> str:
    """Commented ``name = default  # note (range)`` lines, one per field of a settings dataclass."""
    lines = []
    for f in fields(values):
        setting = f"# {f.name} = {getattr(values, f.name)!r}"
        low, high = RANGES[f"{table}.{f.name}"]
        lines.append(f"{setting:<30}# {notes[f.name]} ({bound_text(low)} to {bound_text(high)})")
    return "\n".join(lines)


def template() -> str:
    """The commented config file ``config init`` writes; as written it means the defaults."""
    fetch, retention = FetchSettings(), RetentionSettings()
    suggested = "\n".join(
        (f"# {s.name}: {s.note}\n" if s.note else "")
        + f'# [[sources]]\n# name = "{s.name}"\n# url = "{s.url}"\n# kind = "feed"\n'
        for s in SUGGESTED_SOURCES
    )
    return f"""\
# bladi-tui configuration
#
# Written by `bladi-tui config init`. bladi-tui never rewrites this file: what you change from
# inside the app (theme, sources added or switched off, keys) is saved in state.toml beside it
# and applied over this file. `bladi-tui config show` prints the result.
#
# A line starting with # is a comment: remove the # to use a setting.

# Interface language: "fr", "en", or "" to follow the system's locale.
# language = ""

# Colour theme by name; "" is the default theme.
# theme = ""

# Article pictures: "auto" (the best the terminal answers to: Kitty graphics, Sixel, else
# half-block cells when it has truecolor, else off), "kitty", "sixel", "blocks" or "off".
# images = "auto"


# Sources
# -------
# One [[sources]] block per source, with either
#   url = "https://..."   a feed, a site (its feed is discovered) or a single article, or
#   path = "..."          a local file or folder of articles (~ works; relative to this file).
# Optional:
#   name       shown in the sidebar (default: the site's host or the folder's name)
#   kind       auto, feed, site, article or local (auto: decided from what the url or path holds)
#   full_text  true: complete items that carry only an introduction from their page
#   enabled    false: keep the source here but do not fetch or show it
#   max_articles  keep at most this many of this source's articles (0: no cap of its own)
#
# Whatever the [retention] settings, an article its feed still lists and a saved one are kept.
#
# Listing sources here replaces the default ones; delete the "Exemples" block to drop the
# sample articles.

[[sources]]
name = "Bladi.net"
url = "{BLADI_FEED_URL}"
kind = "feed"
full_text = true
enabled = true

# The sample articles shipped with bladi-tui.
[[sources]]
name = "Exemples"
path = "{BUNDLED_PREFIX}sample_articles"
kind = "local"

# Other French-language Moroccan news sites: remove the # in front of a block to add it.

{suggested}

[fetch]
{settings_block("fetch", fetch, _FETCH_NOTES)}

[retention]
{settings_block("retention", retention, _RETENTION_NOTES)}

[keys]
# Change a key binding: "binding id" = "keys" (several keys separated by commas). The ids are
# listed in the README's keys table and by `?` in the reader; for example:
# "app.refresh" = "r,f5"
# "find.next" = "enter,ctrl+n"
"""
