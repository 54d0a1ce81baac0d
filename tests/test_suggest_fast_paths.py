"""The long-text paths of core/suggest give what the plain ones give: the hit rules as
arrays (hit_arrays) and the plain loop, the tags' filter and merge as arrays (settle)
and by bisection and sort, the date pattern's shortcuts and the pattern itself."""

from __future__ import annotations

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

import stancemark.core.suggest as suggest_module
from stancemark.core.suggest import AliasMatcher, find_dates, suggest
from stancemark.core.suggest import matcher as matcher_module
from stancemark.core.suggest.date_finder import _lead_en, find_spans
from stancemark.core.suggest.date_patterns import (
    _B,
    _CHINESE,
    _E,
    _ENGLISH,
    DATE_RE,
    LEAD_BACK,
    LEAD_EN,
)
from stancemark.core.suggest.settle import Covered, merge

NAMES = [
    ("us", "United States"), ("us", "US"), ("us", "the United States"), ("us", "U.S."),
    ("cn", "China"), ("cn", "Beijing"), ("cn", "People's Republic of China"), ("cn", "PRC"),
    ("un", "UN"), ("un", "U.N."), ("un", "United Nations"), ("un2", "UN"),
    ("trump", "Donald Trump"), ("trump", "Trump"), ("admin", "the Trump administration"),
    ("xi", "Xi"), ("xi", "Xi Jinping"), ("xi", "习近平"), ("mac", "MAC"), ("mac2", "Mac"),
    ("ny", "New York"), ("yt", "York Times"), ("nytg", "New York Times Group"),
    ("o", "O'Brien"), ("may", "May"),
]
WORDS = ["Trump", "TRUMP", "Xi", "Jinping", "习近平", "US", "us", "Us", "U.S.", "UN", "un",
         "U.N.", "United", "States", "Nations", "the", "China", "china", "PRC", "Beijing",
         "MAC", "mac", "Mac", "New", "York", "Times", "Group", "O'Brien", "O’Brien", "Brien",
         "administration", "May", "January", "2021", "9,", "last", "Thursday", "today", "年",
         "2024年5月", "昨天", "😀", "’s", "'s", "’S", "'sa", "’", "'", "-", ".", ",", "“", "”", "é", "\u0301"]
SEPS = [" ", " ", " ", "", "\n", "\t", "\xa0", "-", "’", "'"]


def _texts() -> st.SearchStrategy[str]:
    piece = st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPS)).map("".join)
    return st.lists(piece, max_size=60).map("".join)


@pytest.fixture(scope="module")
def matcher() -> AliasMatcher:
    return AliasMatcher(NAMES)


@settings(max_examples=300, deadline=None)
@given(_texts())
def test_array_scan_equals_the_plain_loop(text):
    m = AliasMatcher(NAMES)
    assert m.scan(text, arrays=True) == m.scan(text, arrays=False)


def test_array_scan_on_a_long_text(matcher):
    text = ("Trump’s talk with Xi Jinping at the UN (the U.N. said) — US and us, O'Brien; "
            "the Trump administration in New York Times Group and New York Times. 习近平说。"
            "MAC, Mac and mac met the PRC in January 2021 and last Thursday. Trump’S, "
            "Trump'sa, Trump’s’ Xi's. US’s UN's U.S.'s China\u0301 Chinaé 中China习近平说 "
            "Beijing-based 'China' Trump\n") * 300
    assert len(text) >= matcher_module.ARRAY_SCAN_FROM
    arrays, plain = matcher.scan(text), matcher.scan(text, arrays=False)
    assert arrays == plain and len(arrays[0]) > 4000


@settings(max_examples=200, deadline=None)
@given(_texts(), st.lists(st.tuples(st.sampled_from(["actor", "date", "stance"]),
                                    st.integers(0, 300), st.integers(1, 12)), max_size=40),
       st.sampled_from([None, "2021-01-10", "2021-01", "2021"]))
