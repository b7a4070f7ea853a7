"""Template tags for the story page includes: caption tracks and the public transcript.
Both ask the consent gate and give only redacted text."""

from django import template
from django.urls import reverse
from django.utils.translation import get_language_info

from consent import gate

from .. import captions
from ..models import Task
from ..outputs import public_passages, public_transcripts
from ..sections import clock, public_sections

register = template.Library()


def language_name(code):
    try:
        return get_language_info(code)["name"]
    except KeyError:  # Whisper knows languages Django does not
        return code


def _shown(context, recording):
    request = context.get("request")
    user = getattr(request, "user", None)
    # Both includes ask for the same recording in one render: ask the gate once per
    # request (the answer is kept on the request, never across requests). bench/pages.py
    answers = request.__dict__.setdefault("_transcription_shown", {}) if request else {}
    key = (recording.pk, getattr(user, "pk", None))
    if key not in answers:
        answers[key] = gate.may(gate.Use.SHOW, recording, user)
    return answers[key]


@register.simple_tag(takes_context=True)
def caption_tracks(context, recording):
    """[{src, srclang, label, default}] for each finished transcript of the recording."""
    if not _shown(context, recording):
        return []
    tracks = []
    for transcript in public_transcripts(recording):
        translated = transcript.task == Task.TRANSLATE
        language = "en" if translated else (transcript.language or "en")
        label = "English (machine translation)" if translated else language_name(language)
        tracks.append(
            {
                "src": reverse("transcription:captions", args=[recording.key, transcript.task]),
                "srclang": language,
                "label": label,
                "default": not translated,  # captions on by default, for the audio player too
            }
        )
    return tracks


@register.simple_tag(takes_context=True)
def public_transcript(context, recording):
    """The redacted transcript, its passages and download links; None if not shown."""
    if not _shown(context, recording):
        return None
    transcript = public_transcripts(recording).filter(task=Task.TRANSCRIBE).first()
    if transcript is None:
        return None
    passages = public_passages(transcript)
    downloads = [
        (fmt.upper(), reverse("transcription:download", args=[recording.key, transcript.task, fmt]))
        for fmt in captions.FORMATS
    ]
    corrected = transcript.segments.filter(corrected=True).exists()
    return {
        "transcript": transcript,
        "passages": passages,
        "downloads": downloads,
        "corrected": corrected,
    }


@register.simple_tag(takes_context=True)
def recording_sections(context, recording):
    """The recording's sections as the public may see them (redacted), with the address of
    its chapters track; None if the words may not be shown or there are no sections."""
    if not _shown(context, recording):
        return None
    # The track and the table of contents ask in one render: read the sections once.
    request = context.get("request")
    kept = request.__dict__.setdefault("_transcription_sections", {}) if request else {}
    if recording.pk not in kept:
        kept[recording.pk] = public_sections(recording)
    if not kept[recording.pk]:
        return None
    src = reverse("transcription:chapters", args=[recording.key])
    return {"sections": kept[recording.pk], "src": src}


# 75.2 -> '1:15' (and '1:02:03' past the hour), as shown and as used in #t=.
register.filter("clock", clock)
