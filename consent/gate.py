"""The consent gate: the one place that decides whether a story, a recording or a
passage may be used, for which use and by whom.

Every surface asks it: pages, media serving, search indexing and results, feeds,
sitemaps, admin listings for non-editors, clips, reels and reports. Three forms:

    may(use, target, user)          -> bool, for one object
    permitted(use, queryset, user)  -> the queryset narrowed to what may be used
    allows(use, story, user=None)   -> bool, the story-wide answer; with no user, for
                                       someone who holds the role the use needs

The gate knows no app. A thing that belongs to a story says how to reach it: instances
have `consent_stories` (the stories they belong to) and models `consent_story_path` (the
ORM path from the model to the story: "" for the story itself). Anything with a `story`
foreign key (a passage of a transcript, a clip) works through `story`. A thing may be
used exactly when one of its stories may; a thing on no story yet (an upload waiting
for moderation) only by moderators, to SHOW and PLAY it.

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

from __future__ import annotations

from datetime import date
from typing import Any, Protocol, TypeVar

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet

from .models import USE_FIELDS, ConsentRecord, ConsentStatus, ConsentUse, MediaMode


class Use(models.TextChoices):
    SHOW = "show", "Show on the public website"
    PLAY = "play", "Play the voice or face"
    INDEX = "index", "Put in a search index"
    CLIP = "clip", "Clip for training"
    QUOTE = "quote", "Quote in a report"
    EXPORT = "export", "Export"


MODERATE_PERMISSION = "consent.moderate_stories"
CLIP_PERMISSION = "consent.clip_for_training"
QUOTE_PERMISSION = "consent.quote_in_reports"
ROLE_PERMISSION = {Use.CLIP: CLIP_PERMISSION, Use.QUOTE: QUOTE_PERMISSION}
# Which use the contributor agreed to that each use of the gate needs (its field: USE_FIELDS).
GIVEN_AS = {
    Use.SHOW: ConsentUse.PUBLIC_WEBSITE,
    Use.INDEX: ConsentUse.PUBLIC_WEBSITE,
    Use.PLAY: ConsentUse.PUBLIC_WEBSITE,
    Use.CLIP: ConsentUse.TRAINING,
    Use.QUOTE: ConsentUse.REPORTS,
}
WITHDRAWN = ConsentStatus.WITHDRAWN.value
VOICE_AND_FACE = MediaMode.VOICE_AND_FACE.value

M = TypeVar("M", bound=models.Model)


class Person(Protocol):
    """Who asks: a signed-in user or Django's AnonymousUser."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...

    def has_perm(self, perm: str, obj: Any = ...) -> bool: ...


def _signed_in(user: Person | None) -> bool:
    return bool(user is not None and user.is_authenticated)


def _is_moderator(user: Person | None) -> bool:
    return user is not None and _signed_in(user) and user.has_perm(MODERATE_PERMISSION)


def _has_role(use: Use, user: Person | None) -> bool:
    needed = ROLE_PERMISSION.get(use)
    return needed is None or (user is not None and _signed_in(user) and user.has_perm(needed))


# --- one object -------------------------------------------------------------


def may(use: str, target: Any, user: Person | None = None) -> bool:
    """May `target` (a story, a thing with `consent_stories`, or anything with a `story`)
    be put to `use` for `user`?"""
    use = Use(use)
    stories = _stories_of(target)
    if not stories:
        # On no story yet: only people moderating uploads may see or hear it.
        return use in (Use.SHOW, Use.PLAY) and _is_moderator(user)
    return any(_may_story(use, story, user) for story in stories)


def allows(use: str, story: Any, user: Person | None = None) -> bool:
    """May `story` be put to `use`? With no user: for someone who holds the role the use
    needs (a trainer for CLIP, a report writer for QUOTE, anyone for SHOW), and who neither
    moderates nor told the story."""
    return _may_story(Use(use), story, user, role_held=user is None)


def _stories_of(target: Any) -> list[Any]:
    stories = getattr(target, "consent_stories", None)
    if stories is not None:
        return list(stories)
    if hasattr(target, "story"):
        return [] if target.story is None else [target.story]
    raise TypeError(f"The consent gate does not know {type(target).__name__}")


def _may_story(use: Use, story: Any, user: Person | None, role_held: bool = False) -> bool:
    record = _record_of(story)
    if record is None or record.status == WITHDRAWN:
        return False
    if use in (Use.SHOW, Use.PLAY) and (_is_moderator(user) or _is_contributor(record, user)):
        return True
    if use == Use.EXPORT:
        return _is_moderator(user) or _is_contributor(record, user)
    role = role_held or _has_role(use, user)
    if not (role and story.live and record.is_active()):
        return False
    if use == Use.PLAY and _plays_for_training(story, record, user):
        return True
    if record.archive_only or not record.gives(GIVEN_AS[use]):
        return False
    return use != Use.PLAY or record.media_mode == VOICE_AND_FACE