def test_long_paths_of_suggest_equal_the_short_ones(text, spans, published):
    """suggest() with the thresholds that send a text down the array paths set to 0 and
    to never: the same suggestions."""
    m = AliasMatcher(NAMES)
    tags = [(k, s, min(s + n, len(text) + 1), None) for k, s, n in spans]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(suggest_module, "ARRAY_FILTER_FROM", 10**9)
        mp.setattr(matcher_module, "ARRAY_SCAN_FROM", 10**9)
        short = suggest(text, m, published, existing=tags)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(suggest_module, "ARRAY_FILTER_FROM", 0)
        mp.setattr(matcher_module, "ARRAY_SCAN_FROM", 0)
        long = suggest(text, m, published, existing=tags)
    assert long == short


@given(st.lists(st.tuples(st.integers(0, 80), st.integers(1, 9)), max_size=30),
       st.lists(st.tuples(st.integers(0, 80), st.integers(1, 9)), max_size=30))
def test_covered_and_merge_equal_bisection_and_sort(spans, tag_spans):
    """Covered.drop against the definition (any overlapping tag of the kind), merge
    against a sort by (start, end, kind)."""
    text = "x" * 100
    found = []
    end = 0
    for start, n in sorted(spans):
        if start >= end:  # a kind's suggestions never overlap
            found.append(suggest_module.Suggestion("date", start, start + n, text[start:start + n]))
            end = start + n
    tags = [("date", a, a + n, None) for a, n in tag_spans] + [("actor", 0, 100, "x")]
    expected = [s for s in found if not any(a < s.end and s.start < b for _, a, b, _ in tags[:-1])]
    assert Covered(tags).drop("date", found) == expected
    actors = [suggest_module.Suggestion("actor", s.start, s.end - 1 or s.end, "")
              for s in found[::2]]
    assert merge(actors, found) == sorted(actors + found, key=lambda s: (s.start, s.end, s.kind))


@given(st.lists(st.tuples(st.sampled_from(["actor", "date", "stance", "frame", "Actor", ""]),
                          st.integers(0, 80), st.integers(1, 9)), max_size=40),
       st.lists(st.tuples(st.integers(0, 90), st.integers(1, 9)), max_size=30))
def test_covered_of_every_kind_equals_the_definition(tags, spans):
    """The built-in kinds by their codes, any other by its name: a span is covered where
    a tag of that kind, and only of that kind, overlaps it."""
    import numpy as np

    tags = [(k, a, a + n, None) for k, a, n in tags]
    covered = Covered(tags)
    s = np.array([a for a, _ in spans], dtype=np.int64)
    e = np.array([a + n for a, n in spans], dtype=np.int64)
    for kind in ("actor", "date", "stance", "frame", "Actor", "", "none"):
        expected = [any(k == kind and a < b1 and a1 < b for k, a1, b1, _ in tags)
                    for a, b in zip(s.tolist(), e.tolist(), strict=True)]
        assert covered.mask(kind, s, e).tolist() == expected


LEAD_TOKENS = ["last", "LAST", "Last", "this", "past", "this past", "the", "early", "the early",
               "mid", "mid-", "late", "3rd", "21st", "9", "31", "two", "an", "a", "years", "days",
               "week", "in", "on", "since", "x", "ſ", "laſt", "January", "Monday", "1990s",
               "and", "with", "first", "2nd", "9th", "٣rd", "ST", "4ST", "st", "-th", "Ⅻth",
               "The", "THE", "tHe", "bathe", "the early", "the mid-", "the late", "2020s", "early",
               "may", "march", "monday", "last week", "2021-01-10", "three years", "ten days"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(LEAD_TOKENS),
                          st.sampled_from([" ", "  ", "\n", "\t", "\xa0", "", "-", ","])),
                max_size=8).map(lambda ps: "".join(a + b for a, b in ps)),
       st.integers(0, 10))
def test_lead_shortcut_equals_the_lead_pattern(before, reach):
    """_lead_en says "no lead" without searching only where LEAD_EN finds none."""
    text = before + "January 9"
    p = len(before)
    reach = min(reach, p)
    lead = LEAD_EN.search(text, max(reach, p - LEAD_BACK), p)
    assert _lead_en(text, p, reach) == (None if lead is None else lead.start())


