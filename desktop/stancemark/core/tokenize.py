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

import re
from collections.abc import Iterable

# \w covers letters, digits and underscore; combining marks (U+0300-036F and the
# other Mn/Mc blocks most used in news text) are added so "e\u0301" stays one word.
_WORD_CHAR = r"[\w\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u064b-\u065f\u0900-\u0903\u093a-\u094f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
TOKEN_RE = re.compile(rf"{_WORD_CHAR}+(?:[-'’.]{_WORD_CHAR}+)*|\S")


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
