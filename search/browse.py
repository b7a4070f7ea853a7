"""Browse with facets (issue 15): the public list of stories narrowed by several facets at
once, each option with the number of stories it would give alongside the other choices.

The same engine as search: the gate's list of stories (services.allowed_ids, Use.SHOW),
every story's cached facts (search.facts) and services.facet_counts for the counts and
labels. Within a facet the chosen values are alternatives (Wirral or Halton); across facets
all must hold (Wirral, and oral histories). An option's count is over the stories the other
facets' choices leave, so it says what choosing it would give."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from . import facts, services

if TYPE_CHECKING:
    from consent.gate import Person as User

# URL parameter -> the facts' name for it; each may be given several times.
FACETS = {
    "borough": "borough",
    "kind": "kind",
    "theme": "themes",
    "dimension": "dimensions",
    "language": "language",
    "captions": "captions",
    "warning": "warning",
}
MAX_VALUES = 40  # per facet: more than any facet has options


@dataclass
class Browse:
    chosen: dict[str, list[str]]
    story_ids: list[int]  # the stories to list, every one the gate shows
    facets: services.Facets = field(default_factory=dict)
    hidden_warned: int = 0

    @property
    def active(self) -> bool:
        return any(self.chosen.values())

    def query(self) -> list[tuple[str, str]]:
        """The choices as (parameter, value) pairs, for the page's links (shareable)."""
        return [(name, value) for name, values in self.chosen.items() for value in values]


def chosen_from(params: Any) -> dict[str, list[str]]:
    """{facet: [values]} from the query string (a QueryDict or a dict of lists); anything
    malformed is dropped rather than refused."""
    chosen = {}
    for name in FACETS:
        raw = params.getlist(name) if hasattr(params, "getlist") else params.get(name, [])
        raw = [raw] if isinstance(raw, str) else raw
        values = [services.clean_text(value, 80) for value in raw[:MAX_VALUES]]
        chosen[name] = list(dict.fromkeys(value for value in values if value))
    return chosen


def browse(params: Mapping[str, Any], user: User | None, hide_warned: bool = False) -> Browse:
    chosen = chosen_from(params)
    held = facts.all_facts()
    allowed = services.allowed_ids(services.Filters(), user)
    rows = held.rows(allowed)
    masks = {name: _mask(held, name, values)[rows] for name, values in chosen.items() if values}
    shown = np.ones(len(rows), dtype=bool)
    if hide_warned:
        shown = held.matching("warning", ["none"])[rows]
    everything = _all(masks, len(rows))
    result = Browse(chosen, _pks(held, rows[everything & shown]))
    result.hidden_warned = int((everything & ~shown).sum())
    result.facets = _counts(held, rows, masks, shown)
    _keep_chosen(result)
    return result


def _mask(held: facts.StoryFacts, name: str, values: list[str]) -> Any:
    if name == "captions":
        return held.matching("captions", values) if "1" in values else np.ones(len(held.pks), bool)
    return held.matching(FACETS[name], values)


def _all(masks: Mapping[str, Any], count: int, leave_out: str = "") -> Any:
    together = np.ones(count, dtype=bool)
    for name, mask in masks.items():
        if name != leave_out:
            together &= mask
    return together


def _pks(held: facts.StoryFacts, rows: Any) -> list[int]:
    return [int(pk) for pk in held.pks[rows]]


def _counts(held: facts.StoryFacts, rows: Any, masks: Mapping[str, Any], shown: Any) -> Any:
    """Each facet's options counted over the stories every other facet's choice leaves."""
    out, done = {}, {}
    for name in FACETS:
        # Facets nobody chose are all counted over the same stories: counted once.
        others = frozenset(masks) - {name}
        if others not in done:
            kept = rows[_all(masks, len(rows), name) & shown]
            done[others] = services.facet_counts(_pks(held, kept))
        counted = done[others]
        out[name] = counted[name] if name != "theme" else counted["theme"] + counted["key_issue"]
    return out


def _keep_chosen(result: Browse) -> None:
    # A chosen value no story has any more stays listed (count 0), so it can be unchosen.
    for name, values in result.chosen.items():
        listed = {value for value, _label, _n in result.facets[name]}
        result.facets[name] += [(value, value, 0) for value in values if value not in listed]
