from django.urls import path, re_path

from . import feeds, views

app_name = "opendata"

urlpatterns = [
    path("data/", views.data, name="data"),
    path("data/api/", views.api_docs, name="api-docs"),
    re_path(
        r"^data/(?P<kind>organisations|updates)\.(?P<file_format>csv|json)$",
        views.download,
        name="download",
    ),
    path("statistics/", views.statistics, name="statistics"),
    path("feeds/updates/", feeds.UpdatesFeed(), name="feed"),
    path(
        "feeds/organisations/<slug:slug>/",
        feeds.OrganisationUpdatesFeed(),
        name="organisation-feed",
    ),
    path("feeds/priorities/<slug:slug>/", feeds.PriorityUpdatesFeed(), name="priority-feed"),
]
