"""make bench: story page and browse page latency at 1,000 stories, on the production server.

    python bench/pages.py [--stories 1000] [--requests 500] [--workers 3] [--concurrency 2]

1. A separate SQLite database under var/bench/ is migrated and filled with generated
   stories (through the models: pages in the Wagtail tree, consent records, recordings,
   themes, dimensions), once; later runs reuse it.
2. gunicorn serves config.settings.production on 127.0.0.1 (static files by WhiteNoise,
   after collectstatic), with DEBUG off, exactly as deployed apart from HTTPS.
3. A client of a few threads sends warm-up requests, then at least --requests each to
   story pages (a different story each time) and browse pages (/stories/, its later
   pages and /stories/borough/<slug>/), and reports p50/p95/p99 and requests per second
   against the targets: story p95 < 30 ms, browse p95 < 50 ms.

Loopback only; every loop is bounded. Results go to var/bench/pages.json too."""

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench"
TARGETS_MS = {"story": 30.0, "browse": 50.0}
HOST = "127.0.0.1"


def bench_environment(port):
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    key_file = BENCH_DIR / "secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": key_file.read_text().strip(),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{BENCH_DIR / 'pages.sqlite3'}",
        "STATIC_ROOT": str(BENCH_DIR / "static"),
        "MEDIA_ROOT": str(BENCH_DIR / "media"),
        "TRANSCRIPTION_AUTO_QUEUE": "false",
        "LOG_LEVEL": "WARNING",
        "WAGTAILADMIN_BASE_URL": f"http://{HOST}:{port}",
    }


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def prepare(env):
    print("Migrating the bench database (var/bench/pages.sqlite3)...", flush=True)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    stamp = BENCH_DIR / ".collected"
    sources = [BASE_DIR / "archive" / "static", BASE_DIR / "templates"]
    newest = max(
        (p.stat().st_mtime for s in sources if s.exists() for p in s.rglob("*")), default=0
    )
    if not stamp.exists() or stamp.stat().st_mtime < newest:
        print("Collecting static files...", flush=True)
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        stamp.touch()


# --- generating stories ---------------------------------------------------------------


def generate(env, count):
    """Fill the bench database to `count` stories, through the models."""
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.db import transaction

    from archive.models import StoryPage

    have = StoryPage.objects.count()
    if have >= count:
        print(f"The bench database has {have} stories already.", flush=True)
        return
    print(f"Generating {count - have} stories (once; later runs reuse them)...", flush=True)
    started = time.monotonic()
    with transaction.atomic():
        _add_stories(have, count)
    print(f"  done in {time.monotonic() - started:.0f} s", flush=True)


def _recording_file():
    """One real, short recording (ffmpeg) that every generated Recording row points at:
    pages never read the bytes, and 1,000 copies would only fill the disk."""
    name = "bench/tone.m4a"
    path = BENCH_DIR / "media" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
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
                "sine=frequency=330:duration=2",
                "-c:a",
                "aac",
                "-b:a",
                "48k",
                str(path),
            ],
            check=True,
        )
    return name, path.stat().st_size


def _recording(number, name, size):
    """A ready-to-play audio recording of its own for each story, as uploads make them."""
    from archive.models import Recording, RenditionStatus

    recording = Recording(
        title=f"Bench recording {number}",
        type="audio",
        duration=2.0,
        container="mov,mp4,m4a,3gp,3g2,mj2",
        audio_codec="aac",
        size_bytes=size,
        rendition_mime="audio/mp4",
        rendition_status=RenditionStatus.READY,
    )
    recording.file.name = name
    recording.rendition.name = name
    recording.save()
    return recording


def _add_stories(have, count):
    from archive.models import (
        Borough,
        Dimension,
        StoryIndexPage,
        StoryKind,
        StoryPage,
        StoryRecording,
        Theme,
    )
    from consent.models import ConsentFormVersion, ConsentRecord

    index = StoryIndexPage.objects.get()
    boroughs = list(Borough.objects.all())
    themes = list(Theme.objects.all())
    dimensions = list(Dimension.objects.all())
    form = ConsentFormVersion.current() or ConsentFormVersion.objects.create(
        version=1, wording="Bench consent form: generated stories, not real people."
    )
    media_name, media_size = _recording_file()
    rng = random.Random(2026)
    kinds = StoryKind.values
    for number in range(have + 1, count + 1):
        story = StoryPage(
            title=f"Bench story {number}",
            slug=f"bench-story-{number}",
            kind=kinds[number % len(kinds)],
            borough=boroughs[number % len(boroughs)],
            summary=("A generated story for the page benchmark; not a real person's words. " * 6),
            recorded_on=date(2025, 1, 1) + timedelta(days=number % 365),
            is_fictional=True,
            live=True,
        )
        index.add_child(instance=story)
        story.themes.set(rng.sample(themes, k=min(3, len(themes))))
        story.dimensions.set(rng.sample(dimensions, k=min(2, len(dimensions))))
        StoryRecording.objects.create(
            story=story, recording=_recording(number, media_name, media_size)
        )
        ConsentRecord.objects.create(
            story=story,
            form_version=form,
            use_public_website=True,
            media_mode="voice-and-face",
        )
        if number % 100 == 0:
            print(f"  {number} stories", flush=True)


def story_paths(count):
    from archive.models import StoryPage

    return [page.url for page in StoryPage.objects.live().only("url_path")[:count]]


