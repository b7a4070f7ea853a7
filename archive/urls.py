from django.urls import path

from . import tus, views

app_name = "archive"

urlpatterns = [
    path("recordings/<uuid:key>/<str:variant>", views.serve_recording, name="recording"),
    path("contribute/", views.contribute, name="contribute"),
    path("contribute/uploads/", tus.uploads, name="staged_uploads"),
    path("contribute/uploads/<str:upload_id>", tus.upload, name="staged_upload"),
    path("content-warnings/", views.content_warnings_choice, name="content_warnings"),
    path("contribute/thanks/", views.contribute_thanks, name="contribute_thanks"),
]
