"""The archive's own views: recordings streamed through the consent gate, and the public
portal's contribution form with its receipt."""

import uuid

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from consent import gate, portal
from consent.forms import forms_with_errors
from consent.ratelimits import too_many_requests
from consent.records import current_form_version
from files.serving import serve_file

from . import contribution, limits, staged_uploads, warnings
from .forms import ContributionForm
from .models import Recording
from .probe import RecordingRejected
from .prompts import recording_prompts
from .public_files import public_file


@require_safe
def serve_recording(request, key, variant):
    """Stream a recording's web rendition, poster or (for editors) original."""
    recording = get_object_or_404(Recording, key=key)
    if variant == "stream":
        if not (gate.may(gate.Use.PLAY, recording, request.user) and recording.is_ready):
            raise Http404
        # Editors hear the original rendition; everyone else the one with redacted spans
        # silenced (None while it is being made, so nothing unredacted slips out).
        if _may_edit(request.user, recording):
            media = recording.rendition
        else:
            media = public_file(recording)
        if not media:
            raise Http404
        return serve_file(request, media, recording.rendition_mime)
    if variant == "poster":
        # A poster is a frame of the video (the teller's face): only where playing is allowed.
        if not (gate.may(gate.Use.PLAY, recording, request.user) and recording.thumbnail):
            raise Http404
        return serve_file(request, recording.thumbnail)
    if variant == "original":
        # The original keeps the upload's metadata (name, location, device, cover art); the
        # rendition and poster are made without any (archive.tasks): editors only.
        if not (_may_edit(request.user, recording) and recording.file):
            raise Http404
        return serve_file(request, recording.file, download_name=recording.file.name.split("/")[-1])
    raise Http404


def _may_edit(user, recording):
    return user.is_authenticated and user.has_perm("archive.change_recording")


@require_POST
def content_warnings_choice(request):
    """A visitor's choice to hide stories with content warnings, or show them again, then
    back to the page the choice was made on."""
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = "/"
    response = redirect(back)
    warnings.remember_choice(response, request.POST.get("hide") == "1")
    return response


# --- contributing a story -------------------------------------------------------------


def _contribute_rate(group, request):
    return getattr(settings, "CONSENT_CONTRIBUTE_RATE", "20/h")


@never_cache
@ratelimit(key="ip", rate=_contribute_rate, method="POST", block=False)
def contribute(request):
    if request.limited:
        return too_many_requests(request)
    form_version = current_form_version()
    if request.method != "POST":
        form = ContributionForm(initial={"token": uuid.uuid4(), "naming": "anonymous"})
        return _contribute_page(request, form, form_version)
    form = ContributionForm(request.POST, request.FILES, session=request.session)
    if not form.is_valid():
        form.keep_uploads()
        return _contribute_page(request, form, form_version, status=400)
    files = staged_uploads.as_files(form.cleaned_data["recordings"])
    try:
        done = contribution.contribute(
            form.cleaned_data,
            files,
            token=form.cleaned_data["token"],
            user=request.user,
            contributor_key=limits.contributor_key(request),
        )
    except contribution.AlreadySubmitted:
        # A double click or a resend: the first submission's receipt, not a second story.
        return redirect("archive:contribute_thanks")
    except RecordingRejected as rejected:
        form.drop_kept()  # the file itself is at fault: it is not kept for another try
        form.add_error("recordings", rejected.message)
        return _contribute_page(request, form, form_version, status=400)
    except limits.Busy as busy:
        form.add_error(None, busy.message)
        return _contribute_page(request, form, form_version, status=503)
    finally:
        staged_uploads.close(files)
    form.drop_kept()  # stored as the story's recordings now
    return _receipt(request, done)


def _receipt(request, done):
    """To the receipt page, which shows the withdrawal code once (consent.portal)."""
    emailed = portal.send_receipt(done.record, done.code, portal.withdraw_url(done.record))
    response = redirect("archive:contribute_thanks")
    portal.hold_receipt(
        request,
        response,
        record=done.record,
        code=done.code,
        emailed=emailed,
        path=reverse("archive:contribute_thanks"),
    )
    return response


def _contribute_page(request, form, form_version, status=200):
    context = {
        "form": form,
        "form_version": form_version,
        "error_forms": forms_with_errors(form),
        "max_bytes": settings.RECORDING_MAX_BYTES,
        "recording_prompts": recording_prompts(),
        "chunk_bytes": settings.STAGED_UPLOAD_CHUNK_BYTES,
    }
    return render(request, "archive/contribute.html", context, status=status)


@never_cache
def contribute_thanks(request):
    """The receipt: the contributor's private link and, once, their withdrawal code."""
    context = portal.take_receipt(request)
    if context is None:
        return redirect("archive:contribute")
    response = render(request, "consent/receipt.html", context)
    portal.drop_receipt_key(response, reverse("archive:contribute_thanks"))
    return response
