from django.urls import path

from .views import reports as reports_views

app_name = "reuse"

urlpatterns: list = [
    # --- trainers
    # --- exports
    # --- reports
    path("reuse/reports/", reports_views.reports_page, name="reports"),
    path("reuse/reports/chart/<str:which>.svg", reports_views.chart, name="reports_chart"),
    path("reuse/reports/save/", reports_views.save_report, name="save_report"),
    path("reuse/reports/<int:pk>/", reports_views.saved_report, name="saved_report"),
    path("reuse/reports/<int:pk>/counts.csv", reports_views.report_csv, name="report_csv"),
    path("reuse/reports/<int:pk>/report.pdf", reports_views.report_pdf, name="report_pdf"),
    path("reuse/quotes/", reports_views.quote_finder, name="quotes"),
    path("reuse/quotes/add/", reports_views.add_quote, name="add_quote"),
]
