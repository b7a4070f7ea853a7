"""Real speech for transcription tests: espeak-ng says known sentences, ffmpeg wraps them
in whatever container a test needs. Files are cached for the session.

Tests marked `openai` need the openai extra; they are deselected from the plain suite and
run by scripts/test.d/40-openai-whisper.sh, which installs the extra first."""

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.conftest import require_part

_cache = Path(tempfile.mkdtemp(prefix="transcription-speech-"))

# Chosen because espeak-ng's American voice says them clearly enough for tiny.en and base.
SENTENCES = [
    "My family moved to Liverpool when I was seven years old.",
    "People describe what happened to them and how it changed their lives.",
    "We want every school to teach the history of the city.",
]


def pytest_collection_modifyitems(config, items):
    if os.environ.get("TRANSCRIPTION_OPENAI_STAGE") == "1":
        return
    kept = [item for item in items if "openai" not in item.keywords]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if "openai" in i.keywords])
        items[:] = kept


def speech(text, *, voice="en-us", suffix=".wav", gap=0.0, video=False, speed=140):
    """A file of espeak-ng saying `text` (a list: sentences with `gap` seconds between)."""
    require_part(shutil.which("espeak-ng"), "espeak-ng")
    require_part(shutil.which("ffmpeg"), "ffmpeg")
    parts = [text] if isinstance(text, str) else list(text)
    name = re.sub(r"\W+", "-", f"{voice}-{speed}-{gap}-{video}-{' '.join(parts)}")[:120] + suffix
    path = _cache / name
    if path.exists():
        return path
    wavs = []
    for i, part in enumerate(parts):
        wav = _cache / f"part-{abs(hash((voice, speed, part)))}-{i}.wav"
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(wav), part], check=True
        )
        wavs.append(wav)
    _join(wavs, path, gap, video)
    return path


def _join(wavs, path, gap, video):
    inputs, labels = [], []
    for i, wav in enumerate(wavs):
        inputs += ["-i", str(wav)]
        labels.append(f"[{i}:a]apad=pad_dur={gap}[a{i}];" if gap else f"[{i}:a]anull[a{i}];")
    chain = "".join(labels) + "".join(f"[a{i}]" for i in range(len(wavs)))
    chain += f"concat=n={len(wavs)}:v=0:a=1[out]"
    args = ["ffmpeg", "-nostdin", "-v", "error", "-y", *inputs]
    if video:
        args += ["-f", "lavfi", "-i", "testsrc=size=320x240:rate=25"]
    args += ["-filter_complex", chain, "-map", "[out]"]
    if video:
        args += [
            "-map",
            f"{len(wavs)}:v",
            "-shortest",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
        ]
    subprocess.run([*args, str(path)], check=True)


@pytest.fixture
def whisper_models():
    from transcription import modelstore

    for name in modelstore.MODELS:
        try:
            modelstore.verify(name)
        except modelstore.ModelError as error:
            require_part(False, f"Whisper {name} ({error})")


@pytest.fixture
def fast_engine(settings, whisper_models):
    """The default engine on tiny.en: the same code path, a quarter of the time."""
    settings.TRANSCRIPTION_ENGINES = {
        "default": {
            "ENGINE": "transcription.engines.faster.FasterWhisperEngine",
            "MODEL": "tiny.en",
        },
    }


_results = {}


def engine_result(path, model="tiny.en", task="transcribe"):
    """A real engine result, computed once per session per file: tests that only need a
    transcript in the database save this instead of running Whisper again."""
    from transcription.engines import get_engine

    key = (str(path), model, task)
    if key not in _results:
        _results[key] = get_engine("default", MODEL=model).transcribe(path, task=task)
    return _results[key]


def transcribed_story(path, **story_fields):
    """A live story with consent, a ready recording of `path`, and its real transcript."""
    from tests.factories import make_recording, make_story
    from transcription.models import Transcript
    from transcription.running import file_checksum, save_result

    recording = make_recording(path, title="Spoken")
    story = make_story(recording=recording, **story_fields)
    transcript = Transcript.objects.create(recording=recording)
    checksum = file_checksum(recording.file)
    save_result(transcript, engine_result(path), checksum, recording.file.name)
    return story, recording, transcript
