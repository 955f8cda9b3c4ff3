"""The registry's working text of the Community Agreement, version 1, and its five priorities.

Admins can edit the wording in the admin; the seed only creates what is missing.
"""

AGREEMENT = {
    "version": 1,
    "title": "No Child Left Behind Community Agreement",
    "summary": (
        "Schools, organisations and residents in Cheltenham agree to support one another "
        "with kindness, empathy and understanding, so that no child is left behind."
    ),
    "body": (
        "No Child Left Behind brings together the borough council and its partners to tackle "
        "child poverty in Cheltenham.\n\n"
        "By signing this agreement, we promise to support children, families and one another "
        "in a way that reflects kindness, empathy and understanding. We will show this in our "
        "policies, in our everyday practice and in the decisions we make, including decisions "
        "about money.\n\n"
        "We will work in a trauma-informed way, build on people's strengths, and help people "
        "stay in control of their own lives.\n\n"
        "We will choose the priorities for embedding kindness that we commit to, say what we "
        "will do about each one, and report our progress in public.\n\n"
        "This is the registry's working text of the agreement."
    ),
}

PRIORITIES = [
    {
        "number": 1,
        "slug": "make-time-for-relationships",
        "title": "Make time for relationships",
        "description": (
            "Protect time and make spaces where staff, volunteers and the people they serve can "
            "build real human relationships, so that targets and processes do not crowd them out."
        ),
        "guidance": "Think about where time pressure gets in the way of getting to know people.",
        "example": (
            "We will keep the first 15 minutes of every parents' evening free for open "
            "conversation, with no agenda."
        ),
    },
    {
        "number": 2,
        "slug": "make-kindness-visible",
        "title": "Make kindness visible",
        "description": (
            "Notice, celebrate and share acts of kindness, so that they become part of a shared "
            "story about where we live."
        ),
        "guidance": "Think about how you will notice kindness and who you will tell about it.",
        "example": (
            "We will share one story of kindness from our team each month in our newsletter "
            "and on this registry."
        ),
    },
    {
        "number": 3,
        "slug": "give-permission-to-act",
        "title": "Give permission to act",
        "description": (
            "Trust staff and volunteers to use their skill and judgement, respond flexibly to "
            "what people need, and speak up about unkindness."
        ),
        "guidance": "Think about the rules that stop your people doing the kind thing.",
        "example": (
            "Front-line staff will be able to spend up to £50 to solve a family's immediate "
            "problem without asking a manager."
        ),
    },
    {
        "number": 4,
        "slug": "listen-to-what-matters",
        "title": "Listen to what matters",
        "description": (
            "Listen to children, families and colleagues about what matters to them, and solve "
            "problems as a whole rather than only 'our bit'."
        ),
        "guidance": "Think about who you do not hear from yet, and how you could.",
        "example": (
            "We will run a termly listening session with families and publish what we changed "
            "as a result."
        ),
    },
    {
        "number": 5,
        "slug": "let-values-guide-decisions",
        "title": "Let values guide decisions",
        "description": (
            "Line up policies, performance measures and decisions, financial ones included, "
            "with kindness, and ask staff and the people served whether they experience it."
        ),
        "guidance": "Think about one policy or measure you could review with kindness in mind.",
        "example": (
            "We will review our debt collection letters with families who have received them, "
            "and rewrite them in plain, kind language."
        ),
    },
]


def seed_agreement(Agreement, Priority, now, place=None):
    """Create version 1 and its priorities if they are missing. Safe to run again. `place`:
    the place it belongs to (the first migrations ran before places existed)."""
    where = {"place": place} if place else {}
    agreements = Agreement.objects.filter(**where)
    agreement, created = agreements.get_or_create(
        **where,
        version=AGREEMENT["version"],
        defaults={
            "title": AGREEMENT["title"],
            "summary": AGREEMENT["summary"],
            "body": AGREEMENT["body"],
            "published_at": now,
            "is_current": not agreements.filter(is_current=True).exists(),
        },
    )
    for priority in PRIORITIES:
        Priority.objects.get_or_create(
            agreement=agreement,
            number=priority["number"],
            defaults={key: value for key, value in priority.items() if key != "number"},
        )
    return agreement
