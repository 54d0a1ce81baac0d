"""The contract every span format keeps, one parametrised test each instead of a copy
per format: export -> import into an empty store -> export gives the same bytes (with
the counts the import reports), the command line exports and imports, and a bad file
is refused in one line naming the file and the line, leaving the store unchanged.
Format-specific behaviour stays in each format's own test file."""

from __future__ import annotations

import pytest

from stancemark.cli import main
from stancemark.core.errors import InputError
from stancemark.formats import brat, conll, conll_stance, doccano, doccano_rel, labelstudio
from stancemark.formats.common import Scope

ANA = Scope(annotators=("ana",))


@pytest.mark.parametrize("module, out, scope, expected", [
    (brat, "brat", None, {"articles_added": 3, "annotations_added": 20}),
    (conll, "out.conll", None, {"articles_added": 3}),
    (conll_stance, "out.conll", None, {"articles_added": 3}),
    (doccano, "out.jsonl", ANA, {"articles_added": 3, "annotations_added": 18}),
    (doccano_rel, "out.jsonl", ANA, {"articles_added": 3, "annotations_added": 18}),
    # Ben's tags bring Ben; ana is the importing store's own annotator already
    (labelstudio, "tasks.json", None, {"annotations_added": 20, "annotators_added": 1}),
], ids=["brat", "conll", "conll_stance", "doccano", "doccano_rel", "labelstudio"])
def test_round_trip_is_identical(annotated, other_repo, tmp_path, tree_bytes, module, out,
                                 scope, expected):
    repo, _ = annotated
    first, second = tmp_path / "1", tmp_path / "2"
    first.mkdir()
    second.mkdir()
    args = (scope,) if scope else ()
    module.export(repo, first / out, *args)
    report = module.import_paths(other_repo, [first / out])
    assert {k: getattr(report, k) for k in expected} == expected
    module.export(other_repo, second / out, *args)
    assert tree_bytes(first) == tree_bytes(second)


@pytest.mark.parametrize("fmt, out, expected", [
    ("brat", "b", "20 annotation(s) added"),
    ("conll-stance", "c.conll", "3 article(s) added"),
    ("labelstudio", "ls.json", "20 annotation(s) added"),
])
def test_cli_export_and_import(annotated, store_path, tmp_path, capsys, fmt, out, expected):
    target = tmp_path / out
    assert main(["--store", str(store_path), "export", "--format", fmt, "--out", str(target)]) == 0
    assert main(["--store", str(tmp_path / "o.sqlite"), "import", str(target),
                 "--format", fmt]) == 0
    assert expected in capsys.readouterr().out
    if fmt == "labelstudio":
        assert labelstudio.config_path(target).exists()  # the labelling config beside it


IMPORTERS = {"brat": brat, "conll": conll, "doccano": doccano, "labelstudio": labelstudio}


