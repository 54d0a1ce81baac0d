"""The codebook in the store: edits, attribute values, article variables, undo, audit."""

from __future__ import annotations

import pytest

from stancemark.core.codebook_commands import (
    AddAttribute,
    AddKind,
    AddValue,
    MergeValues,
    RemoveAttribute,
    RemoveKind,
    RemoveValue,
    SetArticleVariables,
    SetAttributes,
    UpdateAttribute,
    UpdateKind,
    UpdateValue,
    new_attribute,
    new_kind,
)
from stancemark.core.errors import IntegrityError, StancemarkError
from stancemark.core.model import Annotation
from stancemark.store import Repository, open_store

TEXT = "Beijing warned Washington on Monday about the economic cost of tariffs."


@pytest.fixture
def repo(tmp_path):
    r = Repository(open_store(tmp_path / "s.sqlite"), "ana")
    yield r
    r.close()


@pytest.fixture
def coded(repo):
    """A frame kind with a frame_type choice, a stance intensity, a genre variable, and
    one frame span coded "economic"."""
    frame = AddKind(new_kind("frame", colour="#009E73", key="F"))
    frame.apply(repo)
    ft = AddAttribute(new_attribute("frame_type", "choice", frame.kind.uid,
                                    values=("economic", "security", "identity")))
    ft.apply(repo)
    AddAttribute(new_attribute("intensity", "integer", "stance", minimum=1, maximum=5)).apply(repo)
    AddAttribute(new_attribute("genre", "choice", None, values=("news", "opinion"))).apply(repo)
    art, _ = repo.add_article(TEXT, "t")
    economic = ft.attribute.value_by_name("economic").uid
    a = repo.add_annotation(Annotation("", art.uid, "", frame.kind.uid, 46, 59, "economic cost",
                                       attributes={ft.attribute.uid: economic}))
    return repo, art, frame.kind, repo.codebook().attribute(ft.attribute.uid), a


def _value(attr, name):
    return attr.value_by_name(name).uid


def test_tagging_a_custom_kind_with_attributes(coded):
    repo, art, frame, ft, a = coded
    assert repo.get_annotation(a.uid).attributes == {ft.uid: _value(ft, "economic")}
    assert repo.codebook().readable(a.attributes) == {"frame_type": "economic"}
    assert repo.stats()["by_kind"][frame.uid] == 1
    with pytest.raises(IntegrityError, match="'frame_type': 'nonsense' is not a value"):
        repo.update_annotation(a.uid, attributes={ft.uid: "nonsense"})
    with pytest.raises(IntegrityError, match="unknown annotation kind 'poem'"):
        repo.add_annotation(Annotation("", art.uid, "", "poem", 0, 7, "Beijing"))
    with pytest.raises(IntegrityError, match="belongs to the built-in kinds"):
        repo.add_annotation(Annotation("", art.uid, "", frame.uid, 0, 7, "Beijing",
                                       polarity="support"))
    assert repo.get_annotation(a.uid).attributes == {ft.uid: _value(ft, "economic")}


def test_defaults_fill_new_annotations(coded):
    repo, art, frame, ft, _ = coded
    UpdateAttribute(ft.uid, {"default": _value(ft, "security")}).apply(repo)
    b = repo.add_annotation(Annotation("", art.uid, "", frame.uid, 0, 7, "Beijing"))
    assert b.attributes == {ft.uid: _value(ft, "security")}


def test_set_attributes_undo_redo(coded):
    repo, _, _, ft, a = coded
    intensity = repo.codebook().attribute_by_name("stance", "intensity")
    cmd = SetAttributes(a.uid, {ft.uid: _value(ft, "identity")})
    change = cmd.apply(repo)
    assert change.entity == "annotation" and change.uids == (a.uid,)
    assert repo.get_annotation(a.uid).attributes[ft.uid] == _value(ft, "identity")
    cmd.revert(repo)
    assert repo.get_annotation(a.uid).attributes[ft.uid] == _value(ft, "economic")
    cmd.apply(repo)
    SetAttributes(a.uid, {ft.uid: None}).apply(repo)
    assert repo.get_annotation(a.uid).attributes == {}
    with pytest.raises(IntegrityError, match="not one of kind 'frame'"):
        SetAttributes(a.uid, {intensity.uid: 3}).apply(repo)


def test_renaming_a_value_relabels_every_use(coded):
    repo, _, _, ft, a = coded
    cmd = UpdateValue(_value(ft, "economic"), {"name": "economy"})
    cmd.apply(repo)
    assert repo.codebook().readable(repo.get_annotation(a.uid).attributes) == {"frame_type": "economy"}
    cmd.revert(repo)
    assert repo.codebook().readable(repo.get_annotation(a.uid).attributes) == {"frame_type": "economic"}
    with pytest.raises(StancemarkError, match="two values are named 'security'"):
        repo.update_value(_value(ft, "economic"), name="Security")


