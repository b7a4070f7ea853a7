"""make bench-search: relevance-ranked search latency and indexing throughput per backend.

    python bench/search.py [--stories 10000] [--passages 200000] [--queries 500]
                           [--engine URL | --no-engine | --no-database] [--mix topic,common]
                           [--postgres] [--one-by-one] [--keep-index] [--fill-only]

1. A separate database is migrated and filled once (later runs reuse it): stories in the
   Wagtail tree, each with a consent record, and passages of synthetic text with boroughs,
   kinds, languages and confirmed labels. SQLite by default, in
   var/bench/search-<stories>-<passages>.sqlite3; DATABASE_URL=postgres://... fills and
   measures PostgreSQL instead; --postgres starts the project's own (scripts/postgres.sh) and
   uses its database bench_search, made if missing.
   The text is drawn word by word from the regional strategy's own vocabulary, with the
   frequencies the words have there (1,961 words, Zipf-like: "racism" is in most passages,
   most words in few), so queries hit as many passages as they would in an archive about
   racism, not the near-everything a small uniform vocabulary gives.
2. Each backend indexes the stories and passages from scratch through
   search.indexing.reindex (the consent gate, chunks of 500): documents per second.
3. --queries relevance-ranked queries of one to three words, drawn from the same
   vocabulary by frequency with the stop words left out (so common words like "racism" and
   "communities" come often), after 20 warm-up queries. Two measurements per query:
   - "query": what the issue specifies, through Wagtail's search API: the top 20 passages
     by relevance, then the facet counts (borough, kind, language) and the total count,
     asked together with facets() (search.backends.results), which the engines answer in one
     request and SQLite from one read of its FTS index (--one-by-one asks count() and each
     facet() on its own instead, as Wagtail's own API would);
   - "page": the public search itself (search.services.search), stories with their best
     passages, story totals and every facet, as /search/ computes them.
   p50/p95/p99 in ms. Targets: p95 < 100 ms on the database (50 ms aim), < 30 ms on the engine.

The engine is --engine, SEARCH_URL, or one started here with scripts/engine.sh and stopped
at the end. Results go to var/bench/search-<database>.json too."""

import argparse
import collections
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
STRATEGY = ROOT / "archive" / "strategy" / "lcr-anti-racism-strategy-2026-2029.txt"
# Words nobody searches for (and PostgreSQL's English configuration drops).
STOP = set(
    "a about across after all also an and any are as at be been being but by can could do does "
    "for from had has have how i if in into is it its may more most much must no not of on one "
    "or our out s so such than that the their them there these they this those through to up "
    "us was we were what when where which who will with within would you your".split()
)


def vocabulary():
    words = re.findall(r"[a-z]+", STRATEGY.read_text(encoding="utf-8").lower())
    counts = collections.Counter(w for w in words if len(w) > 1 or w in ("a", "i"))
    text_words, text_weights = zip(*counts.most_common(), strict=True)
    query_words = [(w, n) for w, n in counts.most_common() if w not in STOP and len(w) > 2]
    return text_words, text_weights, *zip(*query_words, strict=True)


TEXT_WORDS, TEXT_WEIGHTS, QUERY_WORDS, QUERY_WEIGHTS = vocabulary()
FACETS = ("borough_id", "kind", "language")


def words(rng, k):
    return " ".join(rng.choices(TEXT_WORDS, TEXT_WEIGHTS, k=k))


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10000)
    parser.add_argument("--passages", type=int, default=200000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--engine", default=os.environ.get("SEARCH_URL", ""))
    parser.add_argument("--no-engine", action="store_true", help="Only the database backend")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="PostgreSQL from scripts/postgres.sh, database bench_search",
    )
    parser.add_argument("--no-database", action="store_true", help="Only the engine")
    parser.add_argument("--mix", default="topic,common", help="Query sets: topic, common or both")
    parser.add_argument(
        "--fill-only", action="store_true", help="Make the bench database, then stop"
    )
    parser.add_argument(
        "--one-by-one",
        action="store_true",
        help="Ask count() and each facet() on its own rather than facets()",
    )
    parser.add_argument(
        "--keep-index",
        action="store_true",
        help="Measure the indexes as they are (skip reindexing)",
    )
    return parser.parse_args()


