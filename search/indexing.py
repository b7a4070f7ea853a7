"""Keeping every search index current, through the consent gate.

Wagtail's own AUTO_UPDATE is off (see settings): a change is written as PendingIndexUpdate
rows, one per backend, in the same transaction as the change itself, and the
apply_index_updates task applies them (search.tasks starts it on `updates_queued`). An
engine that is down or slow leaves its rows waiting, so saving and publishing still
succeed; the next run of the task, or `manage.py search_reconcile`, replays them.

`remove_everywhere` is the one removal path (withdrawal, expiry): what an engine cannot
take now is queued as a delete and retried, never lost."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Model
from django.dispatch import Signal
from wagtail.search.backends import get_search_backend
from wagtail.search.index import class_is_indexed, get_indexed_instance

from consent import gate

from . import passage_consent
from .models import IndexAction, PendingIndexUpdate

logger = logging.getLogger(__name__)
BULK = 500

# Sent once updates are queued; search.tasks applies them (connected in SearchConfig.ready), so
# this module knows nothing of the tasks that run it.
updates_queued = Signal()


def backend_names():
    return list(getattr(settings, "WAGTAILSEARCH_BACKENDS", {"default": {}}).keys())


def indexable(obj):
    """May this object be in a search index? Stories and passages ask the consent gate."""
    from archive.models import StoryPage

    from .models import Passage

    if isinstance(obj, Passage):
        return passage_consent.indexable(obj)
    if isinstance(obj, StoryPage):
        return gate.may(gate.Use.INDEX, obj)
    return True


def _indexed_instance(obj):
    # Pages are indexed as their specific type, as Wagtail does.
    return get_indexed_instance(obj, check_exists=False) or obj


def queue(obj, action=IndexAction.ADD):
    """Record that `obj` must be added (if allowed) or removed, in every backend, and start
    the task that applies it."""
    queue_many(type(obj), [obj.pk], action)


def queue_many(model: type[Model], pks: Sequence[Any], action: str = IndexAction.ADD) -> None:
    if not pks or not class_is_indexed(model):
        return
    content_type = ContentType.objects.get_for_model(model)
    for name in backend_names():
        for pk in pks:
            PendingIndexUpdate.objects.update_or_create(
                backend=name,
                content_type=content_type,
                object_id=str(pk),
                defaults={"action": action},
            )
    updates_queued.send(sender=model)


def prepare_indexes(names=None):
    """Create each engine index with its mapping if it is missing, so documents added one at a
    time are analysed as Wagtail intends (stemmed text, keyword filters), not guessed."""
    from wagtail.search.index import get_indexed_models

    for name in names or backend_names():
        backend = get_search_backend(name)
        for model in get_indexed_models():
            index = backend.get_index_for_model(model)
            exists = getattr(index, "exists", None)  # only engine indexes can be missing
            if exists is not None:
                if not exists():
                    index.put()
                index.add_model(model)  # idempotent: several models share the page index


_prepared = set()


def _prepare_once(name):
    key = (name, repr(settings.WAGTAILSEARCH_BACKENDS.get(name)))
    if key not in _prepared:
        prepare_indexes([name])
        _prepared.add(key)


def apply_pending(limit=None):
    """Apply waiting updates, oldest first. Returns (applied, failed)."""
    applied = failed = 0
    down = set()
    rows = PendingIndexUpdate.objects.select_related("content_type").order_by("id")
    for row in rows[:limit] if limit else rows:
        if row.backend in down:
            failed += 1
            continue
        try:
            _prepare_once(row.backend)
            _apply(row)
        except Exception as error:  # the engine is down, slow or refused the document
            logger.warning(
                "search: update for %s %s waits: %s", row.content_type, row.object_id, error
            )
            PendingIndexUpdate.objects.filter(pk=row.pk).update(
                attempts=F("attempts") + 1, last_error=str(error)[:2000]
            )
            down.add(row.backend)
            failed += 1
        else:
            row.delete()
            applied += 1
    return applied, failed


def _apply(row):
    if row.backend not in backend_names():
        return  # a backend no longer configured
    backend = get_search_backend(row.backend)
    model = row.content_type.model_class()
    obj = model._default_manager.filter(pk=row.object_id).first() if model else None
    if obj is not None:
        obj = _indexed_instance(obj)
    if obj is not None and row.action == IndexAction.ADD and indexable(obj):
        backend.add(obj)
    elif model is not None:
        backend.delete(obj or model(pk=row.object_id))


def remove_everywhere(objects: Iterable[Model]) -> None:
    """Remove objects from every backend now (withdrawal). What an engine cannot take now
    is queued as a delete and replayed; public results are also re-checked by the gate."""
    for name in backend_names():
        backend = get_search_backend(name)
        for obj in objects:
            try:
                backend.delete(_indexed_instance(obj))
            except Exception as error:
                logger.warning("search: delete from %s waits: %s", name, error)
                PendingIndexUpdate.objects.update_or_create(
                    backend=name,
                    content_type=ContentType.objects.get_for_model(type(obj)),
                    object_id=str(obj.pk),
                    defaults={"action": IndexAction.DELETE},
                )


def reindex(models=None, chunk=BULK):
    """Rebuild every index from the database through the gate, a chunk at a time so the
    whole archive is never held in memory. Returns {model label: documents indexed}."""
    from wagtail.search.index import get_indexed_models

    counts = {}
    for name in backend_names():
        backend = get_search_backend(name)
        for model in models or get_indexed_models():
            counts[model._meta.label] = _reindex_model(backend, model, chunk)
        _analyze(backend)
    return counts


def gated(queryset, use=gate.Use.INDEX):
    """The queryset narrowed by the consent gate, for the models the gate knows."""
    from .models import Passage

    if use == gate.Use.INDEX and issubclass(queryset.model, Passage):
        return passage_consent.indexable_queryset(queryset)
    try:
        return gate.permitted(use, queryset)
    except TypeError:  # not a story or story-bound model: no consent rule applies
        return queryset


def _reindex_model(backend, model, chunk):
    if backend.get_index_for_model(model) is None:
        return 0
    queryset = gated(model.get_indexed_objects()).order_by("pk")
    done, last = 0, None
    while True:
        batch = list((queryset.filter(pk__gt=last) if last is not None else queryset)[:chunk])
        if not batch:
            return done
        backend.add_bulk(model, batch)
        done += len(batch)
        last = batch[-1].pk


def _analyze(backend):
    index = backend.get_index_for_model(apps.get_model("search", "Passage"))
    analyze = getattr(index, "analyze", None)  # the SQLite index keeps statistics current
    if analyze:
        analyze()
