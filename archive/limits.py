"""How much work the public portal may put on the worker (issue 10, point 11).

Anyone can contribute without signing in, so three bounds keep one person (or a script)
from filling the queue: at most settings.CONTRIBUTION_MAX_FILES recordings a contribution;
the portal's rate limit a connection (CONSENT_CONTRIBUTE_RATE), so one address can queue at
most CONTRIBUTION_MAX_FILES times that many recordings an hour; and, overall, no new
anonymous contribution while settings.CONTRIBUTION_PENDING_LIMIT recordings from
contributors are still waiting for their web version or transcript, and, for each
contributor (a keyed hash of their address: never the address itself), no new
contribution while CONTRIBUTION_PENDING_PER_CONTRIBUTOR of their recordings still wait, so one
person cannot fill the shared queue and turn everyone else away. Editors' jobs also run first
(archive.priorities), so a full queue of contributions never holds them back."""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db.models import Q

from consent.ratelimits import client_ip

from .models import Recording, RenditionStatus

BUSY_MESSAGE = (
    "We're busy: a lot of stories have come in and we are still working through them. "
    "Please try again later. Everything you typed is still here, but choose your "
    "recordings again before you send."
)


YOUR_SHARE_MESSAGE = (
    "We are still working on the recordings you sent earlier. Please send this one once "
    "those are ready, in an hour or so. Everything you typed is still here, but choose your "
    "recordings again before you send."
)
# How long the portal remembers which recordings a contributor is waiting for.
REMEMBER_SECONDS = 24 * 60 * 60


class Busy(Exception):
    """Too much contributed work is waiting; `message` is for the contributor."""

    def __init__(self, message=BUSY_MESSAGE):
        super().__init__(message)
        self.message = message


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


def _waiting(recordings):
    """Those of `recordings` whose web version or transcript is still waiting or being made."""
    waiting = Q(rendition_status__in=[RenditionStatus.PENDING, RenditionStatus.PROCESSING])
    waiting |= Q(transcripts__status__in=["queued", "running"])
    return recordings.filter(waiting).distinct()


def pending_contributed_recordings() -> int:
    """Recordings uploaded without signing in that still wait for the worker: the
    contributors' share of its queue."""
    return _waiting(Recording.objects.filter(uploaded_by_user__isnull=True)).count()


def contributor_key(request) -> str:
    """Who is contributing, for their own share of the queue: a keyed hash of the client's
    address (from the trusted proxy's header), so the address itself is kept nowhere."""
    digest = hmac.new(settings.SECRET_KEY.encode(), client_ip(request).encode(), hashlib.sha256)
    return f"contribution-pending:{digest.hexdigest()[:32]}"


def _pending_of(key: str) -> list[int]:
    remembered = caches[settings.RATELIMIT_USE_CACHE].get(key, [])
    return list(_waiting(Recording.objects.filter(pk__in=remembered)).values_list("pk", flat=True))


def check_capacity(file_count: int, user=None, contributor_key: str = "") -> None:
    """Raise Busy if `file_count` more anonymous recordings would pass the contributor's own
    bound or the overall one. Signed-in users (editors using the portal for someone) are
    not held back."""
    if user is not None and user.is_authenticated:
        return
    mine = len(_pending_of(contributor_key)) if contributor_key else 0
    if mine + file_count > settings.CONTRIBUTION_PENDING_PER_CONTRIBUTOR:
        raise Busy(YOUR_SHARE_MESSAGE)
    if pending_contributed_recordings() + file_count > settings.CONTRIBUTION_PENDING_LIMIT:
        raise Busy()


def note_contribution(contributor_key: str, recordings) -> None:
    """Remember the contributor's new recordings (in the shared limits cache, for a day)."""
    if not contributor_key:
        return
    pending = _pending_of(contributor_key) + [recording.pk for recording in recordings]
    caches[settings.RATELIMIT_USE_CACHE].set(contributor_key, pending, timeout=REMEMBER_SECONDS)
