"""The "Player and transcript" panel of the story editor (archive.editor_panels): each of
the story's recordings with the editor's player, its transcript's state, its sections, and
the actions an editor takes from there (run again, correct and redact in the transcript
editor, divide into sections)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from .models import Section, Status, Task, Transcript


@dataclass
class RecordingRow:
    recording: Any
    transcript: Transcript | None
    sections: list[Section]
    segments_url: str
    redactions_url: str


def context(story, request) -> dict:
    links = story.story_recordings.select_related("recording").order_by("sort_order")
    recordings = [link.recording for link in links if link.recording_id]
    transcripts = {
        t.recording_id: t
        for t in Transcript.objects.filter(recording__in=recordings, task=Task.TRANSCRIBE)
    }
    sections: dict[int, list[Section]] = {}
    for section in Section.objects.filter(recording__in=recordings):
        sections.setdefault(section.recording_id, []).append(section)
    by_story = f"?transcript__recording__story_links__story={story.pk}"
    rows = [
        RecordingRow(
            recording=recording,
            transcript=transcripts.get(recording.pk),
            sections=sections.get(recording.pk, []),
            segments_url=reverse("segments:index") + by_story,
            redactions_url=reverse("redactions:index") + by_story.replace("?", "?segment__"),
        )
        for recording in recordings
    ]
    return {"rows": rows, "done": Status.DONE, "queued": Status.QUEUED}
