"""The registry's first place, Cheltenham, and its areas: made by a migration from what was
code before places existed, and again by tests that empty the database."""

CHELTENHAM = {
    "slug": "cheltenham",
    "name": "Cheltenham",
    "contact_email": "nclb@cheltenham.gov.uk",
    "data_controller": "Cheltenham Borough Council",
    "privacy_email": "dpo@cheltenham.gov.uk",
}

# (slug, name): the whole town and the county first, then the wards by name.
CHELTENHAM_AREAS = [
    ("cheltenham", "The whole of Cheltenham"),
    ("gloucestershire", "Gloucestershire, beyond Cheltenham"),
    ("all-saints", "All Saints"),
    ("battledown", "Battledown"),
    ("benhall-reddings", "Benhall and The Reddings"),
    ("charlton-kings", "Charlton Kings"),
    ("charlton-park", "Charlton Park"),
    ("college", "College"),
    ("hesters-way", "Hesters Way"),
    ("lansdown", "Lansdown"),
    ("leckhampton", "Leckhampton"),
    ("oakley", "Oakley"),
    ("park", "Park"),
    ("pittville", "Pittville"),
    ("prestbury", "Prestbury"),
    ("springbank", "Springbank"),
    ("st-marks", "St Mark's"),
    ("st-pauls", "St Paul's"),
    ("st-peters", "St Peter's"),
    ("swindon-village", "Swindon Village"),
    ("up-hatherley", "Up Hatherley"),
    ("warden-hill", "Warden Hill"),
]


def seed_default_place(Place, Area):
    """Cheltenham and its areas, made if missing (models may be a migration's): idempotent."""
    place, _created = Place.objects.get_or_create(
        slug=CHELTENHAM["slug"], defaults={**CHELTENHAM, "is_default": True}
    )
    for position, (slug, name) in enumerate(CHELTENHAM_AREAS):
        Area.objects.get_or_create(
            place=place, slug=slug, defaults={"name": name, "position": position}
        )
    return place
