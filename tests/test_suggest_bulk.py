"""`suggest --apply` in bulk: the fast paths (articles read by row id and three columns,
suggestion uids spelled out, the bulk load's meta text, its foreign keys checked by its
own lookups) store exactly the rows the ordinary paths store."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import uuid

import pytest

from stancemark.cli import main
from stancemark.core.errors import IntegrityError
from stancemark.core.model import Annotation
from stancemark.store import Repository, open_store
from stancemark.store.bulk import _meta_json, bulk_load
from stancemark.store.suggest_apply import (
    SUGGESTION_NAMESPACE,
    articles_in_scope,
    suggestion_uid,
)


def _open(path) -> Repository:
    return Repository(open_store(path), "ana")


def test_suggestion_uid_is_uuid5():
    rng = random.Random(3)
    alphabet = "abc|0123456789-é中’\"\\\n\t\U0001f600"
    for _ in range(3000):
        key = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        art, ann = str(uuid.UUID(int=rng.getrandbits(128))), str(uuid.uuid4())
        assert suggestion_uid(art, ann, key) == str(
            uuid.uuid5(SUGGESTION_NAMESPACE, f"{art}|{ann}|{key}"))


def test_meta_text_is_json_dumps():
    rng = random.Random(5)
    pieces = ["a", "é", "中", '"', "\\", "\n", "\x00", "\x1f", "\u2028", "\ud800", "\U0001f600",
              "suggested", " "]

    def text() -> str:
        return "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))

    metas: list = [None, {}, {"suggested": ""}, {"n": 1}, {"x": None}, {"a": "1", "b": "2"},
                   {"b": "2", "a": "1"}, {"l": ["x"]}, {1: "int key"}, {"t": True}]
    metas += [{text(): text()} for _ in range(2000)]
    for meta in metas:
        assert _meta_json(meta) == json.dumps(meta or {}, ensure_ascii=False, sort_keys=True)


def _rows(path) -> list[tuple]:
    """Every stored annotation, references as uids, without row ids and edit times."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("""
            SELECT an.uid, ar.uid, n.name, an.kind, an.start, an."end", an.quote, ac.uid,
                   an.date_value, an.date_granularity, an.holder_id, an.target_topic_id,
                   an.target_actor_id, an.polarity, an.stance_date, an.note, an.meta,
                   an.deleted_at, an.attributes, an.created_at = an.updated_at
            FROM annotations an JOIN articles ar ON ar.id = an.article_id
            JOIN annotators n ON n.id = an.annotator_id
            LEFT JOIN actors ac ON ac.id = an.actor_id ORDER BY an.uid""").fetchall()
    finally:
        conn.close()


def test_apply_stores_the_rows_the_ordinary_path_stores(tmp_path, capsys):
    from stancemark.cli.suggest import build_matcher
    from stancemark.core.suggest import suggest

    fast, slow = str(tmp_path / "fast.sqlite"), str(tmp_path / "slow.sqlite")
    assert main(["--store", fast, "seed"]) == 0
    repo = _open(fast)
    repo.ensure_annotator("suggestions")  # the same annotator uid in both stores
    repo.close()
    shutil.copy(fast, slow)
    assert main(["--store", fast, "--annotator", "ana", "suggest", "--apply"]) == 0
    assert "stored 194 suggestion(s)" in capsys.readouterr().out
    # the reference: whole articles, uuid5, one Repository.add_annotation per row (its
    # triggers and SQLite's foreign-key checks on)
    repo = _open(slow)
    try:
        annotator = repo.ensure_annotator("suggestions").uid
        matcher = build_matcher(repo)
        for art in repo.iter_articles():
            for s in suggest(art.text, matcher, art.published or None):
                if s.kind == "date" and s.date_value is None:
                    continue
                fields = ({"actor_uid": s.actor_uid} if s.kind == "actor" else
                          {"date_value": s.date_value, "date_granularity": s.date_granularity})
                uid = str(uuid.uuid5(SUGGESTION_NAMESPACE, f"{art.uid}|{annotator}|{s.key}"))
                repo.add_annotation(Annotation(
                    uid, art.uid, annotator, s.kind, s.start, s.end, s.quote,
                    meta={"suggested": s.alias or s.quote}, created_at="t", updated_at="t",
                    **fields))
        assert repo.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        repo.close()
    rows = _rows(fast)
    assert len(rows) == 194 and rows == _rows(slow)


def test_articles_in_scope_reads_what_the_articles_hold(tmp_path):
    path = str(tmp_path / "s.sqlite")
    assert main(["--store", path, "seed"]) == 0
    repo = _open(path)
    try:
        arts = list(repo.iter_articles())
        repo.delete_article(arts[1].uid)
        repo.set_status(arts[2].uid, "done")
        for query, status, expected in ((None, None, [arts[0], arts[2]]),
                                        (None, "done", [arts[2]]),
                                        (None, "new", [arts[0]]),
                                        ("Pompeo", None, [a for a in (arts[0], arts[2])
                                                          if "Pompeo" in a.text])):
            for batch in (1, 2_000):
                got = list(articles_in_scope(repo, query, status, batch=batch))
                assert [(a.uid, a.text, a.published) for a in got] == [
                    (a.uid, a.text, a.published) for a in expected]
    finally:
        repo.close()


def _loaded(tmp_path):
    from stancemark.bench.corpus import Corpus

    repo = _open(str(tmp_path / "b.sqlite"))
    corpus = Corpus()
    art = corpus.article(1)
    for a in corpus.register.raw["actors"]:
        repo.add_actor(a["name"], a["kind"], uid=a["uid"])
    for t in corpus.register.raw["topics"]:
        repo.add_topic(t["name"], uid=t["uid"])
    return repo, art, corpus.base_annotations(1, art, 20, repo.annotator.uid)


@pytest.mark.parametrize("change", [{"actor_uid": "no-such-actor"}, {"kind": "no-such-kind"},
                                    {"annotator_uid": "no-such-annotator"},
                                    {"article_uid": "no-such-article"}])
def test_bulk_load_refuses_a_bad_reference_and_restores_the_checks(tmp_path, change):
    repo, art, good = _loaded(tmp_path)
    try:
        bad = good[-1].with_changes(uid="bad", **change)
        with pytest.raises(IntegrityError, match="bad|no-such"):
            bulk_load(repo, [art], [*good, bad])
        assert repo.stats()["annotations"] == 0 and repo.stats()["articles"] == 0
        assert repo.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        cache = repo.conn.execute("PRAGMA cache_size").fetchone()[0]
        assert bulk_load(repo, [art], good, batch_size=5).annotations == len(good)  # "large"
        assert repo.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert repo.conn.execute("PRAGMA cache_size").fetchone()[0] == cache
        assert not repo.conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        repo.close()


def test_bulk_load_inside_a_transaction_keeps_it(tmp_path):
    repo, art, good = _loaded(tmp_path)
    try:
        with repo.tx():
            bulk_load(repo, [art], good)
            assert repo.conn.in_transaction
            assert repo.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert repo.stats()["annotations"] == len(good)
    finally:
        repo.close()
