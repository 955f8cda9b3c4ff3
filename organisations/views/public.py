from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from pledges.models import Commitment, Pledge, ProgressUpdate

from ..models import Organisation


def detail(request, slug):
    """An organisation's public record: only published pledges and updates appear."""
    organisation = get_object_or_404(Organisation, slug=slug)
    pledge = (
        Pledge.objects.filter(
            organisation=organisation,
            status__in=[Pledge.Status.PUBLISHED, Pledge.Status.WITHDRAWN],
            published_at__isnull=False,
        )
        .select_related("agreement")
        .prefetch_related(
            Prefetch(
                "commitments",
                queryset=Commitment.objects.select_related("priority").order_by("priority__number"),
            )
        )
        .order_by("-published_at")
        .first()
    )
    if pledge is None:
        return render(
            request, "organisations/not_signed.html", {"organisation": organisation}, status=404
        )
    updates = (
        ProgressUpdate.objects.published()
        .filter(pledge__organisation=organisation)
        .prefetch_related("priorities")[:20]
        if pledge.status == Pledge.Status.PUBLISHED
        else []
    )
    return render(
        request,
        "organisations/detail.html",
        {"organisation": organisation, "pledge": pledge, "updates": updates},
    )
