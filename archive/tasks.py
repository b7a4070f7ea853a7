"""Background work on recordings: the web rendition and its poster or waveform.

Video becomes H.264/AAC MP4 with the index at the front (+faststart), so a browser can
start playing and seek before the whole file arrives; audio becomes AAC in .m4a, which
every current browser plays. Each output is written to a temporary name and moved into
place, so a crash never leaves half a file where a player would find it. Running the
task again redoes the work and replaces the old outputs: it is safe to retry.

Nothing of the upload's metadata reaches the public (issue 10): every output maps only the
one sound and one picture stream (no cover art, subtitles, data or chapters), drops every
global and stream tag, and is written bit-exact, without the encoders' version tags. Sound is
brought to at most 48 kHz stereo before any filter, so a hostile sample rate cannot make
the waveform's memory grow; every ffmpeg run is bounded in memory and time
(archive.mediatools)."""

import logging
import os
import uuid
from pathlib import Path

import ffmpeg
from django.conf import settings
from django.db import transaction
from django_tasks import task

from . import mediatools
from .models import Recording, RenditionStatus
from .signals import rendition_finished

logger = logging.getLogger(__name__)

VIDEO_MAX_HEIGHT = 720
# A keyframe at least this often: players seek to it at once, and reuse cuts clips between
# keyframes without re-encoding (reuse.clipping), for a few per cent more bytes.
KEYFRAME_SECONDS = 2
WEB_SAMPLE_RATES = "48000|44100"  # the nearest is chosen: 96 kHz becomes 48 kHz
WEB_CHANNELS = "stereo|mono"
# showwavespic holds every sample until the end. A 1200-pixel picture needs few: at 8 kHz in
# large frames a three-hour recording peaks at about 230 MB (48 kHz: over 1 GB).
WAVEFORM_SAMPLE_RATE = 8000
WAVEFORM_FRAME_SAMPLES = 16384
WAVEFORM_SIZE = "1200x240"
WAVEFORM_COLOUR = "#1d70b8"
# No tags, chapters or encoder version tags (bitexact) in any output: only sound and pictures.
WITHOUT_METADATA = {
    "map_metadata": -1,
    "map_chapters": -1,
    "fflags": "+bitexact",
    "flags": "+bitexact",
}


class RenditionFailed(Exception):
    """ffmpeg could not make an output; the message is for editors."""


@task()
def make_rendition(recording_id, force=False):
    recording = Recording.objects.filter(pk=recording_id).first()
    if recording is None:
        return "gone"  # deleted (or withdrawn) before the worker reached it
    was_ready = recording.is_ready and _outputs_exist(recording)
    if was_ready and not force:
        _finished(recording, ok=True)
        return "ready"
    if not was_ready:
        _set_status(recording, RenditionStatus.PROCESSING)
    # A forced remake keeps the old rendition playable until the new one is in place.
    try:
        outputs = _render(recording)
        kept = _install(recording, outputs)
    except Exception as error:
        reason = str(error) if isinstance(error, RenditionFailed) else _GENERIC_FAILURE
        logger.exception("Rendition of recording %s failed", recording_id)
        _set_status(
            recording, RenditionStatus.READY if was_ready else RenditionStatus.FAILED, reason
        )
        _finished(recording, ok=False)
        raise
    if kept:
        _finished(recording, ok=True)
    return "ready"


def _finished(recording, ok):
    # Apps above archive follow renditions through this signal (transcription starts here).
    rendition_finished.send(sender=Recording, recording=recording, ok=ok)


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
    """Make the rendition and the picture under temporary names; return {field: paths}."""
    source = recording.file.path if recording.file else ""
    if not source or not os.path.exists(source):
        raise RenditionFailed("The original file is missing, so there is nothing to convert.")
    if recording.is_video:
        plan = {
            "rendition": (".mp4", "video/mp4", [_video_rendition]),
            # A still-picture film has one frame at the start: try there if not at 1 s.
            "thumbnail": (".jpg", None, [_poster, _first_frame_poster]),
        }
    else:
        plan = {
            "rendition": (".m4a", "audio/mp4", [_audio_rendition]),
            "thumbnail": (".png", None, [_waveform]),
        }
    outputs = {}
    try:
        for field, (suffix, _mime, builds) in plan.items():
            field_obj = recording._meta.get_field(field)
            final_name = field_obj.generate_filename(recording, field + suffix)
            final_path = Path(recording.file.storage.path(final_name))
            final_path.parent.mkdir(parents=True, exist_ok=True)
            temp_path = final_path.with_name(f".partial-{uuid.uuid4().hex}{suffix}")
            outputs[field] = (final_name, final_path, temp_path)
            _make(builds, source, temp_path, recording, field)
    except BaseException:
        for _name, _final, temp_path in outputs.values():
            temp_path.unlink(missing_ok=True)
        raise
    outputs["mime"] = plan["rendition"][1]
    return outputs


