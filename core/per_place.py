"""Figures kept for each place under that place's own version, so that a change in one place
recomputes only its figures: the network's pages show every place's side by side, and with a
thousand places recomputing them all after any change cost more than the page.

Every place's value of one figure is kept in one book, {place id: (version, value)}, under
one key: a thousand keys, one per place, cost more to read than the figures did to count, and
pushed pages out of each process's cache. An entry is used only while its place's version is
current, so a book written from older versions, or by another process at the same time,
costs a recount and never shows a wrong figure."""

import hashlib

from . import single_flight
from .public import PAGE_TIMEOUT
from .versions import places_scope, read_versions


def kept_per_place(name: str, args: tuple, place_ids, compute) -> dict[int, object]:
    """Each place's value by id: `compute(ids)` gives {id: value} for the places whose value
    is not kept under their current version (one call, whatever their number), and a place
    it leaves out has None. One read of the versions, and one of this process's cache when
    it has every value; the shared cache is read only for what it lacks."""
    place_ids = list(place_ids)
    versions = read_versions(places_scope(place_ids)).current
    tags = {
        place_id: (versions[0], version)
        for place_id, version in zip(place_ids, versions[1:], strict=True)
    }
    key = "per-place:" + hashlib.sha256(repr((name, args)).encode()).hexdigest()

    def current(book):
        return {p: book[p][1] for p in place_ids if p in book and book[p][0] == tags[p]}

    book = single_flight.fetch_local(key, {})
    values = current(book)
    if len(values) < len(place_ids):
        # Another process may have counted what this one lacks.
        book = {**book, **single_flight.fetch_shared(key, {})}
        book.update({p: (tags[p], value) for p, value in values.items()})
        values = current(book)
        if len(values) == len(place_ids):
            single_flight.keep(key, book, PAGE_TIMEOUT, share=False)
    if len(values) < len(place_ids):
        missing = [place_id for place_id in place_ids if place_id not in values]
        computed = compute(missing)
        for place_id in missing:
            values[place_id] = computed.get(place_id)
            book[place_id] = (tags[place_id], values[place_id])
        single_flight.keep(key, book, PAGE_TIMEOUT)
    return values
