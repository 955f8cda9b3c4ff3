from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("accounts/your-data/", views.your_data, name="your-data"),
    path(
        "accounts/your-data/signatory/<int:pledge_id>/",
        views.hide_signatory,
        name="hide-signatory",
    ),
    path("accounts/close/", views.close_account, name="close-account"),
]
