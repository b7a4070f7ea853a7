from django.urls import path

from . import views

app_name = "consent"

urlpatterns = [
    path("contribute/", views.contribute, name="contribute"),
    path("contribute/thanks/", views.receipt, name="receipt"),
    path("contribute/withdraw/<uuid:reference>/", views.withdraw, name="withdraw"),
    path("contribute/withdraw/<uuid:reference>/done/", views.withdrawn, name="withdrawn"),
    path("contribute/withdraw/<uuid:reference>/my-data/", views.export, name="export"),
]