def _plays_for_training(story: Any, record: ConsentRecord, user: Person | None) -> bool:
    # Training is its own use: a story taken off the public website still plays in a
    # trainer's clip preview, if its teller allows training and voice (issue 10, point 5).
    return (
        record.media_mode == VOICE_AND_FACE
        and _has_role(Use.CLIP, user)
        and _may_story(Use.CLIP, story, user)
    )


def _record_of(story: Any) -> ConsentRecord | None:
    try:
        record: ConsentRecord = story.consent
    except ConsentRecord.DoesNotExist:
        return None
    return record


def _is_contributor(record: ConsentRecord, user: Person | None) -> bool:
    return (
        user is not None
        and _signed_in(user)
        and record.contributor_id is not None
        and record.contributor is not None
        and record.contributor.user_id == user.pk
    )


# --- querysets ----------------------------------------------------------------


def permitted(
    use: str, queryset: QuerySet[M], user: Person | None = None, *, role_held: bool = False
) -> QuerySet[M]:
    """Narrow a queryset of stories, of a model with `consent_story_path`, or of a model
    with a `story` foreign key, to what may be put to `use` for `user`. `role_held`: as for
    someone who holds the role the use needs (the queryset form of `allows`)."""
    use = Use(use)
    path = story_path(queryset.model)
    condition = story_condition(use, user, path, role_held=role_held)
    if not path:
        return queryset.filter(condition)
    if use in (Use.SHOW, Use.PLAY) and _is_moderator(user):
        # Things not yet on a story are there to be moderated.
        condition |= Q(**{path + "isnull": True})
    narrowed = queryset.filter(condition)
    # Through a to-many link (a recording on two stories) a row would come back twice.
    return narrowed.distinct() if _through_many(queryset.model, path) else narrowed


def story_path(model: type[models.Model]) -> str:
    """The ORM prefix from `model` to its story: its `consent_story_path`, or "story__"."""
    path = getattr(model, "consent_story_path", None)
    if isinstance(path, str):
        return path
    if _has_story_field(model):
        return "story__"
    raise TypeError(f"The consent gate does not know {model.__name__}")


def _through_many(model: type[models.Model], path: str) -> bool:
    for name in path.split("__")[:-1]:
        field = model._meta.get_field(name)
        if field.one_to_many or field.many_to_many:
            return True
        if not isinstance(field.related_model, type):
            return False
        model = field.related_model
    return False


def _has_story_field(model: type[models.Model]) -> bool:
    try:
        return bool(model._meta.get_field("story").is_relation)
    except FieldDoesNotExist:
        return False


def story_condition(
    use: str, user: Person | None = None, prefix: str = "", *, role_held: bool = False
) -> Q:
    """A Q over story fields (reached through `prefix`) matching stories that may be put
    to `use` for `user` (or, with `role_held`, for someone who holds the role the use
    needs). Search backends and other apps can combine it."""
    use = Use(use)
    p = prefix + "consent__"
    not_withdrawn = Q(**{p + "isnull": False}) & ~Q(**{p + "status": WITHDRAWN})
    own = Q(**{p + "contributor__user": user}) if _signed_in(user) else Q(pk__in=[])
    if use in (Use.SHOW, Use.PLAY) and _is_moderator(user):
        return not_withdrawn
    if use == Use.EXPORT:
        return not_withdrawn if _is_moderator(user) else (not_withdrawn & own)
    if not (role_held or _has_role(use, user)):
        return Q(pk__in=[])
    allowed = _in_force(use, p, prefix)
    if use == Use.PLAY:
        voice = Q(**{p + "media_mode": VOICE_AND_FACE})
        allowed &= voice
        if _has_role(Use.CLIP, user):  # see _plays_for_training
            allowed |= story_condition(Use.CLIP, user, prefix) & voice
    if use in (Use.SHOW, Use.PLAY):
        allowed |= not_withdrawn & own
    return allowed


def _in_force(use: Use, p: str, prefix: str) -> Q:
    """Live, consent active and not past its date, not archive only, and given for `use`."""
    allowed = Q(
        **{
            prefix + "live": True,
            p + "status": ConsentStatus.ACTIVE.value,
            p + "archive_only": False,
        }
    )
    allowed &= Q(**{p + USE_FIELDS[GIVEN_AS[use]]: True})
    not_expired = Q(**{p + "expires_on__isnull": True}) | Q(**{p + "expires_on__gt": date.today()})
    return allowed & not_expired
