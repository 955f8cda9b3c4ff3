from django.urls import path

from .views import public

app_name = "organisations"

urlpatterns = [
    path("<slug:slug>/", public.detail, name="detail"),
]
