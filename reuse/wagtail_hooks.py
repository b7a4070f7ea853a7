"""Reuse in the Wagtail admin: trainers' and report writers' dashboards and menu items.
Each sees their own reels or reports first on the dashboard."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from consent.gate import QUOTE_PERMISSION

from . import reels as trainer_reels
from .clips import may_clip

# --- trainers


class TrainerMenuItem(MenuItem):
    def is_shown(self, request):
        return may_clip(request.user)


class YourReelsPanel(Component):
    """A trainer's dashboard starts with their reels (and any consent changes to them)."""

    name = "your_reels"
    template_name = "reuse/trainers/dashboard_panel.html"
    order = 1  # before Wagtail's own panels (100 and up)

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        context = super().get_context_data(parent_context)
        context.update(
            {
                "reels": trainer_reels.visible_reels(request.user).select_related("owner")[:10],
                "changed": trainer_reels.changed_reels(request.user),
                "request": request,
            }
        )
        return context


@hooks.register("construct_homepage_panels")
def add_your_reels_panel(request, panels):
    if may_clip(request.user):
        panels.append(YourReelsPanel())


@hooks.register("register_admin_menu_item")
def register_find_clips_menu_item():
    return TrainerMenuItem("Find clips", reverse("reuse:clips"), icon_name="media", order=150)


@hooks.register("register_admin_menu_item")
def register_reels_menu_item():
    return TrainerMenuItem("Reels", reverse("reuse:reels"), icon_name="list-ol", order=151)


# --- reports


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
