"""PostgreSQL full-text search that stays fast at archive size, as a subclass of modelsearch's
backend (search/backends/sqlite.py does the same for SQLite).

What it changes, and why (measured at 200,000 passages, see issue 5):
- Matching and ranking read `search_document` (search's migration 0005): each index entry's
  `title || body`, computed once when the entry is written, in a narrow table with its own GIN
  index, kept exact by triggers. Upstream tests `title || body` on Wagtail's wide entry rows,
  joining two vectors per row: a scan of 280 MB, 300 ms for a common word, to rank and again
  to count.
- A page of results (the top 20), the total and every facet come from one read of that table
  per search, for the matches' keys and ranks, and arrays this process keeps of which rows the
  queryset admits and their facetted values (search.backends.match_sets, kept current by
  search.backends.changes): p95 from 464 ms to about 80 ms.
- Where no array may be kept (a model without an integer key, a table without change triggers,
  a transaction that has written), a page is ranked from search_document alone and only its
  best candidates are joined to the queryset (search.backends.candidates); counts and facets
  join the matches to the queryset without ranking them, by an integer key where the model
  has one, and facets() counts several facets and the total in one statement.
- Relevance is upstream's ts_rank expression, over the one vector: a title counts through its
  field's weight, as in SQLite's bm25, so upstream's title_norm pass (an UPDATE scanning the
  entry table after every save) is not run.
- ANALYZE after bulk indexing, so the planner knows the new entries.
Searches over named fields (fields=...), autocomplete and fuzzy search are upstream's."""

from collections import Counter, OrderedDict

import numpy as np
from django.contrib.postgres.search import SearchVectorField
from django.db import connections
from django.db.models import Count
from django.db.models.expressions import RawSQL
from modelsearch.backends.database.postgres import postgres as upstream
from modelsearch.query import Fuzzy, MatchAll, Not
from modelsearch.utils import get_descendants_content_types_pks

from .candidates import CandidateRanking
from .match_sets import MatchSet
from .results import FacetsMixin

DOCUMENTS = "search_document"
INTEGER_KEYS = {"integer", "bigint", "smallint"}


class PostgresIndex(upstream.PostgresIndex):
    def _refresh_title_norms(self, full=False):
        # Ranking reads search_document, where a title counts through its field's weight.
        return

    def analyze(self):
        with self.write_connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {upstream.IndexEntry._meta.db_table}")
            cursor.execute(f"ANALYZE {DOCUMENTS}")


