"""The codebook migration: a store of the schema before it (written by that version:
tests/data/before_codebook) upgrades with nothing lost, after a backup."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from stancemark.core.builtin_kinds import BUILTIN_KIND_UIDS
from stancemark.core.codebook_commands import new_attribute, new_kind
from stancemark.core.model import Annotation
from stancemark.formats import native_jsonl
from stancemark.store import Repository, open_store
from stancemark.store.schema import APPLICATION_ID, migration_names

DATA = Path(__file__).parent / "data" / "before_codebook"


@pytest.fixture
def old_store(tmp_path) -> Path:
    path = tmp_path / "old.sqlite"
    shutil.copyfile(DATA / "store.sqlite", path)
    assert _rows(path, "PRAGMA application_id") == [(APPLICATION_ID,)]
    return path


def _rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _records(path: Path) -> list[dict]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec.get("type") == "codebook":  # what the codebook adds to an export
            continue
        rec.pop("attributes", None)
        for a in rec.get("annotations", ()):
            assert a.pop("attributes", {}) == {}
        rec.pop("variables", None)
        out.append(rec)
    return out


def test_migration_keeps_everything_and_backs_up_first(old_store, tmp_path):
    applied = [r[0] for r in _rows(old_store, "SELECT name FROM _sqlite_migrations")]
    assert "m007_codebook" not in applied and applied == migration_names()[:len(applied)]
    tables = ("annotations", "review_decisions", "audit_log", "article_status", "articles",
              "actors", "topics", "annotators")
    before = {t: _rows(old_store, f"SELECT * FROM {t} ORDER BY rowid") for t in tables}  # noqa: S608
    assert any(r[-1] is not None for r in before["annotations"])  # the trash is in the data
    assert len(before["review_decisions"]) == 2 and before["audit_log"]

    repo = Repository(open_store(old_store), "rev")
    out = tmp_path / "after.jsonl"
    native_jsonl.export(repo, out)
    expected, got = _records(DATA / "export.jsonl"), _records(out)
    # What this version adds to that export: the review decisions (the version the data
    # was made with left them out) and the annotator record of their reviewer.
    reviews = [r for r in got if r["type"] == "review_decision"]
    assert {r["uid"] for r in reviews} == {row[1] for row in before["review_decisions"]}
    reviewers = {r["reviewer_uid"] for r in reviews}
    assert [r for r in got if r["type"] != "review_decision"
            and not (r["type"] == "annotator" and r["uid"] in reviewers and r not in expected)
            ] == expected

    # Row for row, the same data; annotations gained an empty attributes column.
    for t in tables:
        after = _rows(old_store, f"SELECT * FROM {t} ORDER BY rowid")  # noqa: S608
        if t == "annotations":
            assert {r[-1] for r in after} == {"{}"}
            after = [r[:-1] for r in after]
        if t == "actors":  # and actors an automatic colour (m009)
            assert {r[-1] for r in after} == {""}
            after = [r[:-1] for r in after]
        if t == "audit_log":
            after = after[:len(before[t])]  # opening adds the user "rev" if new
        assert after == before[t], t
    # Review decisions and trash still work through the repository.
    assert len(repo.trash()) == 1
    assert [k.uid for k in repo.codebook().kinds] == list(BUILTIN_KIND_UIDS)
    # The kind CHECKs are gone: the schema refers to the codebook instead.
    for table in ("annotations", "review_decisions"):
        sql = _rows(old_store, f"SELECT sql FROM sqlite_master WHERE name = '{table}'")[0][0]  # noqa: S608
        assert "'stance'" not in sql.split("REFERENCES codebook_kinds")[0].split("kind TEXT")[1][:5]
        assert "kind TEXT NOT NULL REFERENCES codebook_kinds(uid)" in sql
    # Triggers and indexes came back.
    names = {r[0] for r in _rows(old_store, "SELECT name FROM sqlite_master")}
    assert {"annotations_span_insert", "annotations_span_update", "articles_text_immutable",
            "annotations_article", "annotations_annotator_kind", "review_decisions_article"} <= names
    # A backup of the old file was taken before migrating.
    backups = list(old_store.parent.glob("old.sqlite.before-*.bak"))
    assert len(backups) == 1
    assert (_rows(backups[0], "SELECT count(*) FROM annotations")
            == [(len(before["annotations"]),)])
    repo.close()


def test_migrated_store_takes_custom_kinds_and_keeps_its_rules(old_store):
    repo = Repository(open_store(old_store), "rev")
    art = repo.iter_articles().__next__()
    frame = repo.add_kind(new_kind("frame"))
    relevant = repo.add_attribute(new_attribute("relevant", "boolean", frame.uid))
    a = repo.add_annotation(Annotation("", art.uid, "", frame.uid, 0, 5, art.text[:5],
                                       attributes={relevant.uid: True}))
    assert repo.get_annotation(a.uid).attributes == {relevant.uid: True}
    # The store itself refuses a kind the codebook lacks, whatever the code above does.
    with pytest.raises(sqlite3.IntegrityError):
        repo.conn.execute(
            "INSERT INTO annotations (uid, article_id, annotator_id, kind, start, \"end\", "
            "quote, created_at, updated_at) SELECT 'x', id, 1, 'nonsense', 0, 5, substr(text, 1, 5),"
            " '', '' FROM articles LIMIT 1")
    # The span trigger survived the rebuild.
    with pytest.raises(sqlite3.IntegrityError, match="quote does not match"):
        repo.conn.execute(
            "INSERT INTO annotations (uid, article_id, annotator_id, kind, start, \"end\", "
            "quote, created_at, updated_at) SELECT 'y', id, 1, ?, 0, 5, 'zzzzz', '', '' "
            "FROM articles LIMIT 1", [frame.uid])
    repo.close()
