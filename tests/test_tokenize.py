"""The CoNLL tokenizer and the CRLF offset map (core)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stancemark.core.newlines import NewlineMap
from stancemark.core.tokenize import tokenize


def _words(text, cuts=()):
    return [text[s:e] for s, e in tokenize(text, cuts)]


def test_documented_rules():
    text = "Tsai Ing-wen’s aide, 3.5% of U.S. 😀🇹🇼 北京反对 e\u0301te\u0301!"
    assert _words(text) == ["Tsai", "Ing-wen’s", "aide", ",", "3.5", "%", "of", "U.S", ".",
                            "😀", "🇹", "🇼", "北京反对", "e\u0301te\u0301", "!"]


def test_cuts_split_tokens_at_span_boundaries():
    assert _words("北京反对美国", [2, 4]) == ["北京", "反对", "美国"]
    assert _words("Ing-wen", [3]) == ["Ing", "-wen"]


@given(text=st.text(max_size=60), cuts=st.lists(st.integers(0, 60), max_size=5))
def test_tokens_cover_every_non_space_character_once(text, cuts):
    toks = tokenize(text, cuts)
    covered = [i for s, e in toks for i in range(s, e)]
    assert covered == [i for i, ch in enumerate(text) if not ch.isspace()]
    assert all(not any(ch.isspace() for ch in text[s:e]) for s, e in toks)
    assert all(not (s < c < e) for s, e in toks for c in cuts)


def test_newline_map_shifts_offsets_after_each_crlf():
    m = NewlineMap("a\r\nb\r\n\r\nc\rd")
    assert m.text == "a\nb\n\nc\nd"
    raw = "a\r\nb\r\n\r\nc\rd"
    for i, ch in enumerate(raw):
        if ch not in "\r\n":
            assert m.text[m.to_normalised(i)] == ch
    assert m.to_normalised(len(raw)) == len(m.text)


def test_every_combining_mark_stays_in_its_word():
    # Arabic superscript alef (U+0670), Devanagari vocalic L sign (U+0962) and a Thai
    # vowel mark (U+0E31) were outside the hand-listed mark blocks and split words.
    for word in ("الرحمٰن", "कॢप्त", "สวัสดี", "e\u0301te\u0301"):
        assert _words(f"({word})") == ["(", word, ")"]
