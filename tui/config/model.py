"""What a configuration is: the sources, the fetch and retention settings, their defaults and ranges.

Plain frozen dataclasses with no I/O; :mod:`tui.config.validation` builds them from TOML and
:mod:`tui.config.files` reads and writes the files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from tui.net.limits import FetchLimits
from tui.paths import bundled_path
from tui.sanitize import clean_line
from tui.sources.kinds import AUTO, CONFIG_KINDS, LOCAL, kind_of

KINDS = CONFIG_KINDS
LANGUAGES = ("", "fr", "en")
# How article pictures are drawn (tui.ui.pictures): auto = the best the terminal answers to.
IMAGE_MODES = ("auto", "kitty", "sixel", "blocks", "off")
BLADI_FEED_URL = "https://www.bladi.net/spip.php?page=backend"

# A path written ``bundled:NAME`` in a config means the data folder shipped with bladi-tui, which
# moves with every install: the template cannot spell it as an absolute path.
BUNDLED_PREFIX = "bundled:"
BUNDLED_NAMES = ("sample_articles",)

NAME_LIMIT = 200
# The app's own theme (tui.ui.themes), named here so the core can say which is in force.
DEFAULT_THEME_NAME = "bladi"


class ConfigError(Exception):
    """A config the app cannot run with; ``str()`` is one sentence naming the file, line or key.

    Keys read as the user would look them up: ``sources[2].kind`` is the second ``[[sources]]``
    block of the file (counting from 1).
    """

    def __init__(
        self, message: str, *, path: Path | None = None, key: str = "", line: int | None = None
    ) -> None:
        super().__init__(message)
        self.path = path
        self.key = key
        self.line = line


@dataclass(frozen=True)
class SourceSpec:
    """One configured source: a web address (feed, site, article) or a local file or folder."""

    name: str
    url: str = ""  # http(s) URL: a feed, a site or an article
    path: str = ""  # a local file or folder, absolute once loaded
    kind: str = AUTO  # one of tui.sources.kinds.CONFIG_KINDS; a path is local unless its kind takes paths
    full_text: bool = True  # complete intro-only items from their page
    enabled: bool = True
    # The user gave the name. Otherwise the name is a stand-in (the host, the folder) that the
    # feed's own title replaces at each refresh.
    # Not part of a spec's identity (two specs with one key, name and settings are one source).
    named: bool = field(default=True, compare=False)
    max_articles: int = 0  # this source keeps at most that many (see tui.store.retention); 0 = no cap
    # The source's own request headers (tui.net.headers: allowed names only, checked), such as
    # a browser's cookie for a site that turns automated readers away. Never shown back.
    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        # What reads a source goes by its kind alone: a path given a kind that takes none is local.
        if self.path and kind_of(self.kind).takes != "path":
            object.__setattr__(self, "kind", LOCAL)

    @property
    def is_local(self) -> bool:
        """A file or folder on this machine, read without the network."""
        return kind_of(self.kind).local

    @property
    def key(self) -> str:
        """The source's identity: its URL or its path."""
        return self.url or self.path

    @classmethod
    def from_url(cls, url: str, *, name: str = "", kind: str = AUTO, enabled: bool = True) -> SourceSpec:
        """A web source; without a name, it is named for its host (``www.`` dropped) until a
        refresh names it after its feed's title."""
        named = bool(name)
        if not name:
            name = (urlsplit(url).hostname or url).removeprefix("www.")
        return cls(name=clean_line(name, limit=NAME_LIMIT), url=url, kind=kind, enabled=enabled, named=named)

    @classmethod
    def from_path(cls, path: Path, *, name: str = "") -> SourceSpec:
        """A local file or folder (``path`` absolute); without a name, named for the file or folder."""
        named = bool(name)
        if not name:
            name = path.stem if path.is_file() else path.name
        name = clean_line(name, limit=NAME_LIMIT) or clean_line(str(path), limit=NAME_LIMIT)
        return cls(name=name, path=str(path), kind=LOCAL, named=named)


@dataclass(frozen=True)
class FetchSettings(FetchLimits):
    """How sources are fetched: the HTTP client's caps (:class:`FetchLimits`, whose defaults are
    these) and what the refresh itself paces."""

    refresh_minutes: float = 30.0  # the open TUI refreshes that often; 0 = never
    pages_per_host: int = 2  # article pages fetched at once per host
    # What one source may cost one refresh: past them, the rest waits for the next refresh.
    pages_per_refresh: int = 100  # article pages read for their full text, newest first
    source_budget: float = 300.0  # seconds for the source, its feed and its pages together


@dataclass(frozen=True)
class RetentionSettings:
    max_age_days: int = 90  # counted from when an article was stored; 0 = keep whatever its age
    max_articles: int = 0  # 0 = no cap (articles a feed still lists and saved ones always stay)
    images_mb: int = 200  # the pictures kept on disk, least recently shown dropped first


#: The range of every number a configuration may set, by ``table.name``: a value outside is one
#: sentence and exit 2. Without an upper bound ``deadline = 1e300`` turned off the drip cut and
#: ``max_bytes = 10**20`` overflowed the decompressor; these bounds are far beyond any real use.
RANGES: dict[str, tuple[float, float]] = {
    "fetch.connect_timeout": (0.1, 300),
    "fetch.read_timeout": (0.1, 600),
    "fetch.deadline": (1, 3600),
    "fetch.max_bytes": (64 * 1024, 1024 * 1024 * 1024),
    "fetch.max_redirects": (0, 20),
    "fetch.retry_after_max": (0, 3600),
    "fetch.concurrency": (1, 64),
    "fetch.per_host": (1, 16),
    "fetch.refresh_minutes": (1, 7 * 24 * 60),  # or 0: never
    "fetch.pages_per_host": (1, 16),
    "fetch.pages_per_refresh": (1, 1000),
    "fetch.source_budget": (1, 3600),
    "retention.max_age_days": (1, 100 * 366),  # or 0: any age
    "retention.max_articles": (1, 10_000_000),  # or 0: all
    "retention.images_mb": (1, 100_000),
    "sources.max_articles": (1, 10_000_000),  # one source's cap; or 0: none of its own
}

#: A config larger than this is not a hand-written settings file.
MAX_CONFIG_BYTES = 4 * 1024 * 1024


def default_sources() -> tuple[SourceSpec, ...]:
    """What runs without a config file: Bladi.net's feed and the bundled sample articles."""
    return (
        SourceSpec(name="Bladi.net", url=BLADI_FEED_URL, kind="feed"),
        SourceSpec(name="Exemples", path=str(bundled_path("sample_articles")), kind=LOCAL),
    )


@dataclass(frozen=True)
class Config:
    sources: tuple[SourceSpec, ...] = field(default_factory=default_sources)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    retention: RetentionSettings = field(default_factory=RetentionSettings)
    language: str = ""  # "fr" | "en" | "" (the locale decides)
    theme: str = ""  # "" = the default theme
    images: str = "auto"  # one of IMAGE_MODES
    keys: dict[str, str] = field(default_factory=dict, hash=False)  # binding id -> keys
    path: Path | None = None  # the file it came from; None for the defaults
    warnings: tuple[str, ...] = ()  # one sentence each
