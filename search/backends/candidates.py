"""A page of ranked results from the full-text index alone, for the database backends.

Ranking every match joined to the queryset costs a join per match (100,000 for a common word);
the index can rank its own rows without any join. So the best few index rows are ranked first,
and only they are joined to the queryset and its filters; if the filters leave fewer than the
page needs, more are taken, up to MAX_CANDIDATES, past which the caller ranks in one
statement instead. Measured at 200,000 passages (issue 5): half the time of a top 20."""

# How many best-ranked index rows are first checked against the queryset for a page.
TOP_CANDIDATES = 200
MAX_CANDIDATES = 20_000


class CandidateRanking:
    """top(start, stop) for a search query compiler that provides:

    - candidates(limit, config) -> {index row id: score}, the `limit` best rows, a lower score
      ranking higher and tied scores in the order the full ranking breaks ties (so the cut
      never takes an arbitrary part of a tie), or None if this does not apply;
    - admit(scores) -> [(score, tie-break, pk)] for the candidates whose objects the queryset
      admits, the tie-break ascending in the full ranking's order."""

    def top(self, start, stop, config=None):
        """The start..stop best matches in relevance order, or None when the caller must rank
        them in one statement. `config` is the backend's text search configuration."""
        if not self.order_by_relevance:
            return None
        limit = max(4 * stop, TOP_CANDIDATES)
        while limit <= MAX_CANDIDATES:
            scores = self.candidates(limit, config)
            if scores is None:
                return None
            if not scores:
                return []
            found = self.admit(scores)
            if len(found) >= stop or len(scores) < limit:
                found.sort()  # as the full ranking: best score first, then its tie-break
                chosen = [pk for _score, _tie, pk in found[start:stop]]
                objects = self.queryset.in_bulk(chosen)  # only the page's rows are loaded
                return [objects[pk] for pk in chosen if pk in objects]
            limit *= 8
        return None