def test_removing_a_value_in_use_needs_a_replacement(coded):
    repo, _, _, ft, a = coded
    economic, security = _value(ft, "economic"), _value(ft, "security")
    with pytest.raises(IntegrityError, match="'economic' of 'frame_type' is used by 1 "
                                             "annotation.*give a replacement value"):
        repo.remove_value(economic)
    assert repo.codebook().attribute(ft.uid).value(economic) is not None
    cmd = MergeValues(security, economic)
    change = cmd.apply(repo)
    assert change.article_uids == (a.article_uid,)
    assert repo.get_annotation(a.uid).attributes == {ft.uid: security}
    assert repo.codebook().attribute(ft.uid).value(economic) is None
    cmd.revert(repo)
    assert repo.get_annotation(a.uid).attributes == {ft.uid: economic}
    assert [v.name for v in repo.codebook().attribute(ft.uid).values] == [
        "economic", "security", "identity"]
    # An unused value goes without a replacement, and comes back on undo.
    rm = RemoveValue(_value(ft, "identity"))
    rm.apply(repo)
    rm.revert(repo)
    assert repo.codebook().attribute(ft.uid).value_by_name("identity").uid == _value(ft, "identity")


def test_removing_a_value_of_a_multiple_choice(repo):
    topics = repo.add_attribute(new_attribute("topics", "choice", "stance", multiple=True,
                                              values=("trade", "tech", "rights")))
    trade, tech, rights = (v.uid for v in topics.values)
    art, _ = repo.add_article(TEXT, "t")
    actor = repo.add_actor("China", "state")
    s = repo.add_annotation(Annotation("", art.uid, "", "stance", 0, 7, "Beijing",
                                       polarity="oppose", holder_uid=actor.uid,
                                       attributes={topics.uid: [rights, trade]}))
    assert s.attributes[topics.uid] == [trade, rights]
    repo.merge_values(trade, rights)
    assert repo.get_annotation(s.uid).attributes[topics.uid] == [trade]
    assert tech


def test_removing_an_attribute_in_use(coded):
    repo, _, frame, ft, a = coded
    with pytest.raises(IntegrityError, match="'frame_type' is set on 1 annotation.*replacement"):
        repo.remove_attribute(ft.uid)
    other = repo.add_attribute(new_attribute("frame2", "choice", frame.uid,
                                             values=("Economic", "other")))
    cmd = RemoveAttribute(ft.uid, replacement=other.uid)
    cmd.apply(repo)
    assert repo.get_annotation(a.uid).attributes == {other.uid: other.values[0].uid}
    cmd.revert(repo)
    assert repo.get_annotation(a.uid).attributes == {ft.uid: _value(ft, "economic")}
    assert repo.codebook().attribute(ft.uid) is not None
    gone = RemoveAttribute(ft.uid, discard=True)
    gone.apply(repo)
    assert repo.get_annotation(a.uid).attributes == {}
    gone.revert(repo)
    assert repo.get_annotation(a.uid).attributes == {ft.uid: _value(ft, "economic")}


def test_changing_an_attribute_never_strands_a_value(coded):
    repo, art, _, _, _ = coded
    intensity = repo.codebook().attribute_by_name("stance", "intensity")
    actor = repo.add_actor("China", "state")
    repo.add_annotation(Annotation("", art.uid, "", "stance", 0, 7, "Beijing", polarity="oppose",
                                   holder_uid=actor.uid, attributes={intensity.uid: 5}))
    with pytest.raises(IntegrityError, match="1 stored value.*would not fit"):
        repo.update_attribute(intensity.uid, maximum=4)
    with pytest.raises(StancemarkError, match="minimum 4 is above maximum 3"):
        repo.update_attribute(intensity.uid, minimum=4, maximum=3)
    cmd = UpdateAttribute(intensity.uid, {"maximum": 7, "description": "How strongly"})
    cmd.apply(repo)
    assert repo.codebook().attribute(intensity.uid).maximum == 7
    cmd.revert(repo)
    assert repo.codebook().attribute(intensity.uid).maximum == 5


