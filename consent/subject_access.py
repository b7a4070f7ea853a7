"""Subject access: everything held about the person behind a consent record, as a zip of
data.json and their original recordings."""

from __future__ import annotations

import json
import tempfile
import zipfile
from typing import IO, Any

from django.utils import timezone

from .models import AuditEntry, ConsentRecord, Contributor
from .records import recordings_of


def subject_access_export(record: ConsentRecord) -> IO[bytes]:
    """Everything held about the person behind `record`, as a zip file (a temporary file
    object, rewound): data.json plus their original recordings."""
    contributor = record.contributor
    records = list(contributor.consents.all()) if contributor else [record]
    data = {
        "exported_at": timezone.now().isoformat(),
        "contributor": _contributor_data(contributor),
        "consent_records": [_record_data(item) for item in records],
    }
    bundle_file = tempfile.TemporaryFile()
    with zipfile.ZipFile(bundle_file, "w", zipfile.ZIP_DEFLATED) as bundle:
        for item in records:
            for recording in recordings_of(item):
                if recording.file and recording.file.storage.exists(recording.file.name):
                    name = f"recordings/{recording.key}{_suffix(recording.file.name)}"
                    bundle.write(recording.file.path, name)
        bundle.writestr("data.json", json.dumps(data, indent=2, default=str))
    bundle_file.seek(0)
    return bundle_file


def _suffix(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1] if "." in name else ""


def _contributor_data(contributor: Contributor | None) -> dict[str, Any] | None:
    if contributor is None:
        return None
    return {
        "naming": contributor.get_naming_display(),
        "full_name": contributor.full_name,
        "pseudonym": contributor.pseudonym,
        "email": contributor.email,
        "phone": contributor.phone,
        "wants_to_hear_back": contributor.wants_to_hear_back,
        "created_at": contributor.created_at,
    }


def _record_data(record: ConsentRecord) -> dict[str, Any]:
    return {
        "reference": str(record.reference),
        "status": record.get_status_display(),
        "uses": record.uses_label,
        "media": record.get_media_mode_display(),
        "expires_on": record.expires_on,
        "under_18": record.under_18,
        "guardian_name": record.guardian_name,
        "given_via": record.get_channel_display(),
        "given_at": record.given_at,
        "withdrawn_at": record.withdrawn_at,
        "form_version": record.form_version.version,
        "form_wording": record.form_version.wording,
        "story": _story_data(record),
        "history": [
            {"at": entry.at, "action": entry.action, "by": entry.actor_label}
            for entry in AuditEntry.objects.filter(consent_record_id_value=record.pk)
        ],
    }


def _story_data(record: ConsentRecord) -> dict[str, Any] | None:
    story: Any = record.story
    if story is None:
        return None
    return {
        "title": story.title,
        "summary": story.summary,
        "borough": str(story.borough),
        "language": story.language,
        "published": story.live,
        "recordings": [
            {"key": str(rec.key), "type": rec.type, "duration_seconds": rec.duration}
            for rec in recordings_of(record)
        ],
    }
