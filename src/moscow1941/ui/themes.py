"""The game's themes: a calm dark one (the default), a paper-coloured light one, and a
high-contrast one (pure black and white with yellow for focus) for low vision."""

from __future__ import annotations

from textual.theme import Theme

MOSCOW = Theme(
    name="moscow1941",
    primary="#C9A66B",
    secondary="#8FA3B8",
    accent="#D9774B",
    foreground="#E6DFD3",
    background="#1B1D22",
    surface="#23262D",
    panel="#2C3038",
    success="#8DB07A",
    warning="#D8B25A",
    error="#D0665A",
    dark=True,
)

PAPER = Theme(
    name="moscow1941-paper",
    primary="#7A4E1D",
    secondary="#3D5A73",
    accent="#A3402A",
    foreground="#2A2520",
    background="#F3EDE2",
    surface="#EAE2D3",
    panel="#DDD3C0",
    success="#3F6B2E",
    warning="#8A6410",
    error="#9E2A1E",
    dark=False,
)

CONTRAST = Theme(
    name="moscow1941-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#000000",
    success="#00FF00",
    warning="#FFFF00",
    error="#FF5555",
    dark=True,
    luminosity_spread=0.0,
    text_alpha=1.0,
    variables={"footer-key-foreground": "#FFFF00", "block-cursor-background": "#FFFF00",
               "block-cursor-foreground": "#000000", "block-cursor-text-style": "bold"},
)

THEMES = (MOSCOW, PAPER, CONTRAST)
