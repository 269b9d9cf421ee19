"""The project's own themes: Bladi's red and green, and a high-contrast one.

Unread and saved articles are marked by glyphs (● ★) as well as colours, so every theme,
8 colours and NO_COLOR included, keeps them apart.
"""

from __future__ import annotations

from textual.theme import Theme

from tui.config import DEFAULT_THEME_NAME

BLADI = Theme(
    name=DEFAULT_THEME_NAME,
    primary="#C1272D",  # the red of the Moroccan flag
    secondary="#006233",  # and its green
    accent="#E0A526",
    warning="#E0A526",
    error="#FF5F56",
    success="#2FA36B",
    foreground="#EDE6DA",
    background="#161311",
    surface="#1E1A17",
    panel="#2A2420",
    dark=True,
)

BLADI_LIGHT = Theme(
    name="bladi-light",
    primary="#A3161C",
    secondary="#00522A",
    accent="#8A5A00",
    warning="#8A5A00",
    error="#B00020",
    success="#1B6E43",
    foreground="#1C1714",
    background="#F7F2EA",
    surface="#FFFDF8",
    panel="#EAE1D3",
    dark=False,
)

HIGH_CONTRAST = Theme(
    name="bladi-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFFFF",
    warning="#FFFF00",
    error="#FF0000",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    boost="#333333",
    dark=True,
    text_alpha=1.0,
    variables={
        "block-cursor-background": "#FFFF00",
        "block-cursor-foreground": "#000000",
        "block-cursor-blurred-background": "#555555",
        "text-muted": "#DDDDDD",
    },
)

THEMES = (BLADI, BLADI_LIGHT, HIGH_CONTRAST)
DEFAULT_THEME = BLADI.name
