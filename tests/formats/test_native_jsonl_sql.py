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


@pytest.fixture
def heavy(repo):
    """Custom kinds whose attributes have every type, values with every character JSON
    escapes, numbers (whole, fractional, tiny, negative zero), booleans, multiple choices
    in vocabulary order, and attribute uids given in an order other than sorted; articles
    whose order by (added_at, uid) is neither their id order nor their uid order."""
    from stancemark.core.codebook_commands import new_attribute, new_kind

    frame = repo.add_kind(new_kind("frame"))
    claim = repo.add_kind(new_kind("claim"))
    add = repo.add_attribute
    attrs = {
        "z_text": add(new_attribute("zz note", "text", frame.uid)),
        "number": add(new_attribute("weight", "number", frame.uid)),
        "integer": add(new_attribute("count", "integer", frame.uid, minimum=-5, maximum=10**12)),
        "yes": add(new_attribute("sure", "boolean", frame.uid)),
        "many": add(new_attribute("topics", "choice", frame.uid, multiple=True,
                                  values=("zeta", "alpha", "é", "中"))),
        "one": add(new_attribute("tone", "choice", frame.uid, ordered=True,
                                 values=("low", "mid", "high"))),
        "date": add(new_attribute("when", "date", frame.uid)),
        "c_text": add(new_attribute("claim note", "text", claim.uid)),
        "c_yes": add(new_attribute("claim ok", "boolean", claim.uid)),
    }
    values = [
        {"z_text": TRICKY, "number": 0.1, "integer": 10**12, "yes": True,
         "many": ["zeta", "中", "é"], "one": "high", "date": "2024-02-29"},
        {"z_text": "", "number": 1e-7, "integer": -5, "yes": False, "many": ["alpha"]},
        {"number": -0.0, "integer": 0, "z_text": "\\u00e9 \"x\" 😀"},
        {"number": 3, "one": "low"},
        {"number": 123456.789e3},
    ]
    ben = repo.ensure_annotator("ben")
    for n in range(4):
        art, _ = repo.add_article(f"Article {n}: Beijing and Taipei, é 中文 😀 again.", f"t{n}")
        for i, v in enumerate(values):
            stored = {}
            for key, raw in v.items():
                attr = attrs[key]
                if attr.type == "choice":
                    uids = [attr.value_by_name(name).uid for name in
                            (raw if isinstance(raw, list) else [raw])]
                    raw = uids if attr.multiple else uids[0]
                stored[attr.uid] = raw
            repo.add_annotation(Annotation("", art.uid, "", frame.uid, i, i + 3,
                                           art.text[i:i + 3], attributes=stored))
        b = art.text.index("Beijing")
        repo.add_annotation(Annotation("", art.uid, "", claim.uid, b, b + 7, "Beijing",
                                       attributes={attrs["c_yes"].uid: n % 2 == 0,
                                                   attrs["c_text"].uid: f"ünï {n}"}))
        gone = repo.add_annotation(Annotation("", art.uid, "", claim.uid, 0, 4, "Arti"))
        repo.delete_annotation(gone.uid)
        repo.add_annotation(Annotation("", art.uid, ben.uid, frame.uid, b, b + 7, "Beijing",
                                       attributes={attrs["number"].uid: n / 3}))
    # by uid: the first last, the third and fourth on the same day (then by uid)
    stamps = ["2026-01-03T00:00:00", "2026-01-01T00:00:00", "2026-01-02T00:00:00",
              "2026-01-02T00:00:00"]
    for stamp, uid in zip(stamps, sorted(repo.article_uids()), strict=True):
        repo.conn.execute("UPDATE articles SET added_at = ? WHERE uid = ?", [stamp, uid])
    return repo


