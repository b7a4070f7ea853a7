from django.urls import path

# --- exports
from .views import exports

app_name = "reuse"

urlpatterns: list = [
    # --- trainers
    # --- exports
    path("reuse/reels/<int:pk>/export/", exports.export_reel, name="export_reel"),
    path("reuse/exports/<int:pk>/", exports.export_page, name="export"),
    path(
        "reuse/exports/<int:pk>/download/<str:what>/",
        exports.export_download,
        name="export_download",
    ),
    # --- reports
]
