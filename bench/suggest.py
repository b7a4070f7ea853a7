"""Suggestion throughput: passages per second and peak memory of `suggest --passages`' work.

    python bench/suggest.py [--passages 2000]

Generates passages (1 to 4 sentences drawn from the labelled passages in search/labelled/,
shuffled, so lengths are like real transcript passages), then times Suggester.suggest over
them in chunks of 64, as search.suggestions.suggest_for_new_passages does, with the model
already loaded (loading is reported apart). The rate is measured on the sample and
EXTRAPOLATED to 200,000 passages; the target is 200,000 in under 30 minutes on 2 cores.
Peak memory is the process's maximum resident set size. Results go to var/bench/suggest.json.

The machine this runs on may be shared, so beside the wall-clock rate it reports the load
average and the rate the same work would reach on the cores given to it alone: passages per
CPU-second (user + system time of this process, onnxruntime does not spin) times the cores.
The target is judged on that rate when the load average exceeds the cores, and on the
wall-clock rate otherwise. No database is needed: labels come from the strategy's text."""

import argparse
import json
import os
import random
import re
import resource
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
ARCHIVE_PASSAGES = 200_000
TARGET_SECONDS = 30 * 60
CHUNK = 64


def passages(count, seed=0):
    from search import evaluation

    sentences = []
    for path in (evaluation.DEV_SET, evaluation.HELD_OUT):
        for item in evaluation.read(path):
            sentences += [s for s in re.split(r"(?<=[.!?])\s+", item["text"]) if s]
    rng = random.Random(seed)
    return [" ".join(rng.sample(sentences, rng.randint(1, 4))) for _ in range(count)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=2000)
    args = parser.parse_args()
    sys.path.insert(0, str(BASE_DIR))
    # An empty database of its own: the labels then come from the strategy's text.
    (BASE_DIR / "var" / "bench").mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{BASE_DIR / 'var' / 'bench' / 'suggest.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from search.suggest import Suggester, strategy_labels

    texts = passages(args.passages)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    suggester = Suggester(strategy_labels())
    load_seconds = time.perf_counter() - started
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    for start in range(0, len(texts), CHUNK):
        suggester.suggest(texts[start : start + CHUNK])
    seconds, cpu_seconds = time.perf_counter() - started, _cpu_seconds() - cpu_started
    cores = os.cpu_count() or 1
    load = max(load_before, os.getloadavg()[0])
    rate = len(texts) / seconds
    free_rate = cores * len(texts) / cpu_seconds
    judged = free_rate if load > cores else rate
    projected = ARCHIVE_PASSAGES / judged
    result = {
        "passages_measured": len(texts),
        "mean_characters": round(sum(map(len, texts)) / len(texts)),
        "cores": cores,
        "load_average": round(load, 2),
        "model_load_seconds": round(load_seconds, 1),
        "seconds": round(seconds, 1),
        "passages_per_second": round(rate, 1),
        "cpu_seconds": round(cpu_seconds, 1),
        "passages_per_second_on_free_cores": round(free_rate, 1),
        "judged_on": "free cores (machine loaded)" if load > cores else "wall clock",
        "projected_seconds_for_200000 (extrapolated)": round(projected),
        "target_seconds": TARGET_SECONDS,
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "meets_target": projected < TARGET_SECONDS,
    }
    out = BASE_DIR / "var" / "bench" / "suggest.json"
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0 if result["meets_target"] else 1


def _cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    sys.exit(main())