_UNFACTORED = regex.compile(
    "|".join(f"{_B}(?:{p}){_E}" for p in _ENGLISH) + "|" + "|".join(_CHINESE))
DATE_WORDS = ["January", "May", "Sept.", "Sep.", "9", "9th", "21st", "2021", "1990s", "2021-01-10",
              "of", "last", "this", "next", "year", "week", "ago", "three", "Thursday", "today",
              "in", "the", "early", "mid-", "$", "©", "%", "percent", "x", "2024年5月20日", "去年",
              "上周一", "三天前", "年", "5"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(DATE_WORDS),
                          st.sampled_from([" ", "", ",", ", ", ".", "-", "\n"])),
                max_size=10).map(lambda ps: "".join(a + b for a, b in ps)))
def test_date_pattern_factored_equals_the_plain_alternation(text):
    for pos in range(len(text) + 1):
        a, b = DATE_RE.match(text, pos), _UNFACTORED.match(text, pos)
        assert (a and a.span()) == (b and b.span())
    assert find_spans(text) == sorted(find_spans(text))


def test_find_dates_same_with_and_without_the_register_pass(matcher):
    text = ("On Thursday, “Today we meet,” he said on January 9, 2021. Yesterday and last "
            "August, in 2014, 去年八月 and 2024年5月20日; three years ago.\n") * 50
    triggers = matcher.scan(text)[1]
    assert find_dates(text, "2021-01-10", triggers) == find_dates(text, "2021-01-10")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS + DATE_WORDS), st.sampled_from(SEPS + ["\n"])),
                max_size=60).map(lambda ps: "".join(a + b for a, b in ps)),
       st.integers(0, 400), st.lists(st.tuples(st.integers(0, 400), st.integers(1, 9)), max_size=8))
def test_a_text_up_to_a_line_break_gives_the_whole_texts_suggestions_there(text, at, spans):
    """What the window's first screen relies on: suggestions of text[:cut], cut just
    after a line break, are the whole text's that start before cut (tags alike)."""
    cut = text.rfind("\n", 0, at) + 1
    m = AliasMatcher(NAMES)
    tags = [("actor", s, s + n, None) for s, n in spans]
    for published in ("2021-01-10", None):
        whole = suggest(text, m, published, existing=tags)
        part = suggest(text[:cut], m, published, existing=[t for t in tags if t[1] < cut])
        assert part == [s for s in whole if s.start < cut]


def _sentence_bounds_stepping(text: str, pos: int) -> tuple[int, int]:
    """core.text.sentence_bounds as it was: one character at a time."""
    n = len(text)
    pos = max(0, min(pos, n))
    start = pos
    while start > 0:
        ch = text[start - 1]
        if ch == "\n":
            break
        if ch in ".!?" and (start >= n or text[start].isspace()):
            break
        start -= 1
    end = pos
    while end < n:
        ch = text[end]
        if ch == "\n":
            break
        if ch in ".!?" and (end + 1 >= n or text[end + 1].isspace() or text[end + 1] in "”\"’'"):
            end += 1
            break
        end += 1
    return start, end


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .!?\n\t”\"’'x")), max_size=40),
       st.integers(-2, 45))
def test_sentence_bounds_by_find_equal_stepping(text, pos):
    from stancemark.core.text import sentence_bounds

    assert sentence_bounds(text, pos) == _sentence_bounds_stepping(text, pos)


def _is_future_plainly(text: str, start: int, end: int) -> bool:
    """core.dates.is_future as it was: both sentence bounds, every word split, counted."""
    import re as re_module

    from stancemark.core.dates import _FUTURE, _WINDOW_WORDS

    s0, s1 = _sentence_bounds_stepping(text, start)
    before = text[s0:start]
    if _FUTURE.search(" ".join(before.split()[-_WINDOW_WORDS:])):
        return True
    if len(re_module.findall(r"\w+", before)) <= 1:
        return bool(_FUTURE.search(" ".join(text[end:max(s1, end)].split()[:_WINDOW_WORDS])))
    return False


