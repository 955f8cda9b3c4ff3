from django.urls import path

from . import views

app_name = "stories"

urlpatterns = [
    path("manage/<int:org_id>/kindness-seen/", views.stories, name="list"),
    path("manage/<int:org_id>/kindness-seen/<int:story_id>/reply/", views.reply, name="reply"),
]
