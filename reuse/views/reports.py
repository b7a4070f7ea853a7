"""Report writers' pages: counts with charts, the quote finder, saved reports and exports.
Thin: the work is in reuse.reports, reuse.quotes, reuse.charts and reuse.report_exports."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import charts, quotes, report_exports, reports
from ..models import ReportKind, SavedReport


def report_writer_only(view):
    """Signed out: to the sign-in page. Signed in without the role: a plain 403 page."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not quotes.may_quote(request.user):
            return render(request, "reuse/reports/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _choices() -> dict[str, Any]:
    return {
        "axes": list(reports.AXES.items()),
        "themes": reports.axis_values("theme")[:-1],
        "dimensions": reports.axis_values("dimension")[:-1],
        "boroughs": reports.axis_values("borough"),
        "kinds": reports.axis_values("kind"),
        "years": reports.axis_values("year")[:-1],
    }


@report_writer_only
def reports_page(request: HttpRequest) -> HttpResponse:
    filters = reports.ReportFilters.from_params(request.GET)
    counted = reports.counts(filters, request.user)
    context = {
        "filters": filters,
        "counts": counted,
        "tables": [("stories", counted.stories), ("passages", counted.passages)],
        "query": request.GET.urlencode(),
        "rule": reports.SUPPRESSION_RULE,
        "alternatives": {
            "stories": charts.text_alternative(counted.stories),
            "passages": charts.text_alternative(counted.passages),
        },
        **_choices(),
        **_slug_choices(),
    }
    return render(request, "reuse/reports/reports.html", context)


def _slug_choices() -> dict[str, Any]:
    from archive.models import Borough, Dimension, Theme

    return {
        "theme_slugs": list(Theme.objects.values_list("slug", "name")),
        "dimension_slugs": list(Dimension.objects.values_list("slug", "name")),
        "borough_slugs": list(Borough.objects.order_by("name").values_list("slug", "name")),
    }


@report_writer_only
def chart(request: HttpRequest, which: str) -> HttpResponse:
    if which not in ("stories", "passages"):
        raise Http404
    counted = reports.counts(reports.ReportFilters.from_params(request.GET), request.user)
    svg = charts.bars_svg(getattr(counted, which))
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"  # counts change with consent
    return response


@report_writer_only
def quote_finder(request: HttpRequest) -> HttpResponse:
    filters = reports.ReportFilters.from_params(request.GET)
    try:
        found, unavailable = quotes.find(filters, request.user), False
    except Exception:
        reports_logger().exception("reuse: the search backend did not answer")
        found, unavailable = [], True
    context = {
        "filters": filters,
        "results": [(p, quotes.credit(p)) for p in found],
        "unavailable": unavailable,
        "my_reports": SavedReport.objects.filter(owner=request.user),
        **_slug_choices(),
        "kinds": reports.axis_values("kind"),
        "years": reports.axis_values("year")[:-1],
    }
    return render(request, "reuse/reports/quotes.html", context, status=503 if unavailable else 200)


def reports_logger():
    import logging

    return logging.getLogger("reuse.reports")


@report_writer_only
@require_POST
def save_report(request: HttpRequest) -> HttpResponse:
    filters = reports.ReportFilters.from_params(request.POST)
    kind = request.POST.get("kind_of_report")
    year = request.POST.get("forum_year", "")
    forum = kind == ReportKind.LEADERSHIP_FORUM
    report = SavedReport.objects.create(
        owner=request.user,
        title=(request.POST.get("title") or "").strip()[:200] or "Untitled report",
        kind=ReportKind.LEADERSHIP_FORUM if forum else ReportKind.COUNTS,
        filters=filters.as_params(),
        year=int(year) if forum and year.isdigit() else (timezone.now().year if forum else None),
        method_note=report_exports.METHOD_NOTE,
    )
    return redirect("reuse:saved_report", pk=report.pk)


def _own_report(request: HttpRequest, pk: int) -> SavedReport:
    return get_object_or_404(SavedReport, pk=pk, owner=request.user)


@report_writer_only
def saved_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = _own_report(request, pk)
    if request.method == "POST":
        _change(request, report)
        return redirect(reverse("reuse:saved_report", args=[report.pk]) + "#quotes")
    made = report_exports.run(report, request.user)
    context = {"report": report, **made, "rule": reports.SUPPRESSION_RULE}
    if "counts" in made:
        context["tables"] = [
            ("stories", made["counts"].stories),
            ("passages", made["counts"].passages),
        ]
    return render(request, "reuse/reports/saved_report.html", context)


def _change(request: HttpRequest, report: SavedReport) -> None:
    action = request.POST.get("action", "")
    quote_id = _number(request.POST.get("quote"))
    if action == "add_quote":
        quotes.add(report, _number(request.POST.get("passage")), request.user)
    elif action == "remove_quote":
        quotes.remove(report, quote_id)
    elif action in ("up", "down"):
        quotes.move(report, quote_id, -1 if action == "up" else 1)
    elif action == "method_note":
        report.method_note = request.POST.get("method_note", "")[:10000]
        report.save(update_fields=["method_note", "updated_at"])
    elif action == "acknowledge":
        report.changed_by_consent_at = None
        report.consent_change_note = ""
        report.save(update_fields=["changed_by_consent_at", "consent_change_note"])


def _number(value: Any) -> int:
    return int(value) if isinstance(value, str) and value.isdigit() else 0


@report_writer_only
@require_POST
def add_quote(request: HttpRequest) -> HttpResponse:
    report = _own_report(request, _number(request.POST.get("report")))
    quotes.add(report, _number(request.POST.get("passage")), request.user)
    return redirect(reverse("reuse:saved_report", args=[report.pk]) + "#quotes")


@report_writer_only
def report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    report = _own_report(request, pk)
    response = HttpResponse(
        report_exports.export(report, request.user, "csv"), content_type="text/csv"
    )
    response["Content-Disposition"] = f'attachment; filename="report-{report.pk}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@report_writer_only
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _own_report(request, pk)
    response = HttpResponse(
        report_exports.export(report, request.user, "pdf"), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="report-{report.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
