"""The matcher's build shortcuts (a register's names folded as one text, the cheap tests
first) give what the per-name definitions give, for any names."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from stancemark.core.aliases import alias_problem
from stancemark.core.suggest.matcher import AliasMatcher, is_acronym, normal_key, normal_keys

# Letters whose lowering depends on context or changes the length, the folded
# punctuation, and ordinary text.
_TRICKY = st.sampled_from(list("ΣσςΟΔΥΣΣΕΑİIıi’'\t\xa0\u2007\u202f \n.-Ⓐⅻ0") + ["US", "Xi"])
_NAMES = st.lists(st.one_of(st.text(max_size=12), st.lists(_TRICKY, max_size=8).map("".join)),
                  max_size=30)


def _alias_problem_plain(alias: str) -> str | None:
    s = (alias or "").strip()
    if not s:
        return "an alias may not be empty"
    if not any(unicodedata.category(c)[0] in "LN" for c in s):
        return f"alias {s!r} has no letter or digit (only punctuation or symbols)"
    if len(s) < 2:
        return f"alias {s!r} is shorter than two characters"
    return None


@settings(max_examples=300)
@given(_NAMES)
def test_names_folded_together_are_folded_as_each_alone(names):
    assert normal_keys(names) == [normal_key(n) for n in names]


@settings(max_examples=300)
@given(_NAMES)
def test_the_cheap_tests_first_change_no_answer(names):
    for name in names:
        assert alias_problem(name) == _alias_problem_plain(name)
        assert is_acronym(name) == (any(c.isalpha() for c in name) and name.upper() == name
                                    and name.lower() != name)


def test_greek_final_sigma_and_dotted_i_fold_as_alone():
    names = ["ΟΔΥΣΣΕΑΣ", "Σ Σ", "İstanbul", "Don’t Stop", "ΣΑΣ\u00a0ΣΑΣ"]
    assert normal_keys(names) == [normal_key(n) for n in names]
    assert normal_keys(names[:2] + names[3:]) == [normal_key(n) for n in names[:2] + names[3:]]


def test_a_matcher_built_from_tricky_names_finds_each_as_before():
    names = [("a", "ΟΔΥΣΣΕΑΣ"), ("b", "İstanbul"), ("c", "US"), ("d", "Don’t Stop"),
             ("e", "  "), ("f", "x"), ("g", "--")]
    matcher = AliasMatcher(names)
    found = matcher.find("ΟΔΥΣΣΕΑΣ met, and the US said don't stop, x --")
    assert [(s.quote, s.actor_uid) for s in found] == [
        ("ΟΔΥΣΣΕΑΣ", "a"), ("US", "c"), ("don't stop", "d")]
    assert [(s.quote, s.actor_uid) for s in matcher.find("in İstanbul, x")] == [
        ("İstanbul", "b")]