TENSE_WORDS = ["will", "Will", "would", "he", "said", "On", "on", "meet", "’ll", "'ll", "set to",
               "due", "to", "later", "x", "将", "会", "a_b", "9", "-", "Monday", "Thursday",
               "WILL", "Would", "LATER", "Going", "TO", "Scheduled", "é", "wiLL", "ſhall", "’"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(TENSE_WORDS),
                          st.sampled_from([" ", "  ", ". ", "! ", "? ", ".", "\n", "\t", ", ", "”", ""])),
                max_size=24).map(lambda ps: "".join(a + b for a, b in ps)),
       st.integers(0, 200), st.integers(0, 12))
def test_is_future_equals_the_plain_test(text, start, length):
    from stancemark.core.dates import is_future

    start = min(start, len(text))
    end = min(start + length, len(text))
    assert is_future(text, start, end) == _is_future_plainly(text, start, end)


@pytest.mark.parametrize(("text", "future"), [
    ("x  on Monday we will meet.", False), ("On Monday we will meet.", True),
    ("x,on Monday they will meet.", False), ("On, Monday they will.", True),
    ("a b c d e f g h will i j k l m n o p Monday.", False),
    ("a b c d e f g will i j k l m n o Monday.", True), ("a will b c d e f g h i Monday", False),
    ("He said! On Monday we will go? Yes.", True), ("Done. Monday will see it", True)])
def test_is_future_cases(text, future):
    from stancemark.core.dates import is_future

    start = text.index("Monday")
    assert is_future(text, start, start + 6) == _is_future_plainly(text, start, start + 6) == future


def _fold_lowering_first(text: str) -> str:
    """matcher.fold as it was: lower case first, then the replacements."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    for a, b in matcher_module._FOLD:
        low = low.replace(a, b)
    return low


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZ ’'\t\xa0\u2007\u202fİßΣς中😀\ud800é\u0301K")) | st.characters(),
               max_size=30))
def test_fold_replacing_first_equals_lowering_first(text):
    assert matcher_module.fold(text) == _fold_lowering_first(text)


def test_no_character_lowers_to_one_fold_replaces():
    """Why the order of fold's steps does not matter, for every code point."""
    replaced = {a for a, _ in matcher_module._FOLD}
    targets = {b for _, b in matcher_module._FOLD}
    assert all(b.lower() == b for b in targets | replaced)
    assert not [c for c in map(chr, range(0x110000))
                if c not in replaced and replaced.intersection(c.lower())]


@pytest.mark.parametrize("text", ["", "abc", "a’b", "中文 text", "a😀b", "\ud800x", "😀"])
def test_code_points_of_every_width(text):
    from stancemark.core.suggest.hit_arrays import code_points

    assert code_points(text).tolist() == [ord(c) for c in text]


# --- DATE_RE by the character at the position (date_patterns.date_re_at) -------------

_LEADING_LOOKAROUND = regex.compile(r"^\(\?<?[=!](?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)")


def test_every_alternatives_head_holds_what_it_can_start_with():
    """Each alternative (its leading lookaround aside, as that consumes nothing) can
    start only with a character its head matches: checked by the pattern engine itself
    (a partial match of the one character) for every character of the BMP."""
    from stancemark.core.suggest import date_patterns as dp

    alternatives = list(dp._ENGLISH) + list(dp._CHINESE)
    assert len(alternatives) == len(dp._HEADS)
    chars = [chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000]
    for body, head in zip(alternatives, dp._HEADS, strict=True):
        body = _LEADING_LOOKAROUND.sub("", body)
        starts = regex.compile(body)
        wrong = [c for c in chars if not head.match(c) and starts.match(c, partial=True)]
        assert not wrong, (body, wrong[:5])