@pytest.mark.parametrize("scope", SCOPES, ids=range(len(SCOPES)))
def test_codebook_heavy_sqlite_lines_are_the_python_bytes(heavy, tmp_path, scope):
    in_sql = native_jsonl._export(heavy, tmp_path / "sql.jsonl", scope, None, in_sql=True)
    python = native_jsonl._export(heavy, tmp_path / "py.jsonl", scope, None, in_sql=False)
    data = (tmp_path / "sql.jsonl").read_bytes()
    assert data == (tmp_path / "py.jsonl").read_bytes()
    assert (in_sql.articles, in_sql.annotations) == (python.articles, python.annotations)
    assert python.articles > 0 and (b'"attributes":{' in data or not python.annotations)


def test_articles_come_in_added_order_then_uid(heavy, tmp_path):
    native_jsonl.export(heavy, tmp_path / "out.jsonl")
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").rstrip("\n").split("\n")
    arts = [r for r in map(json.loads, lines) if r["type"] == "article"]
    keys = [(a["added_at"], a["uid"]) for a in arts]
    assert keys == sorted(keys) and len(keys) == 4
    assert keys != sorted(keys, key=lambda k: k[1])  # not simply by uid
    values = [a["attributes"] for a in arts[0]["annotations"] if "attributes" in a]
    assert TRICKY in [v for vs in values for v in vs.values()]
    assert [list(v) for v in values] == [sorted(v) for v in values]
    assert {type(v) for vs in values for v in vs.values()} == {str, int, float, bool, list}


def test_sqlite_lines_follow_the_export_order_whatever_the_order_asked(heavy):
    want = [r[0] for r in heavy.conn.execute("SELECT uid FROM articles ORDER BY added_at, uid")]
    for asked in (want, want[::-1], [*want[1:], "no-such-article", want[0]]):
        lines = list(export_json.article_lines(heavy.conn, asked, None, [], None, True))
        assert [json.loads(line)["uid"] for line in lines] == want


def test_a_store_not_in_utf8_is_written_by_python():
    # article_lines hands SQLite's bytes to the file, which is UTF-8
    utf16 = sqlite3.connect(":memory:")
    utf16.execute("PRAGMA encoding = 'UTF-16le'")
    assert not export_json.json_matches_python(utf16)
    assert export_json.json_matches_python(sqlite3.connect(":memory:"))


def test_canonical_json_sorts_every_level_as_the_python_writer():
    from stancemark.store.export_rows import sorted_deep

    text = '{"b": [{"z": 1, "y": {"d": 2, "c": "\\u00e9"}}], "a": 1E5, "\\u4e2d": null}'
    want = json.dumps(sorted_deep(json.loads(text)), ensure_ascii=False, separators=(",", ":"))
    assert export_json.canonical_json(text) == want == '{"a":100000.0,"b":[{"y":{"c":"é","d":2},"z":1}],"中":null}'
    assert export_json.canonical_json(None) == export_json.canonical_json("") == "{}"


@pytest.mark.parametrize("filters", [(None, None, True), (None, None, False),
                                     (("nobody",), None, True), (None, ("stance",), True),
                                     (None, ("date", "actor"), False)])
def test_annotators_used_are_those_of_the_exported_annotations(tricky, filters):
    from stancemark.store import export_rows

    annotators, kinds, trash = filters
    if annotators:
        annotators = tuple(a.uid for a in tricky.list_annotators() if a.name == "ben")
    arts = tricky.article_uids()
    for chosen in (arts, arts[:1], arts[1:], []):
        extra, params = export_rows.annotation_filters(annotators, kinds, trash)
        sql = ("SELECT DISTINCT ann.uid FROM annotations an JOIN articles ar "  # noqa: S608
               "ON ar.id = an.article_id JOIN annotators ann ON ann.id = an.annotator_id "
               f"WHERE ar.uid IN (SELECT value FROM json_each(?)){extra}")
        want = {r[0] for r in tricky.conn.execute(sql, [json.dumps(chosen), *params])}
        assert export_rows.annotators_used(tricky, chosen, annotators, kinds, trash) == want
