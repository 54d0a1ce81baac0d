"""doccano JSONL, label and relation layouts: export, import, round trip, offsets, errors."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stancemark.cli import main
from stancemark.core.errors import InputError
from stancemark.formats import doccano, doccano_rel
from stancemark.formats.common import Scope

ANA = Scope(annotators=("ana",))


def _lines(path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_labels_details_and_offsets_are_code_points(annotated, tmp_path):
    repo, p = annotated
    out = tmp_path / "d.jsonl"
    doccano.export(repo, out, ANA)
    en, zh, empty = _lines(out)
    assert [0, 7, "ACTOR:China"] in en["label"]
    assert en["stancemark"]["29-38-DATE"] == {"date_value": "2021-01-09", "date_granularity": "day"}
    stance = en["stancemark"]["47-82-STANCE:oppose"]
    assert stance["holder"] == "China" and stance["target_topic"] == "Arms sales to Taiwan"
    # emoji and CJK: offsets index the text as Python strings do
    for s, e, label in zh["label"]:
        assert zh["text"][s:e] in {"北京", "美国", "反对美国对台军售", "Tsai Ing-wen", "2020",
                                   "welcomed the 2020 deal 👍"}, label
    # overlapping spans both kept: a mention inside the stance span
    assert [59, 61, "ACTOR:United States"] in en["label"]
    assert empty["label"] == [] and empty["stancemark"] == {}


def test_relations_link_holder_and_target_mentions(annotated, tmp_path):
    repo, _ = annotated
    out = tmp_path / "r.jsonl"
    doccano_rel.export(repo, out, ANA)
    en = _lines(out)[0]
    ents = {e["id"]: e for e in en["entities"]}
    rels = {(ents[r["from_id"]]["label"], ents[r["to_id"]]["label"], r["type"]) for r in en["relations"]}
    assert ("ACTOR:China", "STANCE:oppose", "oppose") in rels
    assert ("STANCE:support", "ACTOR:Taiwan", "target") in rels


def test_import_as_one_annotator_without_details(repo, tmp_path):
    text = "Beijing said on January 9 it opposes the sale."
    rec = {"text": text, "published": "2021-01-10",
           "entities": [{"id": 1, "start_offset": 0, "end_offset": 7, "label": "ACTOR:China"},
                        {"id": 2, "start_offset": 16, "end_offset": 25, "label": "DATE"},
                        {"id": 3, "start_offset": 29, "end_offset": 45, "label": "STANCE:oppose"}],
           "relations": [{"id": 1, "from_id": 1, "to_id": 3, "type": "oppose"}]}
    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    report = doccano.import_paths(repo, [f], annotator_name="carla")
    assert report.actors_added == 1 and report.annotations_added == 3
    art = repo.get_article(repo.article_uids()[0])
    anns = repo.list_annotations(art.uid)
    assert {a.annotator_uid for a in anns} == {repo.annotator_by_name("carla").uid}
    date = next(a for a in anns if a.kind == "date")
    assert (date.date_value, date.date_granularity) == ("2021-01-09", "day")
    stance = next(a for a in anns if a.kind == "stance")
    assert repo.get_actor(stance.holder_uid).name == "China"
    # importing again adds nothing
    again = doccano.import_paths(repo, [f], annotator_name="carla")
    assert again.annotations_added == 0 and again.annotations_skipped == 3


def test_crlf_text_is_normalised_and_spans_stay_on_their_words(repo, tmp_path):
    raw = "First line\r\nBeijing 😀 said\r\n\r\nWashington answered."
    s1 = raw.index("Beijing")
    s2 = raw.index("Washington")
    rec = {"text": raw, "label": [[s1, s1 + 7, "ACTOR:China"], [s2, s2 + 10, "ACTOR:United States"]]}
    f = tmp_path / "crlf.jsonl"
    f.write_bytes((json.dumps(rec, ensure_ascii=False) + "\r\n").encode("utf-8"))
    doccano.import_paths(repo, [f])
    art = repo.get_article(repo.article_uids()[0])
    assert "\r" not in art.text
    assert [a.quote for a in repo.list_annotations(art.uid)] == ["Beijing", "Washington"]


def test_cli_export_and_import(annotated, store_path, tmp_path, capsys):
    out = tmp_path / "cli.jsonl"
    assert main(["--store", str(store_path), "export", "--format", "doccano-rel", "--out", str(out),
                 "--annotators", "ana"]) == 0
    other = tmp_path / "other-cli.sqlite"
    assert main(["--store", str(other), "import", str(out), "--format", "doccano",
                 "--annotator-name", "zoe"]) == 0
    assert "18 annotation(s) added" in capsys.readouterr().out
    assert main(["--store", str(other), "--annotator", "zoe", "list", "--json"]) == 0
    counts = [json.loads(line)["annotations"] for line in capsys.readouterr().out.splitlines()]
    assert sorted(counts) == [0, 6, 12]  # zoe's annotations


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 300) | st.text(max_size=8)
    | st.sampled_from(["ACTOR:A", "DATE", "STANCE:oppose", "text", "label", "entities"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["text", "label", "entities", "relations", "id", "start_offset",
                         "end_offset", "from_id", "to_id", "type", "stancemark", "uid"]),
        inner, max_size=5),
    max_leaves=20)


@pytest.mark.parametrize("rec", [
    {"relations": [{"text": None, "from_id": []}], "text": ""},  # found by the fuzz test
    {"text": "ab", "entities": [{"id": [1], "start_offset": 0, "end_offset": 1,
                                 "label": "DATE"}]},
    {"text": "ab", "entities": [{"id": 1, "start_offset": 0, "end_offset": 1, "label": "DATE"}],
     "relations": [{"id": 1, "from_id": 1, "to_id": {"a": 1}, "type": "support"}]},
])
def test_an_unhashable_entity_id_is_a_clear_error(rec):
    with pytest.raises(InputError, match="fuzz.jsonl.*line 1|must be"):
        doccano.parse_record(rec, "fuzz.jsonl", 1)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(rec=_json)
def test_parser_fuzz_raises_only_input_error(rec):
    try:
        doccano.parse_record(rec, "fuzz.jsonl", 1)
    except InputError:
        pass


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(raw=st.binary(max_size=80) | st.text(max_size=80).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_file_reader_fuzz_raises_only_input_error(raw, tmp_path_factory):
    f = tmp_path_factory.mktemp("fz") / "f.jsonl"
    f.write_bytes(raw)
    try:
        doccano.read_file(f)
    except InputError:
        pass


def test_cancel_during_import_changes_nothing_and_export_leaves_no_file(
        annotated, other_repo, tmp_path, store_path):
    from stancemark.core.errors import Cancelled

    repo, _ = annotated
    out = tmp_path / "d.jsonl"
    doccano.export(repo, out, ANA)
    with pytest.raises(Cancelled):
        doccano.import_paths(other_repo, [out], progress=lambda done, total, msg: msg != "storing")
    assert other_repo.stats()["articles"] == 0
    with pytest.raises(Cancelled):
        doccano.export(repo, tmp_path / "never.jsonl", ANA, lambda done, total, msg: done < 1)
    assert not list(tmp_path.glob("*never*"))
