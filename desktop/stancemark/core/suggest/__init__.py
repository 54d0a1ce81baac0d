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
from typing import NamedTuple

from stancemark.core.aliases import alias_problem
from stancemark.core.builtin_kinds import ACTOR, DATE
from stancemark.core.suggest import matcher as matcher_module
from stancemark.core.suggest.date_finder import find_dates
from stancemark.core.suggest.learning import default_holder, default_target, muted_aliases
from stancemark.core.suggest.matcher import ActorHits, AliasMatcher, hit_suggestions
from stancemark.core.suggest.model import Suggestion

__all__ = ["AliasMatcher", "Proposed", "Suggestion", "alias_problem", "default_holder",
           "default_target", "find_dates", "made", "muted_aliases", "no_collection", "propose", "suggest"]


def suggest(text: str, matcher: AliasMatcher | None, article_date: str | None, *,
            kinds: Collection[str] = (ACTOR, DATE),
            existing: Iterable[tuple[str, int, int, str | None]] = (),
            rejected: Collection[str] = ()) -> list[Suggestion]:
    """Suggestions for `text`, sorted by start, none with a rejected key. None overlaps
    an existing tag of its kind: for actors that is stricter than "of the same actor",
    since where the analyst has tagged a span as one actor a suggestion of another
    over it would undo a decision already made."""
    return made(text, propose(text, matcher, article_date, kinds=kinds, existing=existing,
                              rejected=rejected))


class Proposed(NamedTuple):
    """`suggest`'s answer before a long text's actor suggestions are made objects:
    `hits` holds them as arrays then (`actors` is empty), which another process can
    send in a fraction of the time the objects would take (ui/window/suggestions.py)."""

    actors: list[Suggestion]
    hits: ActorHits | None
    dates: list[Suggestion]
    merge: bool  # merge the kinds by arrays (settle.merge) rather than sort them


def propose(text: str, matcher: AliasMatcher | None, article_date: str | None, *,
            kinds: Collection[str] = (ACTOR, DATE),
            existing: Iterable[tuple[str, int, int, str | None]] = (),
            rejected: Collection[str] = ()) -> Proposed:
    """The work of `suggest`, all but making a long text's actor suggestions."""
    with no_collection():
        return _propose(text, matcher, article_date, kinds, existing, rejected)


def made(text: str, proposed: Proposed) -> list[Suggestion]:
    """The suggestions `proposed` stands for, sorted by start (`text`: the one proposed
    for)."""
    with no_collection():
        actors, hits, dates, by_arrays = proposed
        keys = None
        if hits is not None:
            from stancemark.core.suggest.settle import span_keys

            actors = hit_suggestions(text, hits)
            keys = span_keys(hits.starts, hits.ends, 0)
        if not actors or not dates:
            return actors or dates
        if by_arrays:
            from stancemark.core.suggest.settle import merge

            return merge(actors, dates, keys)
        return sorted(actors + dates, key=_ORDER)


@contextmanager
def no_collection() -> Iterator[None]:
    """The cyclic garbage collector paused: a long article makes tens of thousands of
    suggestion tuples, none part of a cycle, and the collections their making set off
    only walked them (a tenth of the time; in the window, where the heap is larger,
    setting a long article's suggestions took 14-24 ms with it, 9.6 ms without)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _propose(text: str, matcher: AliasMatcher | None, article_date: str | None,
             kinds: Collection[str], existing: Iterable[tuple[str, int, int, str | None]],
             rejected: Collection[str]) -> Proposed:
    tags = existing if isinstance(existing, list) else list(existing)
    # A long text's actors stay arrays to the end, settled by the tags as arrays.
    hits_path = ACTOR in kinds and matcher is not None and len(text) >= matcher_module.ARRAY_SCAN_FROM
    covered = None
    if hits_path or len(tags) >= ARRAY_FILTER_FROM:
        # imported here: NumPy is not needed before the first long article
        from stancemark.core.suggest.settle import Covered

        covered = Covered(tags)
    actors: list[Suggestion] = []
    hits = None
    dates: list[Suggestion] = []
    triggers = None
    leadless: list[int] = []
    rejected_keys = set(rejected)
    if hits_path:
        assert matcher is not None  # hits_path says so
        hits, triggers, leadless = matcher.scan_hits(text, covered)
        hits = _not_rejected(hits, rejected_keys)
    elif ACTOR in kinds and matcher is not None:
        actors, triggers, _keys, leadless = matcher.scan_keyed(text, covered=covered)
    if DATE in kinds:
        has_triggers = matcher is not None and matcher.has_triggers
        dates = find_dates(text, article_date, triggers if has_triggers else None,
                           leadless if has_triggers else ())
    if covered is not None:
        dates = covered.drop(DATE, dates)  # the actors' scan dropped its own
        actors = _unsettled(actors, [], rejected_keys)
        dates = _unsettled(dates, [], rejected_keys)
    else:
        taken: dict[str, list[tuple[int, int]]] = {}
        for kind, start, end, _actor_uid in tags:
            taken.setdefault(kind, []).append((start, end))
        actors = _unsettled(actors, taken.get(ACTOR, []), rejected_keys)
        dates = _unsettled(dates, taken.get(DATE, []), rejected_keys)
    return Proposed(actors, hits, dates, covered is not None and len(text) < 2**31)


def _not_rejected(hits: ActorHits, rejected: set[str]) -> ActorHits:
    """`hits` less those whose Suggestion.key ("actor|start|end|uid") is rejected: the
    rejected keys are looked up by their spans, not the hits' keys made."""
    spans: dict[tuple[int, int], set[str]] = {}
    for key in rejected:
        kind, start, end, uid = (key.split("|", 3) + ["", "", ""])[:4]
        if kind == ACTOR and start.isdigit() and end.isdigit():
            spans.setdefault((int(start), int(end)), set()).add(uid)
    if not spans or not hits.starts.size:
        return hits
    import numpy as np

    starts, ends, owners = hits.starts, hits.ends, hits.owners
    keep = np.ones(starts.size, dtype=bool)
    for (a, b), uids in spans.items():
        at = int(np.searchsorted(starts, a))  # hits are disjoint: one starts there at most
        if at < starts.size and starts[at] == a and ends[at] == b \
                and hits.uid[owners[at]] in uids:
            keep[at] = False
    return hits if keep.all() else hits.keep(keep)


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
