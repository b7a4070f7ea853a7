"""The strategy's words, for search: glossary synonyms, "did you mean" and the theme or
dimension a query names.

A *concept* is one thing the strategy names, with every form it goes by: a theme's name, a
dimension's name (also as "<name> racism"), a glossary term with the acronym the strategy
writes after it ("Black, Asian and Minority Ethnic (BAME)") and the few other forms in
SYNONYMS. Concepts that share a form are one concept, so the glossary's "Institutional Racism"
and the dimension "Institutional" are the same thing.

Expansion is query-side and backend-blind: `alternatives(q)` gives the query as typed plus the
query with each named concept in its other forms, and search.services searches for any of
them through Wagtail's `Or` of `PlainText`s, which every backend compiles (FTS5, tsquery,
the engines' bool queries)."""

from __future__ import annotations

import difflib
import itertools
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

WORD = re.compile(r"\w+", re.UNICODE)
# "Black, Asian and Minority Ethnic (BAME)": capitalised words, then their initials in brackets.
ACRONYM = re.compile(r"((?:[A-Z][\w'-]*,?\s+(?:(?:and|of|for)\s+)?)+)\(([A-Z]{2,8})\)")
# Forms the strategy uses without writing them as "Term (ACRONYM)", and spellings people type.
SYNONYMS = {
    "Liverpool City Region": ["LCR"],
    "Black, Asian and Minority Ethnic": ["Ethnic Minority", "Minority Ethnic"],
    "Internalised": ["Internalized"],
    "Islamophobia": ["Islamophobic"],
}
MAX_ALTERNATIVES = 8
# Forms known for this long before the database is read again (every process; a save in this
# process forgets them at once, see `forget`).
KEEP_SECONDS = 300
MIN_CORRECTED = 4  # shorter words are left as typed: too many near neighbours


@dataclass
class Concept:
    forms: list[str]  # every form, as written; the first is how the strategy names it
    label: object | None = None  # the Theme or Dimension it is, when it is one
    keys: set[tuple[str, ...]] = field(default_factory=set)  # each form's lowercase words

    def add(self, form: str) -> None:
        key = words_of(form)
        if key and key not in self.keys:
            self.keys.add(key)
            self.forms.append(form)


@dataclass
class Vocabulary:
    concepts: list[Concept]
    by_key: dict[tuple[str, ...], Concept]
    words: set[str]  # every word of every form and borough name, lowercase
    longest: int
    read_at: float = 0.0


def words_of(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in WORD.findall(text))


_cached: Vocabulary | None = None


def forget(*args: object, **kwargs: object) -> None:
    """A theme, dimension, glossary term or borough changed: read them again next time."""
    global _cached
    _cached = None


def vocabulary() -> Vocabulary:
    global _cached
    if _cached is None or time.monotonic() - _cached.read_at > KEEP_SECONDS:
        _cached = _read()
    return _cached


def _read() -> Vocabulary:
    from archive.models import Borough, Dimension, GlossaryTerm, Theme

    concepts: list[Concept] = []
    for theme in Theme.objects.all():
        concepts.append(_concept([theme.name], theme))
    for dimension in Dimension.objects.all():
        concepts.append(_concept([dimension.name, f"{dimension.name} racism"], dimension))
    for term in GlossaryTerm.objects.all():
        forms = [term.term]
        forms += [acronym for _phrase, acronym in _acronyms(term.definition)]
        concepts.append(_concept(forms, None))
    for name, others in SYNONYMS.items():
        concepts.append(_concept([name, *others], None))
    merged = _merge(concepts)
    by_key = {key: concept for concept in merged for key in concept.keys}
    words = {w for key in by_key for w in key}
    words |= {w for name in Borough.objects.values_list("name", flat=True) for w in words_of(name)}
    longest = max((len(key) for key in by_key), default=0)
    return Vocabulary(merged, by_key, words, longest, time.monotonic())


def _acronyms(text: str) -> list[tuple[str, str]]:
    """(phrase, acronym) for each "Words Written Out (WWO)" in the text: the acronym is the
    initials of the capitalised words just before it ("The Hostile Environment (HE)": HE)."""
    found = []
    for phrase, acronym in ACRONYM.findall(text):
        capitals = [w for w in WORD.findall(phrase) if w[0].isupper()]
        for at in range(len(capitals)):
            if "".join(w[0] for w in capitals[at:]) == acronym:
                found.append((" ".join(capitals[at:]), acronym))
                break
    return found


