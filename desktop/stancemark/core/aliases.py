"""Which aliases a register may hold: the store refuses a new one that fails here, and
suggestions never propose an old one that does (core/suggest). A module of its own, so
the store checks aliases without importing the suggestion machinery."""

from __future__ import annotations

import re
import unicodedata

_ASCII_LETTER_OR_DIGIT = re.compile("[A-Za-z0-9]")


def alias_problem(alias: str) -> str | None:
    """Why `alias` cannot be an alias (empty, only punctuation, shorter than two
    characters), as one line; None when it is fine. Such an alias would match
    everywhere or nowhere, so it is refused when added and skipped when proposing."""
    s = (alias or "").strip()
    if len(s) >= 2 and _ASCII_LETTER_OR_DIGIT.search(s):  # the common case, in C
        return None
    return stripped_alias_problem(s)


def stripped_alias_problem(s: str) -> str | None:
    """`alias_problem` of an alias already stripped, by the definitions alone."""
    if not s:
        return "an alias may not be empty"
    if not any(unicodedata.category(c)[0] in "LN" for c in s):
        return f"alias {s!r} has no letter or digit (only punctuation or symbols)"
    if len(s) < 2:
        return f"alias {s!r} is shorter than two characters"
    return None
