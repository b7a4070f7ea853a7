"""Wagtail's engine backends (OpenSearch 2/3, Elasticsearch 7/8/9) with complete facets
(EveryValueFacetMixin) and one client per engine and process.

Upstream asks the engine for a terms aggregation without a size, so the engine's default of
ten buckets applies and the counts for an eleventh borough or a story's id are silently
dropped; the public search counts stories by facetting passages on story_id, which needs them
all. Chosen by
config.settings.base.search_backends as "search.backends.engines.<SEARCH_BACKEND>"; written
against modelsearch 1.3 so it could be offered upstream."""

import os
import time
from collections import OrderedDict
from importlib import import_module

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .results import FacetsMixin

# Twice the interval at which an engine moves its retention leases on (30 s).
LEASE_WAIT_SECONDS = 60
# Enough for every story in a large archive; engines cap terms buckets at 65,536 by default.
FACET_SIZE = 50_000
# Each needs its own client library (opensearch-py, or elasticsearch 7, 8 or 9), so the
# class is made when it is first asked for.
UPSTREAM = {
    "opensearch2": "OpenSearch2SearchBackend",
    "opensearch3": "OpenSearch3SearchBackend",
    "elasticsearch7": "Elasticsearch7SearchBackend",
    "elasticsearch8": "Elasticsearch8SearchBackend",
    "elasticsearch9": "Elasticsearch9SearchBackend",
}


class EveryValueFacetMixin(FacetsMixin):
    """facet() counts every value (FACET_SIZE buckets, not the engine's default ten), and works
    on a boolean field (upstream's request, which counts a missing value as 0, is refused);
    facets() asks for several facets and the exact total in one request."""

    def _backend_do_search(self, body, **kwargs):
        for aggregation in body.get("aggregations", {}).values():
            if "terms" in aggregation:
                aggregation["terms"].setdefault("size", FACET_SIZE)
        return super()._backend_do_search(body, **kwargs)

    def facet(self, field_name):
        return self.facets(field_name)[field_name]

    def facets(self, *field_names):
        compiler = self.query_compiler
        model = compiler.queryset.model
        aggregations = {}
        for name in field_names:
            field = compiler._get_filterable_field(name)
            if field is None:
                return super().facet(name)  # upstream's, which raises FilterFieldError
            terms = {"field": compiler.mapping.get_field_column_name(field)}
            if not _is_boolean(model, name):
                terms["missing"] = 0  # as upstream: a missing value is counted as None
            aggregations[name] = {"terms": terms}
        body = {
            **self._get_es_body(for_count=True),
            "aggregations": aggregations,
            "track_total_hits": True,
        }
        response = self._backend_do_search(
            body, index=self.backend.get_index_for_model(model).name, size=0
        )
        # Every match is visited by the aggregations anyway, so the exact total costs nothing.
        total = response["hits"]["total"]
        total = total["value"] if isinstance(total, dict) else total
        total -= self.start
        if self.stop is not None:
            total = min(total, self.stop - self.start)
        self._count_cache = max(total, 0)
        return {
            name: _buckets(response["aggregations"][name]["buckets"], _is_boolean(model, name))
            for name in field_names
        }


def _buckets(buckets, boolean):
    """{value: count}; a story-id facet has thousands of buckets, so nothing per bucket but
    the key's conversion."""
    if boolean:
        return OrderedDict((bool(b["key"]), b["doc_count"]) for b in buckets)
    return OrderedDict((None if b["key"] == 0 else b["key"], b["doc_count"]) for b in buckets)


def _is_boolean(model, name):
    try:
        return isinstance(model._meta.get_field(name), models.BooleanField)
    except FieldDoesNotExist:
        return False


class ExpungeDeletedMixin:
    """expunge_deleted(): a deleted document stays in its segment, marked deleted, and its
    source in the translog, until a merge and a flush: a withdrawn story's words would stay in
    the index's files (issue 10). Run by search.purge after a withdrawal.

    A merge keeps every deleted document that a shard's retention lease still retains (for
    recovering a replica), and the engine moves its leases on only every 30 s (not a setting
    that can be changed), so the merge waits until they are past the deletes."""

    def expunge_deleted(self):
        names = [index.name for index in self.all_indexes() if index.exists()]
        if not names:
            return
        # A merge for deletes skips a segment with fewer than 10% of its documents deleted,
        # by default: one story among thousands always is.
        self.es.indices.put_settings(
            index=names, body={"index.merge.policy.expunge_deletes_allowed": 0}
        )
        self.es.indices.refresh(index=names)
        deleted_by = {key: copy["seq_no"]["max_seq_no"] for key, copy in self._shard_copies(names)}
        self._wait_for_leases(names, deleted_by)
        # Elasticsearch 7 takes the leases' new place into account at a commit.
        self.es.indices.flush(index=names)
        self.es.indices.forcemerge(index=names, only_expunge_deletes=True)
        # A new reader lets go of the merged segments, so their files are deleted; a flush
        # commits and drops the translog's copies of the documents.
        self.es.indices.refresh(index=names)
        self.es.indices.flush(index=names)
        left = self.es.indices.stats(index=names, metric="docs")["_all"]["total"]["docs"]["deleted"]
        if left:
            raise RuntimeError(f"{left} deleted documents are still in the index: try again later")

    def _shard_copies(self, names):
        stats = self.es.indices.stats(index=names, level="shards")["indices"]
        for index, data in stats.items():
            for number, copies in data["shards"].items():
                for copy in copies:
                    yield (index, number), copy

    def _wait_for_leases(self, names, deleted_by):
        deadline = time.monotonic() + LEASE_WAIT_SECONDS
        while any(
            lease["retaining_seq_no"] <= deleted_by[key]
            for key, copy in self._shard_copies(names)
            for lease in copy.get("retention_leases", {}).get("leases", [])
        ):
            if time.monotonic() > deadline:
                raise RuntimeError("the engine still retains deleted documents: try again later")
            time.sleep(1)


# One client per engine, settings and process: Wagtail makes a backend (and so a client, a
# connection pool and, for Elasticsearch, a product check) for every search.
_clients = {}


def _shared(client_class):
    def client(**kwargs):
        key = (client_class, os.getpid(), repr(sorted(kwargs.items())))
        if key not in _clients:
            _clients[key] = client_class(**kwargs)
        return _clients[key]

    return staticmethod(client)


def __getattr__(name):
    if name not in UPSTREAM:
        raise AttributeError(name)
    upstream = getattr(import_module(f"modelsearch.backends.{name}"), UPSTREAM[name])
    results = type(
        upstream.results_class.__name__, (EveryValueFacetMixin, upstream.results_class), {}
    )
    backend = type(
        upstream.__name__,
        (ExpungeDeletedMixin, upstream),
        {
            "results_class": results,
            "client_class": _shared(upstream.client_class),
            "__module__": __name__,
        },
    )
    globals()[name] = backend
    return backend
