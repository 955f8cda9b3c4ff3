"""The directory's search text, kept on each organisation, from what the public can see.

Only public content is indexed, so a search can never surface a draft or a hidden update.
Weights rank a match in the name above the pledge, the pledge above updates, and those above
the organisation's description.
"""

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.db.models import OuterRef, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Concat

from organisations.models import Organisation

from .models import Commitment, Pledge, ProgressUpdate

CONFIG = "english"
EMPTY = Value("", output_field=TextField())


def _joined(queryset, group_by, expression):
    """One string: `expression` of each row of `queryset`, joined with spaces."""
    return Subquery(
        queryset.values(group_by)
        .annotate(text=StringAgg(expression, " ", output_field=TextField()))
        .values("text")
    )


def search_vector():
    """The weighted search text of the organisation in the outer query."""
    commitments = _joined(Commitment.objects.filter(pledge=OuterRef("pk")), "pledge", "body")
    pledges = Pledge.objects.public().filter(organisation=OuterRef("pk"))
    updates = ProgressUpdate.objects.published().filter(pledge__organisation=OuterRef("pk"))
    pledge_text = _joined(
        pledges,
        "organisation",
        Concat("statement", Value(" "), Coalesce(commitments, EMPTY), output_field=TextField()),
    )
    update_text = _joined(
        updates,
        "pledge__organisation",
        Concat("title", Value(" "), "body", output_field=TextField()),
    )
    return (
        SearchVector("name", weight="A", config=CONFIG)
        + SearchVector(Coalesce(pledge_text, EMPTY), weight="B", config=CONFIG)
        + SearchVector(Coalesce(update_text, EMPTY), weight="C", config=CONFIG)
        + SearchVector("description", weight="D", config=CONFIG)
    )


def refresh_search(organisation_ids=None) -> None:
    """Recompute the search text of these organisations (all of them when None)."""
    organisations = Organisation.objects.all()
    if organisation_ids is not None:
        organisations = organisations.filter(pk__in=list(organisation_ids))
    organisations.update(search_vector=search_vector())


def on_profile_changed(sender, organisation, **kwargs) -> None:
    """organisations.signals.profile_changed: the name or description is part of the text."""
    refresh_search([organisation.pk])
