"""The codebook travels: native JSONL (codebook record, attribute values, article
variables), old files still import, unknown kinds refused or (explicitly) added, and
store merges carry codebooks by uid with conflicts reported, never overwritten."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from stancemark.cli import main
from stancemark.core.codebook_commands import new_attribute, new_kind
from stancemark.core.errors import InputError, StancemarkError
from stancemark.core.model import Annotation
from stancemark.formats import native_jsonl
from stancemark.store import Repository, open_store
from stancemark.store.merge import merge_store

TEXT = "Beijing warned Washington on Monday about the economic cost of tariffs."
OLD_EXPORT = Path(__file__).parent / "data" / "before_codebook" / "export.jsonl"


def coded_store(path: Path, who: str = "ana") -> tuple[Repository, dict]:
    repo = Repository(open_store(path), who)
    frame = repo.add_kind(new_kind("frame", colour="#009E73", key="F"))
    ft = repo.add_attribute(new_attribute("frame_type", "choice", frame.uid,
                                          values=("economic", "security")))
    intensity = repo.add_attribute(new_attribute("intensity", "integer", "stance",
                                                 minimum=1, maximum=5))
    genre = repo.add_attribute(new_attribute("genre", "choice", None, values=("news", "opinion")))
    art, _ = repo.add_article(TEXT, "t", uid="11111111-1111-4111-8111-111111111111")
    china = repo.add_actor("China", "state", uid="22222222-2222-4222-8222-222222222222")
    f = repo.add_annotation(Annotation("", art.uid, "", frame.uid, 46, 59, "economic cost",
                                       attributes={ft.uid: ft.values[0].uid}))
    s = repo.add_annotation(Annotation("", art.uid, "", "stance", 0, 7, "Beijing",
                                       polarity="oppose", holder_uid=china.uid,
                                       attributes={intensity.uid: 4}))
    repo.delete_annotation(s.uid)  # attribute values travel with the trash too
    repo.set_article_variables(art.uid, {genre.uid: genre.values[1].uid})
    return repo, {"frame": frame, "ft": ft, "intensity": intensity, "genre": genre,
                  "art": art, "f": f, "s": s}


def test_native_round_trip_carries_codebook_values_and_variables(tmp_path):
    repo, ids = coded_store(tmp_path / "a.sqlite")
    first = tmp_path / "1.jsonl"
    native_jsonl.export(repo, first)
    lines = [json.loads(x) for x in first.read_text(encoding="utf-8").splitlines()]
    assert lines[0] == {"type": "stancemark", "version": 2} and lines[1]["type"] == "codebook"
    article = next(x for x in lines if x["type"] == "article")
    assert article["variables"] == {repo.annotator.uid: {ids["genre"].uid: ids["genre"].values[1].uid}}
    by_uid = {a["uid"]: a for a in article["annotations"]}
    assert by_uid[ids["s"].uid]["attributes"] == {ids["intensity"].uid: 4}
    other = Repository(open_store(tmp_path / "b.sqlite"), "bob")
    report = native_jsonl.import_paths(other, [first])
    assert "codebook: 4 kind(s), attribute(s) or value(s) added" in report.summary()
    assert other.codebook() == repo.codebook()
    assert other.get_annotation(ids["f"].uid).attributes == ids["f"].attributes
    ana = repo.annotator.uid
    assert other.article_variables(ids["art"].uid, ana) == repo.article_variables(ids["art"].uid)
    second = tmp_path / "2.jsonl"
    native_jsonl.export(other, second)
    assert first.read_bytes() == second.read_bytes()
    repo.close()
    other.close()


def test_old_native_files_still_import(tmp_path):
    repo = Repository(open_store(tmp_path / "s.sqlite"), "rev")
    report = native_jsonl.import_paths(repo, [OLD_EXPORT])
    assert report.annotations_added > 0 and report.articles_added == 3
    out = tmp_path / "again.jsonl"
    native_jsonl.export(repo, out)
    assert out.read_bytes() == OLD_EXPORT.read_bytes()  # version 1, as the old code wrote
    repo.close()


def _without_codebook(src: Path, dst: Path) -> None:
    kept = [x for x in src.read_text(encoding="utf-8").splitlines()
            if json.loads(x).get("type") != "codebook"]
    dst.write_text("\n".join(kept) + "\n", encoding="utf-8")


def test_unknown_kinds_and_values_refused_unless_extended(tmp_path, capsys):
    repo, ids = coded_store(tmp_path / "a.sqlite")
    full = tmp_path / "full.jsonl"
    native_jsonl.export(repo, full)
    repo.close()
    bare = tmp_path / "bare.jsonl"
    _without_codebook(full, bare)
    store = str(tmp_path / "b.sqlite")
    assert main(["--store", store, "import", str(bare)]) == 1
    err = capsys.readouterr().err
    assert f"{bare}:" in err and f"attribute {ids['intensity'].uid!r} is not one of kind 'stance'" in err
    assert "--extend-codebook" in err and err.count("\n") == 1
    other = Repository(open_store(store), "x")
    assert other.stats()["annotations"] == 0 and other.codebook().custom_kinds() == ()
    other.close()
    assert main(["--store", store, "import", "--extend-codebook", str(bare)]) == 0
    out = capsys.readouterr().out
    assert f"codebook extended: span kind {ids['frame'].uid!r} added" in out
    assert f"codebook extended: attribute {ids['ft'].uid!r}" in out
    assert f"codebook extended: article variable {ids['genre'].uid!r}" in out
    other = Repository(open_store(store), "x")
    assert other.get_annotation(ids["f"].uid).attributes == ids["f"].attributes
    other.close()


def test_merge_carries_codebook_values_and_variables(tmp_path):
    ana, ids = coded_store(tmp_path / "ana.sqlite")
    ana.close()
    rev = Repository(open_store(tmp_path / "rev.sqlite"), "rev")
    report = merge_store(rev, tmp_path / "ana.sqlite")
    assert report.codebook_added == 4 and not report.codebook_conflicts
    assert rev.get_annotation(ids["f"].uid).attributes == ids["f"].attributes
    assert rev.get_annotation(ids["s"].uid).attributes == {ids["intensity"].uid: 4}
    ana_uid = rev.annotator_by_name("ana").uid
    assert rev.article_variables(ids["art"].uid, ana_uid) == {
        ids["genre"].uid: ids["genre"].values[1].uid}
    assert "4 codebook entr(y/ies) added" in report.summary()
    # Merging again adds nothing.
    again = merge_store(rev, tmp_path / "ana.sqlite")
    assert again.codebook_added == 0 and again.variables_added == 0
    rev.close()


def test_merge_reports_a_conflicting_definition_and_keeps_mine(tmp_path):
    ana, ids = coded_store(tmp_path / "ana.sqlite")
    ana.close()
    rev = Repository(open_store(tmp_path / "rev.sqlite"), "rev")
    merge_store(rev, tmp_path / "ana.sqlite")
    rev.update_kind(ids["frame"].uid, colour="#D55E00")
    rev.update_attribute(ids["intensity"].uid, maximum=7)
    ana = Repository(open_store(tmp_path / "ana.sqlite"), "ana")
    ana.update_kind(ids["frame"].uid, name="framing")
    ana.close()
    report = merge_store(rev, tmp_path / "ana.sqlite")
    assert any("span kind 'frame'" in c and "name, colour" in c for c in report.codebook_conflicts)
    assert any("'intensity'" in c and "maximum" in c for c in report.codebook_conflicts)
    assert rev.codebook().kind(ids["frame"].uid).name == "frame"
    assert rev.codebook().kind(ids["frame"].uid).colour == "#D55E00"
    assert "codebook conflict(s), mine kept" in report.summary()
    rev.close()


def test_merge_refuses_the_same_name_under_another_uid(tmp_path):
    ana, _ = coded_store(tmp_path / "ana.sqlite")
    ana.close()
    rev = Repository(open_store(tmp_path / "rev.sqlite"), "rev")
    rev.add_kind(new_kind("frame"))
    with pytest.raises(StancemarkError, match="span kind 'frame' has uid .* there and .* here"):
        merge_store(rev, tmp_path / "ana.sqlite")
    assert rev.stats()["annotations"] == 0
    rev.close()


@pytest.mark.parametrize(("tamper", "words"), [
    ("UPDATE codebook_attributes SET type = 'bogus' WHERE name = 'intensity'",
     "unknown type 'bogus'"),
    ("UPDATE codebook_attributes SET minimum = 9 WHERE name = 'intensity'",
     "minimum 9 is above maximum 5"),
    ("UPDATE annotations SET attributes = '{\"nope\": 1}' WHERE kind = 'stance'",
     "attribute 'nope' is not one of kind 'stance'"),
    ("UPDATE article_variables SET \"values\" = '{\"nope\": 1}'", "article variables of"),
    ("UPDATE codebook_kinds SET name = '' WHERE name = 'frame'", "has no name"),
])
def test_hostile_codebook_rows_refused(tmp_path, tamper, words):
    ana, _ = coded_store(tmp_path / "ana.sqlite")
    ana.close()
    conn = sqlite3.connect(tmp_path / "ana.sqlite")
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA ignore_check_constraints = ON")  # a crafted file, not our store
    conn.execute("DROP TRIGGER IF EXISTS codebook_attributes_update_version")
    conn.execute(tamper)
    conn.commit()
    conn.close()
    rev = Repository(open_store(tmp_path / "rev.sqlite"), "rev")
    with pytest.raises((InputError, StancemarkError), match=words) as err:
        merge_store(rev, tmp_path / "ana.sqlite")
    assert str(tmp_path / "ana.sqlite") in str(err.value) and "\n" not in str(err.value)
    assert rev.codebook().custom_kinds() == () and rev.stats()["annotations"] == 0
    rev.close()


def test_sql_and_python_writers_give_the_same_bytes_with_a_codebook(tmp_path):
    repo, _ = coded_store(tmp_path / "a.sqlite")
    by_sql, by_python = tmp_path / "sql.jsonl", tmp_path / "py.jsonl"
    native_jsonl._export(repo, by_sql, None, None, in_sql=True)
    native_jsonl._export(repo, by_python, None, None, in_sql=False)
    assert by_sql.read_bytes() == by_python.read_bytes()
    assert b'"attributes":{' in by_sql.read_bytes() and b'"variables":{' in by_sql.read_bytes()
    repo.close()
def test_a_partial_codebook_is_completed_with_mine(tmp_path):
    """A hub pull lays out only the rows that changed: their file may lack the built-in
    kinds or an attribute whose new value it carries; what it lacks is taken as mine."""
    ana, ids = coded_store(tmp_path / "ana.sqlite")
    ana.close()
    rev = Repository(open_store(tmp_path / "rev.sqlite"), "rev")
    merge_store(rev, tmp_path / "ana.sqlite")
    ana = Repository(open_store(tmp_path / "ana.sqlite"), "ana")
    added = ana.add_value(ids["ft"].uid, _value("identity"))
    ana.close()
    conn = sqlite3.connect(tmp_path / "ana.sqlite")
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("DELETE FROM codebook_kinds WHERE builtin = 1")
    conn.execute("DELETE FROM codebook_attributes WHERE uid = ?", [ids["ft"].uid])
    conn.commit()
    conn.close()
    report = merge_store(rev, tmp_path / "ana.sqlite")
    assert report.codebook_added == 1 and not report.codebook_conflicts
    assert rev.codebook().attribute(ids["ft"].uid).value(added.uid).name == "identity"
    rev.close()


def _value(name):
    from stancemark.core.codebook import Value

    return Value("", name)
