"""Find register names and aliases in an article's text with one Aho-Corasick pass.

Rules: whole words (a name never starts or ends inside a word of a spaced script; in
scripts written without spaces, Han, kana, Thai ..., any position counts), case does
not matter except for acronyms written in capitals ("US" is not "us"), a possessive
's / ’s after a name is left out of the span, ' matches ’, and a tab or no-break space
inside a name matches a space (a line break never does: a name does not run across
lines). Where names overlap, the one starting first wins, and of those starting
together the longest.

Why an automaton (pyahocorasick) and not a regular expression: with 20,000 aliases a
compiled alternation tries every alternative at every position (about a minute for a
1 MB article with `re`, longer with `regex`, whose compilation alone took 40 s),
while the automaton reads the text once whatever the register's size (README,
Suggestions). The same pass reports the trigger words of date expressions, so
`suggest` reads the text once for both kinds.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from itertools import repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

import ahocorasick
import regex

from stancemark.core.aliases import alias_problem
from stancemark.core.builtin_kinds import ACTOR
from stancemark.core.suggest.date_patterns import TRIGGER_WORDS
from stancemark.core.suggest.model import Suggestion, suggestions

if TYPE_CHECKING:
    import numpy as np

    from stancemark.core.suggest.hit_arrays import EntryArrays
    from stancemark.core.suggest.settle import Covered

_UNSPACED = regex.compile(r"[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Thai}"
                          r"\p{scx=Lao}\p{scx=Myanmar}\p{scx=Khmer}]")
_MARK = regex.compile(r"\p{M}")
# Length-preserving folding, so an offset in the folded text is one in the original.
_FOLD = (("’", "'"), ("\t", " "), ("\xa0", " "), ("\u2007", " "), ("\u202f", " "))


def fold(text: str) -> str:
    """Lower case, ’ as ', tabs and no-break spaces as spaces; same length as `text`.

    The replacements come first: no character lowers to one they replace, nor do their
    results change when lowered, so the order does not matter to the result; but an
    English text whose only non-ASCII characters are ’ becomes ASCII by them, and
    lowering an ASCII string is ten times faster (3.2 ms -> 0.3 ms for the 1 MB
    article)."""
    return fold_and_plain(text)[0]


def fold_and_plain(text: str) -> tuple[str, str | None]:
    """fold(text), and `text` with its ’ as ' where that was the one replacement and
    left it ASCII (else None): the hit rules read their code points from it, one byte
    each rather than two from `text` (hit_arrays.scan_arrays says why it may)."""
    replaced = set()
    for a, b in _FOLD:  # str.replace per character: translate() is ten times slower
        if a in text:
            text = text.replace(a, b)
            replaced.add(a)
    low = text.lower()
    if len(low) != len(text):  # "İ" (the one such character) lowers to two code points:
        # keep it as it is, and lower the rest as a whole, so that a final sigma stays
        # final ("ΟΔΥΣΣΕΑΣ" folds as its name does, whatever else the text holds)
        low = "İ".join(part.lower() for part in text.split("İ"))
    return low, (text if replaced == {"’"} and text.isascii() else None)


def normal_key(name: str) -> str:
    """The form under which names are compared (and muted)."""
    return fold(" ".join(name.split()))


def normal_keys(names: list[str]) -> list[str]:
    """[normal_key(n) for n in names], folded as one text: a register's 20,000 names
    in one call instead of 20,000. How a name folds depends on nothing outside it: a
    final sigma looks no further than a line break, which no normalised name holds and
    which is cased no way, and an "İ" is kept as it is wherever it stands."""
    if not names:
        return []
    return fold("\n".join(" ".join(n.split()) for n in names)).split("\n")


def is_acronym(name: str) -> bool:
    """A name in capitals ("US", "U.N.", "GOP") matches only in capitals."""
    # The cheap tests first: most names fail the first.
    return name.upper() == name and name.lower() != name and any(c.isalpha() for c in name)


_WORD_CHARS: dict[str, bool] = {chr(c): chr(c).isalnum() or c == 0x5F for c in range(128)}


def _word_char(ch: str) -> bool:
    """A letter, digit, mark or underscore of a script written with spaces (looked up:
    the hot loop asks this of every hit's neighbours)."""
    known = _WORD_CHARS.get(ch)
    if known is None:
        known = bool(ch.isalnum() or _MARK.match(ch)) and _UNSPACED.match(ch) is None
        if len(_WORD_CHARS) < 100_000:
            _WORD_CHARS[ch] = known
    return known


# Neighbours that join no name to a word, decided in the hot loop without a call: a
# space, and the punctuation that is no word character and no apostrophe (for which
# both _joined_left and _joined_right answer False).
_FREE = frozenset([c for c, word in _WORD_CHARS.items() if not word and c != "'"]
                  + list("“”‘—–…«»"))


def _joined_left(text: str, s: int) -> bool:
    """Whether a name starting at s would start inside a word ("Brien" in "O'Brien")."""
    ch = text[s - 1]
    if ch == " ":
        return False
    if _word_char(ch):
        return True
    return ch in "'’" and s >= 2 and _word_char(text[s - 2])


def _joined_right(text: str, e: int) -> bool:
    """Whether a name ending at e would end inside a word; a possessive 's is no word."""
    ch = text[e]
    if ch == " ":
        return False
    if _word_char(ch):
        return True
    if ch in "'’" and e + 1 < len(text) and _word_char(text[e + 1]):
        possessive = text[e + 1] in "sS" and (e + 2 >= len(text) or not _word_char(text[e + 2]))
        return not possessive
    return False


class _Entry(NamedTuple):  # unpacked as a plain tuple in the hot loop: keep the order
    length: int
    trigger: bool  # a date expression's trigger word (core/suggest/date_patterns.py)
    left: bool  # check the word boundary before
    right: bool  # ... and after
    folded: tuple[str, str, str] | None  # (actor uid, name, note) matched in any case
    acronyms: tuple[tuple[str, str, str, str], ...]  # (spelling, uid, name, note)
    folded_id: int = -1  # `folded` as an index into AliasMatcher._owners (hit_arrays)
    acronym_ids: tuple[tuple[str, int], ...] = ()  # (spelling, owner index)


_make_entry = _Entry._make


class ActorHits(NamedTuple):
    """Actor suggestions as arrays (the long texts' path): starts, ends and owner ids,
    sorted and disjoint; an owner id indexes `uid`, `name` and `note` (object arrays:
    the actor's uid, the name or alias that matched, the note)."""

    starts: np.ndarray
    ends: np.ndarray
    owners: np.ndarray
    uid: np.ndarray
    name: np.ndarray
    note: np.ndarray

    def keep(self, mask: np.ndarray) -> ActorHits:
        return self._replace(starts=self.starts[mask], ends=self.ends[mask],
                             owners=self.owners[mask])

    def compact(self) -> ActorHits:
        """The same hits with only the owners they use (the register's 20,000 names
        need not travel with an article's suggestions)."""
        import numpy as np

        used, owners = np.unique(self.owners, return_inverse=True)
        return self._replace(owners=owners.reshape(-1), uid=self.uid[used],
                             name=self.name[used], note=self.note[used])


def hit_suggestions(text: str, hits: ActorHits) -> list[Suggestion]:
    """The actor suggestions of `hits` in `text`, made in C (list iterators and a
    comprehension: the fewest Python steps per suggestion)."""
    starts, ends, owner = hits.starts.tolist(), hits.ends.tolist(), hits.owners
    quotes = [text[a:b] for a, b in zip(starts, ends, strict=True)]
    return suggestions(zip(
        repeat(ACTOR), starts, ends, quotes, hits.uid[owner].tolist(), repeat(None),
        repeat(None), hits.note[owner].tolist(), hits.name[owner].tolist(), strict=False))


def _no_hits() -> np.ndarray:
    import numpy as np

    return np.zeros(0, dtype=np.int64)


# From this length on, `scan` decides the hits as arrays (hit_arrays): NumPy's fixed
# cost per call is more than a news article's whole plain scan (~3,000 characters).
ARRAY_SCAN_FROM = 20_000


# A key no name can be (names are folded without leading spaces; no text has a NUL after
# a space): its entry names nobody and is no trigger, so that a hit of it, if ever, is
# dropped like a trigger word's.
_ROOT_SPACE = " \x00"

# Folded keys' letters by their frequency in English, before all other characters (in
# their own order): the order in which the keys go into the automaton.
_BY_FREQUENCY = {ord(c): i + 1 for i, c in enumerate("etaoinshrdlcumwfgypbvkjxqz")}


class AliasMatcher:
    """Actor mentions of a register: built once per register, then `find` per text."""

    def __init__(self, names: Iterable[tuple[str, str]], muted: Collection[str] = (),
                 triggers: Collection[str] = TRIGGER_WORDS):
        muted_keys = set(normal_keys([m for m in muted if m]))
        owners: dict[str, list[tuple[str, str]]] = {}  # key -> [(uid, name)] in order
        usable = [(uid, name) for uid, name in names if name and alias_problem(name) is None]
        for pair, key in zip(usable, normal_keys([n for _, n in usable]), strict=True):
            claims = owners.get(key)
            if claims is None:
                if key not in muted_keys:
                    owners[key] = [pair]
            elif pair not in claims:
                claims.append(pair)
        # The automaton stores each key's index into _entries: ints come out of it as
        # one flat array for long texts (hit_arrays), tuples for the plain loop.
        self._automaton: Any = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        self._entries: list[_Entry] = []
        self._owners: list[tuple[str, str, str]] = []
        trigger_set = set(triggers)
        keys = [*owners, *(trigger_set - owners.keys())]
        self._entries = [_entry(key, claims, key in trigger_set, self._owners)
                         for key, claims in owners.items()]
        self._entries += [_Entry(len(w), True, False, False, None, ()) for w in keys[len(owners):]]
        # The keys go in so that each node's children are in the order of English letter
        # frequency: the automaton looks a text's next character up among a node's
        # children one by one, in the order they were added (the 1 MB article's pass:
        # 14.3 -> 13.6 ms, against the register's order). The hits are the same: which
        # key ends where does not depend on the order, nor does the index each stores.
        # First of all a key that names nobody (_ROOT_SPACE), so that a space, a text's
        # most frequent character, which no key starts with and which the automaton
        # looks up from its root after every word, is found among the root's children
        # at once rather than after all of them (the 1 MB article's pass: 12.3 -> 11.4 ms).
        self._entries.append(_Entry(len(_ROOT_SPACE), False, False, False, None, ()))
        self._automaton.add_word(_ROOT_SPACE, len(self._entries) - 1)
        for index in sorted(range(len(keys)), key=[k.translate(_BY_FREQUENCY) for k in keys]
                            .__getitem__):
            self._automaton.add_word(keys[index], index)
        self._names = len(owners)
        self.has_triggers = trigger_set == set(TRIGGER_WORDS)
        self._empty = not owners and not trigger_set
        self._columns: EntryArrays | None = None
        if not self._empty:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        """How many distinct names (after folding) are proposed."""
        return self._names

    def scan(self, text: str, arrays: bool | None = None, covered: Covered | None = None
             ) -> tuple[list[Suggestion], list[int]]:
        """Actor suggestions in `text` (sorted, never overlapping) and the start offsets of
        the date trigger words (in order of their ends). `arrays`: decide the hits as
        arrays (hit_arrays) or one by one; by default by the text's length. Both give
        the same. `covered`: existing tags; the suggestions their actor tags overlap
        are left out."""
        found, triggers, _keys, _leadless = self.scan_keyed(text, arrays, covered)
        return found, triggers

    def scan_keyed(self, text: str, arrays: bool | None = None, covered: Covered | None = None
                   ) -> tuple[list[Suggestion], list[int], np.ndarray | None, list[int]]:
        """`scan`, and from the array path: the suggestions' (start, end) as one sortable
        integer each (settle.span_keys), which merging with the dates needs, made from
        the arrays at hand, not read back from the suggestions; the trigger starts
        before which no date expression can start (find_dates' `leadless`)."""
        if self._empty:
            return [], [], None, []
        if arrays is None:
            arrays = len(text) >= ARRAY_SCAN_FROM
        if not arrays:
            found, triggers = self._scan_plain(text)
            return (found if covered is None else covered.drop(ACTOR, found)), triggers, None, []
        hits, triggers, leadless = self.scan_hits(text, covered)
        from stancemark.core.suggest.settle import span_keys

        return hit_suggestions(text, hits), triggers, span_keys(hits.starts, hits.ends, 0), leadless

    def scan_hits(self, text: str, covered: Covered | None = None
                  ) -> tuple[ActorHits, list[int], list[int]]:
        """The array path of `scan_keyed`, its actor suggestions left as arrays (made
        into objects by `hit_suggestions`, perhaps in another process)."""
        # imported here: NumPy is not needed before the first long text
        from stancemark.core.suggest.hit_arrays import EntryArrays, scan_arrays

        if self._columns is None:
            self._columns = EntryArrays(self._entries, self._owners)
        cols = self._columns
        if self._empty:
            s = e = owner = _no_hits()
            triggers: list[int] = []
            leadless: list[int] = []
        else:
            folded, plain = fold_and_plain(text)
            s, e, owner, triggers, leadless = scan_arrays(self._automaton, folded, text, cols,
                                                          plain)
        if covered is not None and s.size:
            keep = ~covered.mask(ACTOR, s, e)
            s, e, owner = s[keep], e[keep], owner[keep]
        return ActorHits(s, e, owner, cols.uid, cols.name, cols.note), triggers, leadless

    def _scan_plain(self, text: str) -> tuple[list[Suggestion], list[int]]:
        hits: list[tuple[int, int, str, str, str]] = []
        triggers: list[int] = []
        n = len(text)
        entries = self._entries
        # The hot loop (tens of thousands of hits in a long article): plain tuples, the
        # common case (a space on both sides) decided without a call.
        for last, i in self._automaton.iter(fold(text)):
            length, trigger, left, right, folded, acronyms, _f, _a = entries[i]
            e = last + 1
            s = e - length
            if trigger:
                triggers.append(s)
                if folded is None and not acronyms:
                    continue
            if left and s and text[s - 1] not in _FREE and _joined_left(text, s):
                continue
            if right and e < n and text[e] not in _FREE and _joined_right(text, e):
                continue
            owner = folded
            if acronyms:
                spelled = text[s:e].replace("’", "'")
                owner = next((a[1:] for a in acronyms if a[0] == spelled), owner)
            if owner is not None:
                hits.append((s, e, *owner))
        return suggestions((ACTOR, s, e, text[s:e], uid, None, None, note, name)
                           for s, e, uid, name, note in _longest(hits)), triggers

    def find(self, text: str) -> list[Suggestion]:
        """Actor suggestions in `text`, sorted by start, never overlapping."""
        return self.scan(text)[0]


def _longest(hits: list[tuple[int, int, str, str, str]]) -> list[tuple[int, int, str, str, str]]:
    """Disjoint hits, the longest winning where they overlap (then the first): "the United
    States of America" is "United States of America", not "the United States". Most hits
    stand alone, so only runs of overlapping ones are compared."""
    hits.sort(key=_START)  # the automaton reports by end: nearly sorted already
    out: list[tuple[int, int, str, str, str]] = []
    i, n = 0, len(hits)
    while i < n:
        reach = hits[i][1]
        j = i + 1
        while j < n and hits[j][0] < reach:
            if hits[j][1] > reach:
                reach = hits[j][1]
            j += 1
        if j == i + 1:
            out.append(hits[i])
        else:
            out.extend(_resolve(hits[i:j]))
        i = j
    return out


_START = itemgetter(0)


def _resolve(run: list[tuple[int, int, str, str, str]]) -> list[tuple[int, int, str, str, str]]:
    if len(run) == 1:
        return run
    kept: list[tuple[int, int, str, str, str]] = []
    for hit in sorted(run, key=lambda h: (h[0] - h[1], h[0])):  # longest, then first
        if all(hit[1] <= k[0] or k[1] <= hit[0] for k in kept):
            kept.append(hit)
    return sorted(kept)


def _entry(key: str, claims: list[tuple[str, str]], trigger: bool,
           owners: list[tuple[str, str, str]]) -> _Entry:
    """The entry of one folded key; its owners (uid, name, note) appended to `owners`."""
    if len(claims) == 1 and not is_acronym(claims[0][1]):  # most keys: built in C
        folded_one = (*claims[0], "")
        owners.append(folded_one)
        return _make_entry((len(key), trigger, _word_char(key[0]), _word_char(key[-1]),
                            folded_one, (), len(owners) - 1, ()))
    others = len({u for u, _ in claims}) - 1
    note = f"also a name of {others} other actor{'s' if others > 1 else ''}" if others else ""
    folded = None
    folded_id = -1
    acronyms: list[tuple[str, str, str, str]] = []
    acronym_ids: list[tuple[str, int]] = []
    for uid, name in claims:
        if is_acronym(name):
            spelling = " ".join(name.split()).replace("’", "'")
            acronyms.append((spelling, uid, name, note))
            acronym_ids.append((spelling, len(owners)))
            owners.append((uid, name, note))
        elif folded is None:
            folded = (uid, name, note)
            folded_id = len(owners)
            owners.append(folded)
    return _Entry(len(key), trigger, _word_char(key[0]), _word_char(key[-1]), folded,
                  tuple(acronyms), folded_id, tuple(acronym_ids))