def postgres_database(name="bench_search"):
    """The URL of `name` on the project's own PostgreSQL (started if need be), made if missing."""
    import psycopg
    from psycopg import sql

    server = (
        subprocess.run(
            [str(ROOT / "scripts" / "postgres.sh"), "start"],
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    with psycopg.connect(server, autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return server.rsplit("/", 1)[0] + "/" + name


def setup_django(args):
    bench = ROOT / "var" / "bench"
    bench.mkdir(parents=True, exist_ok=True)
    if args.postgres:
        os.environ["DATABASE_URL"] = postgres_database()
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = (
            f"sqlite:///{bench}/search-{args.stories}-{args.passages}.sqlite3"
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["SEARCH_URL"] = ""  # settings start on the database; backends are set below
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(args):
    """Stories straight into the page tree (no revisions: nothing here reads them), each with
    a consent record for every use, then passages in bulk."""
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from archive.models import Borough, Dimension, StoryPage, Theme
    from consent.models import ConsentRecord
    from consent.records import demo_consent
    from search import passages as building
    from search.models import Passage
    from tests.factories import story_index

    if StoryPage.objects.count() >= args.stories and Passage.objects.count() >= args.passages:
        return
    settings.TRANSCRIPTION_AUTO_QUEUE = False
    settings.WAGTAILSEARCH_BACKENDS = {}  # filling is not what is measured
    rng = random.Random(5)
    boroughs = list(Borough.objects.all())
    themes, dimensions = list(Theme.objects.all()), list(Dimension.objects.all())
    parent = story_index()
    have = StoryPage.objects.count()
    template = None

    def consent(story):
        # demo_consent hashes a withdrawal code (slow on purpose); one real record is made
        # that way and the rest copy it, each with its own reference.
        nonlocal template
        if template is None:
            template = demo_consent(story)
            return
        ConsentRecord.objects.create(
            **{
                f.name: getattr(template, f.name)
                for f in ConsentRecord._meta.concrete_fields
                if f.name not in ("id", "reference", "story", "submission_token")
            },
            story=story,
        )

    began = time.perf_counter()
    print(f"filling: {args.stories - have} stories ...", flush=True)
    for n in range(have, args.stories):
        with transaction.atomic():
            story = parent.add_child(
                instance=StoryPage(
                    title=" ".join(rng.choices(QUERY_WORDS, QUERY_WEIGHTS, k=4)).capitalize(),
                    slug=f"bench-{n}",
                    summary=words(rng, 40),
                    borough=rng.choice(boroughs),
                    kind=rng.choice(["vox-pop", "oral-history", "borough-film"]),
                    language=rng.choices(["en", "pl", "fr", "so", "ar"], [90, 3, 3, 2, 2])[0],
                    live=True,
                    first_published_at=timezone.now(),
                )
            )
            story.themes.set(rng.sample(themes, rng.randint(0, 2)))
            story.dimensions.set(rng.sample(dimensions, rng.randint(0, 1)))
            consent(story)
        if n % 1000 == 999:
            print(f"  {n + 1} stories, {time.perf_counter() - began:.0f} s", flush=True)
    stories = list(StoryPage.objects.all())
    facts = {s.pk: building.story_facts(s) for s in stories}
    made = Passage.objects.count()
    print(f"filling: {args.passages - made} passages ...", flush=True)
    through_t, through_d = Passage.themes.through, Passage.dimensions.through
    batch = []
    while made < args.passages:
        story = rng.choice(stories)
        start = rng.uniform(0, 3000)
        batch.append(
            Passage(
                story=story,
                start=start,
                end=start + rng.uniform(20, 40),
                has_captions=rng.random() < 0.7,
                text=words(rng, rng.randint(50, 90)) + ".",
                **facts[story.pk],
            )
        )
        made += 1
        if len(batch) == 2000 or made == args.passages:
            with transaction.atomic():
                created = Passage.objects.bulk_create(batch)
                # About one passage in five has a confirmed theme or dimension.
                through_t.objects.bulk_create(
                    [
                        through_t(passage_id=p.pk, theme_id=rng.choice(themes).pk)
                        for p in created
                        if rng.random() < 0.2
                    ]
                )
                through_d.objects.bulk_create(
                    [
                        through_d(passage_id=p.pk, dimension_id=rng.choice(dimensions).pk)
                        for p in created
                        if rng.random() < 0.2
                    ]
                )
            batch = []
    print(f"filled in {time.perf_counter() - began:.0f} s", flush=True)


def start_engine():
    env = {
        **os.environ,
        "ENGINE_PORT": "9252",
        "ENGINE_HOME": str(ROOT / "var" / "engine-bench"),
        "ENGINE_HEAP": "1g",
    }
    began = time.perf_counter()
    subprocess.run([str(ROOT / "scripts" / "engine.sh"), "start"], env=env, check=True)
    print(f"engine: cold start to green {time.perf_counter() - began:.1f} s")
    return "http://127.0.0.1:9252", env


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def summary(timings):
    return {f"p{q}_ms": round(percentile(timings, q), 1) for q in (50, 95, 99)}


def queries(n, mix):
    """One to three words each. "topic": any word of the vocabulary, each as likely (what
    people look for: police, school, housing). "common": words as often as they occur, so
    the commonest ("racism" is in 60% of passages) come up most (the worst case)."""
    rng = random.Random(7)
    weights = QUERY_WEIGHTS if mix == "common" else None
    return [" ".join(rng.choices(QUERY_WORDS, weights, k=rng.randint(1, 3))) for _ in range(n)]


def index(name):
    from wagtail.search.backends import get_search_backend

    from archive.models import StoryPage
    from search.indexing import prepare_indexes, reindex
    from search.models import Passage

    backend = get_search_backend(name)
    for each in backend.all_indexes():
        each.reset()
    prepare_indexes([name])
    began = time.perf_counter()
    counts = reindex(models=[StoryPage, Passage])
    took = time.perf_counter() - began
    backend.refresh_indexes()
    documents = sum(counts.values())
    return {
        "documents_indexed": documents,
        "index_seconds": round(took, 1),
        "docs_per_second": round(documents / took),
    }


def measure(name, args, mix):
    """The issue's query (top 20, count, facets) and the public search page, per query."""
    from wagtail.search.backends import get_search_backend

    from search import services
    from search.models import Passage

    backend = get_search_backend(name)

    def query_of(words):
        results = backend.search(words, Passage.objects.filter(allow_show=True), operator="or")
        top = list(results[:20])
        if args.one_by_one:  # as Wagtail's API alone asks: a request or statement each
            total = results.count()
            return top, {name: results.facet(name) for name in FACETS}, total
        facets = results.facets(*FACETS)  # and the total, alongside
        return top, facets, results.count()

    query_ms, page_ms, totals, stories = [], [], [], []
    for i, query in enumerate(queries(args.queries + 20, mix)):
        began = time.perf_counter()
        top, facets, total = query_of(query)
        middle = time.perf_counter()
        outcome = services.search({"q": query})
        ended = time.perf_counter()
        assert len(top) == min(20, total) and all(facets.values()) == bool(total), query
        assert not outcome.unavailable, query
        if i >= 20:  # the first queries warm caches
            query_ms.append((middle - began) * 1000)
            page_ms.append((ended - middle) * 1000)
            totals.append(total)
            stories.append(outcome.total)
    after_write = first_after_write(query_of, mix)
    return {
        "queries": len(query_ms),
        "query": summary(query_ms),
        "page": summary(page_ms),
        **after_write,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "mean_passages_matched": round(statistics.mean(totals)),
        "median_passages_matched": round(statistics.median(totals)),
        "mean_stories_matched": round(statistics.mean(stories)),
    }


def first_after_write(query_of, mix, rounds=10):
    """The first query and page after a write, each made the normal way (as an editor's
    save): a passage's theme confirmed or taken off (m2m signals queue its index update),
    a story saved (its page, its passages' copies of its facts, queued updates), and then
    the queued updates applied, as the worker would. Each write is followed by a query
    measured in this process, as a web process's first search after another's write:
    what each process keeps between searches (search.backends.changes) is read again."""
    from django.db import models

    from archive.models import StoryPage, Theme
    from search import indexing, services
    from search.models import Passage

    rng = random.Random(3)
    theme = Theme.objects.order_by("pk").first()
    passage_ids = list(Passage.objects.order_by("pk").values_list("pk", flat=True))[::997]
    story_ids = list(StoryPage.objects.order_by("pk").values_list("pk", flat=True))[::97]

    def label():
        passage = Passage.objects.get(pk=rng.choice(passage_ids))
        if passage.themes.filter(pk=theme.pk).exists():
            passage.themes.remove(theme)
        else:
            passage.themes.add(theme)

    def story():
        StoryPage.objects.get(pk=rng.choice(story_ids)).save()

    def captions():  # a raw update to every passage-derived array's table
        touched = rng.choice(passage_ids)
        Passage.objects.filter(pk=touched).update(has_captions=models.F("has_captions"))

    figures = {}
    for name, write in (("label", label), ("story", story), ("raw_update", captions)):
        query_ms, page_ms = [], []
        for query in queries(rounds, mix):
            write()
            indexing.apply_pending()
            began = time.perf_counter()
            query_of(query)
            query_ms.append((time.perf_counter() - began) * 1000)
            write()
            indexing.apply_pending()
            began = time.perf_counter()
            services.search({"q": query})
            page_ms.append((time.perf_counter() - began) * 1000)
        figures[f"after_{name}_write"] = {
            "query_p50_ms": round(statistics.median(query_ms), 1),
            "query_max_ms": round(max(query_ms), 1),
            "page_p50_ms": round(statistics.median(page_ms), 1),
            "page_max_ms": round(max(page_ms), 1),
        }
    return figures


def main():
    args = arguments()
    setup_django(args)
    fill(args)
    if args.fill_only:
        return
    from django.conf import settings
    from django.db import connection

    from config.settings.base import search_backends

    engine_env = None
    backends = {} if args.no_database else {"database": search_backends("")["default"]}
    if not args.no_engine:
        url = args.engine
        if not url:
            url, engine_env = start_engine()
        backends["engine"] = search_backends(url, prefix="bench_")["default"]
    rows = []
    try:
        for name in backends:
            # The backend measured is the only one: what reindex fills, what /search/ asks.
            settings.WAGTAILSEARCH_BACKENDS = {"default": backends[name]}
            row = {
                "backend": name if name != "engine" else settings.SEARCH_BACKEND,
                "database": connection.vendor,
                "facets_asked": "one by one" if args.one_by_one else "together",
            }
            if not args.keep_index:
                row.update(index("default"))
            print(json.dumps(row), flush=True)
            for mix in args.mix.split(","):
                rows.append({**row, "queries_from": mix, **measure("default", args, mix)})
                print(json.dumps(rows[-1]), flush=True)
    finally:
        if engine_env:
            subprocess.run([str(ROOT / "scripts" / "engine.sh"), "stop"], env=engine_env)
    load = os.getloadavg()
    result = {
        "stories": args.stories,
        "passages": args.passages,
        "load": [round(x, 2) for x in load],
        "results": rows,
    }
    (ROOT / "var" / "bench" / f"search-{connection.vendor}.json").write_text(
        json.dumps(result, indent=2)
    )
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
