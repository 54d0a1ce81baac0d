"""What the analyst's decisions teach: aliases to stop proposing, default holder and
target of a stance."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import regex

from stancemark.core.text import sentence_bounds

# An alias stops being proposed once it was rejected at least MUTE_MIN_REJECTED times
# and at least MUTE_RATIO times as often as it was accepted: a few rejections in one
# article say little, a steady majority says the alias misleads.
MUTE_MIN_REJECTED = 5
MUTE_RATIO = 4


def muted_aliases(counts: Mapping[str, tuple[int, int]]) -> set[str]:
    """Aliases (alias -> (accepted, rejected)) rejected far more often than accepted."""
    return {alias for alias, (accepted, rejected) in counts.items()
            if rejected >= MUTE_MIN_REJECTED and rejected >= MUTE_RATIO * accepted}


_PRONOUN = regex.compile(
    r"(?i)\b(?:he|she|him|her|his|hers|they|the (?:minister|president|secretary|premier|"
    r"chancellor|spokesman|spokeswoman|spokesperson|leader|ambassador|official|diplomat))\b")


def default_holder(text: str, pos: int, mentions: Sequence[tuple[int, int, str, bool]]) -> str | None:
    """The actor a stance at `pos` most likely belongs to: the nearest actor mention in
    the sentence; where the sentence's subject is a pronoun or a role ("he", "the
    minister") and names nobody before `pos`, the nearest person mentioned before it."""
    s0, s1 = sentence_bounds(text, pos)
    inside = [m for m in mentions if m[0] >= s0 and m[1] <= s1]
    before_in_sentence = [m for m in inside if m[1] <= pos]
    subject = _PRONOUN.search(text, s0, pos + 1)
    if subject is not None and not any(m[0] < subject.start() for m in before_in_sentence):
        people = [m for m in mentions if m[3] and m[1] <= subject.start()]
        if people:
            return max(people, key=lambda m: m[1])[2]
    if inside:
        return min(inside, key=lambda m: (_distance(m, pos), m[0]))[2]
    return None


def _distance(m: tuple[int, int, str, bool], pos: int) -> int:
    start, end = m[0], m[1]
    if start <= pos < end:
        return 0
    return start - pos if start > pos else pos - end + 1


def default_target(holder_uid: str, pair_counts: Mapping[tuple[str, str], int]) -> str | None:
    """The topic most often paired with `holder_uid` in stances ((holder, topic) ->
    count); ties go to the topic uid first in order, so the choice is stable."""
    best = [(count, topic) for (holder, topic), count in pair_counts.items()
            if holder == holder_uid and count > 0]
    if not best:
        return None
    top = max(c for c, _ in best)
    return min(t for c, t in best if c == top)
