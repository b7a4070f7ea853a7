"""Content warnings (issue 15): the short list contributors and editors choose from, how a
story's warnings read on the public pages, and a visitor's choice to hide stories that
carry one (kept in a cookie, so it holds without an account)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest, HttpResponse

# (value, label, the story's field): the value is what forms and browse URLs carry.
KINDS = (
    ("racist-language", "Racist language", "warns_racist_language"),
    ("violence", "Violence", "warns_violence"),
    ("self-harm", "Self-harm", "warns_self_harm"),
)
OTHER = "other"
CHOICES = [(value, label) for value, label, _field in KINDS] + [(OTHER, "Something else")]
OTHER_MAX = 100

HIDE_COOKIE = "hide_warned"
HIDE_MAX_AGE = 365 * 24 * 3600


def warned() -> Q:
    """A condition on stories: carries any content warning."""
    condition = Q(warning_other__gt="")
    for _value, _label, name in KINDS:
        condition |= Q(**{name: True})
    return condition


def labels(story: Any) -> list[str]:
    """The story's warnings as the public reads them, in the list's order."""
    shown = [label.lower() for _value, label, name in KINDS if getattr(story, name)]
    if story.warning_other:
        shown.append(story.warning_other)
    return shown


def values(story: Any) -> list[str]:
    """The story's warnings as form values (the contribution form's, the browse filter's)."""
    chosen = [value for value, _label, name in KINDS if getattr(story, name)]
    return chosen + ([OTHER] if story.warning_other else [])


def apply(story: Any, chosen: list[str], other: str) -> None:
    """Set the story's warnings from form values and the words given for "other"."""
    for value, _label, name in KINDS:
        setattr(story, name, value in chosen)
    story.warning_other = other.strip() if OTHER in chosen else ""


def hidden_count(stories: QuerySet[Any], request: HttpRequest) -> tuple[QuerySet[Any], int]:
    """(the stories to list, how many were left out): those with a warning are left out
    when the visitor chose to hide them."""
    if not hides_warned(request):
        return stories, 0
    return stories.exclude(warned()), stories.filter(warned()).count()


def hides_warned(request: HttpRequest) -> bool:
    return request.COOKIES.get(HIDE_COOKIE) == "1"


def remember_choice(response: HttpResponse, hide: bool) -> None:
    if hide:
        response.set_cookie(
            HIDE_COOKIE,
            "1",
            max_age=HIDE_MAX_AGE,
            samesite="Lax",
            httponly=True,
            secure=settings.SESSION_COOKIE_SECURE,
        )
    else:
        response.delete_cookie(HIDE_COOKIE, samesite="Lax")
