"""Addresses of things that belong to one place (an update, a story, a priority): in their
own place, whichever place's page, feed or API response links to them."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.urls import get_script_prefix, reverse, set_script_prefix

# The script prefix without the place's, while a request in a place is served.
outer_prefix = ContextVar("outer_prefix", default=None)


# A place's short name never changes, so each process keeps them, by id, as it meets them.
_slugs: dict[int, str] = {}


def place_reverse(place_id: int, viewname, *, args=(), kwargs=None) -> str:
    """`reverse`, in the place with this id rather than in the place of the request being
    served. By id, so that a list of a hundred stories costs no query for their places."""
    prefix = get_script_prefix()
    return place_path(place_id, "/" + reverse(viewname, args=args, kwargs=kwargs)[len(prefix) :])


def place_path(place_id: int, path: str) -> str:
    """A path of the site without any place's prefix (a request's `path_info`), as it is
    written in the place with this id."""
    return f"{outer_prefix.get() or get_script_prefix()}{place_slug(place_id)}{path}"


def place_slug(place_id: int) -> str:
    """A place's short name by its id, without a query after the first."""
    if place_id not in _slugs:
        from .models import Place

        _slugs.update(Place.objects.values_list("id", "slug"))
    return _slugs[place_id]


@contextmanager
def addresses_in(place_id: int):
    """Write addresses in this place while the block runs, as a request in it would: for work
    outside a request (reminders, the digest) about one place."""
    outer = outer_prefix.get() or get_script_prefix()
    set_script_prefix(f"{outer}{place_slug(place_id)}/")
    token = outer_prefix.set(outer)
    try:
        yield
    finally:
        outer_prefix.reset(token)
        set_script_prefix(outer)
