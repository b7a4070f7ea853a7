from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("recordings/<uuid:key>/<str:variant>", views.serve_recording, name="recording"),
    path("contribute/", views.contribute, name="contribute"),
    path("content-warnings/", views.content_warnings_choice, name="content_warnings"),
    path("contribute/thanks/", views.contribute_thanks, name="contribute_thanks"),
]
