"""Custom kinds, attribute values and article variables in every span format: export
then import into a fresh store with the same codebook gives the same annotations and
values; a kind, attribute or value the codebook lacks is refused naming file and line
(store unchanged) unless the import extends the codebook, and the report says so."""

from __future__ import annotations

import importlib
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import find
from stancemark.cli import main
from stancemark.core.codebook_commands import new_attribute, new_kind
from stancemark.core.errors import InputError
from stancemark.core.model import Annotation
from stancemark.store import Repository, open_store

TEXT = ("Beijing warned Washington on Monday about the economic cost of tariffs; "
        "security hawks 😀 in 台湾 called it a question of sovereignty.")
SECOND = "A second article, with a frame about identity and nothing else."

# (module, output name): output "" is a folder
FORMATS = [("doccano", "out.jsonl"), ("doccano_rel", "out.jsonl"), ("labelstudio", "out.json"),
           ("brat", ""), ("conll", "out.conll"), ("conll_stance", "out.conll"),
           ("spacy_docbin", "out.spacy"),
           ("csv_tables", ""), ("refi_qda", "out.qdpx")]

# What a format cannot hold, by design (its docstring says so): (kind, quote) left out.
# CoNLL's IOB columns hold no overlapping spans of one kind (the longer one is kept),
# and plain "conll" has no stance column.
LEFT_OUT = {"conll": {("frame", "economic"), ("stance", "warned Washington")},
            "conll_stance": {("frame", "economic")}}


def coded(path: Path) -> tuple[Repository, dict]:
    """A store whose codebook has a custom kind `frame` (choice frame_type, multiple
    choice tags, free text comment, yes/no explicit), a stance `intensity` (1-5) and
    article variables (a choice and a yes/no), with annotations using all of them."""
    repo = Repository(open_store(path), "ana")
    frame = repo.add_kind(new_kind("frame", colour="#009E73", key="F"))
    ft = repo.add_attribute(new_attribute("frame_type", "choice", frame.uid,
                                          values=("economic", "security", "identity", "sovereignty")))
    tags = repo.add_attribute(new_attribute("tags", "choice", frame.uid, multiple=True,
                                            values=("cost", "threat", "nation; state")))
    comment = repo.add_attribute(new_attribute("comment", "text", frame.uid))
    explicit = repo.add_attribute(new_attribute("explicit", "boolean", frame.uid))
    intensity = repo.add_attribute(new_attribute("intensity", "integer", "stance",
                                                 minimum=1, maximum=5))
    genre = repo.add_attribute(new_attribute("genre", "choice", None,
                                             values=("news", "opinion", "interview")))
    relevant = repo.add_attribute(new_attribute("relevant", "boolean", None))
    art, _ = repo.add_article(TEXT, "Tariffs", published="2021-01-10", language="en")
    second, _ = repo.add_article(SECOND, "Identity")
    china = repo.add_actor("China", "state")
    us = repo.add_actor("United States", "state")

    def ann(article, kind, needle, **fields):
        s, e = find(article.text, needle)
        return repo.add_annotation(Annotation("", article.uid, "", kind, s, e, article.text[s:e],
                                              **fields))

    v = {a.name: {x.name: x.uid for x in a.values} for a in (ft, tags, genre)}
    ann(art, frame.uid, "economic cost",
        attributes={ft.uid: v["frame_type"]["economic"], tags.uid: [v["tags"]["cost"],
                                                                    v["tags"]["nation; state"]],
                    comment.uid: "cost, not = a formula;\nsecond line \"quoted\"",
                    explicit.uid: True})
    ann(art, frame.uid, "security hawks 😀",
        attributes={ft.uid: v["frame_type"]["security"], explicit.uid: False})
    ann(art, frame.uid, "sovereignty", attributes={ft.uid: v["frame_type"]["sovereignty"]})
    # a frame overlapping another one
    ann(art, frame.uid, "economic", attributes={tags.uid: [v["tags"]["threat"]]})
    ann(art, "actor", "Beijing", actor_uid=china.uid)
    ann(art, "actor", "Washington", actor_uid=us.uid)
    ann(art, "stance", "warned Washington", polarity="oppose", holder_uid=china.uid,
        target_actor_uid=us.uid, attributes={intensity.uid: 4})
    ann(second, frame.uid, "identity", attributes={ft.uid: v["frame_type"]["identity"],
                                                   comment.uid: "台湾 ok"})
    repo.set_article_variables(art.uid, {genre.uid: v["genre"]["opinion"], relevant.uid: True})
    repo.set_article_variables(second.uid, {relevant.uid: False})
    return repo, {"frame": frame, "ft": ft, "tags": tags, "intensity": intensity, "art": art}


