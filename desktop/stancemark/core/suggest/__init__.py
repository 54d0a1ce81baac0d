"""Suggestions: the register and the calendar pre-annotate, the analyst decides.

Pure Python (no SQL, no Qt): `AliasMatcher` finds register names in text,
`find_dates` finds and normalises date expressions, `suggest` combines them and drops
what an existing tag or a rejection already settles.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from stancemark.core.builtin_kinds import ACTOR, DATE
from stancemark.core.suggest.aliases import alias_problem
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
    found: list[Suggestion] = []
    if ACTOR in kinds and matcher is not None:
        found.extend(matcher.find(text))
    if DATE in kinds:
        found.extend(find_dates(text, article_date))
    if not found:
        return []
    taken: dict[str, list[tuple[int, int]]] = {}
    for kind, start, end, _actor_uid in existing:
        taken.setdefault(kind, []).append((start, end))
    rejected_keys = set(rejected)
    out = []
    for s in found:
        if s.key in rejected_keys:
            continue
        spans = taken.get(s.kind, ())
        if any(a < s.end and s.start < b for a, b in spans):
            continue
        out.append(s)
    out.sort(key=lambda s: (s.start, s.end, s.kind))
    return out
