"""Figures kept for each place under that place's own version, so that a change in one place
recomputes only its figures: the network's pages show every place's side by side, and with a
thousand places recomputing them all after any change cost more than the page."""

import hashlib

from . import single_flight
from .public import EVERYTHING, PAGE_TIMEOUT, _tag, read_versions


def kept_per_place(name: str, args: tuple, place_ids, compute) -> dict[int, object]:
    """Each place's value by id: `compute(ids)` gives {id: value} for the places whose value
    is not kept under their current version (one call, whatever their number), and a place
    it leaves out has None. Four round trips to the caches and one read of the versions when
    every value is kept."""
    place_ids = list(place_ids)
    versions = read_versions((EVERYTHING, *(-place_id for place_id in place_ids))).current
    identity = hashlib.sha256(repr((name, args)).encode()).hexdigest()
    keys = {
        place_id: f"place:{_tag((versions[0], version))}:{place_id}:{identity}"
        for place_id, version in zip(place_ids, versions[1:], strict=True)
    }
    kept = single_flight.fetch_many(list(keys.values()), PAGE_TIMEOUT)
    values = {place_id: kept[key][0] for place_id, key in keys.items() if key in kept}
    missing = [place_id for place_id in place_ids if place_id not in values]
    if missing:
        computed = compute(missing)
        fresh = {place_id: computed.get(place_id) for place_id in missing}
        single_flight.keep_many({keys[p]: value for p, value in fresh.items()}, PAGE_TIMEOUT)
        values.update(fresh)
    return values
