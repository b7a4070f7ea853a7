"""Clips and reels (issue 12): cut a 30 s captioned clip from a 10-minute recording (target
under 3 s) and export a 10-clip reel with burned-in captions (target under 30 s), with the
peak memory of each: every ffmpeg run's own peak (archive.mediatools.measure_peaks) and
Python's (the largest heap tracemalloc saw, and the process's resident high-water mark).

    python bench/reuse.py [--clip-seconds 30] [--clips 10] [--size 854x480] [--preset ultrafast]
                          [--cold]

The recording is 10 minutes of 1280x720 25 fps H.264/AAC (the largest web version the
archive makes), with a word every half second in its transcript. It is made once under
var/bench/reuse/ and used as its own web version (the rendition step is not what is
measured here). The reel's clips are cut, and their reel parts made, before the export is
timed, as they are in use: each clip is cut when the trainer makes it, and its part for
reels (captions burned in) is made in the background right after (reuse.tasks); the time
that takes per clip is reported beside the export's, and so is an export with no part made
ahead (--cold). The export is at the settings' size and preset (1280x720, veryfast, unless
REUSE_EXPORT_SIZE / REUSE_EXPORT_PRESET or --size / --preset say otherwise).
Results also go to var/bench/reuse.json. Exits 1 when a target is missed."""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
import tracemalloc
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
WORK = BASE_DIR / "var" / "bench" / "reuse"
CUT_TARGET, EXPORT_TARGET = 3.0, 30.0
RECORDING_SECONDS = 600


