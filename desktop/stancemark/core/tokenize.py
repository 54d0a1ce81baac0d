"""A small deterministic tokenizer for token-per-line exports (CoNLL / IOB2).

Rule, in order, at each position (white space separates tokens and is never a token):
1. a word: letters, digits, underscore and combining marks, with inner joiners
   (hyphen, apostrophe, right single quote, period between letters or digits:
   "Ing-wen", "Trump's", "U.S", "3.5");
2. any other single non-space code point (punctuation, symbols, each emoji
   code point, each CJK ideograph is a word character by rule 1, so a run of
   CJK without spaces stays one token unless a span boundary cuts it).
Tokens are then cut at every offset in `cuts` (the annotation boundaries), so
every span is a whole number of tokens. Offsets are code points, end-exclusive.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

# Letters, digits, underscore and every combining mark (\p{M}: accents, Hebrew points,
# Arabic harakat, Indic vowel signs ...), so "e\u0301" stays one word.
_WORD_CHAR = r"[\p{L}\p{N}\p{M}_]"
# Any other character that is not white space as str.isspace() has it (the regex
# module's \s leaves out the separators U+001C-001F, which Python counts as space).
_OTHER = r"[^\s\x1c-\x1f]"
TOKEN_RE = regex.compile(rf"{_WORD_CHAR}+(?:[-'’.]{_WORD_CHAR}+)*|{_OTHER}")


def tokenize(text: str, cuts: Iterable[int] = ()) -> list[tuple[int, int]]:
    """Token spans [(start, end), ...] of `text`, split further at each offset in `cuts`."""
    cut_set = sorted(set(cuts))
    out: list[tuple[int, int]] = []
    import bisect

    for m in TOKEN_RE.finditer(text):
        s, e = m.span()
        i = bisect.bisect_right(cut_set, s)
        while i < len(cut_set) and cut_set[i] < e:
            out.append((s, cut_set[i]))
            s = cut_set[i]
            i += 1
        out.append((s, e))
    return out
