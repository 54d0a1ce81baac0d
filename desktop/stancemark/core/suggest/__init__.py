"""Suggestions: the register and the calendar pre-annotate, the analyst decides.

Pure Python (no SQL, no Qt): `AliasMatcher` finds register names in text,
`find_dates` finds and normalises date expressions, `suggest` combines them and drops
what an existing tag or a rejection already settles.
"""

from __future__ import annotations

import gc
from bisect import bisect_left
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from itertools import accumulate
from operator import itemgetter

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
    with _no_collection():
        return _suggest(text, matcher, article_date, kinds, existing, rejected)


@contextmanager
def _no_collection() -> Iterator[None]:
    """The cyclic garbage collector paused: a long article makes tens of thousands of
    suggestion tuples, none part of a cycle, and the collections their making set off
    only walked them (a tenth of the time)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _suggest(text: str, matcher: AliasMatcher | None, article_date: str | None,
             kinds: Collection[str], existing: Iterable[tuple[str, int, int, str | None]],
             rejected: Collection[str]) -> list[Suggestion]:
    tags = existing if isinstance(existing, list) else list(existing)
    covered = None
    if len(tags) >= ARRAY_FILTER_FROM:
        # imported here: NumPy is not needed before the first long article
        from stancemark.core.suggest.settle import Covered

        covered = Covered(tags)
    actors: list[Suggestion] = []
    dates: list[Suggestion] = []
    triggers = None
    actor_keys = None
    leadless: list[int] = []
    if ACTOR in kinds and matcher is not None:
        # a long text's scan drops what the tags cover before making objects of it
        actors, triggers, actor_keys, leadless = matcher.scan_keyed(text, covered=covered)
    if DATE in kinds:
        has_triggers = matcher is not None and matcher.has_triggers
        dates = find_dates(text, article_date, triggers if has_triggers else None,
                           leadless if has_triggers else ())
    rejected_keys = set(rejected)
    if covered is not None:
        dates = covered.drop(DATE, dates)  # the actors' scan dropped its own
        kept = _unsettled(actors, [], rejected_keys)
        if len(kept) != len(actors):  # the scan's keys are of the actors before
            actors, actor_keys = kept, None
        dates = _unsettled(dates, [], rejected_keys)
    else:
        taken: dict[str, list[tuple[int, int]]] = {}
        for kind, start, end, _actor_uid in tags:
            taken.setdefault(kind, []).append((start, end))
        actors = _unsettled(actors, taken.get(ACTOR, []), rejected_keys)
        dates = _unsettled(dates, taken.get(DATE, []), rejected_keys)
    if not actors or not dates:
        return actors or dates
    if covered is not None and len(text) < 2**31:
        from stancemark.core.suggest.settle import merge

        return merge(actors, dates, actor_keys)
    return sorted(actors + dates, key=_ORDER)


_ORDER = itemgetter(1, 2, 0)  # (start, end, kind)


# From this many tags and suggestions on, the settled ones are found with arrays
# (core/suggest/settle.py); below it NumPy's fixed cost per call is more than the work.
ARRAY_FILTER_FROM = 2_000


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
