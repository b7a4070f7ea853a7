from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from consent.gate import MODERATE_PERMISSION

from . import admin_views


@hooks.register("register_admin_urls")
def register_suggestion_urls():
    return [
        path("label-suggestions/", admin_views.review, name="search_suggestions"),
        path(
            "label-suggestions/<id:pk>/<str:decision>/",
            admin_views.decide,
            name="search_suggestion_decide",
        ),
    ]


class EditorMenuItem(MenuItem):
    def is_shown(self, request):
        # Confirmed labels become public facets: only people who moderate stories decide.
        return request.user.has_perm(MODERATE_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_suggestion_menu_item():
    return EditorMenuItem(
        "Label suggestions", reverse("search_suggestions"), icon_name="tag", order=450
    )
