from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("recordings/<uuid:key>/<str:variant>", views.serve_recording, name="recording"),
]
