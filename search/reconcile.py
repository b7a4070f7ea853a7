"""search_reconcile: the repair for an index that missed updates (engine down, restored
from a backup, a bug). Works a chunk at a time, so 10,000 stories never sit in memory."""

from wagtail.search.backends import get_search_backend

from . import indexing
from .models import PendingIndexUpdate

# The models whose presence in an index is a consent question.
GATED = ("archive.StoryPage", "search.Passage")


def run(chunk=500, stdout=None):
    replayed, _failed = indexing.apply_pending()
    report = {"replayed": replayed, "models": []}
    from django.apps import apps

    for name in indexing.backend_names():
        indexing.prepare_indexes([name])
        backend = get_search_backend(name)
        for label in GATED:
            model = apps.get_model(label)
            allowed = _add_allowed(backend, model, chunk)
            removed = _remove_disallowed(backend, model, chunk)
            report["models"].append(
                {"backend": name, "model": label, "allowed": allowed, "removed": removed}
            )
        indexing._analyze(backend)
    report["waiting"] = PendingIndexUpdate.objects.count()
    return report


def _chunks(queryset, chunk):
    last = None
    while True:
        batch = list((queryset.filter(pk__gt=last) if last is not None else queryset)[:chunk])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def _add_allowed(backend, model, chunk):
    count = 0
    for batch in _chunks(indexing.gated(model.get_indexed_objects()).order_by("pk"), chunk):
        backend.add_bulk(model, batch)
        count += len(batch)
    return count


def _remove_disallowed(backend, model, chunk):
    allowed = indexing.gated(model.get_indexed_objects()).values("pk")
    count = 0
    for batch in _chunks(model._default_manager.exclude(pk__in=allowed).order_by("pk"), chunk):
        for obj in batch:
            backend.delete(obj)
        count += len(batch)
    return count
