"""Captions and transcript downloads. Every response asks the consent gate (Use.SHOW:
the transcript is the contributor's words) and carries only the redacted text."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from archive.models import Recording
from consent import gate

from . import captions, sections
from .models import Status, Task, Transcript
from .outputs import render_public


def _public_transcript(request, key, task) -> Transcript:
    recording = get_object_or_404(Recording, key=key)
    if task not in Task.values or not gate.may(gate.Use.SHOW, recording, request.user):
        raise Http404
    return get_object_or_404(Transcript, recording=recording, task=task, status=Status.DONE)


@require_safe
def caption_track(request, key, task):
    transcript = _public_transcript(request, key, task)
    body = render_public(transcript, "vtt")
    response = HttpResponse(body, captions.CONTENT_TYPES["vtt"])
    response["Cache-Control"] = "private, no-cache"  # corrections and redactions apply at once
    return response


@require_safe
def download(request, key, task, fmt):
    if fmt not in captions.FORMATS:
        raise Http404
    transcript = _public_transcript(request, key, task)
    response = HttpResponse(render_public(transcript, fmt), captions.CONTENT_TYPES[fmt])
    name = "transcript" if task == Task.TRANSCRIBE else "translation"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "private, no-cache"
    return response


@require_safe
def chapter_track(request, key):
    """The recording's sections as a WebVTT chapters track, gated as the captions are."""
    recording = get_object_or_404(Recording, key=key)
    if not gate.may(gate.Use.SHOW, recording, request.user):
        raise Http404
    response = HttpResponse(sections.chapters_vtt(recording), captions.CONTENT_TYPES["vtt"])
    response["Cache-Control"] = "private, no-cache"  # section and redaction edits apply at once
    return response
