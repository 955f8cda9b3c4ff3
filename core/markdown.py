"""A small, safe Markdown subset for text that partner staff write."""

import html

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {"p", "ul", "ol", "li", "a", "em", "strong", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> str:
    """Escape any HTML first, so smuggled tags show as text, then sanitise the result too."""
    rendered = markdown_lib.markdown(html.escape(text or "", quote=False), output_format="html")
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener",
    )


def plain_text(text: str) -> str:
    """What a reader sees of the Markdown, without its marks: for excerpts and summaries."""
    visible = nh3.clean(render_markdown(text), tags=set())  # entities stay escaped
    return " ".join(html.unescape(visible).split())
