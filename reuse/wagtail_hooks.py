"""Reuse in the Wagtail admin: trainers' and report writers' dashboards and menu items."""

# --- reports

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from consent.gate import QUOTE_PERMISSION


class YourReportsPanel(Component):
    """A report writer's own reports, first on their dashboard."""

    name = "your_reports"
    template_name = "reuse/reports/dashboard_panel.html"
    order = 10  # before Wagtail's own panels (workflow 210 and up)

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        from .models import SavedReport

        return {"reports": SavedReport.objects.filter(owner=self.user)[:10]}


@hooks.register("construct_homepage_panels")
def add_your_reports_panel(request, panels):
    if request.user.has_perm(QUOTE_PERMISSION):
        panels.insert(0, YourReportsPanel(request.user))


class ReportWriterMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(QUOTE_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return ReportWriterMenuItem("Reports", reverse("reuse:reports"), icon_name="table", order=460)


@hooks.register("register_admin_menu_item")
def register_quotes_menu_item():
    return ReportWriterMenuItem(
        "Find quotes", reverse("reuse:quotes"), icon_name="openquote", order=461
    )
