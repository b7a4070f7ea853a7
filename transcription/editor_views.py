"""The transcript editor in the Wagtail admin (issue 14): one screen per transcript with the
player beside the words. Thin views: the work is done by transcription.editing."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.auth import permission_required

from files.serving import serve_file

from . import editing, waveform
from .models import Redaction, Segment, Transcript, Word, timecode
from .redaction import redaction_spans

SPEAKERS = ["Interviewer", "Teller"]


def _editor_url(transcript_id: int, anchor: str = "") -> str:
    url = reverse("transcription_editor", args=[transcript_id])
    return f"{url}#{anchor}" if anchor else url


@permission_required("transcription.change_segment")
def editor(request, pk):
    transcript = get_object_or_404(Transcript.objects.select_related("recording"), pk=pk)
    segments = list(transcript.segments.order_by("start", "pk").prefetch_related("words"))
    named = {s.speaker for s in segments if s.speaker}
    redactions = Redaction.objects.filter(segment__transcript__recording=transcript.recording)
    context = {
        "transcript": transcript,
        "recording": transcript.recording,
        "rows": [(s, editing.changes(s)) for s in segments],
        "speakers": SPEAKERS + sorted(named - set(SPEAKERS)),
        "redactions": redactions.select_related("created_by").order_by("start"),
        "stories": transcript.recording.consent_stories,
        "redacted": editing.redacted_word_ids(transcript.pk, redaction_spans(transcript.recording)),
    }
    if not transcript.recording.is_video:
        values = waveform.peaks(transcript.recording)
        context["waveform"] = {"path": waveform.path(values), "width": len(values)}
    return TemplateResponse(request, "transcription/admin/editor.html", context)


@permission_required("transcription.change_segment")
def editor_media(request, pk):
    """The unredacted rendition, for editors only: the words they correct and redact."""
    transcript = get_object_or_404(Transcript.objects.select_related("recording"), pk=pk)
    recording = transcript.recording
    if not recording.rendition:
        raise Http404
    return serve_file(request, recording.rendition, recording.rendition_mime or None)


@require_POST
@permission_required("transcription.change_segment")
def save_segment(request, pk):
    """Save the segment's words and speaker; then split it or merge it if asked."""
    segment = get_object_or_404(Segment, pk=pk)
    text, speaker = request.POST.get("text", ""), request.POST.get("speaker", "").strip()
    action = request.POST.get("action", "save")
    anchor = f"segment-{segment.pk}"
    try:
        if not text.split():
            raise editing.EditRefused("A segment needs words: merge it with the next instead.")
        if " ".join(text.split()) != segment.text or speaker[:64] != segment.speaker:
            editing.correct(segment, request.user, text=text, speaker=speaker[:64])
            messages.success(request, f"Saved the segment at {timecode(segment.start)}.")
        if action == "split":
            caret = request.POST.get("caret", "")
            at_word = len(segment.text[: int(caret)].split()) if caret.isdigit() else 0
            second = editing.split(segment, at_word, request.user)
            messages.success(request, f"Split the segment at {timecode(second.start)}.")
        elif action == "merge":
            editing.merge_with_next(segment, request.user)
            messages.success(request, f"Merged the segment at {timecode(segment.start)}.")
    except editing.EditRefused as refusal:
        messages.error(request, str(refusal))
    return redirect(_editor_url(segment.transcript_id, anchor))


@require_POST
@permission_required("transcription.change_segment")
def undo_segment(request, pk):
    segment = get_object_or_404(Segment, pk=pk)
    try:
        editing.undo(segment, request.user)
        messages.success(request, f"Undid the last change at {timecode(segment.start)}.")
    except editing.EditRefused as refusal:
        messages.error(request, str(refusal))
    return redirect(_editor_url(segment.transcript_id, f"segment-{segment.pk}"))


@require_POST
@permission_required("transcription.add_redaction")
def redact_selection(request, pk):
    transcript = get_object_or_404(Transcript, pk=pk)
    words = Word.objects.filter(segment__transcript=transcript).select_related("segment")
    first = words.filter(pk=_id(request.POST.get("first"))).first()
    last = words.filter(pk=_id(request.POST.get("last"))).first()
    reason = request.POST.get("reason", "").strip()[:255]
    if first is None or last is None:
        messages.error(request, "Select the words to redact first.")
    elif not reason:
        messages.error(request, "Say why the words are redacted.")
    else:
        try:
            redaction = editing.redact_words(first, last, request.user, reason)
            messages.success(request, f"Redacted “{redaction.phrase}” at {redaction.when}.")
        except editing.EditRefused as refusal:
            messages.error(request, str(refusal))
    return redirect(_editor_url(transcript.pk, "redactions"))


@require_POST
@permission_required("transcription.delete_redaction")
def remove_redaction(request, pk):
    redaction = get_object_or_404(Redaction.objects.select_related("segment"), pk=pk)
    transcript_id, when = redaction.segment.transcript_id, redaction.when
    editing.remove_redaction(redaction)
    messages.success(request, f"Removed the redaction at {when}: the words are public again.")
    return redirect(_editor_url(transcript_id, "redactions"))


def _id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) <= 18 else None
