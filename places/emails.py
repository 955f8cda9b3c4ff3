"""Email about something in one place: written in that place, wherever it is sent from (a
request in another place, the admin, a scheduled job). Its addresses lead into the place,
and its templates name the place (`place` in the context; `templates/email/base.html`)."""

from core.emails import send_templated_email

from .addresses import addresses_in


def send_place_email(template_prefix: str, to: list[str], context: dict, *, place) -> None:
    """`send_templated_email`, in `place` (a Place: never None)."""
    if place is None:
        raise ValueError("An email about a place names its place.")
    with addresses_in(place.pk):
        send_templated_email(template_prefix, to, {**context, "place": place})
