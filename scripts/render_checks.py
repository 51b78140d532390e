"""Regenerate docs/checks.md from the validator's catalogue."""

from pathlib import Path

from newsevents.io import atomic_write_text
from newsevents.validate import render_catalogue

atomic_write_text(Path(__file__).resolve().parent.parent / "docs" / "checks.md", render_catalogue())
