"""The consent gate: the one place that decides whether a story, a recording or a
passage may be used, for which use and by whom.

Every surface asks it: pages, media serving, search indexing and results, feeds,
sitemaps, admin listings for non-editors, clips, reels and reports. Two forms:

    may(use, target, user)          -> bool, for one object
    permitted(use, queryset, user)  -> the queryset narrowed to what may be used
"""

from django.db import models


class Use(models.TextChoices):
    SHOW = "show", "Show on the public website"
    PLAY = "play", "Play the voice or face"
    INDEX = "index", "Put in a search index"
    CLIP = "clip", "Clip for training"
    QUOTE = "quote", "Quote in a report"
    EXPORT = "export", "Export"


def _is_editor(user):
    return bool(user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))


def may(use, target, user=None):
    """May `target` (a StoryPage, a Recording) be put to `use` for `user`?"""
    from archive.models import Recording, StoryPage

    if isinstance(target, Recording):
        stories = [link.story for link in target.story_links.select_related("story")]
        if _is_editor(user):
            return True
        return any(may(use, story, user) for story in stories)
    if isinstance(target, StoryPage):
        if _is_editor(user) and use in (Use.SHOW, Use.PLAY):
            return True
        return target.live
    raise TypeError(f"The consent gate does not know {type(target).__name__}")


def permitted(use, queryset, user=None):
    """Narrow a queryset of StoryPage or Recording to what may be put to `use`."""
    from archive.models import Recording, StoryPage

    if queryset.model is StoryPage:
        return queryset.filter(live=True)
    if queryset.model is Recording:
        if _is_editor(user):
            return queryset
        return queryset.filter(story_links__story__live=True).distinct()
    raise TypeError(f"The consent gate does not know {queryset.model.__name__}")