def test_month_names_match_one_at_a_time():
    """Why the month alternatives may share one name: none is a prefix of another."""
    from stancemark.core.suggest import date_patterns as dp

    names = [regex.sub(r"\\(.)", r"\1", n) for n in dp._MONTH_NAMES]
    assert len(names) == 24
    assert not [(a, b) for a in names for b in names if a != b and b.startswith(a)]
    # ... and the alternatives factored are a month name and a tail, the bare one last
    assert [dp._ENGLISH[i] for i in dp._MONTH_STARTS] == [
        *(dp._MONTH + tail for tail in dp._MONTH_TAILS), "(?!May)" + dp._MONTH]


DISPATCH_WORDS = DATE_WORDS + [
    "JANUARY", "june", "June", "Jun.", "July", "Jul.", "Sept.", "Sep.", "September", "Dec.",
    "MAY", "may", "March", "Mar.", "Next", "NEXT", "next", "November", "Nov.", "past", "Past",
    "this past", "Monday", "Saturday", "Six", "ſix", "seven", "one", "a", "An", "Friday", "four",
    "THE", "The", "late", "early", "mid", "31st", "09", "0", "٣", "１９９９", "today", "Today",
    "YESTERDAY", "in", "since", "of last year", "days", "ago", "本月", "上个月", "周一", "星期天",
    "前年", "今年八月", "二〇二四年", "3天前", "K", "İ"]


def _dispatch_texts() -> st.SearchStrategy[str]:
    return st.lists(st.tuples(st.sampled_from(DISPATCH_WORDS),
                              st.sampled_from([" ", "", ",", ", ", ".", "-", "\n", "\t", "  "])),
                    max_size=10).map(lambda ps: "".join(a + b for a, b in ps))


@settings(max_examples=400, deadline=None)
@given(_dispatch_texts())
def test_date_pattern_by_character_equals_the_whole(text):
    from stancemark.core.suggest.date_patterns import date_re_at

    for pos in range(len(text)):
        whole = DATE_RE.match(text, pos)
        part = date_re_at(text[pos])
        part_m = part.match(text, pos) if part is not None else None
        assert (whole and whole.span()) == (part_m and part_m.span()), (text, pos)


def _find_spans_plainly(text, triggers):
    """find_spans as it was: the lead test and the whole pattern for every trigger."""
    from stancemark.core.suggest.date_finder import _lead_zh

    out, reach = [], 0
    for p in sorted(set(triggers)):
        if p < reach:
            continue
        m = None
        lead = _lead_en(text, p, reach) if text[p].isascii() else _lead_zh(text, p, reach)
        if lead is not None:
            m = DATE_RE.match(text, lead)
            if m is not None and m.end() <= p:
                m = None
        if m is None:
            m = DATE_RE.match(text, p)
        if m is not None:
            out.append(m.span())
            reach = m.end()
    return out


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(DISPATCH_WORDS + LEAD_TOKENS + ["Beijing’s", "x’"]),
                          st.sampled_from([" ", "", ",", ", ", ".", "-", "\n", "\t", "  ", "\xa0"])),
                max_size=14).map(lambda ps: "".join(a + b for a, b in ps)),
       st.lists(st.integers(0, 200), max_size=30))
def test_find_spans_equals_the_plain_loop(text, extra):
    """Over the trigger words the automaton finds, and over any positions at all."""
    triggers = find_spans.__globals__["_trigger_finder"]().scan(text)[1]
    assert find_spans(text, triggers) == _find_spans_plainly(text, triggers)
    anywhere = [p for p in extra if p < len(text)]
    assert find_spans(text, anywhere) == _find_spans_plainly(text, anywhere)


def test_find_spans_of_the_seed_articles_equal_the_plain_loop():
    from stancemark.core.paths import seeds_dir
    from stancemark.core.suggest.date_finder import _trigger_finder

    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir().glob("*.txt"))]
    assert len(texts) == 3
    for text in texts:
        triggers = _trigger_finder().scan(text)[1]
        assert find_spans(text, triggers) == _find_spans_plainly(text, triggers)
        assert find_spans(text, range(len(text))) == _find_spans_plainly(text, range(len(text)))


