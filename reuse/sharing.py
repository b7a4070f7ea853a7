"""Share links: a reel for a session's participants, who need no account, until the link
expires or its trainer revokes it.

A link plays as the trainer who made it: every page and every play asks the gate again with
`link.created_by` (CLIP for the clip, PLAY for its media), so a consent withdrawn, lapsed or
narrowed after the link was made takes the clip out at once; a trainer who lost the role
takes all of them out."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models.fields.files import FieldFile
from django.utils import timezone

from consent import gate
from consent.gate import Use

from .clips import may_clip
from .models import Clip, JobStatus, Reel, ShareLink
from .reels import Shown, shown_items

# Expiry choices (hours, label) for a session: from an hour to a month.
EXPIRY_CHOICES = [
    (1, "1 hour"),
    (3, "3 hours"),
    (24, "1 day"),
    (24 * 7, "7 days"),
    (24 * 30, "30 days"),
]
EXPIRY_HOURS = {hours for hours, _ in EXPIRY_CHOICES}


class ShareRefused(Exception):
    """The link cannot be made; the message is for the trainer."""


def create_link(reel: Reel, user: Any, hours: int, label: str = "") -> ShareLink:
    if hours not in EXPIRY_HOURS:
        raise ShareRefused("Choose how long the link should work.")
    if not (reel.owner_id == user.pk and may_clip(user)):
        raise ShareRefused("Only the reel's owner can make share links.")
    return ShareLink.objects.create(
        reel=reel,
        created_by=user,
        label=label.strip()[:200],
        expires_at=timezone.now() + timedelta(hours=hours),
    )


def revoke(reel: Reel, link_id: int) -> None:
    ShareLink.objects.filter(reel=reel, pk=link_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def links_of(reel: Reel) -> list[ShareLink]:
    return list(reel.share_links.all())


def open_link(token: str) -> tuple[ShareLink | None, bool]:
    """(link, is_open): (None, False) for no such link; a closed link is said so."""
    link = ShareLink.objects.select_related("reel", "created_by").filter(token=token).first()
    if link is None:
        return None, False
    is_open: bool = link.is_open()  # type: ignore[no-untyped-call]  # the foundation's model
    return link, is_open and may_clip(link.created_by)


def shared_items(link: ShareLink) -> list[Shown]:
    """The reel as its participants see it: slides, and clips the gate allows the trainer
    who made the link to play."""
    trainer = link.created_by
    return [
        shown
        for shown in shown_items(link.reel, trainer)
        if shown.clip is None or gate.may(Use.PLAY, shown.clip, trainer)
    ]


def clip_file(link: ShareLink, clip_id: int, what: str) -> FieldFile | None:
    """The cut file ("media") or captions of one clip in the link's reel, asking the gate
    again as the link's trainer; None when anything refuses."""
    clip = Clip.objects.filter(pk=clip_id, reel_items__reel=link.reel).first()
    return playable_file(clip, link.created_by, what)


def playable_file(clip: Clip | None, user: Any, what: str) -> FieldFile | None:
    if clip is None or clip.status != JobStatus.DONE:
        return None
    if not (gate.may(Use.CLIP, clip, user) and gate.may(Use.PLAY, clip, user)):
        return None
    field_file = clip.captions if what == "captions" else clip.file
    return field_file if field_file and field_file.name else None
