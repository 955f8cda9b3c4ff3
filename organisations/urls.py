from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("manage/", views.home, name="home"),
    path("manage/register/", views.register, name="register"),
    path("manage/invitations/<str:token>/", views.invitation, name="invitation"),
    path("manage/<int:org_id>/profile/", views.edit, name="edit"),
    path("manage/<int:org_id>/members/", views.members, name="members"),
    path("manage/<int:org_id>/members/invite/", views.invite, name="invite"),
    path(
        "manage/<int:org_id>/members/<int:membership_id>/",
        views.member_change,
        name="member-change",
    ),
    path(
        "manage/<int:org_id>/join-requests/<int:request_id>/",
        views.join_request_decision,
        name="join-request-decision",
    ),
    path("organisations/<slug:slug>/join/", views.join, name="join"),
]
