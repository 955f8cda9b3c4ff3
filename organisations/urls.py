from django.urls import path

from .views import public, staff

app_name = "organisations"

urlpatterns = [
    path("manage/", staff.home, name="home"),
    path("manage/register/", staff.register, name="register"),
    path("manage/invitations/<str:token>/", staff.invitation, name="invitation"),
    path("manage/<int:org_id>/profile/", staff.edit, name="edit"),
    path("manage/<int:org_id>/members/", staff.members, name="members"),
    path("manage/<int:org_id>/members/invite/", staff.invite, name="invite"),
    path(
        "manage/<int:org_id>/members/<int:membership_id>/",
        staff.member_change,
        name="member-change",
    ),
    path(
        "manage/<int:org_id>/join-requests/<int:request_id>/",
        staff.join_request_decision,
        name="join-request-decision",
    ),
    path("commitments/", public.directory, name="directory"),
    path("organisations/<slug:slug>/join/", staff.join, name="join"),
    path("organisations/<slug:slug>/badge.svg", public.badge, name="badge"),
    path("organisations/<slug:slug>/certificate/", public.certificate, name="certificate"),
    path("organisations/<slug:slug>/", public.detail, name="detail"),
]
