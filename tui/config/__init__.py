"""The user's configuration (``config.toml``) and the app's own ``state.toml`` merged over it.

The config file is the user's: read, validated, never rewritten. What the app changes on the user's
behalf (theme, language, sources added from the palette, sources switched off or removed, key
tweaks) goes to ``state.toml`` beside it.

- :mod:`tui.config.model`: the dataclasses, their defaults and the range of every number;
- :mod:`tui.config.validation`: a TOML document read into the model, one sentence per mistake;
- :mod:`tui.config.files`: reading and writing the files, ``config show`` and ``config init``;
- :mod:`tui.config.state_file`: ``state.toml`` read, merged over the config, updated;
- :mod:`tui.config.template`: the commented file ``config init`` writes.
"""

from tui.config.files import init_config, load_config, to_toml
from tui.config.model import (
    BLADI_FEED_URL,
    BUNDLED_PREFIX,
    DEFAULT_THEME_NAME,
    IMAGE_MODES,
    KINDS,
    LANGUAGES,
    MAX_CONFIG_BYTES,
    RANGES,
    Config,
    ConfigError,
    FetchSettings,
    RetentionSettings,
    SourceSpec,
    default_sources,
)
from tui.config.state_file import load_state, merge_state, save_state

# The commented template (`config init`) is read when first asked for: the reader starts without.
_FROM_TEMPLATE = ("SUGGESTED_SOURCES", "SuggestedSource", "template")


def __getattr__(name: str):
    if name in _FROM_TEMPLATE:
        from importlib import import_module

        module = import_module("tui.config.template")
        # Importing it bound the package's name "template" to the module: the function's, again.
        globals().update({n: getattr(module, n) for n in _FROM_TEMPLATE})
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BLADI_FEED_URL",
    "BUNDLED_PREFIX",
    "DEFAULT_THEME_NAME",
    "IMAGE_MODES",
    "KINDS",
    "LANGUAGES",
    "MAX_CONFIG_BYTES",
    "RANGES",
    "SUGGESTED_SOURCES",
    "Config",
    "ConfigError",
    "FetchSettings",
    "RetentionSettings",
    "SourceSpec",
    "SuggestedSource",
    "default_sources",
    "init_config",
    "load_config",
    "load_state",
    "merge_state",
    "save_state",
    "template",
    "to_toml",
]
