"""make bench-search: relevance-ranked search latency and indexing throughput per backend.

    python bench/search.py [--stories 200] [--passages 20000] [--queries 500] [--engine URL]

1. A separate SQLite database, var/bench/search-<stories>-<passages>.sqlite3, is migrated and
   filled once: stories in the Wagtail tree with consent, and passages of synthetic text drawn
   from a vocabulary, with boroughs, kinds, languages and confirmed labels. Later runs reuse it.
   (DATABASE_URL=postgres://... fills and measures PostgreSQL instead.)
2. Every backend indexes the passages from scratch through search.indexing.reindex (the
   consent gate, chunks of 500): documents per second.
3. At least --queries random one- to three-word queries, each: the top 20 by relevance, the
   total count and facet counts (borough, kind), through Wagtail's search API only.
   p50/p95/p99 in ms. Targets: p95 < 100 ms on the database (50 ms aim), < 30 ms on the engine.

The engine is --engine, SEARCH_URL, or one started here with scripts/engine.sh and stopped
at the end. Results go to var/bench/search.json too."""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VOCABULARY = (
    "police stopped searched school excluded teacher council housing job interview promotion "
    "manager bus street neighbour shouted abuse football crowd mosque church hospital doctor nurse "
    "waiting list benefits college university name accent hair uniform language family mother "
    "father son daughter friends community centre consultation promise trust mistrust fear rumour "
    "facebook tiktok refugees migrants asylum hotel riots safety walk home night shop security "
    "followed watched ignored laughed joke belonging welcome history slavery docks city region "
    "wealth poverty health data board leaders representation voice celebrate culture food music "
    "festival faith prayer court law landlord rent eviction care elders young lads girls"
).split()


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=200)
    parser.add_argument("--passages", type=int, default=20000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--engine", default=os.environ.get("SEARCH_URL", ""))
    parser.add_argument("--no-engine", action="store_true", help="Only the database backend")
    return parser.parse_args()


def setup_django(args):
    bench = ROOT / "var" / "bench"
    bench.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{bench}/search-{args.stories}-{args.passages}.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["SEARCH_URL"] = ""  # settings start on the database; backends are set below
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(args):
    from django.conf import settings

    from archive.models import Borough, Dimension, StoryPage, Theme
    from search.models import Passage

    if StoryPage.objects.count() >= args.stories and Passage.objects.count() >= args.passages:
        return
    settings.TRANSCRIPTION_AUTO_QUEUE = False
    settings.WAGTAILSEARCH_BACKENDS = {}  # filling is not what is measured
    from consent.services import demo_consent
    from search import passages as building
    from tests.factories import make_story

    rng = random.Random(5)
    boroughs = [b.slug for b in Borough.objects.all()]
    have = StoryPage.objects.count()
    print(f"filling: {args.stories - have} stories ...", flush=True)
    for n in range(have, args.stories):
        story = make_story(title=" ".join(rng.sample(VOCABULARY, 4)).capitalize(),
                           summary=" ".join(rng.choices(VOCABULARY, k=40)),
                           borough=rng.choice(boroughs), kind=rng.choice(["vox-pop", "oral-history", "borough-film"]),
                           slug=f"bench-{n}", consent=False)
        demo_consent(story)
    stories = list(StoryPage.objects.all())
    facts = {s.pk: building.story_facts(s) for s in stories}
    themes, dimensions = list(Theme.objects.all()), list(Dimension.objects.all())
    print(f"filling: {args.passages} passages ...", flush=True)
    batch, made = [], Passage.objects.count()
    through_t, through_d = Passage.themes.through, Passage.dimensions.through
    while made < args.passages:
        story = rng.choice(stories)
        batch.append(Passage(story=story, start=rng.uniform(0, 3000), end=0, has_captions=rng.random() < .7,
                             text=" ".join(rng.choices(VOCABULARY, k=rng.randint(50, 90))) + ".", **facts[story.pk]))
        made += 1
        if len(batch) == 2000 or made == args.passages:
            created = Passage.objects.bulk_create(batch)
            through_t.objects.bulk_create([through_t(passage_id=p.pk, theme_id=rng.choice(themes).pk) for p in created])
            through_d.objects.bulk_create([through_d(passage_id=p.pk, dimension_id=rng.choice(dimensions).pk) for p in created])
            batch = []


def start_engine():
    env = {**os.environ, "ENGINE_PORT": "9252", "ENGINE_HOME": str(ROOT / "var" / "engine-bench"), "ENGINE_HEAP": "1g"}
    began = time.perf_counter()
    subprocess.run([str(ROOT / "scripts" / "engine.sh"), "start"], env=env, check=True)
    print(f"engine: cold start to green {time.perf_counter() - began:.1f} s")
    return "http://127.0.0.1:9252", env


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def measure(name, args):
    from wagtail.search.backends import get_search_backend

    from search.indexing import prepare_indexes, reindex
    from search.models import Passage

    backend = get_search_backend(name)
    for index in backend.all_indexes():
        index.reset()
    prepare_indexes([name])
    began = time.perf_counter()
    counts = reindex(models=[Passage])
    indexing = time.perf_counter() - began
    backend.refresh_indexes()
    rng = random.Random(7)
    timings, totals = [], []
    for i in range(args.queries + 20):
        query = " ".join(rng.sample(VOCABULARY, rng.randint(1, 3)))
        began = time.perf_counter()
        results = backend.search(query, Passage.objects.filter(allow_show=True), operator="or")
        top = list(results[:20])
        total = results.count()
        facets = (results.facet("borough_id"), results.facet("kind"))
        elapsed = (time.perf_counter() - began) * 1000
        if i >= 20:  # the first queries warm caches
            timings.append(elapsed)
            totals.append(total)
        assert len(top) <= 20 and facets
    return {
        "backend": name,
        "passages_indexed": counts.get("search.Passage"),
        "index_seconds": round(indexing, 1),
        "docs_per_second": round(counts.get("search.Passage", 0) / indexing),
        "queries": len(timings),
        "p50_ms": round(percentile(timings, 50), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "p99_ms": round(percentile(timings, 99), 1),
        "mean_hits": round(statistics.mean(totals)),
    }


def main():
    args = arguments()
    setup_django(args)
    fill(args)
    from django.conf import settings
    from django.db import connection

    from config.settings.base import search_backends

    engine_env = None
    backends = {"database": search_backends("")["default"]}
    if not args.no_engine:
        url = args.engine
        if not url:
            url, engine_env = start_engine()
        backends["opensearch"] = search_backends(url, prefix="bench_")["default"]
    settings.WAGTAILSEARCH_BACKENDS = {"default": backends["database"], **backends}
    rows = []
    try:
        for name in backends:
            row = measure(name, args)
            row["database"] = connection.vendor
            rows.append(row)
            print(json.dumps(row), flush=True)
    finally:
        if engine_env:
            subprocess.run([str(ROOT / "scripts" / "engine.sh"), "stop"], env=engine_env)
    load = os.getloadavg()
    summary = {"stories": args.stories, "passages": args.passages, "load": [round(x, 2) for x in load], "results": rows}
    (ROOT / "var" / "bench" / "search.json").write_text(json.dumps(summary, indent=2))
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
