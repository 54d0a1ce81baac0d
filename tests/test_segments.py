"""core.segments: overlapping spans become disjoint layered segments, per block, in UTF-16."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stancemark.core.segments import BlockIndex, layer_segments


def test_overlap_keeps_every_layer_visible():
    segs = layer_segments([(0, 10, "actor"), (5, 15, "stance"), (20, 22, "date")])
    assert segs == [(0, 5, ("actor",)), (5, 10, ("actor", "stance")), (10, 15, ("stance",)),
                    (20, 22, ("date",))]


def test_nested_and_identical_spans():
    segs = layer_segments([(0, 10, "a"), (2, 4, "b"), (2, 4, "c")])
    assert segs == [(0, 2, ("a",)), (2, 4, ("a", "b", "c")), (4, 10, ("a",))]
    assert layer_segments([(3, 3, "empty")]) == []


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=25))
def test_segments_are_disjoint_and_cover_exactly_the_spans(pairs):
    spans = [(min(a, b), max(a, b), i) for i, (a, b) in enumerate(pairs)]
    segs = layer_segments(spans)
    for (_s0, e0, _), (s1, _e1, _) in zip(segs, segs[1:], strict=False):
        assert e0 <= s1
    for pos in range(41):
        expected = {i for s, e, i in spans if s <= pos < e}
        got = [set(layers) for s, e, layers in segs if s <= pos < e]
        assert (got[0] if got else set()) == expected


def test_block_index_splits_at_newlines_and_counts_utf16():
    text = "😀 Xi met\nBiden 日本 today"
    idx = BlockIndex(text)
    s = text.index("Xi")
    blocks = idx.set_span("a", s, text.index("Biden") + 5, "actor")
    assert blocks == {0, 1}
    # block 0: the emoji is two UTF-16 units, so "Xi" starts at unit 3
    assert idx.segments(0) == [(3, len("Xi met"), ("actor",))]
    assert idx.segments(1) == [(0, 5, ("actor",))]
    assert idx.keys_at(s) == ["a"]
    assert idx.remove("a") == {0, 1}
    assert idx.segments(0) == [] and idx.keys_at(s) == []


def test_keys_at_prefers_the_innermost_span():
    idx = BlockIndex("The State Department said")
    idx.set_spans([("outer", 0, 20, "x"), ("inner", 4, 9, "y")])
    assert idx.keys_at(5) == ["inner", "outer"]
