"""PostgreSQL full-text search as Wagtail's backend does it, with its planner statistics kept
current after bulk indexing, as on SQLite: the expression indexes of search's migration 0004
are only chosen once ANALYZE has seen the new entries. facets() counts several facets and the
total in one statement, where asking each costs a scan of the matches."""

from collections import Counter, OrderedDict

from django.db.models import Count
from modelsearch.backends.database.postgres import postgres as upstream

from .results import FacetsMixin


class PostgresIndex(upstream.PostgresIndex):
    def analyze(self):
        table = upstream.IndexEntry._meta.db_table
        with self.write_connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")


class PostgresSearchResults(FacetsMixin, upstream.PostgresSearchResults):
    def facets(self, *field_names):
        compiler = self.query_compiler
        for name in field_names:
            if compiler._get_filterable_field(name) is None:
                return super().facet(name)  # upstream's, which raises FilterFieldError
        if not field_names or self.start or self.stop is not None:
            return super().facets(*field_names)
        matches = compiler.search(compiler.get_config(self.backend), None, None, backend=self.backend)
        # One scan counts every combination of values (GROUPING SETS would not run in
        # parallel); each facet, and the total, is a sum of those.
        combinations = matches.order_by().values_list(*field_names).annotate(n=Count("pk")).order_by()
        counts = {name: Counter() for name in field_names}
        total = 0
        for *values, n in combinations:
            total += n
            for name, value in zip(field_names, values):
                counts[name][value] += n
        self._count_cache = total
        counts = {name: OrderedDict(counter.most_common()) for name, counter in counts.items()}
        return counts


class PostgresSearchBackend(upstream.PostgresSearchBackend):
    index_class = PostgresIndex
    results_class = PostgresSearchResults


SearchBackend = PostgresSearchBackend
