"""Label Studio JSON tasks: export with config, import, round trip, offsets, errors."""

from __future__ import annotations

import json

import defusedxml.ElementTree as ET
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stancemark.core.errors import InputError
from stancemark.formats import labelstudio


def _tasks(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_one_annotation_per_annotator_with_regions_and_relations(annotated, tmp_path):
    repo, _ = annotated
    out = tmp_path / "tasks.json"
    labelstudio.export(repo, out)
    en, zh, empty = _tasks(out)
    assert en["meta"]["stancemark_annotators"] == {"1": "ana", "2": "ben"}
    assert [a["completed_by"] for a in en["annotations"]] == [1, 2]
    assert empty["annotations"] == []
    result = en["annotations"][0]["result"]
    regions = {r["id"]: r for r in result if r["type"] == "labels"}
    date = next(r for r in result if r["from_name"] == "date_value")
    assert regions[date["id"]]["value"]["text"] == "January 9" and date["value"]["text"] == ["2021-01-09"]
    topic = next(r for r in result if r["from_name"] == "target_topic")
    assert topic["value"]["choices"] == ["Arms sales to Taiwan"]
    rel = next(r for r in result if r["type"] == "relation" and r["labels"] == ["oppose"])
    assert regions[rel["from_id"]]["value"]["labels"] == ["ACTOR:China"]
    # code-point offsets: the quote is the text slice, emoji and CJK included
    for task in (en, zh):
        for r in task["annotations"][0]["result"]:
            if r["type"] == "labels":
                v = r["value"]
                assert task["data"]["text"][v["start"]:v["end"]] == v["text"]
    assert any(r["value"].get("text") == "welcomed the 2020 deal 👍"
               for r in zh["annotations"][0]["result"] if r["type"] == "labels")


def test_tasks_and_annotations_carry_ids_as_label_studio_writes_them(annotated, tmp_path):
    repo, _ = annotated
    out = tmp_path / "tasks.json"
    labelstudio.export(repo, out)
    tasks = _tasks(out)
    assert [t["id"] for t in tasks] == [1, 2, 3]
    anns = [a for t in tasks for a in t["annotations"]]
    assert [a["id"] for a in anns] == list(range(1, len(anns) + 1))
    assert all(a["task"] == t["id"] for t in tasks for a in t["annotations"])
    assert all(a["was_cancelled"] is False and a["ground_truth"] is False for a in anns)
    assert all(t["predictions"] == [] for t in tasks)


def test_label_studio_converter_reads_our_export(annotated, tmp_path):
    """Label Studio's own converter (label-studio-converter) turns our tasks into its
    JSON-min and CoNLL 2003 exports; it raised KeyError: 'id' before tasks had ids."""
    converter = pytest.importorskip("label_studio_converter")
    repo, _ = annotated
    out = tmp_path / "tasks.json"
    labelstudio.export(repo, out)
    c = converter.Converter(config=labelstudio.config_path(out).read_text(encoding="utf-8"),
                            project_dir=None)
    c.convert_to_json_min(str(out), str(tmp_path / "min"), is_dir=False)
    rows = json.loads((tmp_path / "min" / "result.json").read_text(encoding="utf-8"))
    assert [(r["id"], r["annotation_id"]) for r in rows if r["annotation_id"]] == [
        (1, 1), (1, 2), (2, 3)]
    en = next(r for r in rows if r["annotation_id"] == 1)
    assert {"start": 0, "end": 7, "text": "Beijing", "labels": ["ACTOR:China"]} in en["label"]
    c.convert_to_conll2003(str(out), str(tmp_path / "conll"), is_dir=False)
    conll = (tmp_path / "conll" / "result.conll").read_text(encoding="utf-8")
    assert "Beijing -X- _ B-ACTOR:China" in conll


def test_config_lists_labels_and_parses(annotated, tmp_path):
    repo, _ = annotated
    out = tmp_path / "tasks.json"
    labelstudio.export(repo, out)
    root = ET.parse(labelstudio.config_path(out)).getroot()
    values = {e.get("value") for e in root.iter("Label")}
    assert {"ACTOR:China", "DATE", "STANCE:oppose", "STANCE:support"} <= values
    assert {e.get("value") for e in root.iter("Choice")} == {"Arms sales to Taiwan", "Trade deal"}


def test_crlf_task_imports_with_shifted_offsets(repo, tmp_path):
    raw = "Intro\r\n\r\n北京 😀 opposes it.\r\nEnd"
    s = raw.index("北京")
    t = raw.index("opposes it")
    task = {"data": {"text": raw}, "annotations": [{"completed_by": 7, "result": [
        {"id": "a", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": s, "end": s + 2, "text": "北京", "labels": ["ACTOR:China"]}},
        {"id": "b", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": t, "end": t + 10, "text": "opposes it", "labels": ["STANCE:oppose"]}},
        {"type": "relation", "from_id": "a", "to_id": "b", "labels": ["oppose"]}]}]}
    f = tmp_path / "crlf.json"
    f.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    labelstudio.import_paths(repo, [f], annotator_name="lena")
    art = repo.get_article(repo.article_uids()[0])
    anns = repo.list_annotations(art.uid, [repo.annotator_by_name("lena").uid])
    assert [a.quote for a in anns] == ["北京", "opposes it"]
    assert repo.get_actor(anns[1].holder_uid).name == "China"


_leaf = (st.none() | st.booleans() | st.integers(-2, 40) | st.text(max_size=6)
         | st.sampled_from(["labels", "relation", "textarea", "choices", "ACTOR:A", "DATE",
                            "STANCE:oppose", "target", "oppose", "r1", "label"]))
_keys = st.sampled_from(["data", "text", "annotations", "result", "id", "type", "value", "start",
                         "end", "labels", "from_id", "to_id", "from_name", "choices", "meta",
                         "completed_by", "stancemark_annotators"])
_json = st.recursive(_leaf, lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(_keys, inner, max_size=5), max_leaves=25)


def test_an_unhashable_region_id_is_no_region():
    """Ids a dict lookup cannot take (lists, objects) were a TypeError: a relation between
    them points at no region; a control's result with one belongs to no region."""
    task = {"data": {"text": "ab"}, "annotations": [{"result": [
        {"type": "relation", "from_id": [], "to_id": "r1"}]}]}
    with pytest.raises(InputError, match="fuzz.json.*unknown region"):
        labelstudio.parse_task(task, "fuzz.json", 1)
    task = {"data": {"text": "ab"}, "annotations": [{"result": [
        {"type": "choices", "id": ["r1"], "from_name": "note", "value": {"choices": ["a"]}}]}]}
    labelstudio.parse_task(task, "fuzz.json", 1)  # a task-level choice, as without an id


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(task=_json)
def test_parser_fuzz_raises_only_input_error(task):
    try:
        labelstudio.parse_task(task, "fuzz.json", 1)
    except InputError:
        pass


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture],
          deadline=None)
@given(raw=st.text(max_size=60))
def test_file_reader_fuzz_raises_only_input_error(raw, tmp_path_factory):
    f = tmp_path_factory.mktemp("fz") / "f.json"
    f.write_bytes(raw.encode("utf-8", "surrogatepass"))
    try:
        labelstudio.read_file(f)
    except InputError:
        pass
