"""Reels: a trainer's ordered clips (each with a note) and discussion slides between them.

The owner edits a reel; trainers it is shared with may view and present it but not edit it
(a session's running order is the owner's, and a shared reel changing under its owner's
hands would surprise them). Every read asks the gate: a clip whose story may no longer be
clipped for training is never shown, to the owner, to a trainer it is shared with, or
through a share link."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Q, QuerySet

from consent import gate
from consent.gate import CLIP_PERMISSION, Use

from .clips import may_clip
from .models import Clip, Reel, ReelItem, ReelItemKind

MAX_TEXT = 2000


class ReelRefused(Exception):
    """The change cannot be made; the message is for the trainer."""


@dataclass
class Shown:
    """One place in a reel as shown: an item, and its clip when the gate allows it."""

    item: ReelItem
    number: int

    @property
    def is_slide(self) -> bool:
        return self.item.kind == ReelItemKind.SLIDE

    @property
    def clip(self) -> Clip | None:
        return self.item.clip


def visible_reels(user: Any) -> QuerySet[Reel]:
    """Reels the trainer owns or that were shared with them."""
    if not may_clip(user):
        return Reel.objects.none()
    return Reel.objects.filter(Q(owner=user) | Q(shared_with=user)).distinct()


def own_reels(user: Any) -> QuerySet[Reel]:
    return Reel.objects.filter(owner=user) if may_clip(user) else Reel.objects.none()


def reel_for(user: Any, pk: int) -> Reel | None:
    return visible_reels(user).select_related("owner").filter(pk=pk).first()


def may_edit(reel: Reel, user: Any) -> bool:
    return bool(reel.owner_id == user.pk and may_clip(user))


def create_reel(user: Any, title: str, description: str = "") -> Reel:
    title = title.strip()[:200]
    if not title:
        raise ReelRefused("Give the reel a title.")
    return Reel.objects.create(owner=user, title=title, description=description.strip())


def shown_items(reel: Reel, user: Any) -> list[Shown]:
    """The reel's slides and the clips the gate allows `user` (asked on every read)."""
    items = list(reel.items.select_related("clip", "clip__story", "clip__recording"))
    clip_ids = [item.clip_id for item in items if item.clip_id]
    allowed = set(
        gate.permitted(Use.CLIP, Clip.objects.filter(pk__in=clip_ids), user).values_list(
            "pk", flat=True
        )
    )
    kept = [i for i in items if i.kind == ReelItemKind.SLIDE or i.clip_id in allowed]
    return [Shown(item, number) for number, item in enumerate(kept, start=1)]


def allowed_clips_of(reel: Reel, user: Any) -> list[Clip]:
    return [shown.clip for shown in shown_items(reel, user) if shown.clip is not None]


def _next_position(reel: Reel) -> int:
    top = reel.items.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


def add_clip(reel: Reel, clip: Clip, user: Any, note: str = "") -> ReelItem:
    if not (clip.owner_id == user.pk and gate.may(Use.CLIP, clip, user)):
        raise ReelRefused("That clip can no longer be used for training.")
    return _add(reel, ReelItemKind.CLIP, clip=clip, text=note)


def add_slide(reel: Reel, text: str) -> ReelItem:
    if not text.strip():
        raise ReelRefused("Write the slide's question or text.")
    return _add(reel, ReelItemKind.SLIDE, text=text)


def _add(reel: Reel, kind: str, clip: Clip | None = None, text: str = "") -> ReelItem:
    item = ReelItem.objects.create(
        reel=reel,
        kind=kind,
        clip=clip,
        text=text.strip()[:MAX_TEXT],
        position=_next_position(reel),
    )
    _touch(reel)
    return item


def set_text(reel: Reel, item_id: int, text: str) -> None:
    item = _item(reel, item_id)
    if item.kind == ReelItemKind.SLIDE and not text.strip():
        raise ReelRefused("A slide needs some text. Remove it instead if it is not needed.")
    item.text = text.strip()[:MAX_TEXT]
    item.save(update_fields=["text"])
    _touch(reel)


def remove_item(reel: Reel, item_id: int) -> None:
    _item(reel, item_id).delete()
    _renumber(reel, [i.pk for i in reel.items.all()])


def move(reel: Reel, item_id: int, steps: int) -> int:
    """Move an item up (negative) or down; returns its new place (1-based)."""
    order = list(reel.items.values_list("pk", flat=True))
    if item_id not in order:
        raise ReelRefused("That item is no longer in the reel.")
    old = order.index(item_id)
    new = max(0, min(len(order) - 1, old + steps))
    order.insert(new, order.pop(old))
    _renumber(reel, order)
    return new + 1


def reorder(reel: Reel, item_ids: list[int]) -> None:
    """Put the items in the given order (drag and drop); items not named keep their
    relative order after those named, so a stale page loses nothing."""
    current = list(reel.items.values_list("pk", flat=True))
    named = [pk for pk in item_ids if pk in current]
    _renumber(reel, named + [pk for pk in current if pk not in named])


def _renumber(reel: Reel, order: list[int]) -> None:
    with transaction.atomic():
        for position, pk in enumerate(order):
            ReelItem.objects.filter(reel=reel, pk=pk).update(position=position)
    _touch(reel)


def _item(reel: Reel, item_id: int) -> ReelItem:
    item = reel.items.filter(pk=item_id).first()
    if item is None:
        raise ReelRefused("That item is no longer in the reel.")
    return item


def _touch(reel: Reel) -> None:
    reel.save(update_fields=["updated_at"])


def trainers_to_share_with(reel: Reel) -> QuerySet[Any]:
    """Other users who hold the trainers' permission (directly or through a group)."""
    app_label, codename = CLIP_PERMISSION.split(".")
    perm = Q(
        user_permissions__codename=codename, user_permissions__content_type__app_label=app_label
    )
    group = Q(groups__permissions__codename=codename)
    group &= Q(groups__permissions__content_type__app_label=app_label)
    users = (
        get_user_model().objects.filter(is_active=True).filter(perm | group | Q(is_superuser=True))
    )
    return users.exclude(pk=reel.owner_id).distinct().order_by("username")


def share_with(reel: Reel, user_id: int) -> Any:
    other = trainers_to_share_with(reel).filter(pk=user_id).first()
    if other is None or not may_clip(other):
        raise ReelRefused("Reels can be shared only with other trainers.")
    reel.shared_with.add(other)
    return other


def unshare(reel: Reel, user_id: int) -> None:
    reel.shared_with.remove(user_id)


def acknowledge_consent_change(reel: Reel) -> None:
    reel.changed_by_consent_at = None
    reel.consent_change_note = ""
    reel.save(update_fields=["changed_by_consent_at", "consent_change_note"])


def changed_reels(user: Any) -> QuerySet[Reel]:
    """The owner's reels that consent changed, until they acknowledge it."""
    return own_reels(user).filter(changed_by_consent_at__isnull=False)