def _find_dates_span_by_span(text, article_date, triggers=None):
    """find_dates as it was: one loop over the spans, the posts' dates beforehand."""
    from datetime import date as _date

    from stancemark.core.dates import is_future
    from stancemark.core.suggest.date_finder import _in_quotation
    from stancemark.core.suggest.date_patterns import WEEKDAYISH
    from stancemark.core.suggest.date_values import is_relative_day, resolve, value_at

    spans = find_spans(text, triggers)
    by_day = bool(article_date) and len(article_date or "") >= 10
    posts = {}
    if by_day:
        group = []
        for i, (start, end) in enumerate(spans):
            group.append(i)
            para_end = text.find("\n", end)
            para_end = len(text) if para_end < 0 else para_end
            nxt = spans[i + 1][0] if i + 1 < len(spans) else len(text)
            if nxt < para_end:
                continue
            value, granularity, _ = value_at(text[start:end], None)
            if granularity == "day" and value and not text[end:para_end].strip(" \t.,;:)]”\"’'"):
                posts.update((j, value) for j in group[:-1])
            group = []
    out, latest = [], None
    for i, (start, end) in enumerate(spans):
        quote = text[start:end]
        found = value_at(quote, None)
        relative = found[0] is None
        relative_day = relative and by_day and is_relative_day(quote, article_date or "")
        weekdayish = relative and bool(WEEKDAYISH.search(quote))
        reference, why = article_date, ""
        if relative:
            if relative_day:
                gap = 0
                if latest:
                    try:
                        gap = (_date.fromisoformat(article_date[:10])
                               - _date.fromisoformat(latest)).days
                    except ValueError:
                        gap = 0
                if i in posts:
                    reference, why = posts[i], "the date of the post it is in"
                elif latest and 0 < gap <= 7 and _in_quotation(text, start):
                    reference, why = latest, "the day the quoted words were said"
            found = resolve(quote, reference, weekdayish and is_future(text, start, end))
        value, granularity, note = found
        if why and value:
            note = f"placed against {reference}, {why}"
        if granularity == "day":
            latest = value
        out.append(suggest_module.Suggestion("date", start, end, quote, None, value,
                                             granularity, note, ""))
    return out


QUOTE_WORDS = ["Today", "today", "yesterday", "Thursday", "will", "said", "“", "”", '"',
               "January 9, 2021", "January 12, 2021", "2021-01-08", "Jan. 7, 2021", "last week",
               "Monday", "tomorrow", "three days ago", "昨天", "2021年1月9日", "the post", "—"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(QUOTE_WORDS + DATE_WORDS),
                          st.sampled_from([" ", " ", ", ", ".", ". ", "\n", "\n\n"])),
                max_size=24).map(lambda ps: "".join(a + b for a, b in ps)),
       st.sampled_from(["2021-01-10", "2021-01-14", "2021-01", "2021", None, "2021-01-10T08:00"]))
def test_find_dates_equals_the_span_by_span_loop(text, published):
    assert find_dates(text, published) == _find_dates_span_by_span(text, published)


def test_relative_days_placed_against_earlier_ones_as_before():
    """A quoted "yesterday" placed on a day becomes the latest day for the next quote."""
    text = ("He spoke on January 8, 2021. “Today we meet,” he said. Then “yesterday” too. "
            "Thursday “Today”.\nYesterday we met — Pompeo January 9, 2021\nMonday “Today” “today”")
    for published in ("2021-01-10", "2021-01-14"):
        found = find_dates(text, published)
        assert found == _find_dates_span_by_span(text, published)
        notes = [s.note for s in found if s.note.startswith("placed against")]
        assert len(notes) >= 5 and any("post" in n for n in notes)


def test_find_dates_of_the_seed_articles_equal_the_span_by_span_loop():
    from stancemark.core.paths import seeds_dir
    from stancemark.formats.plain_text import read_article_file

    for path in sorted(seeds_dir().glob("*.txt")):
        fields = read_article_file(path)
        for published in (fields["published"] or None, "2021-01-10", None):
            text = fields["text"]
            assert find_dates(text, published) == _find_dates_span_by_span(text, published)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(DISPATCH_WORDS + LEAD_TOKENS + ["Beijing’s", "ABC", "XYZ7"]),
                          st.sampled_from([" ", "", ",", ", ", ".", "-", "\n", "\t", "  ", "\xa0"])),
                max_size=14).map(lambda ps: "".join(a + b for a, b in ps)))
