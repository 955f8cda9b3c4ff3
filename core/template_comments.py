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


def template_lines(root: Path = ROOT):
    """(path, line number, line) of every template under `root`: the files Django renders
    (.html, .txt, .svg, .xml in a templates folder), outside the tools' own folders."""
    for path in sorted(root.rglob("*")):
        if path.suffix not in {".html", ".txt", ".svg", ".xml"} or SKIP & set(path.parts):
            continue
        if "templates" not in path.parts:
            continue
        text = path.read_text(errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            yield path.relative_to(root), number, line


def unclosed_comments(root: Path = ROOT) -> list[str]:
    return [
        f"{path}:{number}: {line.strip()}"
        for path, number, line in template_lines(root)
        if UNCLOSED.search(line)
    ]


if __name__ == "__main__":
    problems = unclosed_comments()
    for problem in problems:
        print(problem)
    if problems:
        print("A {# comment #} must close on its line; use {% comment %} for several lines.")
    sys.exit(1 if problems else 0)
