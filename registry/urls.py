from django.urls import path

from .views import concerns, organisations, pledges

app_name = "registry"

urlpatterns = [
    path("", pledges.home, name="home"),
    path("agreement/", pledges.agreement, name="agreement"),
    path("priorities/<slug:slug>/", pledges.priority, name="priority"),
    path("updates/", pledges.updates, name="updates"),
    path("updates/<int:pk>/", pledges.update, name="update"),
    path("updates/<int:pk>/concern/", concerns.update, name="update-concern"),
    path("concern-sent/", concerns.sent, name="concern-sent"),
    path("commitments/", organisations.directory, name="directory"),
    path("organisations/<slug:slug>/badge.svg", organisations.badge, name="badge"),
    path("organisations/<slug:slug>/certificate/", organisations.certificate, name="certificate"),
    path("organisations/<slug:slug>/concern/", concerns.organisation, name="concern"),
    path("organisations/<slug:slug>/", organisations.detail, name="detail"),
]