def test_kinds_add_update_remove_with_undo(coded):
    repo, _, frame, ft, a = coded
    with pytest.raises(IntegrityError, match="'frame' is used by 1"):
        repo.remove_kind(frame.uid)
    with pytest.raises(IntegrityError, match="built in"):
        repo.remove_kind("actor")
    with pytest.raises(StancemarkError, match="'frame' and 'fear' share the key"):
        repo.add_kind(new_kind("fear", key="f"))
    add = AddKind(new_kind("quote", key="Q"))
    add.apply(repo)
    uid = add.kind.uid
    attr = AddAttribute(new_attribute("speaker", "actor", uid))
    attr.apply(repo)
    rm = RemoveKind(uid)
    rm.apply(repo)
    assert repo.codebook().kind(uid) is None and repo.codebook().attribute(attr.attribute.uid) is None
    rm.revert(repo)
    assert repo.codebook().kind(uid).name == "quote"
    assert repo.codebook().attributes_of(uid)[0].uid == attr.attribute.uid
    add.revert(repo)  # undo: removed (its attribute with it)
    assert repo.codebook().kind(uid) is None
    add.apply(repo)  # redo: the same uid back
    assert repo.codebook().kind(uid).key == "Q"
    move = UpdateKind(uid, {"position": 0, "name": "Quote", "colour": "#0072b2"})
    move.apply(repo)
    assert repo.codebook().kinds[0].name == "Quote" and repo.codebook().colour(uid) == "#0072B2"
    move.revert(repo)
    assert repo.codebook().kinds[-1].name == "quote"
    UpdateKind("actor", {"name": "Akteur"}).apply(repo)
    assert repo.codebook().kind("actor").name == "Akteur"


def test_values_add_and_move(coded):
    repo, _, _, ft, _ = coded
    add = AddValue(ft.uid, _v("sovereignty"), position=0)
    add.apply(repo)
    assert [v.name for v in repo.codebook().attribute(ft.uid).values][0] == "sovereignty"
    move = UpdateValue(add.value.uid, {"position": 3})
    move.apply(repo)
    assert [v.name for v in repo.codebook().attribute(ft.uid).values][-1] == "sovereignty"
    move.revert(repo)
    add.revert(repo)
    assert [v.name for v in repo.codebook().attribute(ft.uid).values] == [
        "economic", "security", "identity"]


def _v(name):
    from stancemark.core.codebook import Value

    return Value("", name)


def test_article_variables(coded):
    repo, art, _, _, _ = coded
    genre = repo.codebook().article_variables()[0]
    opinion = genre.value_by_name("opinion").uid
    cmd = SetArticleVariables(art.uid, {genre.uid: opinion})
    assert cmd.apply(repo).entity == "variables"
    assert repo.article_variables(art.uid) == {genre.uid: opinion}
    other = repo.ensure_annotator("ben")
    assert repo.article_variables(art.uid, other.uid) == {}
    cmd.revert(repo)
    assert repo.article_variables(art.uid) == {}
    with pytest.raises(IntegrityError, match="'genre': 'blog' is not a value"):
        repo.set_article_variables(art.uid, {genre.uid: "blog"})
    repo.set_article_variables(art.uid, {genre.uid: opinion})
    assert list(repo.iter_article_variables())[0][:3] == (art.uid, repo.annotator.uid,
                                                          {genre.uid: opinion})
    # A removed value used by an article variable needs a replacement too.
    with pytest.raises(IntegrityError, match="used by 1"):
        repo.remove_value(opinion)


def test_reference_attributes_must_name_register_entries(coded):
    repo, art, frame, _, _ = coded
    who = repo.add_attribute(new_attribute("speaker", "actor", frame.uid))
    with pytest.raises(IntegrityError, match="unknown actor nobody"):
        repo.add_annotation(Annotation("", art.uid, "", frame.uid, 0, 7, "Beijing",
                                       attributes={who.uid: "nobody"}))
    china = repo.add_actor("China", "state")
    b = repo.add_annotation(Annotation("", art.uid, "", frame.uid, 0, 7, "Beijing",
                                       attributes={who.uid: china.uid}))
    assert b.attributes == {who.uid: china.uid}


def test_edits_are_audited(coded):
    repo, _, frame, ft, _ = coded
    repo.update_value(_value(ft, "economic"), name="economy")
    assert [e.action for e in repo.history(frame.uid)] == ["create"]
    assert repo.history(_value(ft, "economic"))[-1].after["name"] == "economy"
    assert repo.history(ft.uid)[0].entity == "codebook_attribute"


def test_another_connection_sees_codebook_edits(coded, tmp_path):
    repo, _, _, _, _ = coded
    other = Repository(open_store(tmp_path / "s.sqlite"), "ben")
    assert other.codebook().kind_by_name("frame") is not None
    repo.add_kind(new_kind("theme"))
    assert other.codebook().kind_by_name("theme") is not None
    other.close()
