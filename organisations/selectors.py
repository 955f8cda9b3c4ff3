"""Named reads about an organisation that several layers need."""


def first_public_place_id(organisation) -> int | None:
    """The place where the organisation's earliest public pledge is (the place an address
    without one, or a claim email, leads to); None when it has none. Through the reverse
    relation, so that the pledges app above this one is not imported."""
    return (
        organisation.pledges.public()
        .order_by("published_at", "pk")
        .values_list("place_id", flat=True)
        .first()
    )
