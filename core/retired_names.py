"""Retired names stay out of the templates.

`python -m core.retired_names` (in `make lint`) reads the last column of the glossary's
table (`docs/glossary.md`), so the glossary is the one list, and fails on any template
that uses one of those names, case aside.
"""

import re
import sys
from pathlib import Path

from .template_comments import ROOT, template_lines

GLOSSARY = ROOT / "docs" / "glossary.md"


def retired_names(glossary: Path = GLOSSARY) -> list[str]:
    """Every `name` in the table's last column."""
    names = []
    for line in glossary.read_text().splitlines():
        if line.startswith("|") and line.count("|") >= 3:
            names += re.findall(r"`([^`]+)`", line.rstrip().rstrip("|").rsplit("|", 1)[-1])
    return names


def uses(root: Path = ROOT, names: list[str] | None = None) -> list[str]:
    names = retired_names() if names is None else names
    pattern = re.compile("|".join(re.escape(name) for name in names), re.IGNORECASE)
    return [
        f"{path}:{number}: {match.group(0)!r}"
        for path, number, line in template_lines(root)
        for match in pattern.finditer(line.replace("\u2019", "'"))  # a curly apostrophe too
    ]


if __name__ == "__main__":
    problems = uses()
    for problem in problems:
        print(problem)
    if problems:
        print("These names are retired: docs/glossary.md says what to write instead.")
    sys.exit(1 if problems else 0)
