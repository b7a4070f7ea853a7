from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("search/clips/", views.clip_search, name="clips"),
    path("search/clips/<int:passage_id>/<str:action>/", views.clip_basket, name="clip_basket"),
]
