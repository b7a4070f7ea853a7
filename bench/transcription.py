"""make bench-transcription: Whisper speed, memory and accuracy on >= 5 minutes of speech.

    python bench/transcription.py [--minutes 5] [--runs faster-base,faster-tiny,...]

1. espeak-ng reads a fixed script of sentences (known text) in three voices until the audio
   lasts --minutes; the WAV is made once under var/bench/transcription/ and reused.
2. Each run is a fresh Python process, so the figures include loading the model, and its
   peak RSS is the process's own: faster-whisper int8 base (beam 5, greedy, VAD, batched)
   and tiny.en, openai-whisper base fp32 on the same converted weights (if installed).
3. Reported per run: wall time, speed as a multiple of real time, peak RSS, word error rate
   against the script; then the targets from issue 4: base >= 15x real time on 2 cores,
   faster-whisper >= 3x faster than openai-whisper, peak memory < 600 MB.

Results also go to var/bench/transcription.json, with the load average at the start."""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))  # run as a script: the project is not on the path

from transcription.accuracy import word_error_rate  # noqa: E402 (needs the path above)

OUT_DIR = BASE_DIR / "var" / "bench" / "transcription"
RUNS = {
    "faster-base": ("transcription.engines.faster.FasterWhisperEngine", "base", {}),
    "faster-base-vad": (
        "transcription.engines.faster.FasterWhisperEngine",
        "base",
        {"VAD_FILTER": True},
    ),
    "faster-base-batched": (
        "transcription.engines.faster.FasterWhisperEngine",
        "base",
        {"BATCH_SIZE": 8},
    ),
    "faster-base-greedy": (
        "transcription.engines.faster.FasterWhisperEngine",
        "base",
        {"BEAM_SIZE": 1},
    ),
    "faster-base-batched4": (
        "transcription.engines.faster.FasterWhisperEngine",
        "base",
        {"BATCH_SIZE": 4},
    ),
    "faster-tiny": ("transcription.engines.faster.FasterWhisperEngine", "tiny.en", {}),
    "openai-base": ("transcription.engines.openai.OpenAIWhisperEngine", "base", {}),
    "openai-base-greedy": (
        "transcription.engines.openai.OpenAIWhisperEngine",
        "base",
        {"BEAM_SIZE": 1},
    ),
}
SCRIPT = [
    "My family moved to Liverpool when I was seven years old.",
    "People describe what happened to them and how it changed their lives.",
    "We want every school to teach the history of the city.",
    "On my first day at work a man told me to go back where I came from.",
    "The bus driver would not stop for us when it was raining.",
    "My mother worked in the hospital for thirty years and never had a promotion.",
    "When I reported it to the police they did not write anything down.",
    "Our neighbours brought food when the windows of the shop were broken.",
    "I still remember the names they shouted across the playground.",
    "The community centre became the place where we could talk about it.",
    "Young people told us they feel watched in the shopping centre.",
    "Things are better now, but we still have a long way to go.",
]
VOICES = ["en-us", "en-gb", "en-us+m3"]


def make_speech(minutes):
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    wav, text_file = OUT_DIR / f"speech-{minutes}min.wav", OUT_DIR / f"speech-{minutes}min.txt"
    if wav.exists() and text_file.exists():
        return wav, text_file.read_text()
    pause = OUT_DIR / "pause.wav"  # half a second between sentences, as a speaker breathes
    subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "anullsrc=r=22050:cl=mono",
            "-t",
            "0.5",
            str(pause),
        ],
        check=True,
    )
    parts, said, seconds, i = [], [], 0.0, 0
    while seconds < minutes * 60 + 5:
        sentence, voice = SCRIPT[i % len(SCRIPT)], VOICES[(i // len(SCRIPT)) % len(VOICES)]
        part = OUT_DIR / f"part-{i:04d}.wav"
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", "150", "-g", "6", "-w", str(part), sentence],
            check=True,
        )
        seconds += _duration(part) + 0.5
        parts += [part, pause]
        said.append(sentence)
        i += 1
    listing = OUT_DIR / "parts.txt"
    listing.write_text("".join(f"file '{p.name}'\n" for p in parts))
    subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-f",
            "concat",
            "-safe",
            "0",
            "-i",
            str(listing),
            "-ar",
            "16000",
            "-ac",
            "1",
            str(wav),
        ],
        check=True,
    )
    for part in set(parts):
        part.unlink()
    text_file.write_text(" ".join(said))
    return wav, " ".join(said)


def _duration(path):
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout)


CHILD = """
import json, os, resource, sys, time
sys.path.insert(0, {base!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
import django; django.setup()
from django.conf import settings
engine = {{"ENGINE": {engine!r}, "MODEL": {model!r}, "OPTIONS": {options!r}}}
settings.TRANSCRIPTION_ENGINES = {{"default": engine}}
start = time.perf_counter()
from transcription.engines import get_engine
result = get_engine().transcribe({path!r}, language="en")
elapsed = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out = {{"seconds": elapsed, "rss_mb": rss, "text": result.text, "duration": result.duration}}
print(json.dumps(out))
"""


def run(name, path):
    engine, model, options = RUNS[name]
    code = CHILD.format(
        base=str(BASE_DIR), engine=engine, model=model, options=options, path=str(path)
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5)
    default_runs = (
        "faster-base-greedy,faster-base,faster-base-batched4,faster-tiny,openai-base-greedy"
    )
    parser.add_argument("--runs", default=default_runs, help=f"some of: {','.join(RUNS)}")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    path, reference = make_speech(args.minutes)
    audio_seconds = _duration(path)
    load = os.getloadavg()
    loads = " ".join(f"{figure:.2f}" for figure in load)
    print(f"{audio_seconds:.0f} s of espeak-ng speech, {os.cpu_count()} CPUs, load {loads}")
    results = {}
    for name in args.runs.split(","):
        result = run(name, path)
        if "error" not in result:
            result["x_real_time"] = audio_seconds / result["seconds"]
            result["wer"] = word_error_rate(reference, result.pop("text"))
            print(
                f"{name:16} {result['seconds']:7.1f} s  {result['x_real_time']:5.1f}x real time  "
                f"peak RSS {result['rss_mb']:5.0f} MB  WER {result['wer']:.3f}"
            )
        else:
            print(f"{name:16} not run: {result['error']}")
        results[name] = result
    _targets(results)
    (OUT_DIR.parent / "transcription.json").write_text(
        json.dumps({"audio_seconds": audio_seconds, "load": load, "runs": results}, indent=1)
    )


def _targets(results):
    # The targets are for the default engine (greedy, as in settings) against the reference
    # engine decoding the same way on the same weights.
    base, openai = results.get("faster-base-greedy", {}), results.get("openai-base-greedy", {})
    if "x_real_time" in base:
        print(
            f"target base >= 15x real time: {base['x_real_time']:.1f}x "
            f"{'met' if base['x_real_time'] >= 15 else 'NOT met'}"
        )
    if "seconds" in base and "seconds" in openai:
        ratio = openai["seconds"] / base["seconds"]
        print(f"target faster >= 3x openai: {ratio:.1f}x {'met' if ratio >= 3 else 'NOT met'}")
    if "rss_mb" in base:  # the target is for the default engine; the others are reported
        rss = base["rss_mb"]
        met = "met" if rss < 600 else "NOT met"
        print(f"target peak RSS < 600 MB (faster-base-greedy): {rss:.0f} MB {met}")


if __name__ == "__main__":
    main()
