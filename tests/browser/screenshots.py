"""Where the browser tests save a screenshot of every page, for a person to look through."""

from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
