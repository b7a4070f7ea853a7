from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from consent import gate
from files.serving import serve_file

from .models import Recording
from .public_files import public_file


@require_safe
def serve_recording(request, key, variant):
    """Stream a recording's web rendition, poster or (for editors) original."""
    recording = get_object_or_404(Recording, key=key)
    if variant == "stream":
        if not (gate.may(gate.Use.PLAY, recording, request.user) and recording.is_ready):
            raise Http404
        # Editors hear the original rendition; everyone else the one with redacted spans
        # silenced (None while it is being made, so nothing unredacted slips out).
        if _may_edit(request.user, recording):
            media = recording.rendition
        else:
            media = public_file(recording)
        if not media:
            raise Http404
        return serve_file(request, media, recording.rendition_mime)
    if variant == "poster":
        # A poster is a frame of the video (the teller's face): only where playing is allowed.
        if not (gate.may(gate.Use.PLAY, recording, request.user) and recording.thumbnail):
            raise Http404
        return serve_file(request, recording.thumbnail)
    if variant == "original":
        # The original keeps the upload's metadata (name, location, device, cover art); the
        # rendition and poster are made without any (archive.tasks): editors only.
        if not (_may_edit(request.user, recording) and recording.file):
            raise Http404
        return serve_file(request, recording.file, download_name=recording.file.name.split("/")[-1])
    raise Http404


def _may_edit(user, recording):
    return user.is_authenticated and user.has_perm("archive.change_recording")
