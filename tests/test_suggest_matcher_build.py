"""The matcher's build shortcuts (a register's names folded as one text, the cheap tests
first) give what the per-name definitions give, for any names."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from stancemark.core.aliases import alias_problem, stripped_alias_problem
from stancemark.core.suggest.matcher import AliasMatcher, is_acronym, normal_key, normal_keys

# Letters whose lowering depends on context or changes the length, the folded
# punctuation, and ordinary text.
_TRICKY = st.sampled_from(list("ΣσςΟΔΥΣΣΕΑİIıi’'\t\xa0\u2007\u202f \n.-Ⓐⅻ0") + ["US", "Xi"])
_NAMES = st.lists(st.one_of(st.text(max_size=12), st.lists(_TRICKY, max_size=8).map("".join)),
                  max_size=30)


@settings(max_examples=300)
@given(_NAMES)
def test_names_folded_together_are_folded_as_each_alone(names):
    assert normal_keys(names) == [normal_key(n) for n in names]


@settings(max_examples=300)
@given(_NAMES)
def test_the_cheap_tests_first_change_no_answer(names):
    for name in names:
        assert alias_problem(name) == stripped_alias_problem((name or "").strip())
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
    found = matcher.find("ΟΔΥΣΣΕΑΣ met in İstanbul; the US said don't stop, x --")
    assert [(s.quote, s.actor_uid) for s in found] == [
        ("ΟΔΥΣΣΕΑΣ", "a"), ("İstanbul", "b"), ("US", "c"), ("don't stop", "d")]


@settings(max_examples=200)
@given(st.lists(_TRICKY, max_size=10).map("".join))
def test_a_dotted_capital_i_elsewhere_changes_no_hit(around):
    """Folding keeps "İ" and lowers the rest as one text: a name is found in a text that
    holds an "İ" as in one that does not."""
    matcher = AliasMatcher([("a", "ΟΔΥΣΣΕΑΣ"), ("b", "Xi")])
    text = f"{around} ΟΔΥΣΣΕΑΣ and Xi. {around}"
    plain = [(s.start - len(around), s.quote) for s in matcher.find(text)]
    dotted = [(s.start - len(around) - 2, s.quote) for s in matcher.find(f"İ {text}")]
    assert [h for h in dotted if h[0] >= 0] == [h for h in plain if h[0] >= 0]
