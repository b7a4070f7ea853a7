"""SQLite FTS5 search that stays fast at archive size, as a subclass of modelsearch's backend.

What it changes, and why (measured at 200,000 passages, see issue 5):
- Relevance ranking in one statement. Upstream scores each hit with a correlated sub-query
  comparing the entry's text object_id with an integer key, which cannot use an index (p95
  over 3 s). Here the FTS table, the entry table and the model are joined once and ranked by
  FTS5's bm25() with the title column weighted, so the upstream title_norm pass is not needed.
- A page of results (the top 20) is ranked by FTS5 alone, without joins, and only its best
  candidates are joined to the queryset and its filters (more are taken if the filters leave
  too few; search.backends.candidates). At 200,000 passages this halved the time of a top 20
  for a common word. Tied scores go newest index entry first, in both rankings, so a page is
  always the page the full ranking gives.
- Counts and facets from one read of the FTS index per search, for row ids only, and arrays
  this process keeps between changes (search.backends.match_sets): the p95 of a top 20 with
  its total and three facets went from 368 ms to 56 ms. Where no array can be kept, they
  join once and never rank.
- Statistics: ANALYZE (and an FTS5 merge) after update_index; without ANALYZE SQLite chose a
  plan that took 131 s for one word.
- Queries are built from quoted words only, so no user input can be an FTS5 syntax error, and
  they honour operator="or" as well as "and".
- Stemming comes from the porter tokenizer, set on the FTS table by search's migration 0001.

Written against modelsearch 1.3's public classes so it could be offered upstream."""

import re
from collections import OrderedDict

import numpy as np
from django.db import connections, router
from django.db.models import Count
from modelsearch.backends.database.sqlite import sqlite as upstream
from modelsearch.backends.database.sqlite.query import AndNot, normalize
from modelsearch.query import And, MatchAll, Not, Or, Phrase, PlainText
from modelsearch.utils import get_descendants_content_types_pks

from . import changes
from .candidates import CandidateRanking
from .match_sets import MatchSet
from .results import FacetsMixin

IndexEntry = upstream.IndexEntry
FTSEntry = upstream.SQLiteFTSIndexEntry
WORD = re.compile(r"\w+", re.UNICODE)
# bm25 weights per FTS column, in table order (autocomplete, body, title).
BM25_WEIGHTS = "0.0, 1.0, 2.0"


def _quote(word):
    return '"' + word.replace('"', '""') + '"'


class SQLiteIndex(upstream.SQLiteIndex):
    def _refresh_title_norms(self, full=False):
        # bm25() column weights rank titles; the upstream norm column is not read here, and
        # refreshing it scans the whole entry table on every save.
        return

    def analyze(self):
        """Keep the planner's statistics and the FTS b-trees current after bulk indexing."""
        with self.write_connection.cursor() as cursor:
            fts = FTSEntry._meta.db_table
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES('optimize')")
            cursor.execute("ANALYZE")


class SQLiteSearchRebuilder(upstream.SQLiteSearchRebuilder):
    def finish(self):
        self.index.analyze()


class SQLiteSearchAtomicRebuilder(upstream.SQLiteSearchAtomicRebuilder):
    def finish(self):
        super().finish()
        self.index.analyze()


