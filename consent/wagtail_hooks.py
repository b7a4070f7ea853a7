"""Consent in the Wagtail admin: the register and its menu item, the publish guard, and
page listings narrowed by the gate for people who do not moderate stories."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import gate
from .records import story_model


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("consent/", include("consent.admin_urls"))]


class ConsentMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("consent.view_consentrecord")


@hooks.register("register_admin_menu_item")
def register_menu_item():
    url = reverse("consent_admin:register")
    return ConsentMenuItem("Consent", url, icon_name="lock", order=250)


def _refuse_publishing(request, page):
    story = page.specific
    if not isinstance(story, story_model()):
        return None
    record = getattr(story, "consent", None) if story.pk else None
    if record is not None and record.allows_publishing:
        return None
    # An editor must never publish further than the contributor agreed.
    messages.error(
        request,
        "This story cannot be published: its consent does not allow it "
        "(none recorded, archive only, expired or withdrawn). See the Consent panel.",
    )
    if story.pk:
        return redirect("wagtailadmin_pages:edit", story.pk)
    return redirect("wagtailadmin_explore", story.get_parent().pk)


@hooks.register("before_publish_page")
def refuse_publishing_beyond_consent(request, page):
    return _refuse_publishing(request, page)


@hooks.register("construct_explorer_page_queryset")
def narrow_listings_for_non_moderators(parent_page, pages, request):
    """Trainers and report writers may open the admin; they see only stories the gate
    lets them use, never drafts, withdrawn or archive-only stories."""
    stories = story_model()._default_manager.all()
    if request.user.has_perm(gate.MODERATE_PERMISSION):
        return pages
    allowed = set()
    for use in (gate.Use.SHOW, gate.Use.CLIP, gate.Use.QUOTE):
        allowed |= set(gate.permitted(use, stories, request.user).values_list("pk", flat=True))
    hidden = stories.exclude(pk__in=allowed).values_list("pk", flat=True)
    return pages.exclude(pk__in=hidden)
