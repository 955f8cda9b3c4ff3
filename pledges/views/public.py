from django.shortcuts import get_object_or_404, render

from ..models import Agreement, Commitment, Priority, ProgressUpdate


def priority(request, slug):
    """A priority of the current agreement, and the organisations committed to it."""
    agreement = get_object_or_404(Agreement, is_current=True)
    priority = get_object_or_404(Priority, agreement=agreement, slug=slug)
    commitments = (
        Commitment.objects.filter(priority=priority, pledge__status="published")
        .select_related("pledge__organisation")
        .order_by("pledge__organisation__name")[:50]
    )
    updates = (
        ProgressUpdate.objects.published()
        .filter(priorities=priority)
        .select_related("pledge__organisation")[:10]
    )
    return render(
        request,
        "pledges/priority.html",
        {"priority": priority, "commitments": commitments, "updates": updates},
    )


def update(request, pk):
    """One published progress update. Drafts and hidden updates are not found."""
    update = get_object_or_404(
        ProgressUpdate.objects.published().select_related("pledge__organisation"), pk=pk
    )
    return render(
        request,
        "pledges/update.html",
        {"update": update, "priorities": update.priorities.all()},
    )
