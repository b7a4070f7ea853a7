"""Template tags for the story page includes: caption tracks and the public transcript.
Both ask the consent gate and give only redacted text."""

from django import template
from django.urls import reverse
from django.utils.html import format_html_join
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
        language, label = _language_and_label(transcript)
        tracks.append(
            {
                "src": reverse("transcription:captions", args=[recording.key, transcript.task]),
                "srclang": language,
                "label": label,
                # The original's captions are on by default, for the audio player too.
                "default": transcript.task != Task.TRANSLATE,
            }
        )
    return tracks


@register.simple_tag(takes_context=True)
def public_transcript(context, recording):
    """The redacted transcript, its passages and download links, and `versions`: the
    original and, when there is one, its English translation, for the language switch.
    None if not shown."""
    if not _shown(context, recording):
        return None
    transcripts = {t.task: t for t in public_transcripts(recording)}
    transcript = transcripts.get(Task.TRANSCRIBE)
    if transcript is None:
        return None
    translation = transcripts.get(Task.TRANSLATE)
    versions = [_version(t, recording) for t in (transcript, translation) if t]
    original = versions[0]
    return {
        "transcript": transcript,
        "passages": original["passages"],
        "downloads": original["downloads"],
        "corrected": transcript.segments.filter(corrected=True).exists(),
        "versions": versions,
        # A link to a moment is for anyone: only where the teller agreed to public display,
        # not where the viewer sees it by their role (an editor previewing a draft).
        "shareable": gate.may(gate.Use.SHOW, recording, None),
    }


def _language_and_label(transcript):
    if transcript.task == Task.TRANSLATE:
        return "en", "English (machine translation)"
    language = transcript.language or "en"
    return language, language_name(language)


def _version(transcript, recording):
    language, label = _language_and_label(transcript)
    args = (recording.key, transcript.task)
    return {
        "task": transcript.task,
        "language": language,
        "label": label,
        "passages": public_passages(transcript),
        "downloads": [
            (fmt.upper(), reverse("transcription:download", args=[*args, fmt]))
            for fmt in captions.FORMATS
        ],
    }


@register.filter
def timed_words(passage):
    """The passage's text as one <span> per word with its times, so the word being spoken
    can be highlighted and a selection of words becomes a moment; plain text when the
    words do not spell the text (a phrase hidden by its words)."""
    words = [(f"{start:.2f}", f"{end:.2f}", word.strip()) for start, end, word in passage.words]
    if not words or " ".join(w for *_, w in words).split() != passage.text.split():
        return passage.text
    return format_html_join(
        " ", '<span class="transcript__word" data-start="{}" data-end="{}">{}</span>', words
    )


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
