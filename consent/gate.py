"""The consent gate: the one place that decides whether a story, a recording or a
passage may be used, for which use and by whom.

Every surface asks it: pages, media serving, search indexing and results, feeds,
sitemaps, admin listings for non-editors, clips, reels and reports. Two forms:

    may(use, target, user)          -> bool, for one object
    permitted(use, queryset, user)  -> the queryset narrowed to what may be used

Targets are StoryPage, Recording, or anything with a `story` attribute (a passage
of a transcript, a clip): such things may be used exactly when their story may.

The rules, per use (a story with no consent record is never used at all):
    SHOW, INDEX  consent to the public website, in force, and the page is live
    PLAY         as SHOW, or as CLIP for trainers (their clip previews), and the
                 contributor let their voice and face be played
    CLIP         consent to training, in force, live; for trainers (and editors)
    QUOTE        consent to reports, in force, live; for report writers (and editors)
    EXPORT       only the contributor themselves, and editors answering them
Editors and moderators may SHOW and PLAY any story that is not withdrawn, to moderate
it; that never widens what anyone else sees. The contributor (if they have an account)
may SHOW and PLAY their own story while it is not withdrawn."""

from datetime import date

from django.db import models
from django.db.models import Q


class Use(models.TextChoices):
    SHOW = "show", "Show on the public website"
    PLAY = "play", "Play the voice or face"
    INDEX = "index", "Put in a search index"
    CLIP = "clip", "Clip for training"
    QUOTE = "quote", "Quote in a report"
    EXPORT = "export", "Export"


MODERATE = "consent.moderate_stories"
ROLE_PERMISSION = {Use.CLIP: "consent.clip_for_training", Use.QUOTE: "consent.quote_in_reports"}
USE_FIELD = {
    Use.SHOW: "use_public_website",
    Use.INDEX: "use_public_website",
    Use.PLAY: "use_public_website",
    Use.CLIP: "use_training",
    Use.QUOTE: "use_reports",
}


def _signed_in(user):
    return bool(user is not None and user.is_authenticated)


def _is_moderator(user):
    return _signed_in(user) and user.has_perm(MODERATE)


def _has_role(use, user):
    needed = ROLE_PERMISSION.get(use)
    return needed is None or (_signed_in(user) and user.has_perm(needed))


# --- one object -------------------------------------------------------------


def may(use, target, user=None):
    """May `target` (a StoryPage, a Recording, or anything with a `story`) be put to
    `use` for `user`?"""
    from archive.models import Recording, StoryPage

    use = Use(use)
    if isinstance(target, StoryPage):
        return _may_story(use, target, user)
    if isinstance(target, Recording):
        stories = [link.story for link in target.story_links.select_related("story")]
        if not stories:
            # Not yet attached to a story: only people moderating uploads may hear it.
            return use in (Use.SHOW, Use.PLAY) and _is_moderator(user)
        return any(_may_story(use, story, user) for story in stories)
    if hasattr(target, "story"):
        story = target.story
        return story is not None and _may_story(use, story, user)
    raise TypeError(f"The consent gate does not know {type(target).__name__}")


def _may_story(use, story, user):
    record = _record_of(story)
    if record is None or record.status == "withdrawn":
        return False
    if use in (Use.SHOW, Use.PLAY) and (_is_moderator(user) or _is_contributor(record, user)):
        return True
    if use == Use.EXPORT:
        return _is_moderator(user) or _is_contributor(record, user)
    if not (_has_role(use, user) and story.live and record.is_active()):
        return False
    if use == Use.PLAY and _plays_for_training(story, record, user):
        return True
    if record.archive_only or not getattr(record, USE_FIELD[use]):
        return False
    return use != Use.PLAY or record.media_mode == "voice-and-face"


def _plays_for_training(story, record, user):
    # Training is its own use: a story taken off the public website still plays in a
    # trainer's clip preview, if its teller allows training and voice (issue 10, point 5).
    return (
        record.media_mode == "voice-and-face"
        and _has_role(Use.CLIP, user)
        and (_may_story(Use.CLIP, story, user))
    )


def _record_of(story):
    from .models import ConsentRecord

    try:
        return story.consent
    except ConsentRecord.DoesNotExist:
        return None


def _is_contributor(record, user):
    return (
        _signed_in(user)
        and record.contributor_id is not None
        and (record.contributor.user_id == user.pk)
    )


# --- querysets ----------------------------------------------------------------


def permitted(use, queryset, user=None):
    """Narrow a queryset of StoryPage, Recording, or a model with a `story` foreign key,
    to what may be put to `use` for `user`."""
    from archive.models import Recording, StoryPage

    use = Use(use)
    model = queryset.model
    if issubclass(model, StoryPage):
        return queryset.filter(story_condition(use, user))
    if issubclass(model, Recording):
        condition = story_condition(use, user, "story_links__story__")
        if use in (Use.SHOW, Use.PLAY) and _is_moderator(user):
            # Uploads not yet on a story are there to be moderated.
            condition |= Q(story_links__isnull=True)
        return queryset.filter(condition).distinct()
    if _has_story_field(model):
        return queryset.filter(story_condition(use, user, "story__"))
    raise TypeError(f"The consent gate does not know {model.__name__}")


def _has_story_field(model):
    try:
        return model._meta.get_field("story").is_relation
    except Exception:  # FieldDoesNotExist
        return False


def story_condition(use, user=None, prefix=""):
    """A Q over StoryPage fields (reached through `prefix`) matching stories that may be
    put to `use` for `user`. Search backends and other apps can combine it."""
    use = Use(use)
    p = prefix + "consent__"
    not_withdrawn = Q(**{p + "isnull": False}) & ~Q(**{p + "status": "withdrawn"})
    own = Q(**{p + "contributor__user": user}) if _signed_in(user) else Q(pk__in=[])
    if use in (Use.SHOW, Use.PLAY) and _is_moderator(user):
        return not_withdrawn
    if use == Use.EXPORT:
        return not_withdrawn if _is_moderator(user) else (not_withdrawn & own)
    if not _has_role(use, user):
        return Q(pk__in=[])
    allowed = Q(**{prefix + "live": True, p + "status": "active", p + "archive_only": False})
    allowed &= Q(**{p + USE_FIELD[use]: True})
    allowed &= Q(**{p + "expires_on__isnull": True}) | Q(**{p + "expires_on__gt": date.today()})
    if use == Use.PLAY:
        allowed &= Q(**{p + "media_mode": "voice-and-face"})
        if _has_role(Use.CLIP, user):  # see _plays_for_training
            allowed |= story_condition(Use.CLIP, user, prefix) & Q(
                **{p + "media_mode": "voice-and-face"}
            )
    if use in (Use.SHOW, Use.PLAY):
        allowed |= not_withdrawn & own
    return allowed