@pytest.mark.parametrize("fmt, name, content, line, message", [
    ("brat", "bad.ann", "T1\tActor 0 5\tHello\nT2\tActor 0 99\tx\n", 2, "outside the text"),
    ("brat", "bad.ann", "T1\tActor 0 5\tHallo\n", 1, "does not match"),
    ("brat", "bad.ann", "T1\tPerson 0 5\tHello\n", 1, "span kind 'Person' is not in the codebook"),
    ("brat", "bad.ann", "T1\tActor 0 2;3 5\tHe lo\n", 1, "discontinuous"),
    ("brat", "bad.ann", "T1\tStance 0 5\tHello\n", 1, "no event line"),
    ("brat", "bad.ann", "T1\tStance 0 5\tHello\nE1\tStance:T1\nA1\tPolarity E1 angry\n", 3, "Polarity"),
    ("brat", "bad.ann", "T1\tActor 0 5\tHello\nR1\tRel Arg1:T1 Arg2:T1\n", 2, "relation lines"),
    ("brat", "bad.ann", "T1\tDate 0 5\tHello\n", 1, "cannot normalise date"),
    ("conll", "bad.conll", "-DOCSTART- -X- -X- O\nA O\nB X-ACTOR\n", 3, "unknown tag"),
    ("conll", "bad.conll", "-DOCSTART- -X- -X- O\nA O\nB O O\n", 3, "columns"),
    ("conll", "bad.conll", '-DOCSTART- -X- -X- O\n# text = "A C"\nA O\nB O\n', 4, "not next in the # text"),
    ("conll", "bad.conll", "-DOCSTART- -X- -X- O\nblorp B-DATE\n", 2, "cannot normalise date"),
    ("conll", "bad.conll", "-DOCSTART- -X- -X- O\nA\n", 2, "needs a token and a tag"),
    ("doccano", "bad.jsonl", '{"text": "ok", "label": []}\n{"text": "x", "label": [[0, 5, "ACTOR:A"]]}\n', 2, "outside the text"),
    ("doccano", "bad.jsonl", '{"text": "ok", "label": []}\n{not json\n', 2, "not valid JSON"),
    ("doccano", "bad.jsonl", '{"text": "hello", "label": [[0, 5, "PERSON"]]}\n', 1,
     "span kind 'PERSON' is not in the codebook"),
    ("doccano", "bad.jsonl", '{"text": "hello", "label": [[0, 5, "DATE"]]}\n', 1, "cannot normalise date"),
    # an undated article: "yesterday" is never taken from the clock
    ("doccano", "bad.jsonl", '{"text": "said yesterday", "label": [[5, 14, "DATE"]]}\n', 1, "the article has no date"),
    ("doccano", "bad.jsonl", '{"text": "in May 2024", "label": [[3, 11, "DATE"]], "stancemark": {"3-11-DATE": '
     '{"date_value": "2024-05-01", "date_granularity": "month"}}}\n', 1, "is a day, not a month"),
    ("doccano", "bad.jsonl", '{"text": "hello", "label": [[0, "5", "ACTOR:A"]]}\n', 1, "must be an integer"),
    ("doccano", "bad.jsonl", '{"text": "a b", "entities": [{"id": 1, "start_offset": 0, "end_offset": 1, "label": "ACTOR:A"}],'
     ' "relations": [{"id": 1, "from_id": 1, "to_id": 9, "type": "oppose"}]}\n', 1, "unknown entity"),
    ("labelstudio", "bad.json", '[\n{"data": {"text": "ok"}},\n{"data": {"text": "x"}, "annotations": [{"result": [{"id": "a",'
     ' "type": "labels", "value": {"start": 0, "end": 4, "labels": ["DATE"]}}]}]}\n]', 3, "outside"),
    ("labelstudio", "bad.json", '[\n{"data": {"text": "ok"}},\n{"data": \n]', 3, "not valid JSON"),
    ("labelstudio", "bad.json", '{"data": {"text": "ok"}}', 1, "expected a JSON list"),
    ("labelstudio", "bad.json", '[{"data": {"text": "hello"}, "annotations": [{"result": [{"id": "a", "type": "labels",'
     ' "value": {"start": 0, "end": 5, "labels": ["ORG"]}}]}]}]', 1,
     "span kind 'ORG' is not in the codebook"),
    ("labelstudio", "bad.json", '[{"data": {"text": "hello"}, "annotations": [{"result": [{"id": "a", "type": "labels",'
     ' "value": {"start": 0, "end": 5, "labels": ["ACTOR:X"]}}, {"type": "relation", "from_id": "a",'
     ' "to_id": "a", "labels": ["oppose"]}]}]}]', 1, "must run holder"),
])
def test_malformed_file_names_file_and_line_and_changes_nothing(
        annotated, store_path, digest, tmp_path, fmt, name, content, line, message):
    repo, _ = annotated
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")
    if fmt == "brat":  # a standoff file needs its text beside it; the folder is imported
        (tmp_path / "bad.txt").write_text("Hello world", encoding="utf-8")
    before = digest(store_path)
    with pytest.raises(InputError) as err:
        IMPORTERS[fmt].import_paths(repo, [tmp_path if fmt == "brat" else bad])
    assert str(err.value).startswith(f"{bad}:{line}: ") and message in str(err.value)
    assert "\n" not in str(err.value)
    assert digest(store_path) == before