def test_triggers_said_leadless_have_no_lead(text):
    """The scan's leadless triggers: no lead before them whatever the reach, and
    find_spans gives the same spans told of them or not."""
    m = AliasMatcher(NAMES)
    _found, triggers, _keys, leadless = m.scan_keyed(text, arrays=True)
    assert set(leadless) <= set(triggers)
    for p in leadless:
        assert all(_lead_en(text, p, reach) is None for reach in range(p + 1)), (text, p)
    assert find_spans(text, triggers, leadless) == find_spans(text, triggers)


@settings(max_examples=100, deadline=None)
@given(_texts(), st.lists(st.tuples(st.sampled_from(["actor", "date"]), st.integers(0, 300),
                                    st.integers(1, 12)), max_size=20),
       st.integers(1, 5))
def test_long_paths_with_rejections_equal_the_short_ones(text, spans, every):
    """With rejections the merge cannot take the scan's keys: the same suggestions."""
    m = AliasMatcher(NAMES)
    tags = [(k, s, min(s + n, len(text) + 1), None) for k, s, n in spans]
    rejected = [s.key for s in suggest(text, m, "2021-01-10", existing=tags)[::every]]
    results = []
    for limit in (10**9, 0):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(suggest_module, "ARRAY_FILTER_FROM", limit)
            mp.setattr(matcher_module, "ARRAY_SCAN_FROM", limit)
            results.append(suggest(text, m, "2021-01-10", existing=tags, rejected=rejected))
    assert results[0] == results[1]
    assert not {s.key for s in results[0]} & set(rejected)


@settings(max_examples=100, deadline=None)
@given(_texts())
def test_the_automatons_key_order_changes_no_hit(text):
    """Keys go in by letter frequency: the hits, in their order, are those of an
    automaton filled in the entries' own order."""
    import ahocorasick

    m = AliasMatcher(NAMES)
    plain = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for key, index in sorted(m._automaton.items(), key=lambda kv: kv[1]):
        plain.add_word(key, index)
    plain.make_automaton()
    folded = matcher_module.fold(text)
    assert list(m._automaton.iter(folded)) == list(plain.iter(folded))


_LEAD_EN_PLAIN = regex.compile(
    r"(?<![\p{L}\p{N}])(?:(?i:this past|last|this|next|past|(?:the )?(?:early|late|mid-?)|the)"
    r"\s+|(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\s+|"
    r"(?i:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?i:day|week|month|year)s?\s+)$")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(LEAD_TOKENS + ["ſix", "Ten", "SEVEN", "٣", "x9", "A"]),
                          st.sampled_from([" ", "  ", "\n", "\t", "\xa0", "", "-", ","])),
                max_size=8).map(lambda ps: "".join(a + b for a, b in ps)),
       st.integers(0, 30))
def test_lead_pattern_with_its_first_characters_equals_the_plain_one(before, lo):
    """LEAD_EN's lookahead of what its alternatives start with changes no search."""
    p = len(before)
    for start in range(min(lo, p) + 1):
        a, b = LEAD_EN.search(before, start, p), _LEAD_EN_PLAIN.search(before, start, p)
        assert (a and a.span()) == (b and b.span())


def test_lead_patterns_first_characters_hold_every_start():
    body = regex.compile(_LEADING_LOOKAROUND.sub("", _LEAD_EN_PLAIN.pattern)[:-1])  # no $
    ahead = regex.compile(r"(?i:[tlnpemaofs])|\d")
    wrong = [c for c in map(chr, range(0x10000)) if not 0xD800 <= ord(c) < 0xE000
             and body.match(c, partial=True) and not ahead.match(c)]
    assert not wrong


