"""A small, safe Markdown subset for text that partner staff write."""

import functools
import html
import re
import threading

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {"p", "ul", "ol", "li", "a", "em", "strong", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


_local = threading.local()


def _converter() -> markdown_lib.Markdown:
    """One converter per thread, reset between texts: building one registers every
    processor again, which cost more than converting a story."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown_lib.Markdown(output_format="html")
    return converter.reset()


@functools.lru_cache(maxsize=1024)
def render_markdown(text: str) -> str:
    """Escape any HTML first, so smuggled tags show as text, then sanitise the result too.

    Remembered by text (so never stale): feeds and lists render the same stories again."""
    rendered = _converter().convert(html.escape(text or "", quote=False))
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener",
    )


_BLOCK_END = re.compile(r"</(?:p|li)>|<br\s*/?>")


@functools.lru_cache(maxsize=2048)
def plain_lines(text: str) -> tuple[str, ...]:
    """What a reader sees of the Markdown, without its marks, a line for each paragraph and
    list item: for excerpts and summaries, so that a list's items do not run together.

    Remembered by text, so never stale: lists show the same stories' excerpts again and
    again, and converting them was most of a card's cost."""
    marked = _BLOCK_END.sub("\n", render_markdown(text))
    visible = html.unescape(nh3.clean(marked, tags=set()))
    return tuple(" ".join(line.split()) for line in visible.splitlines() if line.strip())


def excerpt_lines(text: str, words: int) -> list[str]:
    """The first `words` words of `plain_lines`, line breaks kept; "…" where it stops short."""
    lines, left, every = [], words, plain_lines(text)
    for index, line in enumerate(every):
        parts = line.split()
        if len(parts) > left or (len(parts) == left and index < len(every) - 1):
            lines.append(" ".join(parts[:left]) + " …")
            return lines
        lines.append(line)
        left -= len(parts)
    return lines