def setup_django():
    shutil.rmtree(WORK / "media", ignore_errors=True)
    (WORK / "media").mkdir(parents=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    # No background jobs: the recording's web version is given, not made (see above), and
    # the search index is not part of what is measured.
    os.environ["TEST_TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    sys.path.insert(0, str(BASE_DIR))
    import django
    from django.conf import settings

    django.setup()
    settings.MEDIA_ROOT = WORK / "media"
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # quick once the database file exists


def source_file():
    from archive.tasks import KEYFRAME_SECONDS

    # Made as the archive makes a web version: x264 veryfast, CRF 23, a keyframe every
    # KEYFRAME_SECONDS (the keyframes are what a clip's cut copies between).
    path = WORK / f"ten-minutes-720p-key{KEYFRAME_SECONDS}s.mp4"
    if not path.exists():
        partial = path.with_name(".partial-" + path.name)
        video = f"testsrc2=size=1280x720:rate=25:duration={RECORDING_SECONDS}"
        sound = f"sine=frequency=440:sample_rate=48000:duration={RECORDING_SECONDS}"
        subprocess.run(
            ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", video,
             "-f", "lavfi", "-i", sound, "-c:v", "libx264", "-preset", "veryfast",
             "-crf", "23", "-pix_fmt", "yuv420p",
             "-force_key_frames", f"expr:gte(t,n_forced*{KEYFRAME_SECONDS})",
             "-c:a", "aac", "-movflags", "+faststart", str(partial)],
            check=True,
        )  # fmt: skip
        partial.rename(path)
    return path


def story_with_recording():
    from archive.models import RenditionStatus
    from tests.factories import make_recording
    from tests.reuse.conftest import make_transcribed_story

    recording = make_recording(source_file(), ready=False)
    # The file is already what the rendition would be (H.264/AAC, 720p, +faststart).
    recording.rendition.name = recording.file.name
    recording.rendition_mime, recording.rendition_status = "video/mp4", RenditionStatus.READY
    recording.save()
    # A new slug each run: the database is kept between runs (migrating it is slow).
    slug = f"bench-story-{uuid.uuid4().hex[:12]}"
    return make_transcribed_story(
        recording=recording, seconds=RECORDING_SECONDS, per_segment=8, slug=slug
    )


def measured(work):
    """Run `work()`; return its result, seconds, ffmpeg peaks and Python's peak heap."""
    from archive import mediatools

    tracemalloc.start()
    started = time.perf_counter()
    with mediatools.measure_peaks() as peaks:
        result = work()
    seconds = time.perf_counter() - started
    _current, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, seconds, peaks, python_peak


def report(name, seconds, target, peaks, python_peak):
    worst = max((peak for _label, peak in peaks), default=0)
    ok = seconds < target
    print(f"{name}: {seconds:.1f} s (target < {target:.0f} s: {'met' if ok else 'MISSED'}); "
          f"peak ffmpeg {worst / 2**20:.0f} MB over {len(peaks)} runs, "
          f"Python heap {python_peak / 2**20:.0f} MB, "
          f"process RSS high-water {_rss_mb():.0f} MB")  # fmt: skip
    return ok, {
        "seconds": round(seconds, 2),
        "target": target,
        "ffmpeg_peak_mb": round(worst / 2**20),
        "python_heap_mb": round(python_peak / 2**20),
        "rss_mb": round(_rss_mb()),
    }


def _rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clip-seconds", type=float, default=30.0)
    parser.add_argument("--clips", type=int, default=10)
    parser.add_argument("--size", help="the reel's frame, e.g. 854x480 (default: settings)")
    parser.add_argument("--preset", help="x264 preset for the reel (default: settings)")
    parser.add_argument(
        "--cold", action="store_true", help="make no clip's part ahead: the export makes them all"
    )
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    setup_django()
    from django.conf import settings

    if args.size:
        settings.REUSE_EXPORT_SIZE = tuple(int(n) for n in args.size.split("x"))
    if args.preset:
        settings.REUSE_EXPORT_PRESET = args.preset
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from reuse import clipping, exporting
    from reuse.models import Clip, Reel, ReelExport, ReelItem

    story = story_with_recording()
    recording = story.story_recordings.first().recording
    owner, _ = get_user_model().objects.get_or_create(username="bench-trainer")
    owner.groups.add(Group.objects.get(name="Trainers"))
    length = args.clip_seconds

    def clip_at(start):
        return Clip.objects.create(
            owner=owner, story=story, recording=recording, start=start, end=start + length
        )

    first = clip_at(120.0)
    _result, seconds, peaks, python_peak = measured(lambda: clipping.cut(first))
    cut_ok, cut = report(
        f"cut a {length:.0f} s captioned clip", seconds, CUT_TARGET, peaks, python_peak
    )

    reel = Reel.objects.create(owner=owner, title="Benchmark reel")
    gap = (RECORDING_SECONDS - length) / args.clips
    ahead = []
    for number in range(args.clips):
        clip = clip_at(round(number * gap, 1))
        clipping.cut(clip)
        if not args.cold:
            started = time.perf_counter()
            exporting.prepare_reel_part(clip)
            ahead.append(time.perf_counter() - started)
        ReelItem.objects.create(reel=reel, position=2 * number, kind="clip", clip=clip)
        if number < args.clips - 1:
            text = f"Question {number + 1}: what did you notice, and what would you change?"
            ReelItem.objects.create(reel=reel, position=2 * number + 1, kind="slide", text=text)
    export = ReelExport.objects.create(reel=reel, requested_by=owner, burn_captions=True)
    _result, seconds, peaks, python_peak = measured(lambda: exporting.export_reel(export))
    size, preset = exporting.frame_size(), getattr(settings, "REUSE_EXPORT_PRESET", "veryfast")
    duration = export.manifest.get("duration", 0)
    name = (f"export a {args.clips}-clip reel ({duration:.0f} s, {size[0]}x{size[1]}, "
            f"{preset}, captions burned in)")  # fmt: skip
    if not args.cold:
        name += ", clips' parts made ahead"
    export_ok, made = report(name, seconds, EXPORT_TARGET, peaks, python_peak)
    made["reel_seconds"] = duration
    if ahead:
        made["part_made_ahead_seconds"] = {
            "mean": round(sum(ahead) / len(ahead), 2),
            "max": round(max(ahead), 2),
        }
        print(f"  each clip's part, made ahead in the background after its cut: mean "
              f"{sum(ahead) / len(ahead):.1f} s, max {max(ahead):.1f} s")  # fmt: skip
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs")
    results = {"cut": cut, "export": made, "load": load}
    (WORK.parent / "reuse.json").write_text(json.dumps(results, indent=2))
    return 0 if cut_ok and export_ok else 1


if __name__ == "__main__":
    sys.exit(main())
