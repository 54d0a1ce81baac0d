"""Find register names and aliases in an article's text.

Rules: whole words (a name never starts or ends inside a word of a spaced script; in
scripts written without spaces, Han, kana, Thai ..., any position counts), case does
not matter except for acronyms written in capitals ("US" is not "us"), a possessive
's / ’s after a name is left out of the span, white space inside a name matches any
run of white space and ' matches ’. Where names overlap, the one starting first wins,
and of those starting together the longest.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import regex

from stancemark.core.builtin_kinds import ACTOR
from stancemark.core.suggest.aliases import alias_problem
from stancemark.core.suggest.model import Suggestion

_UNSPACED = r"\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Thai}\p{scx=Lao}\p{scx=Myanmar}\p{scx=Khmer}"
_UNSPACED_RE = regex.compile(f"[{_UNSPACED}]")
# A word character of a spaced script: a name may not begin or end beside one.
_WORD = rf"(?:(?![{_UNSPACED}])[\p{{L}}\p{{N}}\p{{M}}_])"
_LEFT = rf"(?<!{_WORD})(?<![\p{{L}}\p{{N}}]['’])"
# Not followed by a letter, nor by an apostrophe and a letter unless that is a possessive s.
_RIGHT = rf"(?!{_WORD})(?!['’](?![sS](?!{_WORD}))[\p{{L}}\p{{N}}])"
_WORD_EDGE = regex.compile(_WORD)
_SPACE = regex.compile(r"\s+")


def normal_key(name: str) -> str:
    """The form under which names are compared: case folded, white space collapsed,
    ’ written '."""
    return _SPACE.sub(" ", name.strip()).replace("’", "'").casefold()


def is_acronym(name: str) -> bool:
    """A name in capitals ("US", "U.N.", "GOP") matches only in capitals."""
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and name.upper() == name \
        and name.lower() != name


def _pattern_of(name: str) -> str:
    body = "".join(
        r"\s+" if ch.isspace() else "['’]" if ch in "'’" else regex.escape(ch)
        for ch in _SPACE.sub(" ", name.strip()))
    body = body if is_acronym(name) else f"(?i:{body})"
    left = _LEFT if _WORD_EDGE.fullmatch(name.strip()[0]) else ""
    right = _RIGHT if _WORD_EDGE.fullmatch(name.strip()[-1]) else ""
    return left + body + right


class AliasMatcher:
    """Actor mentions of a register: built once per register, then `find` per text."""

    def __init__(self, names: Iterable[tuple[str, str]], muted: Collection[str] = ()):
        muted_keys = {normal_key(m) for m in muted}
        # key -> (actor uid, the name as the register writes it); the first actor to
        # claim a name keeps it, so a name shared by two actors stays predictable.
        self._exact: dict[str, tuple[str, str]] = {}  # acronyms, by their own spelling
        self._folded: dict[str, tuple[str, str]] = {}
        patterns: dict[str, str] = {}
        for uid, name in names:
            if not name or alias_problem(name) is not None:
                continue
            key = normal_key(name)
            if key in muted_keys:
                continue
            if is_acronym(name):
                spelled = _SPACE.sub(" ", name.strip()).replace("’", "'")
                self._exact.setdefault(spelled, (uid, name))
                patterns.setdefault("A" + spelled, _pattern_of(name))
            else:
                self._folded.setdefault(key, (uid, name))
                patterns.setdefault("F" + key, _pattern_of(name))
        ordered = sorted(patterns.items(), key=lambda kv: (-len(kv[0]), kv[0]))
        self._regex = regex.compile("|".join(p for _, p in ordered)) if ordered else None

    def __len__(self) -> int:
        return len(self._exact) + len(self._folded)

    def _owner(self, quote: str) -> tuple[str, str] | None:
        spelled = _SPACE.sub(" ", quote).replace("’", "'")
        return self._exact.get(spelled) or self._folded.get(normal_key(quote))

    def find(self, text: str) -> list[Suggestion]:
        """Actor suggestions in `text`, sorted by start, never overlapping."""
        if self._regex is None:
            return []
        out: list[Suggestion] = []
        for m in self._regex.finditer(text):
            owner = self._owner(m.group())
            if owner is None:  # pragma: no cover - every alternative has an owner
                continue
            out.append(Suggestion(ACTOR, m.start(), m.end(), m.group(), actor_uid=owner[0],
                                  alias=owner[1]))
        return out
