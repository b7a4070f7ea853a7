from django.shortcuts import render

from . import services


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
