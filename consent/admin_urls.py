from django.urls import path

from . import admin_views

app_name = "consent_admin"

urlpatterns = [
    path("", admin_views.register, name="register"),
    path("paper/", admin_views.paper_consent, name="paper"),
    path("<id:pk>/", admin_views.record, name="record"),
    path("<id:pk>/scanned-form/", admin_views.scanned_form, name="scanned_form"),
    path("<id:pk>/withdraw/", admin_views.withdraw, name="withdraw"),
]
