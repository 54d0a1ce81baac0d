"""Native JSONL written by SQLite (store/export_json.py) has the very bytes of the
Python writer, whatever the content, the scope and the stored JSON's own form."""

from __future__ import annotations

import json
import sqlite3

import pytest

from stancemark.core.model import Annotation
from stancemark.formats import native_jsonl
from stancemark.formats.common import Scope
from stancemark.store import export_json

TRICKY = "tab\there \"quoted\" back\\slash \x01\x1f\x7f \u2028\u2029 é 中文 😀 \U0010ffff /"


@pytest.fixture
def tricky(seeded):
    """Every kind, a trashed annotation and article, statuses of two annotators, text
    and notes with every character JSON escapes, meta in every stored form."""
    from test_native_jsonl import annotate

    repo = seeded
    art = annotate(repo)
    anns = repo.list_annotations(art.uid)
    repo.update_annotation(anns[0].uid, note=TRICKY,
                           meta={"z": {"b": 1e16, "a": [3.0, {"y": 1, "x": -0.0}]},
                                 "a": "é\u0007", "big": 12345678901234567890})
    repo.update_annotation(anns[1].uid, meta={"only": None})
    # Stored by another program (a merged store): keys unsorted, escapes, 1E5.
    repo.conn.execute("UPDATE annotations SET meta = ? WHERE uid = ?",
                      ['{"b": 1, "a": "\\u00e9", "c": 1E5}', anns[2].uid])
    other, _ = repo.add_article(f"Beijing says {TRICKY} again.", "Tricky \u2028 title",
                                meta={"zeta": [1, 2], "alpha": {"y": "\U0001f600", "x": True}})
    ben = repo.ensure_annotator("ben")
    s = other.text.index("Beijing")
    china = repo.actors_by_alias("China")[0]
    for who in (repo.annotator.uid, ben.uid, ben.uid):
        repo.add_annotation(Annotation("", other.uid, who, "actor", s, s + 7, "Beijing",
                                       actor_uid=china.uid))
    repo.set_status(other.uid, "done", ben.uid)
    repo.set_status(other.uid, "in progress")
    repo.set_status(other.uid, "new", repo.ensure_annotator("cho").uid)  # "new": left out
    gone, _ = repo.add_article("A trashed article about Taipei.", "Gone")
    repo.delete_article(gone.uid)
    return repo


SCOPES = [Scope(include_trash=True), Scope(), Scope(annotators="me"),
          Scope(annotators=("ben",), include_trash=True), Scope(kinds=("stance", "date")),
          Scope(query="Beijing", include_trash=True)]


@pytest.mark.parametrize("scope", SCOPES, ids=range(len(SCOPES)))
def test_sqlite_lines_are_the_python_bytes(tricky, tmp_path, scope):
    in_sql = native_jsonl._export(tricky, tmp_path / "sql.jsonl", scope, None, in_sql=True)
    python = native_jsonl._export(tricky, tmp_path / "py.jsonl", scope, None, in_sql=False)
    assert (tmp_path / "sql.jsonl").read_bytes() == (tmp_path / "py.jsonl").read_bytes()
    assert (in_sql.articles, in_sql.annotations) == (python.articles, python.annotations)
    assert python.articles > 0


def test_export_takes_the_sqlite_path_and_reads_back(tricky, tmp_path, monkeypatch):
    calls = []
    real = export_json.article_lines
    monkeypatch.setattr(export_json, "article_lines",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    native_jsonl.export(tricky, tmp_path / "out.jsonl")
    assert calls, "a JSON-capable SQLite writes the lines"
    # split("\n"), not splitlines(): U+2028 inside a string is no line end in JSONL
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").rstrip("\n").split("\n")
    records = [json.loads(line) for line in lines]
    notes = [a["note"] for r in records if r["type"] == "article" for a in r["annotations"]]
    assert TRICKY in notes


def test_a_value_only_python_writes_sends_the_export_to_python(tricky, tmp_path):
    # 1e999 is valid JSON in the store; Python reads it as inf and writes Infinity,
    # which SQLite's json() refuses: the export falls back and still writes it.
    tricky.conn.execute("UPDATE annotations SET meta = '{\"x\": 1e999}' "
                        "WHERE id = (SELECT min(id) FROM annotations)")
    report = native_jsonl.export(tricky, tmp_path / "out.jsonl")
    native_jsonl._export(tricky, tmp_path / "py.jsonl", None, None, in_sql=False)
    assert (tmp_path / "out.jsonl").read_bytes() == (tmp_path / "py.jsonl").read_bytes()
    assert b'"meta":{"x":Infinity}' in (tmp_path / "out.jsonl").read_bytes()
    assert report.annotations > 0
    with pytest.raises(export_json.NotInSQL):
        native_jsonl._export(tricky, tmp_path / "sql.jsonl", None, None, in_sql=True)
    assert not (tmp_path / "sql.jsonl").exists()


def test_an_sqlite_writing_other_json_is_not_trusted(tricky, tmp_path, monkeypatch):
    assert export_json.json_matches_python(sqlite3.connect(":memory:"))

    class Escaping:  # an SQLite whose JSON escapes "/" (as some encoders do)
        def execute(self, sql, params):
            return sqlite3.connect(":memory:").execute(
                sql.replace("json_quote(?)", "replace(json_quote(?), '/', '\\/')"), params)

    assert not export_json.json_matches_python(Escaping())
    monkeypatch.setattr(export_json, "json_matches_python", lambda conn: False)
    monkeypatch.setattr(export_json, "article_lines", None)  # must not be reached
    native_jsonl.export(tricky, tmp_path / "out.jsonl")
    native_jsonl._export(tricky, tmp_path / "py.jsonl", None, None, in_sql=False)
    assert (tmp_path / "out.jsonl").read_bytes() == (tmp_path / "py.jsonl").read_bytes()
