"""What moderators need to do, counted for the front page of the admin."""

from datetime import timedelta
from urllib.parse import urlencode

from django.db import models
from django.urls import reverse
from django.utils.translation import ngettext

from organisations import permissions
from organisations.models import Organisation
from pledges.models import Concern, Pledge, ProgressUpdate
from stories.models import Story, StoryConcern

FIRST_VISIT_LOOKBACK = timedelta(days=7)


def _changelist(model: str, app: str = "pledges", **filters) -> str:
    url = reverse(f"admin:{app}_{model}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def moderation_queue(*, now, last_visit, places=None) -> list[dict]:
    """Each kind of work waiting, with its count and the filtered list that shows it: in the
    moderator's places (`places`, ids), or everywhere for None. "New updates" are those since
    the moderator's last visit (a week, at the first)."""

    def mine(queryset, lookup):
        return permissions.within(queryset, lookup, places)

    since = last_visit or now - FIRST_VISIT_LOOKBACK
    submitted = mine(Pledge.objects.filter(status=Pledge.Status.SUBMITTED), "place")
    oldest = submitted.order_by("submitted_at").values_list("submitted_at", flat=True).first()
    waiting = submitted.count()
    new_updates = mine(
        ProgressUpdate.objects.published().filter(published_at__gt=since), "pledge__place"
    ).count()
    concerns = mine(Concern.objects.open(), "place").count()
    overdue = mine(
        Pledge.objects.with_reporting_status(Pledge.ReportingStatus.AWAITING), "place"
    ).count()
    unclaimed = Organisation.objects.unclaimed().count()
    return [
        *_stories(now, mine),
        {
            "key": "waiting",
            "count": waiting,
            "label": ngettext(
                "pledge waiting for a decision", "pledges waiting for a decision", waiting
            ),
            "detail": ngettext(
                "the oldest submitted %(days)d day ago",
                "the oldest submitted %(days)d days ago",
                (now - oldest).days,
            )
            % {"days": (now - oldest).days}
            if oldest
            else "",
            "url": _changelist("pledge", status__exact=Pledge.Status.SUBMITTED),
        },
        {
            "key": "concerns",
            "count": concerns,
            "label": ngettext("concern open", "concerns open", concerns),
            "detail": "",
            "url": _changelist("concern", status__exact=Concern.Status.OPEN),
        },
        {
            "key": "new_updates",
            "count": new_updates,
            "label": ngettext(
                "progress update posted since your last visit",
                "progress updates posted since your last visit",
                new_updates,
            ),
            "detail": "",
            "url": _changelist(
                "progressupdate",
                status__exact=ProgressUpdate.Status.PUBLISHED,
                published_at__gt=since.isoformat(),
            ),
        },
        {
            "key": "overdue",
            "count": overdue,
            "label": ngettext(
                "organisation awaiting a progress update",
                "organisations awaiting a progress update",
                overdue,
            ),
            "detail": "",
            "url": _changelist("pledge", reporting=Pledge.ReportingStatus.AWAITING),
        },
        {
            "key": "unclaimed",
            "count": unclaimed,
            "label": ngettext(
                "organisation nobody acts for yet (unclaimed)",
                "organisations nobody acts for yet (unclaimed)",
                unclaimed,
            ),
            "detail": "",
            "url": _changelist("organisation", app="organisations", claimed="no"),
        },
    ]


def _stories(now, mine) -> list[dict]:
    """Residents' stories waiting to be read (oldest first, those flagged as maybe naming a
    child or a family counted apart), and concerns about published ones."""
    waiting = mine(Story.objects.waiting(), "place")
    counts = waiting.aggregate(
        total=models.Count("pk"), flagged=models.Count("pk", filter=models.Q(flagged=True))
    )
    oldest = waiting.values_list("confirmed_at", flat=True).first()
    days = (now - oldest).days if oldest else 0
    flagged = counts["flagged"]
    concerns = mine(StoryConcern.objects.open(), "story__place").count()
    return [
        {
            "key": "stories",
            "count": counts["total"],
            "label": ngettext(
                "story of kindness seen waiting to be read",
                "stories of kindness seen waiting to be read",
                counts["total"],
            ),
            "detail": " ".join(
                part
                for part in [
                    ngettext(
                        "the oldest confirmed %(days)d day ago",
                        "the oldest confirmed %(days)d days ago",
                        days,
                    )
                    % {"days": days}
                    if oldest
                    else "",
                    ngettext(
                        "(%(count)d flagged: it may name a child or a family)",
                        "(%(count)d flagged: they may name a child or a family)",
                        flagged,
                    )
                    % {"count": flagged}
                    if flagged
                    else "",
                ]
                if part
            ),
            "url": _changelist("story", app="stories", status__exact=Story.Status.WAITING),
        },
        {
            "key": "story_concerns",
            "count": concerns,
            "label": ngettext(
                "concern about a story open", "concerns about stories open", concerns
            ),
            "detail": "",
            "url": _changelist(
                "storyconcern", app="stories", status__exact=StoryConcern.Status.OPEN
            ),
        },
    ]
