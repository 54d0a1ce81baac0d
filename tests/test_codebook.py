"""The codebook registry in core: definitions, checks, value validation."""

from __future__ import annotations

import pytest

from stancemark.core.builtin_kinds import BUILTIN_KINDS, builtin_problem
from stancemark.core.codebook import MAX_VALUES, Attribute, Codebook, CodebookError, SpanKind, Value
from stancemark.core.codebook_commands import new_attribute
from stancemark.core.model import Annotation

FRAME = SpanKind("frame-uid", "frame", "How the issue is framed", "#009E73", "F")
FRAME_TYPE = new_attribute("frame_type", "choice", "frame-uid",
                           values=("economic", "security", "identity"), default="economic")
INTENSITY = new_attribute("intensity", "integer", "stance", minimum=1, maximum=5)
TOPICS = new_attribute("topics", "choice", "frame-uid", values=("a", "b", "c"), multiple=True)
GENRE = new_attribute("genre", "choice", None, values=("news", "opinion", "interview"),
                      required=True)
RANK = new_attribute("rank", "choice", "frame-uid", values=("low", "mid", "high"), ordered=True)


def book(*attrs: Attribute, kinds=(FRAME,)) -> Codebook:
    return Codebook.of((*BUILTIN_KINDS, *kinds), attrs)


def test_lookups_by_uid_name_and_key():
    b = book(FRAME_TYPE, INTENSITY, GENRE)
    assert b.kind_by_name("FRAME") == FRAME and b.kind_by_key("f") == FRAME
    assert b.kind_by_name("actor").builtin and b.kind("stance").key == "S"
    assert b.attributes_of("frame-uid") == (FRAME_TYPE,)
    assert b.attributes_of("stance") == (INTENSITY,)
    assert b.article_variables() == (GENRE,)
    assert b.attribute_by_name("stance", "Intensity") == INTENSITY
    assert b.custom_kinds() == (FRAME,)
    assert FRAME_TYPE.default == FRAME_TYPE.value_by_name("economic").uid


def test_metric_follows_the_type():
    assert FRAME_TYPE.metric == "nominal"
    assert RANK.metric == "ordinal"
    assert INTENSITY.metric == "interval"
    assert new_attribute("x", "number").metric == "interval"
    assert new_attribute("x", "text").metric is None


def test_values_are_checked_against_their_attribute():
    economic = FRAME_TYPE.value_by_name("economic").uid
    assert FRAME_TYPE.check(economic) == economic
    with pytest.raises(CodebookError, match="'frame_type': 'economic' is not a value"):
        FRAME_TYPE.check("economic")  # a name is not a stored value; parse() takes names
    assert FRAME_TYPE.parse("Economic") == economic
    assert INTENSITY.check(3) == 3
    for bad in (0, 6, 2.5, True, "3"):
        with pytest.raises(CodebookError, match="intensity"):
            INTENSITY.check(bad)
    assert INTENSITY.parse(" 4 ") == 4
    a, b, c = (v.uid for v in TOPICS.values)
    assert TOPICS.check([c, a, c]) == [a, c]  # vocabulary order, no repeats
    assert TOPICS.parse("c; a") == [a, c] and TOPICS.show([a, c]) == "a; c"
    assert TOPICS.check([]) is None
    yes = new_attribute("relevant", "boolean")
    assert yes.parse("Yes") is True and yes.parse("no") is False and yes.show(True) == "yes"
    with pytest.raises(CodebookError):
        yes.check(1)
    date = new_attribute("when", "date")
    assert date.check("2024-05") == "2024-05"
    with pytest.raises(CodebookError, match="ISO 8601"):
        date.check("May 2024")
    number = new_attribute("share", "number", minimum=0, maximum=1)
    assert number.parse("0.25") == 0.25
    with pytest.raises(CodebookError):
        number.check(float("nan"))