class PostgresSearchQueryCompiler(CandidateRanking, upstream.PostgresSearchQueryCompiler):
    def _reads_documents(self):
        """Whether this search reads search_document: a search of the whole index entry
        (not of named fields), and not one upstream answers without matching."""
        query = self.query
        if self.fields is not None or isinstance(query, (MatchAll, Fuzzy)):
            return False
        return not (isinstance(query, Not) and isinstance(query.subquery, MatchAll))

    def _compile(self, expression):
        query = self.queryset.query
        compiler = query.get_compiler(using=self.queryset.db)
        sql, params = compiler.compile(expression.resolve_expression(query))
        return sql, list(params)

    def _match(self, config):
        """(tsquery SQL, params) and (rank SQL, params) over search_document's vector."""
        # A column of our own constant table: no value reaches this SQL.
        vector = RawSQL(f'"{DOCUMENTS}"."vector"', (), output_field=SearchVectorField())  # noqa: S611 - see above
        tsquery = self._compile(self.build_tsquery(self.query, config=config))
        # Upstream's rank for the query, without its boost of 1.0 (a float8 product whose text
        # is slower to make than the ts_rank's own float4).
        rank = self._compile(self.build_tsrank(vector, self.query, config=config))
        return tsquery, rank

    def _matching_documents(self, config):
        """(rank SQL, its parameters, WHERE SQL choosing the documents of the model's content
        types that match, its parameters), over search_document alone."""
        (tsquery_sql, tsquery_params), (rank_sql, rank_params) = self._match(config)
        ct_pks = list(get_descendants_content_types_pks(self.queryset.model))
        marks = ", ".join(["%s"] * len(ct_pks))
        where = f"{DOCUMENTS}.content_type_id IN ({marks}) AND {DOCUMENTS}.vector @@ {tsquery_sql}"
        return rank_sql, rank_params, where, [*ct_pks, *tsquery_params]

    def _integer_key(self):
        connection = connections[self.queryset.db]
        return self.queryset.model._meta.pk.db_type(connection) in INTEGER_KEYS

    def _document_to_row(self):
        """WHERE terms that join a document to the queryset's row (the model's content types,
        its key: as integers where the key is one), and their parameters."""
        model = self.queryset.model
        pk = f'"{model._meta.db_table}"."{model._meta.pk.column}"'
        ct_pks = list(get_descendants_content_types_pks(model))
        marks = ", ".join(["%s"] * len(ct_pks))
        if self._integer_key():
            join = f"{DOCUMENTS}.object_key = {pk}"
        else:
            join = f"{DOCUMENTS}.object_id = ({pk})::varchar(50)"
        return [f"{DOCUMENTS}.content_type_id IN ({marks})", join], ct_pks

    def _matching(self, tsquery, rank=None, rank_name="_score"):
        """The queryset's rows whose documents match, by one join; with `rank`, their score
        as `rank_name`."""
        (tsquery_sql, tsquery_params) = tsquery
        where, params = self._document_to_row()
        select, select_params = ({rank_name: rank[0]}, rank[1]) if rank else (None, None)
        # Wagtail's own compiled SQL and our constant table; every value is a bound parameter.
        return self.queryset.extra(  # noqa: S610 - see above
            select=select,
            select_params=select_params,
            tables=[DOCUMENTS],
            where=[f"{DOCUMENTS}.vector @@ {tsquery_sql}", *where],
            params=[*tsquery_params, *params],
        )

    def search(self, config, start, stop, score_field=None, backend=None, ranked=True):
        if not self._reads_documents():
            return super().search(config, start, stop, score_field=score_field, backend=backend)
        tsquery, rank = self._match(config)
        if ranked and (self.order_by_relevance or score_field):
            score_field = score_field or "_score"
            queryset = self._matching(tsquery, rank, score_field)
            if self.order_by_relevance:
                queryset = queryset.order_by(f"-{score_field}", "-pk")
        else:
            queryset = self._matching(tsquery)
        if not self.order_by_relevance and not queryset.query.order_by:
            queryset = queryset.order_by("-pk")  # stable pages (wagtail#3729)
        return queryset[start:stop]

    def match_set(self, config):
        """The search's matches as a MatchSet (keys and ranks), read from search_document once
        per search (its slices share this compiler), or None where SQL must answer."""
        if not hasattr(self, "_match_set"):
            self._match_set = None
            if self._reads_documents() and self._integer_key():
                rank, rank_params, where, where_params = self._matching_documents(config)

                def read_matches():
                    # Each match's key and rank as 16 bytes of one string: it parses a thousand
                    # times faster than text, and far faster than a row per match. The ranks are
                    # the SQL ranking's own values, so they order and tie as its ORDER BY does.
                    with connections[self.queryset.db].cursor() as cursor:
                        # rank and where: compiled SQL and our constant table; their values
                        # are the bound parameters.
                        cursor.execute(
                            "SELECT string_agg(int8send(object_key) "  # noqa: S608 - see above
                            f"|| float8send(({rank})::float8), ''::bytea) "
                            f"FROM {DOCUMENTS} WHERE {where}",
                            [*rank_params, *where_params],
                        )
                        pairs = np.frombuffer(
                            cursor.fetchone()[0] or b"", dtype=[("key", ">i8"), ("rank", ">f8")]
                        )
                    return pairs["key"].astype(np.int64), pairs["rank"].astype(float)

                self._match_set = MatchSet.of(self.queryset, read_matches)
        return self._match_set

    def top(self, start, stop, config=None):
        if self.order_by_relevance:
            matches = self.match_set(config)
            if matches is not None:
                chosen = matches.best(start, stop)
                objects = self.queryset.in_bulk(chosen)  # only the page's rows are loaded
                return [objects[pk] for pk in chosen if pk in objects]
        return super().top(start, stop, config)

    def candidates(self, limit, config=None):
        """{document id: -rank} of the `limit` best documents of the model's content types,
        ranked from search_document alone; tied ranks by the object's key, highest first."""
        if not self._reads_documents() or not self._integer_key():
            return None
        rank, rank_params, where, where_params = self._matching_documents(config)
        with connections[self.queryset.db].cursor() as cursor:
            # rank and where: compiled SQL and our constant table; values are bound parameters.
            cursor.execute(
                f"SELECT entry_id, {rank} FROM {DOCUMENTS} WHERE {where} "  # noqa: S608 - see above
                "ORDER BY 2 DESC, object_key DESC LIMIT %s",
                [*rank_params, *where_params, limit],
            )
            return {entry_id: -rank for entry_id, rank in cursor.fetchall()}

    def admit(self, scores):
        where, params = self._document_to_row()
        # Our constant table; the candidate ids are one bound array.
        found = self.queryset.extra(  # noqa: S610 - see above
            select={"_entry_id": f"{DOCUMENTS}.entry_id"},
            tables=[DOCUMENTS],
            where=[f"{DOCUMENTS}.entry_id = ANY(%s)", *where],
            params=[[int(entry_id) for entry_id in scores], *params],
        ).values_list("_entry_id", "pk")
        return [(scores[entry_id], -pk, pk) for entry_id, pk in found]  # ties: newest first