def fresh(path: Path, book) -> Repository:
    repo = Repository(open_store(path), "ana")
    repo.merge_codebook(book)
    return repo


def content(repo: Repository) -> list[tuple]:
    """Every live annotation as (article title, kind name, start, end, quote, {attribute
    name: readable value}, actor name), annotators left out (some formats lose them)."""
    book = repo.codebook()
    actors = {a.uid: a.name for a in repo.list_actors()}
    out = []
    for uid in repo.article_uids():
        art = repo.get_article(uid)
        for a in repo.list_annotations(uid):
            out.append((art.title, book.name(a.kind), a.start, a.end, a.quote,
                        sorted(book.readable(a.attributes).items()), actors.get(a.actor_uid or ""),
                        a.polarity))
    return sorted(out, key=repr)


def variables(repo: Repository) -> dict:
    book = repo.codebook()
    out = {}
    for art, ann, values, _at in repo.iter_article_variables():
        out[(repo.get_article(art).title, ann)] = book.readable(values)
    return {(t, next(a.name for a in repo.list_annotators() if a.uid == ann)): v
            for (t, ann), v in out.items()}


def _export(module: str, repo: Repository, out: Path) -> None:
    from stancemark.formats.common import Scope

    importlib.import_module(f"stancemark.formats.{module}").export(repo, out, Scope(kinds=None))


def _import(module: str, repo: Repository, path: Path, **options):
    return importlib.import_module(f"stancemark.formats.{module}").import_paths(repo, [path],
                                                                                 **options)


@pytest.mark.parametrize("module, name", FORMATS)
def test_round_trip_keeps_custom_kinds_attributes_and_variables(module, name, tmp_path):
    repo, _ = coded(tmp_path / "a.sqlite")
    out = tmp_path / (name or "out")
    _export(module, repo, out)
    other = fresh(tmp_path / "b.sqlite", repo.codebook())
    report = _import(module, other, out)
    assert "codebook extended" not in report.summary()
    left_out = LEFT_OUT.get(module, set())
    assert content(other) == [c for c in content(repo) if (c[1], c[4]) not in left_out]
    assert variables(other) == variables(repo)
    assert other.codebook() == repo.codebook()
    repo.close()
    other.close()


@pytest.mark.parametrize("module, name", FORMATS)
def test_unknown_kind_refused_then_extended(module, name, tmp_path):
    repo, _ = coded(tmp_path / "a.sqlite")
    out = tmp_path / (name or "out")
    _export(module, repo, out)
    bare = Repository(open_store(tmp_path / "b.sqlite"), "ana")
    before = bare.stats()
    with pytest.raises(InputError) as err:
        _import(module, bare, out)
    message = str(err.value)
    assert str(out) in message and "--extend-codebook" in message and "\n" not in message
    assert any(f"'{n}'" in message for n in ("frame", "intensity", "genre", "relevant"))
    assert bare.stats() == before and bare.codebook().custom_kinds() == ()
    report = _import(module, bare, out, extend_codebook=True)
    assert "codebook extended: span kind 'frame' added" in report.summary()
    left_out = LEFT_OUT.get(module, set())
    if ("stance", "warned Washington") not in left_out:
        assert "codebook extended: attribute 'intensity' of kind 'stance' added" in report.summary()
    assert [(t, k, s, e, q) for t, k, s, e, q, *_ in content(bare)] == \
        [(t, k, s, e, q) for t, k, s, e, q, *_ in content(repo) if (k, q) not in left_out]
    repo.close()
    bare.close()


