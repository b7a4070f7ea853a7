from django.shortcuts import render

from archive import warnings

from . import services


def search(request):
    """Public search: the work is in services.search; the page only shows what it found."""
    hide_warned = warnings.hides_warned(request)
    outcome = services.search(request.GET, request.user, hide_warned=hide_warned)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "outcome": outcome,
        "filters": outcome.filters,
        "facets": outcome.facets,
        "query_without_page": params.urlencode(),
        "hides_warned": hide_warned,
        "hidden_warned": outcome.hidden_warned,
    }
    status = 503 if outcome.unavailable else 200
    return render(request, "search/search.html", context, status=status)
