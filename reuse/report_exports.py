"""Saved reports: re-run, the Leadership Forum summary, and their CSV and PDF exports.

Each export asks the gate again (quotes whose story no longer allows QUOTE are left out)
and writes a Download row with the ids of the stories counted or quoted."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from . import quotes, reports
from .models import Download, DownloadedStory, DownloadKind, ReportKind, SavedReport

if TYPE_CHECKING:
    from consent.gate import Person as User

METHOD_NOTE = (
    "What is counted: stories in the Lived Experience Archive that are published and whose "
    "storytellers agreed, in their consent record, to be quoted in reports, as the archive "
    "held them on the day this report was made. A story counts under a theme or dimension "
    "given to it or to any of its passages; a passage counts under its own confirmed labels. "
    "A story's year is the year it was recorded, or else the year it was published.\n\n"
    "Consent: storytellers can narrow or withdraw their consent at any time; a story whose "
    "consent no longer allows reports is left out of the counts and its quotes are dropped.\n\n"
    "Suppression: " + reports.SUPPRESSION_RULE
)


def filters_of(report: SavedReport) -> reports.ReportFilters:
    return reports.ReportFilters.from_params(report.filters or {})


@dataclass
class ForumLine:
    label: str
    this_year: reports.Number
    last_year: reports.Number

    @property
    def change(self) -> str:
        return reports.change(self.this_year, self.last_year)


@dataclass
class Forum:
    year: int
    themes: list[ForumLine]
    boroughs: list[ForumLine]
    story_ids: list[int]


def forum(report: SavedReport, user: User) -> Forum:
    """Stories by theme and by borough in the report's year and the year before."""
    year = report.year or timezone.now().year
    base = filters_of(report)
    lines: dict[str, list[ForumLine]] = {}
    ids: set[int] = set()
    for axis in ("theme", "borough"):
        rows_filters = reports.with_years(
            reports.ReportFilters(**{**base.__dict__, "rows": axis}), year
        )
        counted = reports.counts(rows_filters, user)
        table = counted.stories
        ids.update(counted.story_ids)
        lines[axis] = [
            ForumLine(label, table.cell(value, year), table.cell(value, year - 1))
            for value, label in table.rows
        ]
    return Forum(year, lines["theme"], lines["borough"], sorted(ids))


def run(report: SavedReport, user: User) -> dict[str, Any]:
    """Everything a saved report shows, made now from the archive as it is."""
    report.last_run_at = timezone.now()
    SavedReport.objects.filter(pk=report.pk).update(last_run_at=report.last_run_at)
    made: dict[str, Any] = {"quotes": quotes.chosen(report, user)}
    if report.kind == ReportKind.LEADERSHIP_FORUM:
        made["forum"] = forum(report, user)
        made["story_ids"] = made["forum"].story_ids
    else:
        made["counts"] = reports.counts(filters_of(report), user)
        made["story_ids"] = made["counts"].story_ids
    made["method_note"] = report.method_note or METHOD_NOTE
    return made


def csv_of(report: SavedReport, made: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([report.title])
    writer.writerow([f"Values resting on fewer than {reports.THRESHOLD} stories: <5"])
    if "forum" in made:
        forum_made: Forum = made["forum"]
        for heading, lines in (("Theme", forum_made.themes), ("Borough", forum_made.boroughs)):
            writer.writerow([])
            writer.writerow(
                [heading, f"Stories {forum_made.year}", f"Stories {forum_made.year - 1}", "Change"]
            )
            for line in lines:
                change = "<5" if line.change == reports.SUPPRESSED else line.change
                writer.writerow([line.label, line.this_year.csv, line.last_year.csv, change])
        return out.getvalue()
    counted: reports.Counts = made["counts"]
    for table in (counted.stories, counted.passages):
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(["", *[label for _v, label in table.columns], "Total"])
        for label, cells, total in table.grid():
            writer.writerow([label, *[n.csv for n in cells], total.csv])
        writer.writerow(["Total", *[n.csv for n in table.column_total_list()], table.total.csv])
    return out.getvalue()


def pdf_of(report: SavedReport, made: dict[str, Any]) -> bytes:
    from .pdf import render_pdf

    return render_pdf("reuse/reports/report_pdf.html", {"report": report, **made})


@transaction.atomic
def audit(report: SavedReport, user: User, kind: str, made: dict[str, Any]) -> Download:
    """The Download row and the ids of every story counted or quoted in it."""
    download = Download.objects.create(
        kind=kind, user=user if getattr(user, "pk", None) else None, report_id_value=report.pk
    )
    ids = set(made["story_ids"]) | {quote.passage.story_id for quote, _c in made["quotes"]}
    DownloadedStory.objects.bulk_create(
        [DownloadedStory(download=download, story_id_value=pk) for pk in sorted(ids)],
        batch_size=2000,
    )
    return download


def export(report: SavedReport, user: User, what: str) -> bytes | str:
    made = run(report, user)
    if what == "csv":
        audit(report, user, DownloadKind.REPORT_CSV, made)
        return csv_of(report, made)
    audit(report, user, DownloadKind.REPORT_PDF, made)
    return pdf_of(report, made)
