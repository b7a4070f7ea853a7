"""The strategy's taxonomy in the admin, as snippets grouped under one menu item; and what
every admin screen needs from the archive (a name for each listing's search landmark)."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Borough, Dimension, GlossaryTerm, Theme


class BoroughViewSet(SnippetViewSet):
    model = Borough
    icon = "site"
    menu_order = 100
    list_display = ["name", "slug"]
    search_fields = ["name"]


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_order = 200
    list_display = ["name", "kind", "sort_order"]
    list_filter = ["kind"]
    search_fields = ["name"]
    ordering = ["kind", "sort_order", "name"]


class DimensionViewSet(SnippetViewSet):
    model = Dimension
    icon = "list-ol"
    menu_order = 300
    list_display = ["name", "sort_order"]
    ordering = ["sort_order"]


class GlossaryTermViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "openquote"
    menu_order = 400
    menu_label = "Glossary"
    list_display = ["term", "slug"]
    search_fields = ["term", "definition"]


class StrategyTaxonomyGroup(SnippetViewSetGroup):
    menu_label = "Strategy taxonomy"
    menu_icon = "folder-open-inverse"
    menu_order = 250
    items = (BoroughViewSet, ThemeViewSet, DimensionViewSet, GlossaryTermViewSet)


register_snippet(StrategyTaxonomyGroup)


@hooks.register("insert_global_admin_js")
def name_listing_search():
    return format_html(
        '<script src="{}" defer></script>', static("archive/admin/search-landmark.js")
    )
