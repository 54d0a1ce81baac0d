"""Suggestions in core (core/suggest): register names and date expressions in text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stancemark.core.suggest import (
    AliasMatcher,
    Suggestion,
    alias_problem,
    default_holder,
    default_target,
    find_dates,
    muted_aliases,
    suggest,
)

NAMES = [
    ("us", "United States"), ("us", "US"), ("us", "the United States"), ("us", "Washington"),
    ("cn", "China"), ("cn", "Beijing"), ("cn", "People's Republic of China"),
    ("tw", "Taiwan"), ("tw", "Taipei"),
    ("trump", "Donald Trump"), ("trump", "Trump"),
    ("admin", "the Trump administration"),
    ("xi", "Xi"), ("xi", "Xi Jinping"), ("xi", "习近平"),
    ("un", "U.N."),
]


def quotes(found: list[Suggestion]) -> list[tuple[str, str | None]]:
    return [(s.quote, s.actor_uid) for s in found]


@pytest.fixture(scope="module")
def matcher() -> AliasMatcher:
    return AliasMatcher(NAMES)


def test_whole_words_case_and_longest(matcher):
    text = "TRUMP met Xi Jinping; the Trump administration and Trumpism; chinaware in china."
    assert quotes(matcher.find(text)) == [
        ("TRUMP", "trump"), ("Xi Jinping", "xi"), ("the Trump administration", "admin"),
        ("china", "cn")]


def test_the_longest_of_overlapping_names_wins(matcher):
    m = AliasMatcher([("us", "the United States"), ("us", "United States of America"),
                      ("a", "New York"), ("b", "York Times"), ("c", "New York Times Group")])
    assert quotes(m.find("with the United States of America and the United States.")) == [
        ("United States of America", "us"), ("the United States", "us")]
    assert quotes(m.find("New York Times and New York")) == [("York Times", "b"), ("New York", "a")]
    assert quotes(m.find("the New York Times Group")) == [("New York Times Group", "c")]


def test_possessives_and_punctuation(matcher):
    text = "Beijing’s view, Taipei's reply (Taiwan). “China”—U.N. and Xi's."
    assert quotes(matcher.find(text)) == [
        ("Beijing", "cn"), ("Taipei", "tw"), ("Taiwan", "tw"), ("China", "cn"),
        ("U.N.", "un"), ("Xi", "xi")]


def test_acronyms_match_only_in_capitals(matcher):
    assert quotes(matcher.find("Tell us about the US.")) == [("US", "us")]


def test_apostrophe_inside_a_word_is_no_boundary(matcher):
    assert matcher.find("Xi'an and O'China") == []


def test_apostrophes_and_spaces_in_names_are_flexible(matcher):
    text = "the People’s\u00a0Republic of\tChina"
    assert quotes(matcher.find(text)) == [("People’s\u00a0Republic of\tChina", "cn")]


def test_a_name_never_runs_across_lines(matcher):
    assert quotes(matcher.find("Xi\nJinping")) == [("Xi", "xi")]


def test_dotted_i_keeps_offsets(matcher):
    text = "İİ Trump"
    assert [(s.start, s.quote) for s in matcher.find(text)] == [(3, "Trump")]


def test_unspaced_scripts_match_inside_runs(matcher):
    text = "国家主席习近平今天说"
    found = matcher.find(text)
    assert [(s.start, s.end, s.actor_uid) for s in found] == [(4, 7, "xi")]
    assert text[4:7] == "习近平"


def test_offsets_are_code_points(matcher):
    text = "😀 Trump 😀 China"
    for s in matcher.find(text):
        assert text[s.start:s.end] == s.quote


@pytest.mark.parametrize("alias, bad", [
    ("", True), ("   ", True), ("...", True), ("—", True), ("x", True), ("习", True),
    ("US", False), ("@SecPompeo", False), ("习近平", False)])
def test_alias_problem(alias, bad):
    assert (alias_problem(alias) is not None) is bad


def test_bad_and_muted_aliases_are_not_proposed():
    m = AliasMatcher([("a", "X"), ("a", "..."), ("b", "Lin"), ("c", "Taiwan")], muted=["lin"])
    assert quotes(m.find("X ... Lin Taiwan")) == [("Taiwan", "c")]


def test_dates_against_the_article_date():
    text = "On January 9 Pompeo spoke; last August Azar went, as in 2014. Today he left."
    found = find_dates(text, "2021-01-10")
    assert [(s.quote, s.date_value, s.date_granularity) for s in found] == [
        ("January 9", "2021-01-09", "day"), ("last August", "2020-08", "month"),
        ("2014", "2014", "year"), ("Today", "2021-01-10", "day")]


def test_undated_article_never_uses_the_clock():
    found = find_dates("Yesterday, and on January 9, 2021, and last week.", None)
    by_quote = {s.quote: s for s in found}
    assert by_quote["January 9, 2021"].date_value == "2021-01-09"
    for rel in ("Yesterday", "last week"):
        assert by_quote[rel].date_value is None
        assert "no date" in by_quote[rel].note


def test_chinese_dates():
    found = find_dates("2024年5月20日会谈，去年八月和昨天。", "2024-06-01")
    assert [(s.quote, s.date_value) for s in found] == [
        ("2024年5月20日", "2024-05-20"), ("去年八月", "2023-08"), ("昨天", "2024-05-31")]


def test_may_the_verb_is_no_date():
    assert [s.quote for s in find_dates("He May go. She may. In May they met.", "2020-06-01")] \
        == ["May"]


def test_suggest_skips_existing_tags_and_rejections(matcher):
    text = "Trump met Xi on January 9."
    all_found = suggest(text, matcher, "2021-01-10")
    assert [s.quote for s in all_found] == ["Trump", "Xi", "January 9"]
    trump = all_found[0]
    left = suggest(text, matcher, "2021-01-10", existing=[("actor", 10, 12, "xi")],
                   rejected=[trump.key])
    assert [s.quote for s in left] == ["January 9"]
    assert [s.quote for s in suggest(text, matcher, "2021-01-10", kinds=["date"])] == ["January 9"]
    # a date tag over part of the date expression settles it too
    assert [s.quote for s in suggest(text, matcher, "2021-01-10", kinds=["date"],
                                     existing=[("date", 16, 23, None)])] == []


def test_key_is_stable():
    s = Suggestion("actor", 1, 3, "Xi", actor_uid="xi")
    assert s.key == "actor|1|3|xi"
    assert Suggestion("date", 0, 4, "2014", date_value="2014").key == "date|0|4|2014"


def test_muted_aliases_rule():
    assert muted_aliases({"Lin": (0, 5), "Chang": (1, 4), "Xi": (2, 8), "US": (2, 7)}) == {
        "Lin", "Xi"}


def test_default_holder_nearest_in_sentence_and_pronoun():
    text = "Pompeo met Azar. He said Beijing lies. China and Taiwan argue."
    mentions = [(0, 6, "pompeo", True), (11, 15, "azar", True), (25, 32, "cn", False),
                (39, 44, "cn", False), (49, 55, "tw", False)]
    assert default_holder(text, 8, mentions) == "pompeo"
    assert default_holder(text, 20, mentions) == "azar"  # "He": the nearest person before
    assert default_holder(text, 50, mentions) == "tw"
    assert default_holder("Nobody here.", 3, []) is None


def test_default_target():
    counts = {("h", "t1"): 2, ("h", "t2"): 5, ("g", "t3"): 9}
    assert default_target("h", counts) == "t2"
    assert default_target("nobody", counts) is None


@given(st.text(alphabet=st.sampled_from(list("Trump Xi Jinping 习近平 US us’s'.-😀\n")),
               max_size=60))
def test_matches_are_quoted_sorted_and_disjoint(text):
    m = AliasMatcher(NAMES)
    found = suggest(text, m, "2021-01-10")
    for s in found:
        assert text[s.start:s.end] == s.quote
    actors = [s for s in found if s.kind == "actor"]
    assert all(a.end <= b.start for a, b in zip(actors, actors[1:], strict=False))
    assert found == sorted(found, key=lambda s: (s.start, s.end, s.kind))


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 8)), max_size=12))
def test_existing_tags_settle_exactly_the_overlapping(spans):
    text = "Trump met Xi. " * 5
    m = AliasMatcher(NAMES)
    existing = [("actor", s, min(s + n, len(text)), "x") for s, n in spans]
    left = suggest(text, m, None, kinds=["actor"], existing=existing)
    expected = [s for s in m.find(text)
                if not any(a < s.end and s.start < b for _, a, b, _ in existing)]
    assert left == expected
