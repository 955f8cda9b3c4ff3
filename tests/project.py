"""The project's own packages, read once from the import contract in pyproject.toml, so that a
new app is scanned by every test that walks the code (layout, services) without a second list."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]
