from django.urls import path  # noqa: F401 - each part of reuse adds its routes below

app_name = "reuse"

urlpatterns: list = [
    # --- trainers
    # --- exports
    # --- reports
]
