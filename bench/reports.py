"""make bench: the reports page and the Leadership Forum report's PDF at archive size.

    python bench/reports.py [--stories 10000] [--passages 200000] [--requests 60] [--postgres]

The archive is bench/search.py's (var/bench/search-<stories>-<passages>.sqlite3, or its
PostgreSQL database with --postgres), made the first time and reused. A report writer asks
the reports page (HTML only: charts have their own URL) with each pair of rows and columns
and a few filters, through Django's test client with every middleware; then exports a
Leadership Forum report with ten quotes as a PDF.
Targets (issue 12): reports page p95 < 200 ms; the PDF < 10 s. Exit 1 on a miss."""

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGE_P95_MS = 200
PDF_SECONDS = 10


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10000)
    parser.add_argument("--passages", type=int, default=200000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--postgres", action="store_true")
    return parser.parse_args()


def report_writer():
    from django.contrib.auth.models import Group, User

    user, _made = User.objects.get_or_create(username="bench-report-writer")
    user.groups.add(Group.objects.get(name="Report writers"))
    return user


def queries(n):
    from archive.models import Borough

    axes = ["theme", "dimension", "borough", "kind", "year"]
    pairs = [(r, c) for r, c in itertools.permutations(axes, 2)]
    borough = Borough.objects.order_by("pk").values_list("slug", flat=True).first()
    extra = [{}, {"kind": "oral-history"}, {"borough": borough}]
    every = [{"rows": r, "columns": c, **e} for (r, c), e in itertools.product(pairs, extra)]
    return list(itertools.islice(itertools.cycle(every), n))


def page_timings(client, n):
    from django.urls import reverse

    from bench.search import percentile

    url = reverse("reuse:reports")
    for params in queries(5):  # warm-up
        client.get(url, params)
    timings = []
    for params in queries(n):
        began = time.perf_counter()
        response = client.get(url, params)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
    return {f"p{q}_ms": round(percentile(timings, q), 1) for q in (50, 95, 99)}


def forum_pdf(client, user):
    from django.urls import reverse
    from django.utils import timezone

    from reuse.models import ReportQuote, SavedReport
    from search.models import Passage

    report, _made = SavedReport.objects.get_or_create(
        owner=user, title="Bench: Leadership Forum", kind="forum", year=timezone.now().year
    )
    if not report.quotes.exists():
        for position, pk in enumerate(
            Passage.objects.filter(allow_quote=True).values_list("pk", flat=True)[:10]
        ):
            ReportQuote.objects.create(report=report, passage_id=pk, position=position)
    seconds = []
    for _first_then_warm in range(2):  # the first also loads WeasyPrint, Pango and fonts
        began = time.perf_counter()
        response = client.get(reverse("reuse:report_pdf", args=[report.pk]))
        seconds.append(round(time.perf_counter() - began, 2))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    return seconds, len(response.content)


def main():
    args = arguments()
    from bench import search as archive

    archive.setup_django(args)
    archive.fill(args)
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    user = report_writer()
    client = Client()
    client.force_login(user)
    page = page_timings(client, args.requests)
    (pdf_cold, pdf_seconds), pdf_bytes = forum_pdf(client, user)
    result = {
        "database": connection.vendor,
        "stories": args.stories,
        "passages": args.passages,
        "reports_page": page,
        "forum_pdf_seconds": pdf_seconds,
        "forum_pdf_first_seconds": pdf_cold,
        "forum_pdf_bytes": pdf_bytes,
    }
    (ROOT / "var" / "bench" / f"reports-{connection.vendor}.json").write_text(
        json.dumps(result, indent=2)
    )
    page_ok = page["p95_ms"] < PAGE_P95_MS
    pdf_ok = pdf_cold < PDF_SECONDS
    print(f"reports page ({connection.vendor}, {args.stories} stories, {args.passages} passages)")
    print(
        f"  p50 {page['p50_ms']} ms, p95 {page['p95_ms']} ms (target < {PAGE_P95_MS} ms)"
        f"  {'ok' if page_ok else 'MISSED'}"
    )
    print(
        f"Leadership Forum PDF: {pdf_seconds} s, first in the process {pdf_cold} s"
        f" (target < {PDF_SECONDS} s)"
        f"  {'ok' if pdf_ok else 'MISSED'}"
    )
    return 0 if page_ok and pdf_ok else 1


if __name__ == "__main__":
    sys.exit(main())
