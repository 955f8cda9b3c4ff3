from django.urls import path, re_path

from core.public import cached_public_page

from . import feeds, views

app_name = "opendata"

urlpatterns = [
    path("data/", views.data, name="data"),
    path("data/api/", views.api_docs, name="api-docs"),
    re_path(
        r"^data/(?P<kind>organisations|updates|stories)\.(?P<file_format>csv|json)$",
        views.download,
        name="download",
    ),
    path("statistics/", views.statistics, name="statistics"),
    path("year/", views.year_latest, name="year-latest"),
    path("year/<int:year>/", views.year, name="year"),
    re_path(
        r"^year/(?P<year>[0-9]{4})\.(?P<file_format>csv|json)$",
        views.year_data,
        name="year-data",
    ),
    path("feeds/updates/", cached_public_page(feeds.UpdatesFeed()), name="feed"),
    path(
        "feeds/organisations/<slug:slug>/",
        cached_public_page(feeds.OrganisationUpdatesFeed()),
        name="organisation-feed",
    ),
    path("feeds/kindness-seen/", cached_public_page(feeds.StoriesFeed()), name="stories-feed"),
    path(
        "feeds/organisations/<slug:slug>/kindness-seen/",
        cached_public_page(feeds.OrganisationStoriesFeed()),
        name="organisation-stories-feed",
    ),
    path(
        "feeds/priorities/<slug:slug>/",
        cached_public_page(feeds.PriorityUpdatesFeed()),
        name="priority-feed",
    ),
]
