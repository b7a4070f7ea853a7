"""Editors confirm or reject label suggestions, seeing the reason for each."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST
from wagtail.admin.utils import get_valid_next_url_from_request

from consent.gate import MODERATE_PERMISSION

from . import suggestions
from .models import Suggestion, SuggestionStatus


def _editors_only(request):
    # Confirmed labels become public facets: only people who moderate stories decide.
    if not request.user.has_perm(MODERATE_PERMISSION):
        raise PermissionDenied


def review(request):
    _editors_only(request)
    pending = (
        Suggestion.objects.filter(status=SuggestionStatus.SUGGESTED)
        .select_related("passage__story", "dimension", "theme")
        .order_by("passage_id", "label_kind", "rank")
    )
    page = Paginator(pending, 30).get_page(request.GET.get("page"))
    return TemplateResponse(request, "search/admin/review.html", {"page": page})


@require_POST
def decide(request, pk, decision):
    _editors_only(request)
    if decision not in ("confirm", "reject"):
        raise Http404
    suggestion = get_object_or_404(Suggestion, pk=pk, status=SuggestionStatus.SUGGESTED)
    confirm = decision == "confirm"
    suggestions.decide(suggestion, request.user, confirm)
    verb = "confirmed" if confirm else "rejected"
    messages.success(
        request, f"“{suggestion.label}” {verb} for the passage at {suggestion.passage.timestamp}."
    )
    # From the story editor's panel (search.story_panel) the editor goes back to the story.
    return redirect(get_valid_next_url_from_request(request) or "search_suggestions")