class PostgresSearchResults(FacetsMixin, upstream.PostgresSearchResults):
    def _do_search(self):
        if self.stop is not None and not self._score_field:
            compiler = self.query_compiler
            best = compiler.top(self.start or 0, self.stop, compiler.get_config(self.backend))
            if best is not None:
                return best
        return super()._do_search()

    def _matches(self):
        """Every match, unranked: what counts and facets need."""
        compiler = self.query_compiler
        return compiler.search(
            compiler.get_config(self.backend), None, None, backend=self.backend, ranked=False
        )

    def _match_set(self):
        compiler = self.query_compiler
        return compiler.match_set(compiler.get_config(self.backend))

    def _do_count(self):
        # A count needs no ranks; a slice of the results counts what the slice holds.
        matches = self._match_set()
        total = (matches.count() if matches is not None else self._matches().count()) - self.start
        if self.stop is not None:
            total = min(total, self.stop - self.start)
        return max(total, 0)

    def facet(self, field_name):
        if self.query_compiler._get_filterable_field(field_name) is None:
            return super().facet(field_name)  # upstream's, which raises FilterFieldError
        matches = self._match_set()
        counts = matches.facet(field_name) if matches is not None else None
        if counts is not None:
            return counts
        rows = (
            self._matches()
            .order_by()
            .values(field_name)
            .annotate(count=Count("pk"))
            .order_by("-count")
        )
        return OrderedDict((row[field_name], row["count"]) for row in rows)

    def facets(self, *field_names):
        compiler = self.query_compiler
        for name in field_names:
            if compiler._get_filterable_field(name) is None:
                return super().facet(name)  # upstream's, which raises FilterFieldError
        matches = self._match_set()
        if not field_names or self.start or self.stop is not None or matches is not None:
            return super().facets(*field_names)  # one facet() each: from arrays, if kept
        # One scan counts every combination of values (GROUPING SETS would not run in
        # parallel); each facet, and the total, is a sum of those.
        combinations = (
            self._matches().order_by().values_list(*field_names).annotate(n=Count("pk")).order_by()
        )
        counts = {name: Counter() for name in field_names}
        total = 0
        for *values, n in combinations:
            total += n
            for name, value in zip(field_names, values, strict=True):
                counts[name][value] += n
        self._count_cache = total
        return {name: OrderedDict(counter.most_common()) for name, counter in counts.items()}


class PostgresSearchBackend(upstream.PostgresSearchBackend):
    index_class = PostgresIndex
    query_compiler_class = PostgresSearchQueryCompiler
    results_class = PostgresSearchResults


SearchBackend = PostgresSearchBackend
