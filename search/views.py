from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from . import clips, services


def search(request):
    """Public search: the work is in services.search; the page only shows what it found."""
    outcome = services.search(request.GET, request.user)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "outcome": outcome,
        "filters": outcome.filters,
        "facets": outcome.facets,
        "query_without_page": params.urlencode(),
    }
    status = 503 if outcome.unavailable else 200
    return render(request, "search/search.html", context, status=status)


@login_required
def clip_search(request):
    """Trainers find passages allowed for training and keep the ones they want in a basket."""
    if not clips.may_clip(request.user):
        raise PermissionDenied
    query = services._text(request.GET.get("q"), services.MAX_QUERY)
    try:
        results, unavailable = clips.search(query, request.user), False
    except Exception:
        services.logger.exception("search: the search backend did not answer")
        results, unavailable = [], True
    context = {
        "query": query,
        "results": results,
        "basket": clips.basket(request),
        "unavailable": unavailable,
    }
    return render(request, "search/clips.html", context, status=503 if unavailable else 200)


@login_required
@require_POST
def clip_basket(request, passage_id, action):
    if not clips.may_clip(request.user):
        raise PermissionDenied
    if action not in ("add", "remove", "widen", "narrow") or not clips.change(
        request, passage_id, action
    ):
        raise Http404
    query = urlencode({"q": services._text(request.POST.get("q"), services.MAX_QUERY)})
    return redirect(f"{reverse('search:clips')}?{query}#basket")
