"""A small, safe Markdown subset for text that partner staff write."""

import functools
import html
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


@functools.lru_cache(maxsize=2048)
def plain_text(text: str) -> str:
    """What a reader sees of the Markdown, without its marks: for excerpts and summaries.

    Remembered by text, so never stale: lists show the same stories' excerpts again and
    again, and converting them was most of a card's cost."""
    visible = nh3.clean(render_markdown(text), tags=set())  # entities stay escaped
    return " ".join(html.unescape(visible).split())
