import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.static import serve

from .middleware import plain_error
from .public import cached_public_page
from .schedule import job_statuses

RETRY_AFTER_SECONDS = 30


@cached_public_page
def page(request, template):
    """A static page: the template is fixed in urls.py, never taken from the request."""
    return render(request, template)


@cached_public_page
def privacy(request):
    """The privacy notice states the retention periods that `manage.py apply_retention` enforces."""
    return render(
        request,
        "core/privacy.html",
        {
            "unverified_days": settings.RETENTION_UNVERIFIED_ACCOUNT_DAYS,
            "inactive_years": round(settings.RETENTION_INACTIVE_ACCOUNT_DAYS / 365, 1),
            "signatory_years": round(settings.RETENTION_WITHDRAWN_SIGNATORY_DAYS / 365, 1),
            "unconfirmed_story_days": settings.RETENTION_UNCONFIRMED_STORY_DAYS,
            "story_email_days": settings.RETENTION_STORY_EMAIL_DAYS,
        },
    )


def report_concern(request):
    return render(request, "core/report_concern.html")


def robots(request):
    return render(request, "core/robots.txt", content_type="text/plain")


@never_cache
def healthz(request):
    """Liveness: the process answers. Never touches the database."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request):
    """Readiness: the database answers a query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means not ready
        return JsonResponse({"database": "unavailable"}, status=503)
    return JsonResponse({"database": "ok"})


@never_cache
def schedule_health(request):
    """For monitoring: 200 when every scheduled job has worked within its time, else 503 with
    the late ones, so that a deployment without its scheduler is noticed."""
    statuses = job_statuses()
    late = [status.job.name for status in statuses if status.is_late]
    body = {
        "late": late,
        "jobs": {
            status.job.name: status.last_ok.finished_at.isoformat() if status.last_ok else None
            for status in statuses
        },
    }
    return JsonResponse(body, status=503 if late else 200)


def media(request, path):
    """Serve uploads where no web server in front does (local work, `make serve`). A hidden
    photo is no longer in MEDIA_ROOT, so it is a 404 here as in front.

    MEDIA_ROOT is read per request because tests point it at a temporary folder.
    """
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def page_not_found(request, exception):
    """The 404 page, in the site's header and footer, with nothing that says the address is
    a page: no canonical link to it, and no menu item marked as where the person is (the
    address may have resolved to a view, such as an organisation's, that found nothing)."""
    context = {"canonical_url": None, "current_url_name": ""}
    return render(request, "404.html", context, status=404)


def server_error(request):
    """The 500 handler. A database that cannot be reached is a calm 503 that says to retry.

    Django calls this inside its exception handler, so the exception is still current.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = plain_error("503.html", 503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return plain_error("500.html", 500)
