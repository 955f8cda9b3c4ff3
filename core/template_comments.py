"""`{# … #}` is a comment only on one line: over two lines Django prints it on the page.

`python -m core.template_comments` (in `make lint`) lists every template that opens `{#`
without closing it on the same line, and fails; a comment over several lines is
`{% comment %}`.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", ".git", "var", "static"}
UNCLOSED = re.compile(r"\{#(?![^\n]*#\})")


def unclosed_comments(root: Path = ROOT) -> list[str]:
    found = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in {".html", ".txt", ".svg", ".xml"} or SKIP & set(path.parts):
            continue
        if "templates" not in path.parts:
            continue
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), start=1):
            if UNCLOSED.search(line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


if __name__ == "__main__":
    problems = unclosed_comments()
    for problem in problems:
        print(problem)
    if problems:
        print("A {# comment #} must close on its line; use {% comment %} for several lines.")
    sys.exit(1 if problems else 0)