def test_an_ordinal_suffix_after_a_letter_ends_no_lead():
    """"and", "with", "first" end as ordinals do, but after a letter: no lead search
    before the date after them, in the loop nor in the scan (leadless)."""
    from stancemark.core.suggest.date_patterns import may_end_lead

    assert not any(map(may_end_lead, ["and", "with", "first", "Band", "worst"]))
    assert all(map(may_end_lead, ["2nd", "21st", "3rd", "9th", "the", "Last", "years", "st"]))
    text = "Talks and 2021 went on with January, the first May and the 2nd May. " * 2
    m = AliasMatcher(NAMES)
    _found, triggers, _keys, leadless = m.scan_keyed(text, arrays=True)
    after = {text.index(w) for w in ("2021", "January", "May")}  # "first May"
    assert after <= set(leadless)
    assert text.index("2nd May") + 4 not in leadless  # a lead: "2nd May"
    assert find_spans(text, triggers, leadless) == _find_spans_plainly(text, triggers)


@settings(max_examples=100, deadline=None)
@given(_texts(), st.lists(st.integers(0, 400), max_size=4))
def test_the_root_space_key_names_nobody(text, at):
    """The key put first for the root's sake (" \\x00") adds no hit of a name and no
    trigger: the names' hits are an automaton's without it, and where the text has it,
    both paths give what they give with a tab in its place."""
    import ahocorasick

    m = AliasMatcher(NAMES)
    plain = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for key, index in m._automaton.items():
        if key != matcher_module._ROOT_SPACE:
            plain.add_word(key, index)
    plain.make_automaton()
    folded = matcher_module.fold(text)
    root_space = len(m._entries) - 1
    assert m._automaton.get(matcher_module._ROOT_SPACE) == root_space
    assert [h for h in m._automaton.iter(folded) if h[1] != root_space] == list(plain.iter(folded))
    for p in sorted(set(at), reverse=True):
        text = text[:p] + " \x00" + text[p:]
    with_nul = [m.scan(text, arrays=flag) for flag in (True, False)]
    tabbed = m.scan(text.replace("\x00", "\t"), arrays=False)
    assert with_nul[0] == with_nul[1]
    assert [s._replace(quote="") for s in with_nul[0][0]] == [
        s._replace(quote="") for s in tabbed[0]]
    assert with_nul[0][1] == tabbed[1]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS + DISPATCH_WORDS + LEAD_TOKENS
                                          + ["Beijing’s", "x’", "’last", "U’S", "’21st"]),
                          st.sampled_from(SEPS + ["’", "’ ", " ’"])),
                max_size=30).map(lambda ps: "".join(a + b for a, b in ps)))
def test_hit_rules_read_alike_from_the_text_with_its_apostrophes_plain(text):
    """The hit rules' code points from the text with ’ as ' (one byte each): the same
    hits and triggers as from the text itself, and leadless triggers that have no lead
    (more of them: a word with ’ is ASCII now); fold_and_plain offers that text only
    where ’ was its one replacement and it is ASCII."""
    from stancemark.core.suggest.hit_arrays import EntryArrays, scan_arrays

    m = AliasMatcher(NAMES)
    cols = EntryArrays(m._entries, m._owners)
    folded, plain = matcher_module.fold_and_plain(text)
    assert folded == matcher_module.fold(text)
    ascii_apostrophes = text.replace("’", "'")
    only = "’" in text and ascii_apostrophes.isascii() and not any(
        c in text for c, _ in matcher_module._FOLD[1:])
    assert plain == (ascii_apostrophes if only else None)
    if ascii_apostrophes.isascii():
        with_plain = scan_arrays(m._automaton, folded, text, cols, ascii_apostrophes)
        without = scan_arrays(m._automaton, folded, text, cols)
        assert [a.tolist() for a in with_plain[:3]] == [a.tolist() for a in without[:3]]
        triggers, leadless = with_plain[3:]
        assert triggers == without[3] and set(leadless) >= set(without[4])
        for p in leadless:
            assert all(_lead_en(text, p, reach) is None for reach in range(p + 1)), (text, p)
        assert find_spans(text, triggers, leadless) == _find_spans_plainly(text, triggers)
