"""`stancemark stances` and `stancemark mentions`: the stance table on the command line."""

from __future__ import annotations

import csv
import io
import json

from stancemark.cli import main
from test_stance_query import store  # noqa: F401 - the fixture


def run(store_path, *args) -> int:
    return main(["--store", str(store_path), *args])


def test_stances_as_table_csv_and_json(store, store_path, capsys, tmp_path):  # noqa: F811
    repo, made, _ = store
    repo.close()
    assert run(store_path, "stances", "--holder", "beijing", "--sort", "date") == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["date", "holder", "polarity"]
    assert len(lines) == 4 and "3 stance(s)" in err
    assert run(store_path, "stances", "--target", "talks", "--format", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["quote"] for r in rows] == ["wants trade talks", "hesitates", "welcomes talks"]
    assert rows[0]["intensity"] == "low" and rows[0]["target_kind"] == "topic"
    out_file = tmp_path / "s.json"
    assert run(store_path, "stances", "--polarity", "oppose,neutral", "--from", "2021",
               "--to", "2021", "--format", "json", "--out", str(out_file)) == 0
    got = json.loads(out_file.read_text(encoding="utf-8"))
    assert [g["quote"] for g in got] == ["objects to them", "Taipei waits", "warns Taipei"]
    assert got[0]["attributes"] == {"intensity": "high"}  # names, as the codebook shows them
    assert run(store_path, "stances", "--attr", "intensity=high", "--limit", "5",
               "--format", "csv") == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_mentions(store, store_path, capsys):  # noqa: F811
    repo, _, _ = store
    repo.close()
    assert run(store_path, "mentions", "--actor", "washington", "--format", "json") == 0
    (m,) = json.loads(capsys.readouterr().out)
    assert (m["actor"], m["quote"], m["start"], m["end"]) == (
        "United States", "Washington", 0, 10)


def test_bad_filters_give_one_line(store, store_path, capsys):  # noqa: F811
    repo, _, _ = store
    repo.close()
    for args in (["--from", "2021-13"], ["--polarity", "loud"], ["--attr", "nothing"]):
        assert run(store_path, "stances", *args) == 1
        err = capsys.readouterr().err
        assert err.startswith("stancemark: error:") and len(err.strip().splitlines()) == 1


def test_export_with_a_stance_filter_exports_only_those_stances(store, store_path, tmp_path):  # noqa: F811
    repo, made, _ = store
    repo.close()
    out = tmp_path / "f.jsonl"
    assert run(store_path, "export", "--format", "jsonl", "--out", str(out),
               "--holder", "taiwan", "--polarity", "support") == 0
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    anns = [a for r in records if r["type"] == "article" for a in r["annotations"]]
    assert [a["quote"] for a in anns] == ["welcomes talks"]
    assert len([r for r in records if r["type"] == "article"]) == 1
