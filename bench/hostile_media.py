"""Peak memory and time of every ffmpeg and ffprobe run on hostile and long recordings.

    python bench/hostile_media.py

Makes the files with ffmpeg under var/bench/hostile/, then runs the upload check
(archive.probe) and, for what it accepts, each rendition step (archive.tasks) through
archive.mediatools, which measures each child's own peak resident memory. Cases: the
review's 3 minutes of silence at 655 kHz (refused), sound at the limits (192 kHz, 8
channels, 3 minutes), and the longest recording accepted (3 hours, 48 kHz stereo), whose
waveform is the step that grows with length. Target: every step under 300 MB (the memory
limit, MEDIA_TOOL_MEMORY_MB, is address space and higher). Results also go to
var/bench/hostile_media.json."""

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

BASE_DIR = Path(__file__).resolve().parent.parent
WORK = BASE_DIR / "var" / "bench" / "hostile"
TARGET_BYTES = 300 * 1024 * 1024
CASES = {
    "655 kHz silence, 3 min": ["-f", "lavfi", "-i", "anullsrc=r=655000:cl=mono", "-t", "180"],
    "192 kHz 8 channels, 3 min": [
        "-f", "lavfi", "-i", "sine=frequency=300:sample_rate=192000:duration=180",
        "-af", "pan=7.1|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0|c6=c0|c7=c0",
    ],
    # Silence: small on disk; the filters hold samples whatever they sound like.
    "48 kHz stereo, 3 hours": ["-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo", "-t", "10800"],
}  # fmt: skip


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def make(name, args):
    path = WORK / (name.replace(" ", "-").replace(",", "") + ".flac")
    if not path.exists():
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args, "-c:a", "flac",
                        str(path)], check=True)  # fmt: skip
    return path


def measure(path):
    from archive import mediatools, tasks
    from archive.probe import RecordingRejected, probe_recording

    with mediatools.measure_peaks() as peaks:
        try:
            probe = probe_recording(path)
        except RecordingRejected as refusal:
            return peaks, f"refused: {refusal.message[:60]}..."
        recording = SimpleNamespace(duration=probe.duration, audio_codec=probe.audio_codec)
        for field, build in (("rendition", tasks._audio_rendition), ("thumbnail", tasks._waveform)):
            target = WORK / f"out-{field}{'.m4a' if field == 'rendition' else '.png'}"
            tasks._run(build(str(path), str(target), recording), field)
    return peaks, f"accepted: {probe.duration:.0f} s"


def main():
    WORK.mkdir(parents=True, exist_ok=True)
    setup_django()
    results, worst = {}, 0
    for name, args in CASES.items():
        peaks, outcome = measure(make(name, args))
        results[name] = {"outcome": outcome, "peaks_mb": {k: round(v / 2**20) for k, v in peaks}}
        worst = max([worst, *(v for _k, v in peaks)])
        figures = ", ".join(f"{label} {peak / 2**20:.0f} MB" for label, peak in peaks)
        print(f"{name}: {outcome}\n    {figures}")
    (WORK.parent / "hostile_media.json").write_text(json.dumps(results, indent=2))
    ok = worst < TARGET_BYTES
    print(f"worst peak {worst / 2**20:.0f} MB; target under {TARGET_BYTES / 2**20:.0f} MB: "
          f"{'met' if ok else 'MISSED'}")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
