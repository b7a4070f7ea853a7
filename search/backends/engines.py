"""Wagtail's engine backends (OpenSearch 2/3, Elasticsearch 7/8/9), each with one change:
facet() returns every value, not only the ten most frequent.

Upstream asks the engine for a terms aggregation without a size, so the engine's default of
ten buckets applies and the counts for an eleventh borough or a story's id are silently
dropped. The public search counts stories by facetting passages on story_id, which needs
them all. Chosen by config.settings.base.search_backends as
"search.backends.engines.<name>", the name being SEARCH_BACKEND (opensearch3, ...); written so it could be offered upstream
as a size argument to facet()."""

from importlib import import_module

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


class EveryValueFacetMixin:
    def _backend_do_search(self, body, **kwargs):
        for aggregation in body.get("aggregations", {}).values():
            if "terms" in aggregation:
                aggregation["terms"].setdefault("size", FACET_SIZE)
        return super()._backend_do_search(body, **kwargs)


def __getattr__(name):
    if name not in UPSTREAM:
        raise AttributeError(name)
    upstream = getattr(import_module(f"modelsearch.backends.{name}"), UPSTREAM[name])
    results = type(upstream.results_class.__name__, (EveryValueFacetMixin, upstream.results_class), {})
    backend = type(upstream.__name__, (upstream,), {"results_class": results, "__module__": __name__})
    globals()[name] = backend
    return backend
