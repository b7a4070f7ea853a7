from django.urls import path

from . import views

app_name = "transcription"

urlpatterns = [
    path("recordings/<uuid:key>/captions/<str:task>.vtt", views.caption_track, name="captions"),
    path("recordings/<uuid:key>/sections/chapters.vtt", views.chapter_track, name="chapters"),
    path("recordings/<uuid:key>/transcript/<str:task>.<str:fmt>", views.download, name="download"),
]
