from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from accounts import views as accounts_views
from core import views as core_views
from opendata import views as opendata_views
from opendata.api import api
from opendata.sitemaps import SITEMAPS

handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("healthz/schedule", core_views.schedule_health, name="schedule-health"),
    # The admin signs in through the site's login, which is throttled and asks for 2FA.
    path("admin/login/", accounts_views.admin_login),
    path("admin/", admin.site.urls),
    path("", include("privacy.urls")),
    path("accounts/", include("allauth.urls")),
    path(
        "api/v1/docs",
        RedirectView.as_view(pattern_name="opendata:api-docs", permanent=True),
    ),
    re_path(r"^api/v1/(?P<rest>[^?]+)/$", opendata_views.api_without_slash),
    path("api/v1/", api.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("", include("opendata.urls")),
    path("", include("organisations.urls")),
    path("", include("pledges.urls")),
    path("", include("stories.urls")),
    path("", include("registry.urls")),
    path("", include("core.urls")),
]

# Uploads: Django serves them locally and under `make serve`; elsewhere the web server in front.
if settings.SERVE_MEDIA:
    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", core_views.media))