@pytest.mark.parametrize("module, name", FORMATS)
def test_unknown_value_refused_naming_it(module, name, tmp_path):
    repo, ids = coded(tmp_path / "a.sqlite")
    out = tmp_path / (name or "out")
    _export(module, repo, out)
    book = repo.codebook()
    # the same codebook without the value "sovereignty"
    other = fresh(tmp_path / "b.sqlite", book)
    sov = ids["ft"].value_by_name("sovereignty")
    other.remove_value(sov.uid)
    before = other.stats()
    with pytest.raises(InputError) as err:
        _import(module, other, out)
    assert "'sovereignty'" in str(err.value) and str(out) in str(err.value)
    assert other.stats() == before
    report = _import(module, other, out, extend_codebook=True)
    assert "codebook extended: value 'sovereignty' of 'frame_type' added" in report.summary()
    repo.close()
    other.close()


def test_doccano_line_shape(tmp_path):
    repo, _ = coded(tmp_path / "a.sqlite")
    out = tmp_path / "d.jsonl"
    _export("doccano", repo, out)
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    labels = {lb for *_, lb in first["label"]}
    assert {"frame", "ACTOR:China", "STANCE:oppose"} <= labels
    details = first["stancemark"]
    key = next(k for k in details if k.endswith("-frame") and "economic" in
               str(details[k].get("attributes")))
    assert details[key]["attributes"]["tags"] == ["cost", "nation; state"]
    assert first["variables"] == {"ana": {"genre": "opinion", "relevant": True}}
    repo.close()


