"""The waveform drawn beside the editor's audio player: peaks computed with ffmpeg from the
rendition (decoded to 2,000 samples a second, mono), kept in the cache per file."""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache

from archive import mediatools

if TYPE_CHECKING:
    from archive.models import Recording

BUCKETS = 480
HEIGHT = 60


def peaks(recording: Recording, buckets: int = BUCKETS) -> list[float]:
    """The loudest sample (0 to 1) in each of `buckets` equal slices; [] if none."""
    if not recording.rendition:
        return []
    key = f"transcription-waveform:{recording.rendition.name}:{buckets}"
    found = cache.get(key)
    if found is None:
        found = _measure(recording.rendition.path, buckets)
        cache.set(key, found, 24 * 3600)
    return found


def _measure(path: str, buckets: int) -> list[float]:
    args = ["ffmpeg", "-nostdin", "-v", "error", "-i", path, "-map", "0:a:0"]
    args += ["-ac", "1", "-ar", "2000", "-f", "s16le", "-"]
    done = mediatools.run(args, timeout=settings.MEDIA_RENDITION_TIMEOUT, label="waveform")
    samples = array("h")
    samples.frombytes(done.stdout[: len(done.stdout) // 2 * 2])
    if done.returncode != 0 or not samples:
        return []  # the editor still has the player; the drawing is a help
    size = max(1, len(samples) // buckets)
    return [
        round(max(abs(s) for s in samples[i : i + size]) / 32768, 3)
        for i in range(0, size * buckets, size)
        if samples[i : i + size]
    ]


def path(values: list[float]) -> str:
    """An SVG path of one vertical line per slice, centred on the middle of HEIGHT."""
    middle = HEIGHT / 2
    return " ".join(
        f"M{i + 0.5} {middle - max(v, 0.01) * middle:.1f}V{middle + max(v, 0.01) * middle:.1f}"
        for i, v in enumerate(values)
    )
