"""Where bladi-tui's files live: the config file, its state file, the data dir, the bundled data.

Precedence for the config file and the data dir: the command-line flag, then the environment
(``BLADI_TUI_CONFIG``, ``BLADI_TUI_DATA_DIR``), then the platform's default from platformdirs.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "bladi-tui"
CONFIG_ENV = "BLADI_TUI_CONFIG"
DATA_DIR_ENV = "BLADI_TUI_DATA_DIR"
CONFIG_FILE_NAME = "config.toml"
STATE_FILE_NAME = "state.toml"

# The folder of the package itself: an installed wheel carries the bundled data folders here.
_PACKAGE_DIR = Path(__file__).resolve().parent


def expand_user_path(value: str | os.PathLike[str], base: Path | None = None) -> Path:
    """An absolute path from what a user typed: ``~`` expanded, relative paths taken from ``base``
    (the current directory when ``base`` is None). Symlinks are left as they are."""
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = (base if base is not None else Path.cwd()) / path
    return path.absolute()


def _from_flag_or_env(flag: str | os.PathLike[str] | None, env_name: str) -> Path | None:
    if flag is not None and str(flag) != "":
        return expand_user_path(flag)
    from_env = os.environ.get(env_name, "")
    if from_env:
        return expand_user_path(from_env)
    return None


def resolve_config_path(flag: str | os.PathLike[str] | None) -> Path:
    """The config file to read: ``--config``, else ``$BLADI_TUI_CONFIG``, else the platform's
    config folder (``~/.config/bladi-tui/config.toml`` on Linux)."""
    chosen = _from_flag_or_env(flag, CONFIG_ENV)
    if chosen is not None:
        return chosen
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / CONFIG_FILE_NAME


def config_path_is_explicit(flag: str | os.PathLike[str] | None) -> bool:
    """True when the user named the config file (flag or environment): then it must exist."""
    return _from_flag_or_env(flag, CONFIG_ENV) is not None


def resolve_data_dir(flag: str | os.PathLike[str] | None) -> Path:
    """The data folder (the store lives there): ``--data-dir``, else ``$BLADI_TUI_DATA_DIR``,
    else the platform's data folder (``~/.local/share/bladi-tui`` on Linux)."""
    chosen = _from_flag_or_env(flag, DATA_DIR_ENV)
    if chosen is not None:
        return chosen
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def state_path(config_path: Path) -> Path:
    """``state.toml`` beside the config file: what the app saves on the user's behalf. When the
    config is no regular file (``--config /dev/null``, a pipe), its folder is no place of the
    user's: the state then lives in the platform's config folder."""
    config_path = Path(config_path)
    if config_path.exists() and not config_path.is_file():
        return platformdirs.user_config_path(APP_NAME, appauthor=False) / STATE_FILE_NAME
    return config_path.parent / STATE_FILE_NAME


def bundled_path(name: str) -> Path:
    """A data folder shipped with bladi-tui (``styles``, ``sample_articles``).

    An installed wheel carries it inside the package; an editable install or a checkout has it at
    the top of the repository. When neither exists the package location is returned, so that a
    message about the missing folder names where it should have been.
    """
    inside = _PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    beside = _PACKAGE_DIR.parent / name
    if beside.is_dir():
        return beside
    return inside


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as the user would write it: the home folder shortened to ``~``."""
    path = Path(path)
    try:
        home = Path.home()
    except RuntimeError:  # no home folder (some containers)
        return str(path)
    try:
        rest = path.relative_to(home)
    except ValueError:
        return str(path)
    return "~" if rest == Path(".") else str(Path("~") / rest)
