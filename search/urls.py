from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "search"

urlpatterns = [
    path("search/", views.search, name="search"),
    # Trainers' clips moved to reuse (issue 12): old links and bookmarks land there.
    path(
        "search/clips/",
        RedirectView.as_view(pattern_name="reuse:clips", query_string=True),
        name="clips",
    ),
]
