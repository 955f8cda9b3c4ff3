from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path(
        "accessibility/", views.page, {"template": "core/accessibility.html"}, name="accessibility"
    ),
    path("privacy/", views.privacy, name="privacy"),
    path("cookies/", views.page, {"template": "core/cookies.html"}, name="cookies"),
    path("report-a-concern/", views.report_concern, name="report-concern"),
    path("robots.txt", views.robots, name="robots"),
]
