import re

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core import safeguarding
from core.markdown import excerpt_lines, render_markdown
from core.public import cached_fragment
from core.text import xml_safe as _xml_safe

register = template.Library()


@register.simple_tag
def safeguarding_rule():
    """The rule that protects children and families, in its one wording (core.safeguarding)."""
    return safeguarding.RULE


@register.simple_tag
def photo_rule():
    return safeguarding.PHOTO_RULE


@register.filter
def markdown(text):
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitised by nh3 above


@register.filter
def breakable(name):
    """An identifier (a column, a parameter, a path) that may wrap after each underscore or
    slash in a narrow table, and nowhere else: "organisation_<wbr>id", never "organisatio n_id"."""
    parts = re.split(r"(?<=[_/])", str(name))
    return format_html_join(mark_safe("<wbr>"), "{}", ((part,) for part in parts))


@register.filter
def excerpt(text, words=30):
    """The start of a story without its marks, each paragraph and list item on its own line,
    each line escaped."""
    return format_html_join(
        mark_safe("<br>"), "{}", ((line,) for line in excerpt_lines(text, int(words)))
    )


@register.simple_tag(takes_context=True)
def nav_current(context, *url_names):
    """aria-current for a navigation item, worked out from the resolved URL name."""
    if context.get("current_url_name") in url_names:
        return mark_safe(' aria-current="page"')
    return ""


@register.filter
def xml_safe(text):
    """Drop characters XML 1.0 cannot carry; autoescaping still applies afterwards."""
    return _xml_safe(text)


@register.filter
def error_anchor(bound_field, field_id):
    """Where an error summary link should lead: a group of radios or checkboxes has no
    element with the field's own id, so the link goes to its first option."""
    widget = bound_field.field.widget
    if field_id == bound_field.auto_id and isinstance(
        widget, forms.RadioSelect | forms.CheckboxSelectMultiple
    ):
        return f"id_{bound_field.html_name}_1"
    return field_id


@register.simple_tag(takes_context=True)
def message_banners(context):
    """The page's messages in at most two banners, problems first: several messages at once
    make one list, not a stack of banners. A message tagged `continues` carries on from the
    one before it, as one message (confirming an address signs you in: one sentence says
    both)."""
    problems, successes, worst = [], [], "important"
    for message in context.get("messages") or []:
        items = successes if message.level_tag == "success" else problems
        worst = "problem" if message.level_tag == "error" else worst
        if "continues" in message.extra_tags.split() and items:
            items[-1] = format_html("{} {}", items[-1], str(message))  # each part escaped once
        else:
            items.append(str(message))
    return [(kind, items) for kind, items in ((worst, problems), ("success", successes)) if items]


@register.filter
def page_links(page, on_each_side=2):
    """Page numbers to link: the first, the last, and `on_each_side` either side of this
    one, with `Paginator.ELLIPSIS` for each gap. Its cost does not grow with the number of
    pages."""
    return page.paginator.get_elided_page_range(
        page.number, on_each_side=int(on_each_side), on_ends=1
    )


@register.filter
def described_by(bound_field):
    """The ids of a field's hint and errors, for aria-describedby (as the GDS pack names
    them)."""
    ids = [f"{bound_field.auto_id}_hint"] if bound_field.help_text else []
    ids += [f"{bound_field.auto_id}_{n}_error" for n in range(1, len(bound_field.errors) + 1)]
    return " ".join(ids)


class PublicFragmentNode(template.Node):
    def __init__(self, name, parts, nodelist):
        self.name, self.parts, self.nodelist = name, parts, nodelist

    def render(self, context):
        parts = tuple(part.resolve(context) for part in self.parts)
        return cached_fragment(self.name, parts, lambda: self.nodelist.render(context))


@register.tag
def public_fragment(parser, token):
    """`{% public_fragment "name" obj.pk other %}...{% endpublic_fragment %}`: rendered once
    per public-data version for the values given (`core.public.cached_fragment`). The values
    must identify everything the fragment shows."""
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError("public_fragment needs a name and at least one value")
    nodelist = parser.parse(("endpublic_fragment",))
    parser.delete_first_token()
    return PublicFragmentNode(
        bits[1].strip("\"'"), [parser.compile_filter(bit) for bit in bits[2:]], nodelist
    )
