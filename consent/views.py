"""The public side of consent: contribute a story, get a receipt, take it back."""

import time
import uuid

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from archive.probe import RecordingRejected

from . import limits, ratelimits, services
from .forms import CodeForm, ContributionForm, WithdrawalChoiceForm
from .models import ConsentRecord, ConsentStatus

RECEIPT_SESSION_KEY = "consent-receipt"
# The browser's half of the sealed code, and how long the receipt may still show it.
RECEIPT_KEY_COOKIE = "receipt-key"
RECEIPT_SECONDS = 15 * 60
DONE_SESSION_KEY = "consent-withdrawn"


def _rate(name, default):
    return lambda group, request: getattr(settings, name, default)


def too_many_requests(request):
    return render(request, "consent/too_many.html", status=429)


@never_cache
@ratelimit(key="ip", rate=_rate("CONSENT_CONTRIBUTE_RATE", "20/h"), method="POST", block=False)
def contribute(request):
    if request.limited:
        return too_many_requests(request)
    form_version = services.current_form_version()
    if request.method != "POST":
        form = ContributionForm(initial={"token": uuid.uuid4(), "naming": "anonymous"})
        return _contribute_page(request, form, form_version)
    form = ContributionForm(request.POST, request.FILES)
    if not form.is_valid():
        return _contribute_page(request, form, form_version, status=400)
    try:
        done = services.contribute(
            form.cleaned_data,
            form.cleaned_data["recordings"],
            token=form.cleaned_data["token"],
            user=request.user,
            contributor_key=limits.contributor_key(request),
        )
    except services.AlreadySubmitted:
        # A double click or a resend: the first submission's receipt, not a second story.
        return redirect("consent:receipt")
    except RecordingRejected as rejected:
        form.add_error("recordings", rejected.message)
        return _contribute_page(request, form, form_version, status=400)
    except limits.Busy as busy:
        form.add_error(None, busy.message)
        return _contribute_page(request, form, form_version, status=503)
    withdraw_url = request.build_absolute_uri(_withdraw_url(done.record))
    emailed = services.send_receipt(done.record, done.code, withdraw_url)
    return _hold_receipt(request, done, emailed)


def _hold_receipt(request, done, emailed):
    """Keep the code for the receipt page without storing it in clear: the session (a
    database row) gets one half of a one-time pad, the browser a short-lived cookie with
    the other (issue 10, point 3)."""
    sealed, key = services.seal_code(done.code)
    request.session[RECEIPT_SESSION_KEY] = {
        "reference": str(done.record.reference),
        "emailed": emailed,
        "sealed": sealed,
        "until": time.time() + RECEIPT_SECONDS,
    }
    response = redirect("consent:receipt")
    response.set_cookie(
        RECEIPT_KEY_COOKIE,
        key,
        max_age=RECEIPT_SECONDS,
        path=reverse("consent:receipt"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _contribute_page(request, form, form_version, status=200):
    context = {
        "form": form,
        "form_version": form_version,
        "error_forms": _with_errors(form),
        "max_bytes": settings.RECORDING_MAX_BYTES,
    }
    return render(request, "consent/contribute.html", context, status=status)


def _with_errors(*forms):
    return [form for form in forms if form.is_bound and form.errors]


def _withdraw_url(record):
    return reverse("consent:withdraw", args=[record.reference])


@never_cache
def receipt(request):
    details = request.session.get(RECEIPT_SESSION_KEY)
    if not details:
        return redirect("consent:contribute")
    record = get_object_or_404(ConsentRecord, reference=details["reference"])
    # The code is shown once, then both halves are dropped: the only lasting copy is a hash.
    sealed, until = details.pop("sealed", None), details.pop("until", 0)
    request.session[RECEIPT_SESSION_KEY] = details
    key = request.COOKIES.get(RECEIPT_KEY_COOKIE)
    code = services.unseal_code(sealed, key) if time.time() < until else None
    context = {
        "code": code,
        "emailed": details["emailed"],
        "withdraw_url": request.build_absolute_uri(_withdraw_url(record)),
    }
    response = render(request, "consent/receipt.html", context)
    response.delete_cookie(RECEIPT_KEY_COOKIE, path=reverse("consent:receipt"))
    return response


def _live_record(reference):
    record = ConsentRecord.objects.filter(reference=reference).select_related("story").first()
    if record is None:
        raise Http404
    return record


def _withdraw_rate():
    return getattr(settings, "CONSENT_WITHDRAW_RATE", "10/h")


def _too_many_wrong_codes(request, code_form):
    """Only a wrong code counts, and it is checked before the limit: a valid code always
    works, whoever else has been flooding (issue 10, point 12). A 60-bit code cannot be
    found by guessing; the limit slows floods of tries."""
    return (
        request.method == "POST"
        and not code_form.is_valid()
        and ratelimits.count_failure(request, "consent-code", _withdraw_rate())
    )


@never_cache
def withdraw(request, reference):
    record = _live_record(reference)
    if record.status == ConsentStatus.WITHDRAWN:
        return render(request, "consent/withdraw_done.html", {"already": True})
    recordings = _recordings(record)
    code_form = CodeForm(request.POST or None, record=record)
    if _too_many_wrong_codes(request, code_form):
        return too_many_requests(request)
    choice_form = WithdrawalChoiceForm(request.POST or None, recordings=recordings, record=record)
    if request.method == "POST" and code_form.is_valid() and choice_form.is_valid():
        data = choice_form.cleaned_data
        email = record.contributor.email if record.contributor else ""
        withdrawal = services.withdraw(
            record,
            data["scope"],
            uses=data["uses"],
            transcript_only=data.get("transcript_only", False),
            recording_key=data["recording"] or None,
        )
        outcome = services.withdrawal_outcome(withdrawal)
        emailed = services.send_withdrawal_confirmation(withdrawal, email, outcome)
        request.session[DONE_SESSION_KEY] = {
            "scope": withdrawal.get_scope_display(),
            "emailed": emailed,
            "status": withdrawal.status,
            **outcome.as_dict(),
        }
        return redirect("consent:withdrawn", reference=reference)
    status = 400 if request.method == "POST" else 200
    context = {
        "record": record,
        "code_form": code_form,
        "choice_form": choice_form,
        "error_forms": _with_errors(code_form, choice_form),
    }
    return render(request, "consent/withdraw.html", context, status=status)


def _recordings(record):
    if record.story is None:
        return []
    return [link.recording for link in record.story.story_recordings.select_related("recording")]


@never_cache
def withdrawn(request, reference):
    details = request.session.get(DONE_SESSION_KEY)
    if not details:
        return redirect("consent:withdraw", reference=reference)
    return render(request, "consent/withdraw_done.html", {"details": details})


@never_cache
def export(request, reference):
    """Subject access: everything held about the contributor, as a zip download."""
    record = _live_record(reference)
    form = CodeForm(request.POST or None, record=record)
    if _too_many_wrong_codes(request, form):
        return too_many_requests(request)
    if request.method == "POST" and form.is_valid():
        services.audit(record.pk, "subject access export downloaded")
        bundle = services.subject_access_export(record)
        return FileResponse(
            bundle, as_attachment=True, filename="my-story-data.zip", content_type="application/zip"
        )
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "record": record, "error_forms": _with_errors(form)}
    return render(request, "consent/export.html", context, status=status)
