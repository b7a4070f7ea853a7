"""A contribution through the public portal: accept each recording, make a draft story in
the workflow, and record the contributor's consent (consent.records), all or nothing."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction

from consent.models import ConsentRecord
from consent.records import User, contributor_from, record_consent

from . import limits, warnings
from .models import Recording, StoryIndexPage, StoryKind, StoryPage, StoryRecording
from .services import accept_recording


class AlreadySubmitted(Exception):
    """The same form was sent twice; `record` is the one the first submission made."""

    def __init__(self, record: ConsentRecord) -> None:
        super().__init__("already submitted")
        self.record = record


@dataclass
class Contribution:
    record: ConsentRecord
    code: str
    story: StoryPage
    recordings: list[Recording] = field(default_factory=list)


def contribute(
    data: Mapping[str, Any],
    files: Sequence[Any],
    *,
    token: Any,
    user: User | None = None,
    contributor_key: str = "",
) -> Contribution:
    """Take a contribution: accept each recording, make a draft story in the workflow,
    record consent. Raises RecordingRejected (nothing kept), AlreadySubmitted or
    limits.Busy (nothing kept). `contributor_key` is limits.contributor_key(request)."""
    existing = ConsentRecord.objects.filter(submission_token=token).first()
    if existing is not None:
        raise AlreadySubmitted(existing)
    limits.check_capacity(len(files), user, contributor_key)  # raises limits.Busy: nothing is kept
    recordings: list[Recording] = []
    try:
        for number, upload in enumerate(files, start=1):
            recordings.append(_accept(data, upload, number, len(files), user))
        with transaction.atomic():
            contributor = contributor_from(data, user)
            story = _draft_story(data, recordings)
            record, code = record_consent(
                story, data, contributor=contributor, submission_token=token
            )
    except IntegrityError:
        _discard(recordings)
        raise AlreadySubmitted(ConsentRecord.objects.get(submission_token=token)) from None
    except BaseException:
        _discard(recordings)  # a half-made contribution must leave nothing behind
        raise
    limits.note_contribution(contributor_key, recordings)
    _submit_for_review(story, user)
    return Contribution(record=record, code=code, story=story, recordings=recordings)


def _accept(
    data: Mapping[str, Any], upload: Any, number: int, count: int, user: User | None
) -> Recording:
    """One upload as a recording, titled after the story (numbered when there are several)."""
    title = data["title"] if count == 1 else f"{data['title']} ({number})"
    recording: Recording = accept_recording(
        upload, title=title, language=data["language"], user=user
    )
    return recording


def _discard(recordings: Sequence[Recording]) -> None:
    for recording in recordings:
        recording.delete_files()
        recording.delete()


def _draft_story(data: Mapping[str, Any], recordings: Sequence[Recording]) -> StoryPage:
    index = StoryIndexPage.objects.get(slug="stories")
    # A neutral slug: the address is in every access log, which a withdrawal cannot reach.
    slug = f"story-{secrets.token_hex(5)}"
    story = StoryPage(
        title=data["title"],
        slug=slug,
        kind=StoryKind.VOX_POP,
        summary=data["summary"],
        borough=data["borough"],
        language=data["language"],
        live=False,
    )
    warnings.apply(story, data.get("content_warnings", []), data.get("content_warning_other", ""))
    story.story_recordings = [StoryRecording(recording=rec) for rec in recordings]
    index.add_child(instance=story)
    story.save_revision(log_action=False)
    return story


def _submit_for_review(story: StoryPage, user: User | None) -> None:
    """Put the new draft into the story workflow (consent check, then editorial review)."""
    workflow = story.get_workflow()
    if workflow is not None:
        workflow.start(story, user if user is not None and user.is_authenticated else None)
