from django.urls import path

# --- exports
from .views import exports, trainers
from .views import reports as reports_views

app_name = "reuse"

urlpatterns: list = [
    # --- trainers
    path("reuse/clips/", trainers.clip_list, name="clips"),
    path("reuse/clips/<id:pk>/delete/", trainers.clip_delete, name="clip_delete"),
    path("reuse/clips/<id:pk>/to-reel/", trainers.clip_to_reel, name="clip_to_reel"),
    path(
        "reuse/clips/<id:pk>/<str:what>",
        trainers.clip_media,
        name="clip_media",
    ),
    path("reuse/stories/<id:story_id>/clip/", trainers.clip_maker, name="clip_maker"),
    path("reuse/stories/<id:story_id>/media", trainers.story_media, name="story_media"),
    path(
        "reuse/stories/<id:story_id>/captions.vtt",
        trainers.story_captions,
        name="story_captions",
    ),
    path("reuse/reels/", trainers.reel_list, name="reels"),
    path("reuse/reels/<id:pk>/", trainers.reel_detail, name="reel"),
    path("reuse/reels/<id:pk>/present/", trainers.presenter, name="presenter"),
    path("reuse/share/<str:token>/", trainers.share, name="share"),
    path(
        "reuse/share/<str:token>/clips/<id:clip_id>/media",
        trainers.share_media,
        name="share_media",
    ),
    path(
        "reuse/share/<str:token>/clips/<id:clip_id>/captions.vtt",
        trainers.share_captions,
        name="share_captions",
    ),
    # --- exports
    path("reuse/reels/<id:pk>/export/", exports.export_reel, name="export_reel"),
    path("reuse/exports/<id:pk>/", exports.export_page, name="export"),
    path(
        "reuse/exports/<id:pk>/download/<str:what>/",
        exports.export_download,
        name="export_download",
    ),
    # --- reports
    path("reuse/reports/", reports_views.reports_page, name="reports"),
    path("reuse/reports/chart/<str:which>.svg", reports_views.chart, name="reports_chart"),
    path("reuse/reports/save/", reports_views.save_report, name="save_report"),
    path("reuse/reports/<id:pk>/", reports_views.saved_report, name="saved_report"),
    path("reuse/reports/<id:pk>/counts.csv", reports_views.report_csv, name="report_csv"),
    path("reuse/reports/<id:pk>/report.pdf", reports_views.report_pdf, name="report_pdf"),
    path("reuse/quotes/", reports_views.quote_finder, name="quotes"),
    path("reuse/quotes/add/", reports_views.add_quote, name="add_quote"),
]