def _concept(forms: Iterable[str], label: object | None) -> Concept:
    concept = Concept(forms=[], label=label)
    for form in forms:
        concept.add(form)
    return concept


def _merge(concepts: list[Concept]) -> list[Concept]:
    """One concept per set of concepts linked by shared forms (in the order first seen); a
    theme or dimension keeps its label."""
    parent = list(range(len(concepts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple[str, ...], int] = {}
    for i, concept in enumerate(concepts):
        for key in sorted(concept.keys):
            if key in first:
                a, b = sorted((root(first[key]), root(i)))
                parent[b] = a  # the earlier concept leads: its forms come first
            else:
                first[key] = i
    merged: dict[int, Concept] = {}
    for i, concept in enumerate(concepts):
        into = merged.setdefault(root(i), Concept(forms=[], label=None))
        for form in concept.forms:
            into.add(form)
        into.label = into.label or concept.label
    return list(merged.values())


# --- what a query names ----------------------------------------------------------------


def named(query: str) -> list[tuple[int, int, Concept]]:
    """(start, end, concept) for each concept the query's words name, longest form first,
    left to right, as word positions."""
    vocab = vocabulary()
    words = words_of(query)
    found, at = [], 0
    while at < len(words):
        for size in range(min(vocab.longest, len(words) - at), 0, -1):
            concept = vocab.by_key.get(words[at : at + size])
            if concept is not None:
                found.append((at, at + size, concept))
                at += size
                break
        else:
            at += 1
    return found


# A part of an expanded query: (text, whether it is one of a concept's forms, to be matched as
# a phrase: "Black, Asian and Minority Ethnic" must not match every "and").
Part = tuple[str, bool]


def expansions(query: str) -> list[list[Part]]:
    """The query with each concept it names in its other forms, as parts (the query as typed
    is not among them; at most MAX_ALTERNATIVES - 1)."""
    spans = named(query)
    if not spans:
        return []
    words = WORD.findall(query)
    pieces, choices, at = [], [], 0
    for start, end, concept in spans:
        pieces.append(" ".join(words[at:start]))
        choices.append(concept.forms)
        at = end
    tail = " ".join(words[at:])
    typed = words_of(query)
    found: list[list[Part]] = []
    for combination in itertools.product(*choices):
        parts: list[Part] = []
        for piece, form in zip(pieces, combination, strict=True):
            parts += [(piece, False)] if piece else []
            parts.append((form, len(words_of(form)) > 1))
        parts += [(tail, False)] if tail else []
        if words_of(" ".join(text for text, _ in parts)) != typed:
            found.append(parts)
        if len(found) >= MAX_ALTERNATIVES - 1:
            break
    return found


def alternatives(query: str) -> list[str]:
    """The query as typed, then each of its expansions as text."""
    return [query] + [" ".join(text for text, _ in parts) for parts in expansions(query)]


def labels_named(query: str) -> list[object]:
    """The themes and dimensions the query names (by any of their forms), in query order."""
    seen: list[object] = []
    for _start, _end, concept in named(query):
        if concept.label is not None and concept.label not in seen:
            seen.append(concept.label)
    return seen


# --- did you mean ----------------------------------------------------------------------


def did_you_mean(query: str) -> str:
    """The query with each misspelt word replaced by the closest word of the strategy's
    vocabulary (themes, dimensions, glossary terms and their synonyms, boroughs), or "" when
    no word needs it. Never the query itself."""
    known = vocabulary().words
    changed, out = False, []
    for word in WORD.findall(query):
        lower = word.lower()
        better = _closest(lower, known)
        if better and better != lower:
            out.append(better)
            changed = True
        else:
            out.append(word)
    suggestion = " ".join(out)
    return suggestion if changed and words_of(suggestion) != words_of(query) else ""


def _closest(word: str, known: set[str]) -> str:
    if len(word) < MIN_CORRECTED or word in known or word.isdigit():
        return ""
    if any(_same_stem(word, other) for other in known):
        return ""  # "fears" is "fear", not a misspelling
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.8)
    return close[0] if close else ""


def _same_stem(word: str, other: str) -> bool:
    return len(other) >= MIN_CORRECTED and word.startswith(other) and len(word) - len(other) <= 3


def examples(query: str, count: int = 3) -> list[str]:
    """Key issues to suggest searching for, leaving out any the query already names."""
    from archive.models import Theme, ThemeKind

    asked = set(words_of(query))
    names = Theme.objects.filter(kind=ThemeKind.KEY_ISSUE).values_list("name", flat=True)
    return [name.lower() for name in names if not set(words_of(name)) & asked][:count]
