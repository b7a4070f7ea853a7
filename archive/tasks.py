"""Background work on recordings: the web rendition and its poster or waveform.

Video becomes H.264/AAC MP4 with the index at the front (+faststart), so a browser can
start playing and seek before the whole file arrives; audio becomes AAC in .m4a, which
every current browser plays. Each output is written to a temporary name and moved into
place, so a crash never leaves half a file where a player would find it. Running the
task again redoes the work and replaces the old outputs: it is safe to retry."""

import logging
import os
import subprocess
import uuid
from pathlib import Path

import ffmpeg
from django.db import transaction
from django_tasks import task

from .models import Recording, RenditionStatus

logger = logging.getLogger(__name__)

FFMPEG_TIMEOUT = 6 * 60 * 60  # a three-hour recording on a slow machine
VIDEO_MAX_HEIGHT = 720
WAVEFORM_SIZE = "1200x240"
WAVEFORM_COLOUR = "#1d70b8"


class RenditionFailed(Exception):
    """ffmpeg could not make an output; the message is for editors."""


@task()
def make_rendition(recording_id, force=False):
    recording = Recording.objects.filter(pk=recording_id).first()
    if recording is None:
        return "gone"  # deleted (or withdrawn) before the worker reached it
    was_ready = recording.is_ready and _outputs_exist(recording)
    if was_ready and not force:
        return "ready"
    if not was_ready:
        _set_status(recording, RenditionStatus.PROCESSING)
    # A forced remake keeps the old rendition playable until the new one is in place.
    try:
        outputs = _render(recording)
    except Exception as error:
        reason = str(error) if isinstance(error, RenditionFailed) else _GENERIC_FAILURE
        logger.exception("Rendition of recording %s failed", recording_id)
        _set_status(
            recording, RenditionStatus.READY if was_ready else RenditionStatus.FAILED, reason
        )
        raise
    _install(recording, outputs)
    return "ready"


_GENERIC_FAILURE = (
    "The web version could not be made because of an unexpected problem. "
    "Try again; if it fails again, ask a developer to look at the logs."
)


def _outputs_exist(recording):
    storage = recording.rendition.storage
    return storage.exists(recording.rendition.name) and (
        not recording.thumbnail or storage.exists(recording.thumbnail.name)
    )


def _set_status(recording, status, error=""):
    Recording.objects.filter(pk=recording.pk).update(rendition_status=status, rendition_error=error)
    recording.rendition_status, recording.rendition_error = status, error


def _render(recording):
    """Make the rendition and the picture under temporary names; return {field: path}."""
    source = recording.file.path if recording.file else ""
    if not source or not os.path.exists(source):
        raise RenditionFailed("The original file is missing, so there is nothing to convert.")
    if recording.is_video:
        plan = {
            "rendition": (".mp4", "video/mp4", _video_rendition),
            "thumbnail": (".jpg", None, _poster),
        }
    else:
        plan = {
            "rendition": (".m4a", "audio/mp4", _audio_rendition),
            "thumbnail": (".png", None, _waveform),
        }
    outputs = {}
    try:
        for field, (suffix, _mime, build) in plan.items():
            field_obj = recording._meta.get_field(field)
            final_name = field_obj.generate_filename(recording, field + suffix)
            final_path = Path(recording.file.storage.path(final_name))
            final_path.parent.mkdir(parents=True, exist_ok=True)
            temp_path = final_path.with_name(f".partial-{uuid.uuid4().hex}{suffix}")
            outputs[field] = (final_name, final_path, temp_path)
            _run(build(source, str(temp_path), recording), field)
    except BaseException:
        for _name, _final, temp_path in outputs.values():
            temp_path.unlink(missing_ok=True)
        raise
    outputs["mime"] = plan["rendition"][1]
    return outputs


def _install(recording, outputs):
    """Move the finished files into place, point the recording at them, drop old ones."""
    mime = outputs.pop("mime")
    for _name, final_path, temp_path in outputs.values():
        os.chmod(temp_path, 0o640)
        os.replace(temp_path, final_path)
    new = {field: name for field, (name, _final, _temp) in outputs.items()}
    with transaction.atomic():
        # Read what is current under a lock: another run may have installed files since.
        current = (
            Recording.objects.select_for_update()
            .filter(pk=recording.pk)
            .values("rendition", "thumbnail")
            .first()
        )
        if current:
            Recording.objects.filter(pk=recording.pk).update(
                **new,
                rendition_mime=mime,
                rendition_status=RenditionStatus.READY,
                rendition_error="",
            )
    # Deleted while we worked (a withdrawal, say): keep nothing of it.
    unwanted = current.values() if current else new.values()
    storage = recording.file.storage
    for name in set(unwanted) - (set(new.values()) if current else set()):
        if name:
            storage.delete(name)
    recording.rendition.name, recording.thumbnail.name = new["rendition"], new["thumbnail"]
    recording.rendition_mime, recording.rendition_status = mime, RenditionStatus.READY


def _run(stream, field):
    args = stream.global_args("-nostdin", "-v", "error", "-y").compile()
    try:
        done = subprocess.run(args, capture_output=True, timeout=FFMPEG_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise RenditionFailed("Making the web version took too long and was stopped.") from None
    if done.returncode != 0:
        logger.error("ffmpeg failed for %s: %s", field, done.stderr.decode("utf-8", "replace"))
        what = "web version" if field == "rendition" else "preview picture"
        raise RenditionFailed(
            f"The {what} could not be made: ffmpeg could not decode the original file. "
            "It may be damaged; try uploading it again."
        )


def _video_rendition(source, target, recording):
    src = ffmpeg.input(source)
    streams = [src["v:0"].filter("scale", -2, f"min({VIDEO_MAX_HEIGHT},ih)")]
    extra = {"an": None}
    if recording.audio_codec:
        streams.append(src["a:0"])
        extra = {"c:a": "aac", "b:a": "128k", "ac": 2}
    return ffmpeg.output(
        *streams,
        target,
        f="mp4",
        vcodec="libx264",
        preset="veryfast",
        crf=23,
        pix_fmt="yuv420p",
        movflags="+faststart",
        **extra,
    )


def _poster(source, target, recording):
    at = min(1.0, (recording.duration or 0) / 2)
    return (
        ffmpeg.input(source, ss=at)["v:0"]
        .filter("scale", -2, f"min({VIDEO_MAX_HEIGHT},ih)")
        .output(target, vframes=1, f="image2", **{"q:v": 3})
    )


def _audio_rendition(source, target, recording):
    return ffmpeg.input(source)["a:0"].output(
        target, f="mp4", acodec="aac", audio_bitrate="128k", movflags="+faststart", vn=None
    )


def _waveform(source, target, recording):
    return (
        ffmpeg.input(source)["a:0"]
        .filter("aformat", channel_layouts="mono")
        .filter("showwavespic", s=WAVEFORM_SIZE, colors=WAVEFORM_COLOUR, scale="sqrt")
        .output(target, vframes=1, f="image2")
    )
