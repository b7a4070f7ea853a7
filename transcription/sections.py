"""Sections of a recording, as OHMS indexes an interview: what editors enter (times as m:ss,
checked against the recording and each other) and what the public is given (the story's
table of contents, the WebVTT chapters track, and the words search finds a story by).

Titles and synopses are written by editors, but they may still name what a redaction hides:
every public form goes through the same hide() of redacted phrases as the transcript, and a
section lying wholly inside a redacted span shows only "[redacted]"."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from .captions import _stamp
from .models import Section, Segment, Status, timecode
from .redaction import REDACTED, Span, hide, redacted_phrases, redaction_spans

if TYPE_CHECKING:
    from archive.models import Recording, StoryPage

TIME = re.compile(r"^(?:(\d+):)?(\d{1,3}):(\d{1,2}(?:\.\d+)?)$")
TIME_HELP = "Minutes and seconds, like 4:05 or 4:05.5 (1:02:03 past the hour)"


def parse_time(text: str) -> float:
    """ "4:05" -> 245.0, "4:05.5" -> 245.5, "1:02:03" -> 3723.0; a plain error otherwise."""
    match = TIME.match((text or "").strip())
    if not match:
        raise ValidationError("Enter the time as minutes and seconds, like 4:05 or 4:05.5.")
    hours, minutes, seconds = match.groups()
    if float(seconds) >= 60 or (hours and int(minutes) >= 60):
        raise ValidationError("Seconds and minutes go up to 59, like 4:59.")
    return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)


def clock(seconds: float) -> str:
    """75.2 -> '1:15' (and '1:02:03' past the hour), as shown and as used in #t=."""
    total = int(seconds or 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def recording_length(recording: Recording) -> float:
    """The recording's length in seconds: as probed when it was accepted, or, if unknown, the
    end of its last transcribed words (0.0 when neither is known)."""
    if recording.duration:
        return float(recording.duration)
    last = (
        Segment.objects.filter(transcript__recording=recording, transcript__status=Status.DONE)
        .order_by("-end")
        .values_list("end", flat=True)
        .first()
    )
    return float(last or 0.0)


def check_start(recording: Recording, start: float, other_starts: Iterable[float]) -> None:
    """A section starts inside the recording, and not where another section starts."""
    length = recording_length(recording)
    if start < 0 or (length and start >= length):
        raise ValidationError(
            f"This time is outside the recording, which is {timecode(length)} long."
        )
    if any(abs(start - other) < 0.05 for other in other_starts):
        raise ValidationError(f"Another section already starts at {timecode(start)}.")


@dataclass
class PublicSection:
    start: float
    end: float
    title: str
    synopsis: str = ""
    keywords: list[str] = field(default_factory=list)
    themes: list = field(default_factory=list)
    dimensions: list = field(default_factory=list)
    snippet: str = ""  # set by search: the matching words marked

    @property
    def at(self) -> str:
        """m:ss, as shown and as used in the story page's #t= address."""
        return clock(self.start)

    @property
    def text(self) -> str:
        """What search reads of it (title, synopsis, keywords)."""
        return " ".join([self.title, self.synopsis, *self.keywords])


def public_sections(recording: Recording) -> list[PublicSection]:
    """The recording's sections as the public may see them, each with its end; redacted
    phrases hidden. The caller asks the consent gate (Use.SHOW) first."""
    sections = list(
        Section.objects.filter(recording=recording).prefetch_related("themes", "dimensions")
    )
    if not sections:
        return []
    length = recording_length(recording)
    spans, phrases = redaction_spans(recording), redacted_phrases(recording)
    shown = []
    for i, section in enumerate(sections):
        end = sections[i + 1].start if i + 1 < len(sections) else max(length, section.start)
        shown.append(_public(section, max(end, section.start + 0.1), spans, phrases))
    return shown


def _public(section: Section, end: float, spans: list[Span], phrases: list[str]) -> PublicSection:
    if any(s_start <= section.start and end <= s_end for s_start, s_end in spans):
        # Wholly inside a redacted span: whatever its words, they are about what was hidden.
        return PublicSection(section.start, end, REDACTED)
    return PublicSection(
        section.start,
        end,
        hide(section.title, phrases),
        hide(section.synopsis, phrases),
        [hide(k, phrases) for k in section.keyword_list],
        list(section.themes.all()),
        list(section.dimensions.all()),
    )


def chapters_vtt(recording: Recording) -> str:
    """A WebVTT chapters track: one cue per section, its title as the cue text."""
    cues = [
        f"{i}\n{_stamp(s.start)} --> {_stamp(s.end)}\n{_cue_text(s.title)}\n"
        for i, s in enumerate(public_sections(recording), 1)
    ]
    return "\n".join(["WEBVTT\n", *cues])


def _cue_text(text: str) -> str:
    # Cue text is markup and ends at a blank line; "-->" would start a cue timing.
    text = " ".join(text.split()).replace("-->", "->")
    return html.escape(text, quote=False)


def story_section_text(story: StoryPage) -> str:
    """The public words of every section of the story's recordings, for its search index
    entry (registered with archive.story_text, so archive never imports this app). The
    story's own index entry exists only while the gate allows it to be indexed."""
    from archive.models import Recording

    recordings = Recording.objects.filter(story_links__story=story, sections__isnull=False)
    return " ".join(s.text for r in recordings.distinct() for s in public_sections(r))


def sections_of_stories(
    story_ids: Iterable[int], recordings: Iterable[Recording]
) -> dict[int, list[PublicSection]]:
    """{story id: its sections} over the given recordings (already through the gate)."""
    wanted = set(story_ids)
    found: dict[int, list[PublicSection]] = {}
    for recording in recordings:
        sections = public_sections(recording)
        for link in recording.story_links.all():
            if link.story_id in wanted:
                found.setdefault(link.story_id, []).extend(sections)
    return found
