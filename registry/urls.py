from django.urls import path
from django.views.generic import RedirectView

from .views import concerns, network, organisations, pledges, stories

app_name = "registry"

urlpatterns = [
    path("", pledges.home, name="home"),
    path("agreement/", pledges.agreement, name="agreement"),
    path("priorities/<slug:slug>/", pledges.priority, name="priority"),
    path("updates/", pledges.updates, name="updates"),
    path("updates/<int:pk>/", pledges.update, name="update"),
    path("updates/<int:pk>/concern/", concerns.update, name="update-concern"),
    path("concern-sent/", concerns.sent, name="concern-sent"),
    path("kindness-seen/tell/", stories.tell, name="tell"),
    path("kindness-seen/where/", network.tell_where, name="tell-where"),
    path("places/", network.places, name="places"),
    path("kindness-seen/sent/", stories.sent, name="story-sent"),
    path("kindness-seen/confirm/<str:token>/", stories.confirm, name="story-confirm"),
    path("kindness-seen/withdraw/<str:token>/", stories.withdraw, name="story-withdraw"),
    path("kindness-seen/<int:pk>/", stories.story, name="story"),
    path("kindness-seen/<int:pk>/concern/", concerns.story, name="story-concern"),
    path("signatories/", organisations.signatories, name="signatories"),
    # The address before the glossary named the page; links to it keep working.
    path(
        "commitments/",
        RedirectView.as_view(
            pattern_name="registry:signatories", permanent=True, query_string=True
        ),
    ),
    path("organisations/<slug:slug>/badge.svg", organisations.badge, name="badge"),
    path("organisations/<slug:slug>/certificate/", organisations.certificate, name="certificate"),
    path("organisations/<slug:slug>/concern/", concerns.organisation, name="concern"),
    path("organisations/<slug:slug>/", organisations.detail, name="detail"),
]
