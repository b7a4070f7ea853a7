"""Does each search backend answer? For /healthz (config.health): the database backend
is the site's own database; an engine is asked for its cluster's health, which is red when
a primary shard has no copy left (yellow, a missing replica, still answers every search)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from wagtail.search.backends import get_search_backend

from .indexing import backend_names


@dataclass
class BackendHealth:
    name: str
    ok: bool
    detail: str


def backends_health() -> list[BackendHealth]:
    return [_health(name) for name in backend_names()]


def _health(name: str) -> BackendHealth:
    backend = get_search_backend(name)
    client = getattr(backend, "es", None)
    if client is None:
        return BackendHealth(name, True, "the site's database")
    try:
        health = client.cluster.health(request_timeout=settings.SEARCH_TIMEOUT)
    except Exception as error:
        return BackendHealth(
            name, False, f"the search engine does not answer ({type(error).__name__})"
        )
    status = health.get("status", "red")
    return BackendHealth(
        name, status != "red", f"cluster {status}, {health.get('number_of_nodes', 0)} nodes"
    )