class SQLiteSearchQueryCompiler(CandidateRanking, upstream.SQLiteSearchQueryCompiler):
    COLUMNS = "{title body}"
    PREFIX_LAST = False

    def fts_expression(self, query):
        """The FTS5 MATCH text for a normalised query, or None when it has no words."""
        if isinstance(query, PlainText):
            words = [_quote(w) for w in WORD.findall(query.query_string)]
            if not words:
                return None
            if self.PREFIX_LAST:
                words[-1] += "*"
            return "(" + f" {query.operator.upper()} ".join(words) + ")"
        if isinstance(query, Phrase):
            words = WORD.findall(query.query_string)
            return _quote(" ".join(words)) if words else None
        if isinstance(query, (And, Or)):
            parts = [p for p in map(self.fts_expression, query.subqueries) if p]
            joiner = " AND " if isinstance(query, And) else " OR "
            return "(" + joiner.join(parts) + ")" if parts else None
        if isinstance(query, AndNot):
            first = self.fts_expression(query.subquery_a)
            second = self.fts_expression(query.subquery_b)
            return f"({first} NOT {second})" if first and second else first
        raise NotImplementedError(f"{type(query).__name__} is not supported by this backend")

    def _match(self, query):
        expression = self.fts_expression(query)
        return f"{self.COLUMNS} : {expression}" if expression else None

    def _entry_to_row(self):
        """WHERE terms that join an index entry to the queryset's row (the model's content
        types, its key), and their parameters."""
        model = self.queryset.model
        entry = IndexEntry._meta.db_table
        pk = f'"{model._meta.db_table}"."{model._meta.pk.column}"'
        ct_pks = list(get_descendants_content_types_pks(model))
        marks = ", ".join(["%s"] * len(ct_pks))
        return [f"{entry}.content_type_id IN ({marks})", f"{pk} = {entry}.object_id"], ct_pks

    def _matching(self, match, select=None):
        """The queryset's rows that match, by one join (FTS row -> entry -> model row by key).
        Counts and facets use it as it is; ranking adds the bm25 score as `select`."""
        fts, entry = FTSEntry._meta.db_table, IndexEntry._meta.db_table
        where, params = self._entry_to_row()
        # Table names from model metadata; the match and the content types are bound parameters.
        return self.queryset.extra(  # noqa: S610 - see above
            select=select,
            tables=[fts, entry],
            where=[f"{fts} MATCH %s", f"{fts}.rowid = {entry}.id", *where],
            params=[match, *params],
        )

    def _positive_match(self):
        query = normalize(self.query)
        if not isinstance(query, (PlainText, Phrase, And, Or, AndNot)):
            return None
        return self._match(query)

    def match_set(self):
        """The search's matches as a MatchSet, read from the FTS index once per search (its
        slices share this compiler), or None where the SQL statements must answer."""
        if not hasattr(self, "_match_set"):
            self._match_set = None
            match = self._positive_match()
            if match is not None:
                fts = FTSEntry._meta.db_table

                def read_matches():
                    with connections[self.queryset.db].cursor() as cursor:
                        # One string of ids parses faster than a row per match (126,000 for
                        # "racism": 27 ms rather than 47).
                        cursor.execute(
                            f"SELECT group_concat(rowid) FROM {fts} WHERE {fts} MATCH %s",  # noqa: S608 - table from model metadata; the match is bound
                            [match],
                        )
                        return np.fromstring(
                            cursor.fetchone()[0] or "", dtype=np.int64, sep=","
                        ), None

                entries = (
                    get_descendants_content_types_pks(self.queryset.model),
                    IndexEntry._meta.db_table,
                )
                self._match_set = MatchSet.of(self.queryset, read_matches, entries)
        return self._match_set

    def candidates(self, limit, config=None):
        """{FTS row id: bm25 score} of the `limit` best matches, ranked by FTS5 alone; tied
        scores by the newest index entry first, as the full ranking breaks them. Kept while
        the index entries are unchanged (the FTS rows change only through their triggers):
        the public search ranks stories and passages by the same match, and ranking it
        twice was a third of its time."""
        match = self._positive_match()
        if match is None:
            return None
        fts = FTSEntry._meta.db_table
        connection = connections[self.queryset.db]

        def read():
            with connection.cursor() as cursor:
                # The table from model metadata, the weights a constant; the match is bound.
                cursor.execute(
                    f"SELECT rowid, bm25({fts}, {BM25_WEIGHTS}) FROM {fts} WHERE {fts} MATCH %s "  # noqa: S608 - see above
                    "ORDER BY 2, rowid DESC LIMIT %s",
                    [match, limit],
                )
                return dict(cursor.fetchall())

        watched = f'"{IndexEntry._meta.db_table}"'
        kept = changes.kept(connection, ("fts candidates", match, limit), watched, read)
        return dict(kept) if kept is not None else read()

    def admit(self, scores):
        """[(score, -entry id, pk)] of the candidate entries {entry id: score} whose rows the
        queryset admits: from the match set's arrays once a count or facet has read them, else
        by joining them to the queryset."""
        matches = getattr(self, "_match_set", None)
        if matches is not None:
            ids = np.fromiter(scores, dtype=np.int64, count=len(scores))
            ranks = np.fromiter(scores.values(), dtype=float, count=len(scores))
            keys, ranks, ids = matches.admit(ids, ranks, ids)
            return list(zip(ranks.tolist(), (-ids).tolist(), keys.tolist(), strict=True))
        entry = IndexEntry._meta.db_table
        where, params = self._entry_to_row()
        # SQLite binds no arrays, and up to 20,000 candidates would pass its limit on bound
        # parameters: each id is int()-cast, so no text reaches the SQL; the table's name is
        # model metadata and the content types are bound.
        ids = ", ".join(str(int(rowid)) for rowid in scores)
        found = self.queryset.extra(  # noqa: S610 - see above
            select={"_entry_id": f"{entry}.id"},
            tables=[entry],
            where=[f"{entry}.id IN ({ids})", *where],
            params=params,
        ).values_list("_entry_id", "pk")
        return [(scores[entry_id], -entry_id, pk) for entry_id, pk in found]

    def _matching_pks(self, match):
        fts = FTSEntry._meta.db_table
        entries = IndexEntry._default_manager.filter(
            content_type_id__in=get_descendants_content_types_pks(self.queryset.model)
        ).extra(  # noqa: S610 - the table from model metadata; the match is bound
            where=[f"id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)"],  # noqa: S608 - the same
            params=[match],
        )
        return entries.values("object_id")

    def _ranked(self, match, score_field):
        # One statement: FTS match -> entry by rowid -> model row by primary key, ranked; tied
        # scores by the newest index entry first, the order FTS5 can rank by alone (top()).
        fts, entry = FTSEntry._meta.db_table, IndexEntry._meta.db_table
        return self._matching(
            match, select={score_field: f"bm25({fts}, {BM25_WEIGHTS})", "_entry_id": f"{entry}.id"}
        )

    def search(self, config, start, stop, score_field=None, ranked=True):
        query = normalize(self.query)
        if isinstance(query, MatchAll):
            return self.queryset[start:stop]
        negated = isinstance(query, Not)
        if negated:
            if isinstance(query.subquery, MatchAll):
                return self.queryset.none()
            query = query.subquery
        match = self._match(query)
        if match is None:
            return self.queryset.all()[start:stop] if negated else self.queryset.none()
        if negated:
            queryset = self.queryset.exclude(pk__in=self._matching_pks(match))
        elif ranked and (self.order_by_relevance or score_field):
            score_field = score_field or "_score"
            queryset = self._ranked(match, score_field)
            if self.order_by_relevance:
                queryset = queryset.order_by(score_field, "-_entry_id")  # bm25: lower is better
        else:
            queryset = self._matching(match)
        if not self.order_by_relevance and not queryset.query.order_by:
            queryset = queryset.order_by("-pk")  # stable pages (wagtail#3729)
        return queryset[start:stop]


