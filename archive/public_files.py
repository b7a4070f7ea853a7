"""Which file of a recording the public is served.

Archive serves the web rendition. An app above archive that changes what the public may hear
(transcription silences redacted words) registers a chooser from its AppConfig.ready(), so
archive never imports it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db.models.fields.files import FieldFile

    from .models import Recording

Chooser = Callable[["Recording"], "FieldFile | None"]

_chooser: Chooser | None = None


def register_public_file(chooser: Chooser) -> Chooser:
    """Let `chooser(recording)` pick the public file; None from it means serve nothing yet.
    One chooser: registering again (ready() run twice) replaces it."""
    global _chooser
    _chooser = chooser
    return chooser


def public_file(recording: Recording) -> FieldFile | None:
    """The file the public may hear, or None when there is none to serve."""
    if _chooser is not None:
        return _chooser(recording)
    return recording.rendition or None
