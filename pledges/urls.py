from django.urls import path

from .views import dashboard, signing

app_name = "pledges"

urlpatterns = [
    path("manage/<int:org_id>/", dashboard.dashboard, name="dashboard"),
    path("manage/<int:org_id>/sign/", signing.task_list, name="sign"),
    path("manage/<int:org_id>/sign/agreement/", signing.agreement, name="sign-agreement"),
    path("manage/<int:org_id>/sign/priorities/", signing.priorities, name="sign-priorities"),
    path("manage/<int:org_id>/sign/statement/", signing.statement, name="sign-statement"),
    path("manage/<int:org_id>/sign/signatory/", signing.signatory, name="sign-signatory"),
    path("manage/<int:org_id>/sign/check/", signing.check_answers, name="sign-check"),
    path("manage/<int:org_id>/sign/submitted/", signing.submitted, name="sign-submitted"),
    path(
        "manage/<int:org_id>/commitments/<int:commitment_id>/",
        dashboard.commitment_edit,
        name="commitment-edit",
    ),
    path("manage/<int:org_id>/area/", dashboard.area_edit, name="area-edit"),
    path("manage/<int:org_id>/updates/new/", dashboard.update_new, name="update-new"),
    path(
        "manage/<int:org_id>/updates/<int:update_id>/", dashboard.update_change, name="update-edit"
    ),
    path(
        "manage/<int:org_id>/updates/<int:update_id>/remove/",
        dashboard.update_remove,
        name="update-remove",
    ),
    path("manage/<int:org_id>/withdraw/", dashboard.withdraw, name="withdraw"),
    path("manage/<int:org_id>/confirm/", dashboard.confirm_accurate, name="confirm-accurate"),
]