class SQLiteAutocompleteQueryCompiler(SQLiteSearchQueryCompiler):
    COLUMNS = "{autocomplete}"
    PREFIX_LAST = True
    TARGET_SEARCH_FIELD_TYPE = upstream.AutocompleteField

    def get_config(self, backend):
        return backend.autocomplete_config

    def get_search_fields_for_model(self):
        return self.queryset.model.get_autocomplete_search_fields()


class SQLiteSearchResults(FacetsMixin, upstream.SQLiteSearchResults):
    def _do_search(self):
        if self.stop is not None and not self._score_field:
            best = self.query_compiler.top(self.start or 0, self.stop)
            if best is not None:
                return best
        return super()._do_search()

    def _do_count(self):
        # A count needs no ranks; a slice of the results counts what the slice holds.
        compiler = self.query_compiler
        matches = compiler.match_set()
        if matches is not None:
            total = matches.count()
        else:
            total = compiler.search(
                compiler.get_config(self.backend), None, None, ranked=False
            ).count()
        total -= self.start
        if self.stop is not None:
            total = min(total, self.stop - self.start)
        return max(total, 0)

    def facet(self, field_name):
        # Counting needs the matching rows, not their ranks: skip the bm25 join.
        compiler = self.query_compiler
        if compiler._get_filterable_field(field_name) is None:
            return super().facet(field_name)  # raises upstream's FilterFieldError
        matches = compiler.match_set()
        counts = matches.facet(field_name) if matches is not None else None
        if counts is not None:
            return counts
        found = compiler.search(compiler.get_config(self.backend), None, None, ranked=False)
        rows = found.order_by().values(field_name).annotate(count=Count("pk")).order_by("-count")
        return OrderedDict((row[field_name], row["count"]) for row in rows)


class SQLiteSearchBackend(upstream.SQLiteSearchBackend):
    query_compiler_class = SQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = SQLiteAutocompleteQueryCompiler
    index_class = SQLiteIndex
    results_class = SQLiteSearchResults
    rebuilder_class = SQLiteSearchRebuilder
    atomic_rebuilder_class = SQLiteSearchAtomicRebuilder

    def __init__(self, params):
        params = {k: v for k, v in params.items() if k != "SEARCH_CONFIG"}
        super().__init__(params)

    def expunge_deleted(self):
        """Merge every FTS5 segment into one, which drops the terms of deleted documents: until
        then they stay in the index's blocks (a withdrawn story's words, issue 10). With
        secure_delete on, the pages the merge frees are zeroed."""
        table = FTSEntry._meta.db_table
        with connections[router.db_for_write(IndexEntry)].cursor() as cursor:
            cursor.execute(f"INSERT INTO {table}({table}) VALUES('optimize')")


SearchBackend = SQLiteSearchBackend