def _make(builds, source, temp_path, recording, field):
    """Run each way of making the output in turn until one leaves a file with something in
    it: ffmpeg can exit 0 having written nothing (a poster time after the only frame)."""
    for build in builds:
        _run(build(source, str(temp_path), recording), field)
        if temp_path.exists() and temp_path.stat().st_size > 0:
            return
    temp_path.unlink(missing_ok=True)
    raise RenditionFailed(
        f"The {_what(field)} could not be made: the original file has no "
        f"{'pictures' if field == 'thumbnail' and recording.is_video else 'sound or pictures'} "
        "ffmpeg could use. Check that it plays, then upload it again."
    )


def _what(field):
    return "web version" if field == "rendition" else "preview picture"


def _install(recording, outputs):
    """Move the finished files into place, point the recording at them, drop old ones;
    return whether the recording is still there.
    All or nothing: if any step fails, the files moved so far are removed again, so no file
    is left that the recording does not point at (a withdrawal would never find it)."""
    mime = outputs.pop("mime")
    moved = []
    try:
        for _name, final_path, temp_path in outputs.values():
            os.chmod(temp_path, 0o640)
            os.replace(temp_path, final_path)
            moved.append(final_path)
        new = {field: name for field, (name, _final, _temp) in outputs.items()}
        current = _point_at(recording, new, mime)
    except BaseException:
        for path in moved:
            path.unlink(missing_ok=True)
        for _name, _final, temp_path in outputs.values():
            temp_path.unlink(missing_ok=True)
        raise
    # Deleted while we worked (a withdrawal, say): keep nothing of it.
    unwanted = current.values() if current else new.values()
    storage = recording.file.storage
    for name in set(unwanted) - (set(new.values()) if current else set()):
        if name:
            storage.delete(name)
    recording.rendition.name, recording.thumbnail.name = new["rendition"], new["thumbnail"]
    recording.rendition_mime, recording.rendition_status = mime, RenditionStatus.READY
    return current is not None


def _point_at(recording, new, mime):
    """Point the row at the new files; return the names it pointed at before (None: the
    recording is gone)."""
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
    return current


def _run(stream, field):
    args = stream.global_args("-nostdin", "-v", "error", "-y").compile()
    done = mediatools.run(args, timeout=settings.MEDIA_RENDITION_TIMEOUT, label=field)
    if done.timed_out:
        raise RenditionFailed("Making the web version took too long and was stopped.")
    if done.returncode != 0:
        logger.error("ffmpeg failed for %s: %s", field, done.stderr.decode("utf-8", "replace"))
        raise RenditionFailed(
            f"The {_what(field)} could not be made: ffmpeg could not decode the original file. "
            "It may be damaged; try uploading it again."
        )


def _web_sound(src):
    return src["a:0"].filter("aformat", sample_rates=WEB_SAMPLE_RATES, channel_layouts=WEB_CHANNELS)


def _video_rendition(source, target, recording):
    src = ffmpeg.input(source)
    # V: the film's own pictures, never a cover image stored as a video stream.
    streams = [src["V:0"].filter("scale", -2, f"min({VIDEO_MAX_HEIGHT},ih)")]
    extra = {"an": None}
    if recording.audio_codec:
        streams.append(_web_sound(src))
        extra = {"c:a": "aac", "b:a": "128k"}
    return ffmpeg.output(
        *streams,
        target,
        f="mp4",
        vcodec="libx264",
        preset="veryfast",
        crf=23,
        pix_fmt="yuv420p",
        force_key_frames=f"expr:gte(t,n_forced*{KEYFRAME_SECONDS})",
        movflags="+faststart",
        **extra,
        **WITHOUT_METADATA,
    )


def _poster(source, target, recording, at=None):
    at = min(1.0, (recording.duration or 0) / 2) if at is None else at
    return (
        ffmpeg.input(source, ss=f"{at:.3f}")["V:0"]  # never 3.9e-05, which ffmpeg refuses
        .filter("scale", -2, f"min({VIDEO_MAX_HEIGHT},ih)")
        .output(target, vframes=1, f="image2", **{"q:v": 3}, **WITHOUT_METADATA)
    )


def _first_frame_poster(source, target, recording):
    return _poster(source, target, recording, at=0)


def _audio_rendition(source, target, recording):
    return _web_sound(ffmpeg.input(source)).output(
        target,
        f="mp4",
        acodec="aac",
        audio_bitrate="128k",
        movflags="+faststart",
        vn=None,
        **WITHOUT_METADATA,
    )


def _waveform(source, target, recording):
    return (
        ffmpeg.input(source)["a:0"]
        .filter("aformat", sample_rates=WAVEFORM_SAMPLE_RATE, channel_layouts="mono")
        .filter("asetnsamples", n=WAVEFORM_FRAME_SAMPLES, p=0)  # no padding
        .filter("showwavespic", s=WAVEFORM_SIZE, colors=WAVEFORM_COLOUR, scale="sqrt")
        .output(target, vframes=1, f="image2", **WITHOUT_METADATA)
    )