def browse_paths():
    from archive.models import Borough

    paths = ["/stories/", "/stories/?page=2", "/stories/?page=5", "/stories/?page=20"]
    paths += [f"/stories/borough/{b.slug}/" for b in Borough.objects.all()]
    return paths


# --- the server -------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_server(env, port, workers):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn),
        "config.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "/dev/null",
        "--error-logfile",
        str(BENCH_DIR / "gunicorn.log"),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=BASE_DIR, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start; see {BENCH_DIR / 'gunicorn.log'}")
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            time.sleep(0.5)  # a gunicorn that cannot bind (port taken) exits now
            if server.poll() is None:
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit("gunicorn did not start within a minute")


def stop_server(server):
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def server_cpu_seconds(server):
    """CPU time (user + system) used so far by gunicorn and its workers: unlike latency,
    it hardly changes when other work shares the machine."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        if pid == server.pid or ppid == server.pid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


# --- the client -------------------------------------------------------------------------


def fetch(port, path):
    """One GET on a fresh connection (gunicorn's sync workers close after each response)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": HOST})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    elapsed_ms = (time.perf_counter() - started) * 1000
    return response.status, len(body), elapsed_ms


def measure(port, paths, requests, concurrency):
    """Send `requests` GETs spread over `paths`; return latencies and the failures."""
    plan = [paths[i % len(paths)] for i in range(requests)]
    random.Random(7).shuffle(plan)
    failures = []
    lock = threading.Lock()

    def one(path):
        status, size, ms = fetch(port, path)
        if status != 200 or size == 0:
            with lock:
                failures.append((path, status))
        return ms

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        latencies = list(pool.map(one, plan))
    wall = time.perf_counter() - started
    return latencies, wall, failures


def summarise(name, latencies, wall, failures, cpu_seconds):
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "page": name,
        "requests": len(latencies),
        "failures": len(failures),
        "p50_ms": round(statistics.median(latencies), 2),
        "p95_ms": round(cuts[94], 2),
        "p99_ms": round(cuts[98], 2),
        "max_ms": round(max(latencies), 2),
        "req_per_s": round(len(latencies) / wall, 1),
        "server_cpu_ms_per_request": round(cpu_seconds * 1000 / len(latencies), 1),
        "target_p95_ms": TARGETS_MS[name],
        "met": not failures and cuts[94] < TARGETS_MS[name],
    }


def print_table(rows, meta):
    print()
    print(
        f"Pages bench: {meta['stories']} stories, gunicorn {meta['workers']} workers, "
        f"{meta['concurrency']} client thread(s), loopback, config.settings.production"
    )
    print(
        f"{meta['cpus']} CPUs; load average {meta['load_average'][0]} before, "
        f"{meta['load_average'][1]} after (other work on the machine inflates latency)"
    )
    header = (
        f"{'page':<8}{'requests':>9}{'fail':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'req/s':>8}{'cpu ms':>8}{'target p95':>12}  result"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        verdict = "met" if r["met"] else "MISSED"
        print(
            f"{r['page']:<8}{r['requests']:>9}{r['failures']:>6}{r['p50_ms']:>9.1f}"
            f"{r['p95_ms']:>9.1f}{r['p99_ms']:>9.1f}{r['req_per_s']:>8.1f}"
            f"{r['server_cpu_ms_per_request']:>8.1f}"
            f"{'< ' + format(r['target_p95_ms'], '.0f') + ' ms':>12}  {verdict}"
        )
    print("cpu ms: the server's CPU time per request (user + system), which other load hardly")
    print("changes; on an idle machine the latency of one request is close to it.")
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("BENCH_PORT", 0)),
        help="default: a free port",
    )
    parser.add_argument("--warmup", type=int, default=60)
    args = parser.parse_args()
    if not shutil.which("ffmpeg"):
        raise SystemExit("ffmpeg is missing: run scripts/system-deps.sh")

    args.port = args.port or free_port()
    env = bench_environment(args.port)
    prepare(env)
    generate(env, args.stories)
    stories = story_paths(args.stories)
    browse = browse_paths()
    random.Random(11).shuffle(stories)

    load_before = os.getloadavg()[0]
    print(f"Starting gunicorn on http://{HOST}:{args.port}/ ...", flush=True)
    server = start_server(env, args.port, args.workers)
    try:
        for path in ["/", *browse, *stories[:5]]:
            status, _, _ = fetch(args.port, path)
            if status != 200:
                raise SystemExit(f"GET {path} answered {status}; see {BENCH_DIR / 'gunicorn.log'}")
        measure(args.port, stories + browse, args.warmup, args.concurrency)
        rows = []
        for name, paths in (("story", stories), ("browse", browse)):
            print(f"Measuring {args.requests} {name} requests...", flush=True)
            cpu_before = server_cpu_seconds(server)
            result = measure(args.port, paths, args.requests, args.concurrency)
            rows.append(summarise(name, *result, server_cpu_seconds(server) - cpu_before))
    finally:
        stop_server(server)

    meta = {
        "stories": len(stories),
        "workers": args.workers,
        "concurrency": args.concurrency,
        "cpus": os.cpu_count(),
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    print_table(rows, meta)
    (BENCH_DIR / "pages.json").write_text(json.dumps({**meta, "results": rows}, indent=2) + "\n")
    print(f"Written to {BENCH_DIR / 'pages.json'}")
    return 0 if all(r["met"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