def test_annotation_values_belong_to_their_kind():
    b = book(FRAME_TYPE, INTENSITY, GENRE)
    economic = FRAME_TYPE.values[0].uid
    assert b.check_attributes("frame-uid", {FRAME_TYPE.uid: economic}) == {FRAME_TYPE.uid: economic}
    assert b.check_attributes("frame-uid", {FRAME_TYPE.uid: None}) == {}
    with pytest.raises(CodebookError, match="not one of kind 'frame'"):
        b.check_attributes("frame-uid", {INTENSITY.uid: 3})
    with pytest.raises(CodebookError, match="not one of the article variables"):
        b.check_variables({INTENSITY.uid: 3})
    assert b.with_defaults("frame-uid", {}) == {FRAME_TYPE.uid: economic}
    assert b.missing_required(None, {}) == (GENRE,)
    assert b.readable({FRAME_TYPE.uid: economic}) == {"frame_type": "economic"}


@pytest.mark.parametrize(("change", "message"), [
    (lambda: book(kinds=(FRAME, SpanKind("x", "Frame"))), "two span kinds are named 'Frame'"),
    (lambda: book(kinds=(FRAME, SpanKind("x", "other", key="f"))), "share the key"),
    (lambda: book(kinds=(SpanKind("actor", "mine"),)), "used twice"),
    (lambda: book(kinds=(SpanKind("x", "bad", colour="red"),)), "not #RRGGBB"),
    (lambda: book(kinds=(SpanKind("x", " "),)), "has no name"),
    (lambda: book(new_attribute("i", "integer", "stance", minimum=5, maximum=1)),
     "minimum 5 is above maximum 1"),
    (lambda: book(new_attribute("c", "choice", "stance", values=("a", "b"), default="z")),
     "default 'z' does not fit"),
    (lambda: book(new_attribute("c", "choice", "stance", values=("a", "A"))),
     "two values are named 'A'"),
    (lambda: book(INTENSITY, new_attribute("intensity", "text", "stance")),
     "two attributes named 'intensity'"),
    (lambda: book(new_attribute("c", "colour", "stance")), "unknown type 'colour'"),
    (lambda: book(new_attribute("c", "text", "nowhere")), "unknown span kind 'nowhere'"),
    (lambda: book(new_attribute("c", "text", "stance", minimum=1)), "only an integer or a number"),
    (lambda: book(new_attribute("c", "integer", "stance", minimum=1.5)), "not an integer"),
    (lambda: book(new_attribute("c", "choice", "stance",
                                values=tuple(str(i) for i in range(MAX_VALUES + 1)))),
     f"more than {MAX_VALUES} values"),
    (lambda: Codebook.of(BUILTIN_KINDS[:2]), "built-in span kind 'stance' is missing"),
    (lambda: book(kinds=(SpanKind("x", "fake", builtin=True),)), "only actor, date and stance"),
])
def test_contradictions_are_refused_in_one_line(change, message):
    with pytest.raises(CodebookError, match=message) as err:
        change()
    assert "\n" not in str(err.value)


def test_same_name_is_fine_on_different_owners():
    book(new_attribute("note", "text", "stance"), new_attribute("note", "text", "frame-uid"),
         new_attribute("note", "text", None))


def test_builtin_rules_live_in_one_place():
    a = Annotation("u", "a", "n", "actor", 0, 1, "x")
    assert builtin_problem(a) == "an actor mention needs an actor"
    assert builtin_problem(a.with_changes(actor_uid="c")) is None
    assert "polarity" in builtin_problem(a.with_changes(kind="stance"))
    assert "ISO 8601" in builtin_problem(a.with_changes(kind="date"))
    custom = a.with_changes(kind="frame-uid")
    assert builtin_problem(custom) is None
    assert "belongs to the built-in kinds" in builtin_problem(custom.with_changes(polarity="support"))


def test_value_dataclasses_are_plain_data():
    v = Value("v1", "economic", colour="#123456", key="1")
    assert (v.uid, v.name, v.key) == ("v1", "economic", "1")
