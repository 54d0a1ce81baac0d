"""Suggestions: the register and the calendar pre-annotate, the analyst decides.

Pure Python (no SQL, no Qt): `AliasMatcher` finds register names in text,
`find_dates` finds and normalises date expressions, `suggest` combines them and drops
what an existing tag or a rejection already settles.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Iterable
from itertools import accumulate
from operator import attrgetter

from stancemark.core.aliases import alias_problem
from stancemark.core.builtin_kinds import ACTOR, DATE
from stancemark.core.suggest.date_finder import find_dates
from stancemark.core.suggest.learning import default_holder, default_target, muted_aliases
from stancemark.core.suggest.matcher import AliasMatcher
from stancemark.core.suggest.model import Suggestion

__all__ = ["AliasMatcher", "Suggestion", "alias_problem", "default_holder", "default_target",
           "find_dates", "muted_aliases", "suggest"]


def suggest(text: str, matcher: AliasMatcher | None, article_date: str | None, *,
            kinds: Collection[str] = (ACTOR, DATE),
            existing: Iterable[tuple[str, int, int, str | None]] = (),
            rejected: Collection[str] = ()) -> list[Suggestion]:
    """Suggestions for `text`, sorted by start, none with a rejected key. None overlaps
    an existing tag of its kind: for actors that is stricter than "of the same actor",
    since where the analyst has tagged a span as one actor a suggestion of another
    over it would undo a decision already made."""
    actors: list[Suggestion] = []
    dates: list[Suggestion] = []
    triggers = None
    if ACTOR in kinds and matcher is not None:
        actors, triggers = matcher.scan(text)
    if DATE in kinds:
        dates = find_dates(text, article_date,
                           triggers if matcher is not None and matcher.has_triggers else None)
    taken: dict[str, list[tuple[int, int]]] = {}
    for kind, start, end, _actor_uid in existing:
        taken.setdefault(kind, []).append((start, end))
    rejected_keys = set(rejected)
    actors = _unsettled(actors, taken.get(ACTOR, []), rejected_keys)
    dates = _unsettled(dates, taken.get(DATE, []), rejected_keys)
    if not actors or not dates:
        return actors or dates
    return sorted(actors + dates, key=attrgetter("start", "end", "kind"))


def _unsettled(found: list[Suggestion], spans: list[tuple[int, int]],
               rejected: set[str]) -> list[Suggestion]:
    """`found` (sorted by start) less the rejected and those overlapping a span. Bisection
    over the spans sorted by start with the running maximum of their ends, so a long
    article's 20,000 tags cost a logarithm per suggestion, not a pass."""
    if rejected:
        found = [s for s in found if s.key not in rejected]
    if not spans or not found:
        return found
    spans.sort()
    starts = [a for a, _ in spans]
    reach = list(accumulate((b for _, b in spans), max))
    out = []
    for s in found:
        i = bisect_left(starts, s.end)  # the spans starting before s ends ...
        if i and reach[i - 1] > s.start:  # ... one of which ends after it starts
            continue
        out.append(s)
    return out
