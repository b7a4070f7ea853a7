"""Editors' consent screens in the Wagtail admin: the register of consent records,
paper or phone consent, the private scanned form, and withdrawal on someone's behalf."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from files.serving import serve_file

from . import history, portal, records
from .forms import PaperConsentForm, WithdrawalChoiceForm
from .models import ConsentRecord, ConsentStatus


@permission_required("consent.view_consentrecord", raise_exception=True)
def register(request):
    records = ConsentRecord.objects.select_related(
        "story", "contributor", "form_version"
    ).prefetch_related("withdrawals")[:200]
    return TemplateResponse(request, "consent/admin/register.html", {"records": records})


@permission_required("consent.view_consentrecord", raise_exception=True)
def record(request, pk):
    """One record: what was agreed, each version since, and every audit line."""
    record = get_object_or_404(
        ConsentRecord.objects.select_related("story", "contributor", "form_version", "taken_by"),
        pk=pk,
    )
    context = {
        "record": record,
        "versions": history.versions(record),
        "trail": history.trail(record),
        "withdrawals": record.withdrawals.order_by("requested_at", "pk"),
    }
    return TemplateResponse(request, "consent/admin/record.html", context)


@permission_required("consent.add_consentrecord", raise_exception=True)
def paper_consent(request):
    form = PaperConsentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        record, code = records.record_consent(
            data["story"],
            data,
            channel=data["channel"],
            taken_by=request.user,
            scanned_form=data.get("scanned_form"),
        )
        # Shown once, to pass on to the contributor; only its hash is stored.
        return TemplateResponse(
            request, "consent/admin/paper_done.html", {"record": record, "code": code}
        )
    return TemplateResponse(request, "consent/admin/paper.html", {"form": form})


@permission_required("consent.view_consentrecord", raise_exception=True)
def scanned_form(request, pk):
    record = get_object_or_404(ConsentRecord, pk=pk)
    if not record.scanned_form:
        raise Http404
    suffix = record.scanned_form.name.rsplit(".", 1)[-1]
    return serve_file(
        request, record.scanned_form, download_name=f"consent-form-{record.pk}.{suffix}"
    )


@permission_required("consent.withdraw_on_behalf", raise_exception=True)
def withdraw(request, pk):
    record = get_object_or_404(ConsentRecord, pk=pk)
    if record.status == ConsentStatus.WITHDRAWN:
        messages.info(request, "This story has already been withdrawn.")
        return redirect("consent_admin:register")
    recordings = records.recordings_of(record)
    # As on the contributor's own page: uses already stopped are not offered again.
    form = WithdrawalChoiceForm(request.POST or None, recordings=recordings, record=record)
    if request.method == "POST" and form.is_valid():
        done = portal.take_back(record, form.cleaned_data, actor=request.user)
        messages.success(
            request,
            f"Done: {done.withdrawal.get_scope_display().lower()}. "
            f"{'The contributor has been emailed.' if done.emailed else ''}",
        )
        return redirect("consent_admin:register")
    context = {"form": form, "record": record}
    return TemplateResponse(request, "consent/admin/withdraw.html", context)
