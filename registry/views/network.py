"""The network's page: every place on the registry, with its figures side by side."""

from django.shortcuts import render
from django.utils import timezone

from core.public import cached_public_page
from pledges import stats


def quarter_start(now):
    local = timezone.localtime(now)
    month = 3 * ((local.month - 1) // 3) + 1
    return local.replace(month=month, day=1, hour=0, minute=0, second=0, microsecond=0)


@cached_public_page
def network(request):
    start = quarter_start(timezone.now())
    figures = stats.network_figures(start)
    empty = {"signed": 0, "updates": 0, "on_time": 0, "published": 0}
    rows = [(place, figures.get(place.pk, empty)) for place in request.places]
    return render(request, "registry/network.html", {"rows": rows, "quarter_start": start})
