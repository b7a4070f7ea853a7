"""How much work the public portal may put on the worker (issue 10, point 11).

Anyone can contribute without signing in, so three bounds keep one person (or a script)
from filling the queue: at most settings.CONTRIBUTION_MAX_FILES recordings a contribution;
the portal's rate limit a connection (CONSENT_CONTRIBUTE_RATE), so one address can queue at
most CONTRIBUTION_MAX_FILES times that many recordings an hour; and, overall, no new
anonymous contribution while settings.CONTRIBUTION_PENDING_LIMIT recordings from
contributors are still waiting for their web version or transcript. Editors' jobs also
run first (archive.priorities), so a full queue of contributions never holds them back."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q

BUSY_MESSAGE = (
    "We're busy: a lot of stories have come in and we are still working through them. "
    "Please try again later. Everything you typed is still here, but choose your "
    "recordings again before you send."
)


class Busy(Exception):
    """Too much contributed work is waiting; `message` is for the contributor."""

    message = BUSY_MESSAGE


def max_files() -> int:
    return settings.CONTRIBUTION_MAX_FILES


def check_file_count(files) -> None:
    """Refuse a contribution with more recordings than one may hold."""
    limit = max_files()
    if len(files) > limit:
        raise ValidationError(
            f"You chose {len(files)} recordings. You can send up to {limit} at a time: "
            f"choose {limit} or fewer, and send the others as another story.",
            code="too_many_files",
        )


def pending_contributed_recordings() -> int:
    """Recordings uploaded without signing in whose web version or transcript is still
    waiting or being made: the contributors' share of the worker's queue."""
    from archive.models import Recording, RenditionStatus

    waiting = Q(rendition_status__in=[RenditionStatus.PENDING, RenditionStatus.PROCESSING])
    waiting |= Q(transcripts__status__in=["queued", "running"])
    anonymous = Recording.objects.filter(uploaded_by_user__isnull=True)
    return anonymous.filter(waiting).distinct().count()


def check_capacity(file_count: int, user=None) -> None:
    """Raise Busy if `file_count` more anonymous recordings would pass the overall bound.
    Signed-in users (editors using the portal for someone) are not held back."""
    if user is not None and user.is_authenticated:
        return
    if pending_contributed_recordings() + file_count > settings.CONTRIBUTION_PENDING_LIMIT:
        raise Busy()
