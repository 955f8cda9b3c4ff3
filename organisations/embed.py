"""The badge snippet partners paste into their own websites."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _


def badge_embed_code(organisation, base_url: str, place) -> str:
    """Correct HTML with every value attribute-escaped once.

    A template shows it with `force_escape`, so that the text a person copies out of the
    box is exactly this code, whatever the organisation's name holds.
    """
    alt = _("%(name)s signed the community agreement in %(place)s") % {
        "name": organisation.name,
        "place": place.name,
    }
    return str(
        format_html(
            '<a href="{}"><img src="{}" alt="{}" width="300" height="80"></a>',
            base_url + organisation.get_absolute_url(),
            base_url + reverse("registry:badge", args=[organisation.slug]),
            alt,
        )
    )
