"""Generated organisations for the demo and the benchmark: their names, the area each
serves, pledges in every status, and each pledge's dated steps."""

from datetime import timedelta

from organisations.models import Organisation

from .demo_texts import STATEMENTS
from .models import Pledge, PledgeEvent

Type = Organisation.Type
Status = Pledge.Status

# The benchmark's further places (`--places`), after Cheltenham and North Ayrshire.
BENCH_TOWNS = [
    "Stroud", "Tewkesbury", "Gloucester", "Cirencester", "Evesham", "Malvern", "Worcester",
    "Hereford", "Swindon", "Ledbury", "Ross-on-Wye", "Bath",
]  # fmt: skip
KINDS = [
    ("Primary School", Type.SCHOOL),
    ("Academy", Type.SCHOOL),
    ("Pre-school", Type.EARLY_YEARS),
    ("Childminders Network", Type.EARLY_YEARS),
    ("Community Larder", Type.CHARITY),
    ("Family Support", Type.CHARITY),
    ("Mental Health Collective", Type.CHARITY),
    ("Neighbourhood Group", Type.COMMUNITY),
    ("Community Choir", Type.COMMUNITY),
    ("Methodist Church", Type.FAITH),
    ("Mosque Community", Type.FAITH),
    ("Dental Practice", Type.HEALTH),
    ("Medical Centre", Type.HEALTH),
    ("Housing Co-operative", Type.HOUSING),
    ("Cricket Club", Type.SPORT),
    ("Swimming Club", Type.SPORT),
    ("Hardware", Type.BUSINESS),
    ("Coffee House", Type.BUSINESS),
    ("Accountants", Type.BUSINESS),
    ("Library Friends", Type.OTHER),
]


def generated_specs(count, rng, wards):
    """`count` organisations named after the wards ((slug, name) areas) they serve."""
    specs = []
    for index in range(count):
        area, ward = wards[index % len(wards)]
        kind, type_ = KINDS[(index // len(wards)) % len(KINDS)]
        round_ = index // (len(wards) * len(KINDS))
        name = f"{ward} {kind}" + (f" {round_ + 1}" if round_ else "")
        # Superseded needs a newer version's pledge: not in a one-version registry.
        others = [value for value in Status.values if value != Status.SUPERSEDED]
        status = Status.PUBLISHED if index % 20 else rng.choice(others)
        specs.append({"name": name, "type": type_, "area": area, "status": status})
    return specs


def pledge_events(pledge):
    """The dated steps a pledge in this state went through, as its history shows them."""
    steps = [
        (pledge.submitted_at, PledgeEvent.Action.SUBMITTED, ""),
        (pledge.returned_at, PledgeEvent.Action.RETURNED, pledge.status_reason),
        (pledge.published_at, PledgeEvent.Action.PUBLISHED, ""),
        (pledge.suspended_at, PledgeEvent.Action.SUSPENDED, pledge.status_reason),
        (pledge.withdrawn_at, PledgeEvent.Action.WITHDRAWN, pledge.status_reason),
    ]
    return [
        PledgeEvent(pledge=pledge, action=action, reason=reason, created_at=when)
        for when, action, reason in steps
        if when is not None
    ]


def build_pledge(org, status, agreement, area, now, rng):
    joined = org.created_at + timedelta(days=7)
    pledge = Pledge(
        organisation=org,
        agreement=agreement,
        place_id=agreement.place_id,
        area=area,
        status=status,
        signatory_name=rng.choice(["Sam Okafor", "Jo Williams", "Alex Chen", "Ruth Davies"]),
        signatory_role=rng.choice(
            ["Head teacher", "Chief executive", "Owner", "Chair of trustees"]
        ),
        is_signatory_public=rng.random() < 0.7,
        is_authorised=status != Status.DRAFT,
        statement=rng.choice(STATEMENTS),
        created_at=org.created_at,
    )
    if status != Status.DRAFT:
        pledge.submitted_at = joined - timedelta(days=2)
    if status in {Status.PUBLISHED, Status.WITHDRAWN, Status.SUSPENDED}:
        pledge.published_at = joined
    if status == Status.RETURNED:
        pledge.returned_at = joined
        pledge.status_reason = "Please say a little more about what you will do for priority 3."
    if status == Status.WITHDRAWN:
        pledge.withdrawn_at = min(joined + timedelta(days=200), now)
        pledge.status_reason = "The business has closed."
    if status == Status.SUSPENDED:
        pledge.suspended_at = min(joined + timedelta(days=100), now)
        pledge.status_reason = "Under review after a concern was reported."
    if status != Status.PUBLISHED:
        pledge.last_reported_at = None
    return pledge
