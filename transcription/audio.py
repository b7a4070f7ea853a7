"""Decode any file ffmpeg reads to 16 kHz mono float32, in bounded chunks.

An hour of audio is 230 MB as float32 and faster-whisper computes features for the whole
array at once, so long recordings are streamed in chunks of CHUNK_SECONDS, each cut at the
quietest moment near its end so a word is not split between two chunks."""

from __future__ import annotations

import json
import shutil
import subprocess  # nosec B404: fixed argument lists, never a shell
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SAMPLE_RATE = 16_000
CHUNK_SECONDS = 600
SEARCH_SECONDS = 8  # look for a pause in the last few seconds of a chunk
WINDOW = SAMPLE_RATE // 10  # 100 ms
PROBE_TIMEOUT = 120


class AudioError(Exception):
    """ffmpeg could not read the file."""


@dataclass
class Chunk:
    offset: float  # seconds from the start of the file
    samples: np.ndarray


def _ffmpeg(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise AudioError(f"{name} is not installed; run `make install`")
    return path


def probe_duration(path: str | Path) -> float:
    """Duration in seconds according to ffprobe, or 0.0 when the container does not say."""
    args = [_ffmpeg("ffprobe"), "-v", "error", "-show_entries", "format=duration", "-of", "json"]
    result = subprocess.run(  # noqa: S603 (a fixed argument list, never a shell)
        _bounded([*args, str(path)]), capture_output=True, text=True, timeout=PROBE_TIMEOUT
    )
    if result.returncode != 0:
        raise AudioError(f"ffmpeg cannot read {path}: {result.stderr.strip()[-300:]}")
    try:
        return float(json.loads(result.stdout)["format"]["duration"])
    except (KeyError, ValueError):
        return 0.0


def _bounded(args: list[str]) -> list[str]:
    from archive import mediatools

    return mediatools.bounded(args)


def _quietest_cut(samples: np.ndarray) -> int:
    """Index of the quietest 100 ms window in the tail of `samples`."""
    tail_start = max(len(samples) // 2, len(samples) - SEARCH_SECONDS * SAMPLE_RATE)
    tail = samples[tail_start:]
    usable = len(tail) // WINDOW * WINDOW
    if usable == 0:
        return len(samples)
    energy = np.square(tail[:usable]).reshape(-1, WINDOW).mean(axis=1)
    return tail_start + int(np.argmin(energy)) * WINDOW + WINDOW // 2


def decode_chunks(path: str | Path, chunk_seconds: int | None = None) -> Iterator[Chunk]:
    """Yield the file as chunks of at most `chunk_seconds`, cut at pauses."""
    chunk_seconds = chunk_seconds or CHUNK_SECONDS
    if not Path(path).is_file():
        raise AudioError(f"No such file: {path}")
    args = [_ffmpeg("ffmpeg"), "-nostdin", "-v", "error", "-i", str(path), "-vn", "-ac", "1"]
    args += ["-ar", str(SAMPLE_RATE), "-f", "f32le", "-"]
    # Under the media memory limit, as every ffmpeg run on an upload (issue 10).
    proc = subprocess.Popen(  # noqa: S603 (a fixed argument list, never a shell)
        _bounded(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None  # noqa: S101  (for the type checker)
    chunk_bytes = chunk_seconds * SAMPLE_RATE * 4
    carry, offset, yielded = np.zeros(0, dtype=np.float32), 0.0, False
    try:
        while data := proc.stdout.read(chunk_bytes - len(carry) * 4):
            samples = np.concatenate([carry, np.frombuffer(data[: len(data) // 4 * 4], np.float32)])
            cut = _quietest_cut(samples) if len(samples) * 4 >= chunk_bytes else len(samples)
            yield Chunk(offset, samples[:cut])
            offset, carry, yielded = offset + cut / SAMPLE_RATE, samples[cut:].copy(), True
        if len(carry):
            yield Chunk(offset, carry)
    finally:
        if proc.poll() is None:
            proc.kill()  # the caller stopped early
        stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        proc.wait()
    if proc.returncode != 0 and not yielded:
        raise AudioError(f"ffmpeg cannot read {path}: {stderr.strip()[-300:]}")