def test_cli_export_carries_custom_kinds_and_extend_option(tmp_path, capsys):
    repo, _ = coded(tmp_path / "a.sqlite")
    repo.close()
    out = tmp_path / "cli.jsonl"
    assert main(["--store", str(tmp_path / "a.sqlite"), "export", "--format", "doccano",
                 "--out", str(out)]) == 0
    assert '"frame"' in out.read_text(encoding="utf-8")
    capsys.readouterr()
    store = str(tmp_path / "c.sqlite")
    assert main(["--store", store, "import", "--format", "doccano", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{out}:" in err and "--extend-codebook" in err and err.count("\n") == 1
    assert main(["--store", store, "import", "--format", "doccano", "--extend-codebook",
                 str(out)]) == 0
    assert "codebook extended: span kind 'frame' added" in capsys.readouterr().out


PEER_CONFIG = """<View>
  <Labels name="label" toName="text">
    <Label value="frame" background="#009E73"/>
    <Label value="claim" background="#D55E00"/>
  </Labels>
  <Text name="text" value="$text"/>
  <View visibleWhen="region-selected">
    <Choices name="frame_type" toName="text" perRegion="true" whenLabelValue="frame">
      <Choice value="economic"/>
      <Choice value="security"/>
    </Choices>
    <Choices name="tags" toName="text" perRegion="true" choice="multiple" whenLabelValue="frame">
      <Choice value="cost"/>
      <Choice value="threat"/>
    </Choices>
    <Number name="intensity" toName="text" perRegion="true" min="1" max="5" whenLabelValue="claim"/>
    <TextArea name="comment" toName="text" perRegion="true" maxSubmissions="1"/>
  </View>
  <Choices name="genre" toName="text" choice="single">
    <Choice value="news"/>
    <Choice value="opinion"/>
  </Choices>
</View>
"""

PEER_TEXT = "Beijing warned Washington on Monday about the economic cost of tariffs."


def _region(rid, start, end, from_name, rtype, **value):
    quote = PEER_TEXT[start:end]
    return {"value": {"start": start, "end": end, "text": quote, **value}, "id": rid,
            "from_name": from_name, "to_name": "text", "type": rtype, "origin": "manual"}


def peer_export() -> list:
    """A task as Label Studio 1.x exports it (JSON), made against PEER_CONFIG: region ids
    of its own, per-region results linked by region id, a task-level choice."""
    s, e = find(PEER_TEXT, "economic cost")
    c, d = find(PEER_TEXT, "warned Washington")
    result = [
        _region("Hq3-vR1_aZ", s, e, "label", "labels", labels=["frame"]),
        _region("Hq3-vR1_aZ", s, e, "frame_type", "choices", choices=["economic"]),
        _region("Hq3-vR1_aZ", s, e, "tags", "choices", choices=["threat", "cost"]),
        {"value": {"start": s, "end": e, "text": ["costs, not = a formula"]}, "id": "Hq3-vR1_aZ",
         "from_name": "comment", "to_name": "text", "type": "textarea", "origin": "manual"},
        _region("pL9xQ2", c, d, "label", "labels", labels=["claim"]),
        _region("pL9xQ2", c, d, "intensity", "number", number=4),
        {"value": {"start": c, "end": d, "text": ["firm"]}, "id": "pL9xQ2",
         "from_name": "comment", "to_name": "text", "type": "textarea", "origin": "manual"},
        {"value": {"choices": ["opinion"]}, "id": "z8KsW1", "from_name": "genre",
         "to_name": "text", "type": "choices", "origin": "manual"},
    ]
    annotation = {"id": 41, "completed_by": 1, "result": result, "was_cancelled": False,
                  "ground_truth": False, "created_at": "2024-05-02T10:11:12.345678Z",
                  "updated_at": "2024-05-02T10:12:00.000001Z", "draft_created_at": None,
                  "lead_time": 42.5, "prediction": {}, "result_count": 0,
                  "unique_id": "0c0e1f4e-2c55-4c43-9f63-3e8e0f6f7a11", "import_id": None,
                  "last_action": None, "task": 17, "project": 3, "updated_by": 1,
                  "parent_prediction": None, "parent_annotation": None, "last_created_by": None}
    return [{"id": 17, "annotations": [annotation], "file_upload": "a1b2c3-tasks.json", "drafts": [],
             "predictions": [], "data": {"text": PEER_TEXT}, "meta": {},
             "created_at": "2024-05-01T09:00:00.000000Z", "updated_at": "2024-05-02T10:12:00.000000Z",
             "inner_id": 1, "total_annotations": 1, "cancelled_annotations": 0,
             "total_predictions": 0, "comment_count": 0, "unresolved_comment_count": 0,
             "last_comment_updated_at": None, "project": 3, "updated_by": 1, "comment_authors": []}]


def test_label_studio_export_against_its_config_keeps_every_per_region_value(tmp_path, capsys):
    config = tmp_path / "config.xml"
    config.write_text(PEER_CONFIG, encoding="utf-8")
    tasks = tmp_path / "project-3-at-2024-05-02.json"
    tasks.write_text(json.dumps(peer_export(), indent=2), encoding="utf-8")
    store = str(tmp_path / "s.sqlite")
    assert main(["--store", store, "codebook", "import", str(config)]) == 0
    assert main(["--store", store, "import", "--format", "labelstudio", str(tasks)]) == 0
    assert "codebook extended" not in capsys.readouterr().out
    repo = Repository(open_store(store), "x")
    book = repo.codebook()
    got = {(book.name(a.kind), a.quote): book.readable(a.attributes)
           for uid in repo.article_uids() for a in repo.list_annotations(uid)}
    assert got == {("frame", "economic cost"): {"frame_type": "economic", "tags": "cost; threat",
                                                "comment": "costs, not = a formula"},
                   ("claim", "warned Washington"): {"intensity": "4", "comment": "firm"}}
    (art,) = repo.article_uids()
    variables = [book.readable(v) for a, _, v, _ in repo.iter_article_variables() if a == art]
    assert variables == [{"genre": "opinion"}]
    repo.close()


def test_label_studio_per_region_value_outside_the_config_refused(tmp_path, capsys):
    config = tmp_path / "config.xml"
    config.write_text(PEER_CONFIG, encoding="utf-8")
    task = peer_export()
    task[0]["annotations"][0]["result"][1]["value"]["choices"] = ["identity"]
    tasks = tmp_path / "tasks.json"
    tasks.write_text(json.dumps(task, indent=2), encoding="utf-8")
    store = str(tmp_path / "s.sqlite")
    assert main(["--store", store, "codebook", "import", str(config)]) == 0
    capsys.readouterr()
    assert main(["--store", store, "import", "--format", "labelstudio", str(tasks)]) == 1
    err = capsys.readouterr().err
    assert f"{tasks}:2: value 'identity' of 'frame_type' is not in the codebook" in err
    assert err.count("\n") == 1
    repo = Repository(open_store(store), "x")
    assert repo.stats()["annotations"] == 0 and repo.article_uids() == []
    repo.close()
    assert main(["--store", store, "import", "--format", "labelstudio", "--extend-codebook",
                 str(tasks)]) == 0
    assert "codebook extended: value 'identity' of 'frame_type' added" in capsys.readouterr().out


def test_generated_label_studio_config_reads_back_as_the_codebook(tmp_path):
    from stancemark.formats import labelstudio
    from stancemark.formats.codebook_schemes import read_labelstudio_config

    repo, _ = coded(tmp_path / "a.sqlite")
    out = tmp_path / "t.json"
    _export("labelstudio", repo, out)
    kinds, attributes = read_labelstudio_config(labelstudio.config_path(out))
    assert "frame" in [k.kind.name for k in kinds]
    got = {(a.kind, a.attribute.name, a.attribute.type, a.attribute.multiple,
            tuple(v.value.name for v in a.values)) for a in attributes}
    assert ("frame", "frame_type", "choice", False,
            ("economic", "security", "identity", "sovereignty")) in got
    assert ("frame", "tags", "choice", True, ("cost", "threat", "nation; state")) in got
    assert ("frame", "comment", "text", False, ()) in got
    assert ("frame", "explicit", "choice", False, ("yes", "no")) in got  # yes/no: a choice
    assert ("stance", "intensity", "integer", False, ()) in got
    assert (None, "genre", "choice", False, ("news", "opinion", "interview")) in got
    repo.close()


def test_label_studio_converter_reads_custom_kinds(tmp_path):
    converter = pytest.importorskip("label_studio_converter")
    from stancemark.formats import labelstudio

    repo, _ = coded(tmp_path / "a.sqlite")
    out = tmp_path / "t.json"
    _export("labelstudio", repo, out)
    c = converter.Converter(config=labelstudio.config_path(out).read_text(encoding="utf-8"),
                            project_dir=None)
    c.convert_to_json_min(str(out), str(tmp_path / "min"), is_dir=False)
    rows = json.loads((tmp_path / "min" / "result.json").read_text(encoding="utf-8"))
    first = next(r for r in rows if r.get("genre"))
    assert first["genre"] == "opinion"
    assert {"start": TEXT.index("sovereignty"), "end": TEXT.index("sovereignty") + 11,
            "text": "sovereignty", "labels": ["frame"]} in first["label"]
    repo.close()


def test_brat_conf_reads_back_as_the_codebook(tmp_path):
    from stancemark.formats.codebook_schemes import read_brat_conf

    repo, _ = coded(tmp_path / "a.sqlite")
    _export("brat", repo, tmp_path / "out")
    kinds, attributes = read_brat_conf(tmp_path / "out" / "annotation.conf")
    assert [k.kind.name for k in kinds] == ["actor", "date", "frame", "stance"]
    got = {(a.kind, a.attribute.name, a.attribute.type, tuple(v.value.name for v in a.values))
           for a in attributes}
    assert got == {("frame", "frame_type", "choice", ("economic", "security", "identity", "sovereignty")),
                   ("frame", "explicit", "choice", ("yes", "no")),
                   ("stance", "intensity", "choice", ("1", "2", "3", "4", "5"))}
    lines = [x for ann in (tmp_path / "out" / "ana").glob("*.ann")
             for x in ann.read_text(encoding="utf-8").splitlines()]
    assert any(x.startswith("A") and x.endswith(" 4") and "intensity E1" in x for x in lines)
    repo.close()


@settings(max_examples=60, deadline=None)
@given(date=st.one_of(st.none(), st.sampled_from(["2021-01-09", "2020"])),
       note=st.text(max_size=20),
       values=st.dictionaries(st.text(min_size=1, max_size=8),
                              st.one_of(st.text(max_size=12), st.integers(), st.booleans(),
                                        st.lists(st.text(max_size=6), max_size=3)), max_size=3))
def test_brat_notes_read_back_what_was_written(date, note, values):
    """Dates, attributes JSON holding ' | ' or 'note=', and any note, in one notes line."""
    from stancemark.formats import brat
    from stancemark.formats.brat_codebook import notes_part

    text = brat._notes(date, note, notes_part(values))
    if text is None:
        assert not date and not note and not values
        return
    assert "\n" not in text and "\t" not in text
    assert brat._parse_notes(text) == (date, note, values)


def test_spacy_docbin_has_a_span_key_per_kind_and_attributes_in_user_data(tmp_path):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    repo, _ = coded(tmp_path / "a.sqlite")
    out = tmp_path / "t.spacy"
    _export("spacy_docbin", repo, out)
    docs = list(DocBin().from_disk(out).get_docs(spacy.blank("xx").vocab))
    doc = next(d for d in docs if d.user_data["stancemark"]["article"]["title"] == "Tariffs")
    assert {"sc", "actor", "stance", "frame"} <= set(doc.spans)
    assert sorted(s.text for s in doc.spans["frame"]) == [
        "economic", "economic cost", "security hawks 😀", "sovereignty"]
    assert {s.label_ for s in doc.spans["frame"]} == {"frame"}
    data = doc.user_data["stancemark"]
    frame = next(a for a in data["annotations"] if a["quote"] == "economic cost")
    assert frame["kind"] == "frame"
    assert frame["attributes"]["frame_type"] == "economic"
    assert list(frame["attributes"]["tags"]) == ["cost", "nation; state"]
    assert frame["attributes"]["explicit"] is True
    assert data["variables"] == {"ana": {"genre": "opinion", "relevant": True}}
    repo.close()


def test_csv_has_a_column_per_attribute_read_by_pandas(tmp_path):
    pd = pytest.importorskip("pandas")
    repo, _ = coded(tmp_path / "a.sqlite")
    _export("csv_tables", repo, tmp_path / "out")
    anns = pd.read_csv(tmp_path / "out" / "annotations.csv", keep_default_na=False, dtype=str)
    assert {"frame_type", "tags", "comment", "explicit", "intensity"} <= set(anns.columns)
    row = anns[anns["quote"] == "economic cost"].iloc[0]
    assert (row["kind"], row["frame_type"], row["tags"], row["explicit"]) == (
        "frame", "economic", "cost; nation; state", "yes")
    assert anns[anns["kind"] == "stance"].iloc[0]["intensity"] == "4"
    variables = pd.read_csv(tmp_path / "out" / "article_variables.csv", keep_default_na=False,
                            dtype=str)
    assert list(variables.columns) == ["article_uid", "annotator_uid", "annotator", "genre", "relevant"]
    assert sorted(variables["relevant"]) == ["no", "yes"]
    repo.close()


_names = st.text(alphabet=st.sampled_from(list("ab ;,")), min_size=1, max_size=6) \
    .filter(lambda n: n.strip(" ;") and n == n.strip() and ";;" not in n)


@settings(max_examples=60, deadline=None)
@given(vocabulary=st.lists(_names, min_size=1, max_size=5, unique_by=str.casefold),
       data=st.data())
def test_multiple_choice_text_with_separators_in_names_reads_back(vocabulary, data):
    """A multiple choice written as text ("a; b") reads back to the same values, even
    when value names hold the separator, as long as the codebook knows them and no name
    holding it contains another name (vocabulary "a", "b", "a; b" is ambiguous as text:
    the formats that write text say so)."""
    from hypothesis import assume

    from stancemark.core.codebook import Attribute, Value

    folded = [n.casefold() for n in vocabulary]
    assume(not any(";" in n and any(m != n and m in n for m in folded) for n in folded))
    from stancemark.formats.span_attributes import CodebookCheck

    attr = Attribute("t", "tags", "choice", "frame", multiple=True,
                     values=tuple(Value(f"v{i}", n) for i, n in enumerate(vocabulary)))
    chosen = data.draw(st.lists(st.sampled_from([v.uid for v in attr.values]), min_size=1,
                                unique=True))
    stored = attr.check(chosen)
    text = attr.show(stored)
    names = CodebookCheck._names(attr, text)
    uids = [(attr.value_by_name(n) or attr.value(n)).uid for n in names]
    assert attr.check(uids) == stored


# The official REFI-QDA Project schema is not shipped with Stancemark (nor copied into
# it): point this variable at Project-mrt2019.xsd to check exports against it.
OFFICIAL_XSD = os.environ.get("STANCEMARK_REFI_QDA_XSD", "")


def test_refi_qda_codes_per_kind_and_value_and_project_variables(tmp_path):
    import zipfile

    from defusedxml.ElementTree import fromstring

    from stancemark.formats.refi_qda import NS

    q = f"{{{NS}}}"
    repo, ids = coded(tmp_path / "a.sqlite")
    out = tmp_path / "p.qdpx"
    _export("refi_qda", repo, out)
    with zipfile.ZipFile(out) as zf:
        root = fromstring(zf.read("project.qde"))
    groups = {c.get("name"): c for c in root.find(f"{q}CodeBook/{q}Codes")}
    assert list(groups) == ["Actors", "Topics", "Kinds", "Attributes", "Polarity"]
    assert [c.get("name") for c in groups["Kinds"]] == ["actor", "date", "stance", "frame"]
    attrs = {c.get("name"): [v.get("name") for v in c] for c in groups["Attributes"]}
    assert attrs == {"frame: frame_type": ["economic", "security", "identity", "sovereignty"],
                     "frame: tags": ["cost", "threat", "nation; state"]}
    value_guid = {v.get("name"): v.get("guid") for c in groups["Attributes"] for v in c}
    sel = next(s for s in root.iter(q + "PlainTextSelection") if s.get("name") == "economic cost")
    coded_with = {r.get("targetGUID") for r in sel.iter(q + "CodeRef")}
    assert {value_guid["economic"], value_guid["cost"], value_guid["nation; state"]} <= coded_with
    assert [(v.get("name"), v.get("typeOfVariable")) for v in root.iter(q + "Variable")] == [
        ("genre", "Text"), ("relevant", "Boolean")]
    tariffs = next(s for s in root.iter(q + "TextSource") if s.get("name") == "Tariffs")
    values = [(vv.find(q + "TextValue"), vv.find(q + "BooleanValue"))
              for vv in tariffs.iter(q + "VariableValue")]
    assert [(t.text if t is not None else None, b.text if b is not None else None)
            for t, b in values] == [("opinion", None), (None, "true")]
    repo.close()


def test_refi_qda_with_a_codebook_is_valid_against_the_official_schema(tmp_path):
    lxml_etree = pytest.importorskip("lxml.etree", reason="lxml not installed")
    if not OFFICIAL_XSD or not Path(OFFICIAL_XSD).is_file():
        pytest.skip("the official REFI-QDA schema is not here (set STANCEMARK_REFI_QDA_XSD "
                    "to Project-mrt2019.xsd)")
    import zipfile

    repo, _ = coded(tmp_path / "a.sqlite")
    out = tmp_path / "p.qdpx"
    _export("refi_qda", repo, out)
    schema = lxml_etree.XMLSchema(lxml_etree.parse(OFFICIAL_XSD))
    with zipfile.ZipFile(out) as zf:
        doc = lxml_etree.fromstring(zf.read("project.qde"))
    assert schema.validate(doc), schema.error_log
    # the check has teeth: a variable value without its reference is refused
    vv = doc.find(".//{urn:QDA-XML:project:1.0}VariableValue")
    vv.remove(vv[0])
    assert not schema.validate(doc)
    repo.close()
