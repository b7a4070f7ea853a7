from django.urls import path

from . import views

app_name = "consent"

# Under the portal's address (archive.urls has /contribute/ and its receipt).
urlpatterns = [
    path("contribute/withdraw/<uuid:reference>/", views.withdraw, name="withdraw"),
    path("contribute/withdraw/<uuid:reference>/done/", views.withdrawn, name="withdrawn"),
    path("contribute/withdraw/<uuid:reference>/my-data/", views.export, name="export"),
]
