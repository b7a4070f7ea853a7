"""UNTIL consent.gate.allows LANDS (issue 11): a stand-in for the preamble's gate interface, so
this branch runs before the consent helper's branch is merged. The lead deletes this module at
merge and search imports `allows` and `CLIP_PERMISSION` from consent.gate instead.

Once consent.gate has them, these names are consent.gate's own (the getattr below), so a
merge that keeps this file by mistake still asks the real gate."""

from __future__ import annotations

from typing import Any

from consent import gate

# The permission a trainer holds to clip stories for training.
CLIP_PERMISSION: str = getattr(gate, "CLIP_PERMISSION", "consent.clip_for_training")


class _RoleHolder:
    """Someone who holds exactly the role a use needs: neither a moderator nor the teller."""

    is_authenticated = True
    pk = None

    def __init__(self, permission: str) -> None:
        self.permission = permission

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return perm == self.permission


def _allows(use: str, story: Any, user: Any = None) -> bool:
    """The story-wide answer: with no user, for someone who holds the role the use needs."""
    needed = gate.ROLE_PERMISSION.get(gate.Use(use))
    if user is not None or needed is None:
        return bool(gate.may(use, story, user))
    return bool(gate.may(use, story, _RoleHolder(needed)))


allows = getattr(gate, "allows", _allows)
