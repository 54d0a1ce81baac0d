"""Code points vs UTF-16 and selection snapping (core/text.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stancemark.core.text import (
    OffsetMap,
    check_span,
    normalise_newlines,
    sentence_bounds,
    snap_span,
)


def test_emoji_shifts_qt_positions():
    m = OffsetMap("a😀b")
    assert m.to_utf16(2) == 3
    assert m.to_codepoint(3) == 2
    assert m.to_codepoint(2) == 1  # inside the surrogate pair: snaps to the emoji's start


@given(st.text())
def test_round_trip_every_offset(text):
    m = OffsetMap(text)
    utf16 = text.encode("utf-16-le")
    for cp in range(len(text) + 1):
        u = m.to_utf16(cp)
        assert u == len(text[:cp].encode("utf-16-le")) // 2
        assert m.to_codepoint(u) == cp
    assert m.to_utf16(len(text)) == len(utf16) // 2
    every = list(range(len(text) + 1))
    assert m.to_utf16_many(every) == [m.to_utf16(cp) for cp in every]


def test_cjk_hebrew_and_combining_marks_are_one_unit_each():
    for text in ("台湾海峡的和平", "שלום עולם", "e\u0301te\u0301"):
        m = OffsetMap(text)
        assert [m.to_utf16(i) for i in range(len(text) + 1)] == list(range(len(text) + 1))


def test_snap_grows_to_words_and_trims_punctuation():
    t = "The President, Donald Trump’s call."
    assert t[slice(*snap_span(t, 16, 22))] == "Donald"
    assert t[slice(*snap_span(t, 13, 25))] == "Donald Trump"
    assert snap_span(t, 13, 15) == (15, 15)  # ", " alone is nothing to tag
    assert t[slice(*snap_span(t, 20, 16))] == "Donald"  # reversed selection


@pytest.mark.parametrize("text, selected, expected", [
    ("他说，北京。", "，北京。", "北京"),  # full-width comma and full stop
    ("「台湾」问题", "「台湾」", "台湾"),
    ("《人民日报》", "《人民日报》", "人民日报"),
    ("قال، الرئيس؟", "، الرئيس؟", "الرئيس"),  # Arabic comma and question mark
    ("\u200fبيروت\u200f", "\u200fبيروت\u200f", "بيروت"),  # right-to-left marks
    ("Taipei’s envoy", "Taipei’s", "Taipei"),  # dragged over the possessive
    ("Taipei's envoy", "Taipei's", "Taipei"),
    ("the States’ view", "States’", "States"),
    ("as it's done", "it's", "it"),
    ("via @SecPompeo, said", " @SecPompeo,", "@SecPompeo"),  # a handle keeps its @
    ("under #MeToo.", "#MeToo.", "#MeToo"),
])
def test_snap_trims_every_script_and_possessives(text, selected, expected):
    start = text.index(selected)
    s, e = snap_span(text, start, start + len(selected))
    assert text[s:e] == expected


def test_snap_keeps_emoji_and_cjk():
    t = "说 台湾 😀 ok"
    s, e = snap_span(t, 2, 4)
    assert t[s:e] == "台湾"


def test_newlines_and_spans():
    assert normalise_newlines("a\r\nb\rc\n") == "a\nb\nc\n"
    assert check_span("abc", 0, 3, "abc") is None
    assert "negative" in check_span("abc", -1, 2)
    assert "not after" in check_span("abc", 2, 2)
    assert "past the end" in check_span("abc", 1, 4)
    assert "does not match" in check_span("abc", 0, 2, "ab!")


def test_sentence_bounds():
    t = "First one. Xi met Trump. Last"
    s, e = sentence_bounds(t, t.index("met"))
    assert t[s:e].strip() == "Xi met Trump."


@given(st.text())
def test_every_utf16_position_maps_to_the_character_holding_it(text):
    """Inside a surrogate pair (the low half of an emoji) as anywhere else: the start of
    the character that holds that UTF-16 unit."""
    m = OffsetMap(text)
    expected = [cp for cp, ch in enumerate(text) for _ in range(2 if ord(ch) > 0xFFFF else 1)]
    expected.append(len(text))
    assert [m.to_codepoint(u) for u in range(len(expected))] == expected


@pytest.mark.parametrize("text, selected, expected", [
    ("東京タワーへ行く", "タワ", "タワ"),  # kana with the prolonged sound mark: not grown
    ("我们々都去", "我们", "我们"),  # the iteration mark is Han by script extension
    ("ທ່ານ ສອນ", "ທ່ານ", "ທ່ານ"),  # Lao
])
def test_a_selection_in_unspaced_scripts_is_not_grown(text, selected, expected):
    start = text.index(selected)
    s, e = snap_span(text, start, start + len(selected))
    assert text[s:e] == expected
