"""Precision, recall and F1 of suggestions against an annotator's tags, per kind.

A suggestion matches a tag of its kind (and, for actors, of its actor) either exactly
(same span) or by overlap (spans share a code point). Each tag is matched at most once,
each suggestion too. For dates, `value_agreement` is the share of the overlap-matched
pairs whose values are equal (a value unknown to both counts as equal).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from stancemark.core.builtin_kinds import ACTOR, DATE

# (kind, start, end, actor uid, date value) of a suggestion or a tag
Span = tuple[str, int, int, str | None, str | None]


@dataclass
class Scores:
    suggested: int = 0
    tagged: int = 0
    exact: int = 0  # matched pairs, exact spans
    overlap: int = 0  # matched pairs, overlapping spans
    values_compared: int = 0
    values_agreeing: int = 0
    misses: list[Span] = field(default_factory=list)  # tags no suggestion overlaps
    extras: list[Span] = field(default_factory=list)  # suggestions overlapping no tag

    def precision(self, exact: bool) -> float:
        return (self.exact if exact else self.overlap) / self.suggested if self.suggested else 0.0

    def recall(self, exact: bool) -> float:
        return (self.exact if exact else self.overlap) / self.tagged if self.tagged else 0.0

    def f1(self, exact: bool) -> float:
        p, r = self.precision(exact), self.recall(exact)
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def value_agreement(self) -> float:
        return self.values_agreeing / self.values_compared if self.values_compared else 0.0


def _same(a: Span, b: Span) -> bool:
    return a[0] == b[0] and (a[0] != ACTOR or a[3] == b[3])


def score(suggested: Iterable[Span], tagged: Iterable[Span], scores: dict[str, Scores]
          ) -> dict[str, Scores]:
    """Add one article's comparison to `scores` (kind -> Scores) and return it."""
    sugg = sorted(suggested, key=lambda s: (s[1], s[2]))
    tags = sorted(tagged, key=lambda s: (s[1], s[2]))
    for s in sugg:
        scores.setdefault(s[0], Scores()).suggested += 1
    for t in tags:
        scores.setdefault(t[0], Scores()).tagged += 1
    exact_pairs = {(t[0], t[1], t[2], t[3] if t[0] == ACTOR else None) for t in tags}
    for s in sugg:
        if (s[0], s[1], s[2], s[3] if s[0] == ACTOR else None) in exact_pairs:
            scores[s[0]].exact += 1
    used: set[int] = set()
    matched_sugg: set[int] = set()
    # Overlap matching, exact pairs first so a near miss never steals an exact partner.
    for exact_pass in (True, False):
        for i, s in enumerate(sugg):
            if i in matched_sugg:
                continue
            for j, t in enumerate(tags):
                if t[1] >= s[2]:
                    break  # tags are sorted by start: none further on reaches s
                if j in used or not _same(s, t):
                    continue
                hit = (s[1], s[2]) == (t[1], t[2]) if exact_pass else s[1] < t[2] and t[1] < s[2]
                if hit:
                    used.add(j)
                    matched_sugg.add(i)
                    sc = scores[s[0]]
                    sc.overlap += 1
                    if s[0] == DATE:
                        sc.values_compared += 1
                        sc.values_agreeing += s[4] == t[4]
                    break
    for j, t in enumerate(tags):
        if j not in used:
            scores[t[0]].misses.append(t)
    for i, s in enumerate(sugg):
        if i not in matched_sugg:
            scores[s[0]].extras.append(s)
    return scores
