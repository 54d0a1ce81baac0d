"""The pull's scratch store on its own (no server needed): one row per hub key, and the
rows named but not pulled found from the names gathered while loading."""

from __future__ import annotations

import json

from stancemark.store import Repository, open_store
from stancemark.store.hub.scratch import Scratch


def _scratch(tmp_path):
    repo = Repository(open_store(tmp_path / "mine.sqlite"), "ana")
    repo.conn.execute("ATTACH DATABASE ? AS theirs", [str(tmp_path / "hub.sqlite")])
    scratch = Scratch(repo, "hub-uid")
    scratch.create()
    return repo, scratch


def _row(scratch, entity, seq, key, **values):
    lay = scratch.by_entity[entity]
    return (seq, key, "ana", *(json.dumps(values[c]) if c in values else None
                               for c in lay.columns))


def test_the_same_hub_row_twice_keeps_the_first(tmp_path):
    repo, scratch = _scratch(tmp_path)
    rows = [_row(scratch, "topic", 9, "t1", uid="t1", name="newer"),
            _row(scratch, "topic", 3, "t2", uid="t2", name="other"),
            _row(scratch, "topic", 2, "t1", uid="t1", name="older")]
    assert scratch.load("topic", rows) == 2
    assert scratch.load("topic", [_row(scratch, "topic", 1, "t2", uid="t2", name="x")]) == 0
    got = repo.conn.execute("SELECT key, seq, json_extract(name, '$') FROM theirs.in_topics "
                            "ORDER BY rid").fetchall()
    assert got == [("t1", 9, "newer"), ("t2", 3, "other")]
    # Each kept row is found by its scratch row id and by its key (a refusal's name).
    assert repo.conn.execute("SELECT seq, entity, key FROM theirs.hub_rows WHERE key = 't2'"
                             ).fetchall() == [(3, "topic", "t2")]


def test_rows_named_but_not_pulled_are_found_and_only_those(tmp_path):
    repo, scratch = _scratch(tmp_path)
    scratch.load("actor", [_row(scratch, "actor", 1, "a1", uid="a1", name="A")])
    assert scratch._missing() == {}  # names nothing
    scratch.load("annotation", [
        _row(scratch, "annotation", 5, "n1", uid="n1", actor_id="a1", article_id="sha-x"),
        _row(scratch, "annotation", 7, "n2", uid="n2", actor_id="a9", article_id="sha-x"),
        _row(scratch, "annotation", 6, "n3", uid="n3", actor_id=None, holder_id=12,
             article_id="sha-y")])
    missing = scratch._missing()
    # The first row (lowest sequence number) naming each: an actor and two articles
    # lacking; the one actor pulled, a JSON null and a number (refused later) not.
    assert missing == {"actors": {"a9": (7, "annotation", "n2")},
                       "articles": {"sha-x": (5, "annotation", "n1"),
                                    "sha-y": (6, "annotation", "n3")}}
    # Once the named rows have come, nothing is lacking.
    scratch.load("actor", [_row(scratch, "actor", 8, "a9", uid="a9", name="B")])
    scratch.load("article", [_row(scratch, "article", 9, "sha-x", sha256="sha-x"),
                             _row(scratch, "article", 10, "sha-y", sha256="sha-y")])
    assert scratch._missing() == {}
    repo.close()


def test_a_key_twice_in_a_tables_first_rows_keeps_the_first(tmp_path):
    # A table's first rows go in before its key index exists; the index is then built
    # from them, and a key that came twice (a damaged hub) keeps its first row only.
    repo, scratch = _scratch(tmp_path)
    rows = [_row(scratch, "actor", 5, "a1", uid="a1", name="first"),
            _row(scratch, "actor", 6, "a2", uid="a2", name="other"),
            _row(scratch, "actor", 7, "a1", uid="a1", name="second"),
            _row(scratch, "actor", 8, "a1", uid="a1", name="third")]
    assert scratch.load("actor", rows) == 2
    conn = repo.conn
    assert conn.execute("SELECT key, seq FROM theirs.in_actors ORDER BY rid").fetchall() == [
        ("a1", 5), ("a2", 6)]
    assert conn.execute("SELECT count(*) FROM theirs.sqlite_master WHERE type = 'index' "
                        "AND tbl_name = 'in_actors'").fetchone() == (1,)
    # Later rows meet the index: a key already here is left out, a new one comes.
    assert scratch.load("actor", [_row(scratch, "actor", 9, "a2", uid="a2", name="x"),
                                  _row(scratch, "actor", 10, "a3", uid="a3", name="y")]) == 1
    assert conn.execute("SELECT key, seq FROM theirs.in_actors ORDER BY rid").fetchall() == [
        ("a1", 5), ("a2", 6), ("a3", 10)]
    repo.close()


def test_names_this_store_has_are_not_looked_for_row_by_row(tmp_path):
    # A fresh store's first push makes its own built-in codebook kinds the hub's newest
    # version, so its pull does not bring them: the annotations name kinds this store
    # has. They are copied from here, with no scan of every row for the ones naming them;
    # a name neither has is still found with the first row naming it.
    repo, scratch = _scratch(tmp_path)
    scratch.load("annotation", [
        _row(scratch, "annotation", 5, "n1", uid="n1", kind="actor"),
        _row(scratch, "annotation", 6, "n2", uid="n2", kind="date")])
    statements = []
    repo.conn.set_trace_callback(statements.append)
    assert scratch._missing() == {"codebook_kinds": {"actor": (None, "annotation", ""),
                                                     "date": (None, "annotation", "")}}
    assert not [s for s in statements if "GROUP BY v" in s]
    scratch.fill_context(lambda *args: [])
    assert {r[0] for r in repo.conn.execute("SELECT uid FROM theirs.codebook_kinds")} == {
        "actor", "date"}
    scratch.load("annotation", [_row(scratch, "annotation", 7, "n3", uid="n3", kind="bogus")])
    assert scratch._missing()["codebook_kinds"]["bogus"] == (7, "annotation", "n3")
    repo.conn.set_trace_callback(None)
    repo.close()
