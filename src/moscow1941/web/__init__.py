"""The page `moscow1941 serve` gives browsers: `templates/app_index.html`, textual-serve's
page without anything fetched from the internet (its fonts come from textual-serve's own
static folder), so a classroom with no internet connection can play."""

from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"
"""The folder of page templates, for `textual_serve.server.Server(templates_path=...)`."""
