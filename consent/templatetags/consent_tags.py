"""Template helpers for showing a story the way its teller chose."""

from django import template

register = template.Library()


@register.simple_tag
def story_credit(story):
    """The teller's name as they chose to be named: full, first name, pseudonym, or
    "Anonymous". A story without a contributor on record is credited to nobody."""
    record = getattr(story, "consent", None)
    contributor = getattr(record, "contributor", None)
    return contributor.credit if contributor is not None else "Anonymous"


def _notified_object(context):
    """What a Wagtail notification is about: its page, object or revision's object."""
    revision = context.get("revision")
    return context.get("page") or context.get("object") or getattr(revision, "content_object", None)


@register.simple_tag(takes_context=True)
def neutral_reference(context, obj=None):
    """How notifications name a story: "Story 123", never its title (issue 10, point 4).
    Mail leaves the archive's reach, so a withdrawal could not take a title back."""
    obj = obj or _notified_object(context)
    if obj is None:
        return "An item"
    model = getattr(obj, "specific_class", None) or type(obj)
    kind = "story" if model.__name__ == "StoryPage" else str(model._meta.verbose_name)
    return f"{kind[:1].upper()}{kind[1:]} {obj.pk}"


@register.simple_tag(takes_context=True)
def neutral_admin_link(context, obj=None):
    """The full admin address of `obj` (by default what the notification is about), or of
    the account page for "account"."""
    from django.conf import settings
    from django.urls import reverse
    from wagtail.admin.admin_url_finder import AdminURLFinder
    from wagtail.models import Page

    obj = obj or _notified_object(context)
    if obj == "account":
        path = reverse("wagtailadmin_account")
    elif isinstance(obj, Page):
        path = reverse("wagtailadmin_pages:edit", args=[obj.pk])
    else:
        finder = AdminURLFinder(context.get("user"))
        path = (finder.get_edit_url(obj) if obj is not None else None) or reverse(
            "wagtailadmin_home"
        )
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
