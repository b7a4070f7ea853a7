"""The public side of consent: take a story back, in full or in part, and download what we
hold. (Contributing a story is the archive's: archive.views.contribute.)"""

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from . import portal, ratelimits, records
from .forms import CodeForm, WithdrawalChoiceForm, forms_with_errors
from .models import ConsentRecord, ConsentStatus
from .ratelimits import too_many_requests
from .subject_access import subject_access_export

DONE_SESSION_KEY = "consent-withdrawn"


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
    code_form = CodeForm(request.POST or None, record=record)
    if _too_many_wrong_codes(request, code_form):
        return too_many_requests(request)
    choice_form = WithdrawalChoiceForm(
        request.POST or None, recordings=records.recordings_of(record), record=record
    )
    if request.method == "POST" and code_form.is_valid() and choice_form.is_valid():
        _take_back(request, record, choice_form.cleaned_data)
        return redirect("consent:withdrawn", reference=reference)
    status = 400 if request.method == "POST" else 200
    context = {
        "record": record,
        "code_form": code_form,
        "choice_form": choice_form,
        "error_forms": forms_with_errors(code_form, choice_form),
    }
    return render(request, "consent/withdraw.html", context, status=status)


def _take_back(request, record, data):
    """Withdraw as chosen, e-mail the outcome, and keep it for the confirmation page."""
    done = portal.take_back(record, data)
    request.session[DONE_SESSION_KEY] = {
        "scope": done.withdrawal.get_scope_display(),
        "emailed": done.emailed,
        "status": done.withdrawal.status,
        **done.outcome.as_dict(),
    }


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
        records.audit(record.pk, "subject access export downloaded")
        bundle = subject_access_export(record)
        return FileResponse(
            bundle, as_attachment=True, filename="my-story-data.zip", content_type="application/zip"
        )
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "record": record, "error_forms": forms_with_errors(form)}
    return render(request, "consent/export.html", context, status=status)
