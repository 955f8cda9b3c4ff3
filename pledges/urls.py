from django.urls import path

from .views import public

app_name = "pledges"

urlpatterns = [
    path("priorities/<slug:slug>/", public.priority, name="priority"),
    path("updates/<int:pk>/", public.update, name="update"),
]
