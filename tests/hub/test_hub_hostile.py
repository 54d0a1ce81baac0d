"""Hostile or broken hub rows are input like a colleague's store: refused in one line
naming the hub row, with this store unchanged (and its cursor where it was)."""

from __future__ import annotations

import hashlib
import json

import psycopg
import pytest

from review_data import ART1, CHINA, tag
from stancemark.core.errors import InputError
from stancemark.store import Repository, open_store
from stancemark.store.hub import sync


def _store(tmp_path, name):
    from stancemark.formats.seed import seed

    repo = Repository(open_store(tmp_path / f"{name}.sqlite"), name)
    seed(repo)
    return repo


def _snapshot(repo):
    conn = repo.conn
    return {t: conn.execute(f"SELECT count(*), total(rowid) FROM {t}").fetchone()  # noqa: S608
            for t in ("articles", "annotations", "actors", "topics", "annotators",
                      "article_status", "audit_log", "hub_state")} | {
        "cursor": conn.execute("SELECT pulled_seq FROM hub_state").fetchone()}


def _tamper(url, entity, change):
    """As the hub's owner (a damaged or hostile hub), rewrite one row's data."""
    with psycopg.connect(url) as conn:
        key, data = conn.execute("SELECT key, data FROM stancemark_hub.rows WHERE entity = %s "
                                 "ORDER BY seq DESC LIMIT 1", [entity]).fetchone()
        change(data)
        conn.execute("UPDATE stancemark_hub.rows SET data = %s WHERE entity = %s AND key = %s",
                     [json.dumps(data), entity, key])
        return conn.execute("SELECT seq FROM stancemark_hub.rows WHERE entity = %s AND key = %s",
                            [entity, key]).fetchone()[0]


def _set(**values):
    return lambda data: data.update(values)


def _bad_text(data):
    data["text"] = data["text"] + " (changed)"  # no longer its sha256


def _cr_text(data):
    # (jsonb holds no NUL character, so a hub cannot send one)
    data["text"] = "a\rb"
    data["sha256"] = hashlib.sha256(b"a\rb").hexdigest()


CASES = [
    ("annotation", _set(start="abc"), "start 'abc' is not a whole number"),
    ("annotation", _set(article_id="no-such-article"), "names article"),
    # kind references the codebook: refused as a reference to a kind the hub lacks
    ("annotation", _set(kind="bogus"), "codebook_kind 'bogus', which is not on the hub"),
    ("annotation", _set(quote="Peking"), "do not match the article text"),
    ("annotation", _set(end=10**9), "do not match the article text"),
    ("annotation", _set(meta="not json"), "meta is not valid JSON"),
    ("annotation", _set(actor_id="no-such-actor"), "names actor"),
    ("annotator", _set(is_gold=7), "is_gold 7 is not 0 or 1"),
    ("article", _bad_text, "sha256 is not the hash of its text"),
    ("article", _cr_text, "CR characters"),
    ("actor", _set(kind="alien"), "kind 'alien' is not one of"),
    ("actor", _set(colour="javascript:red"), "colour 'javascript:red' is not #RRGGBB"),
    ("status", _set(status="maybe"), "status 'maybe' is not one of"),
]


@pytest.mark.parametrize(("entity", "change", "problem"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_a_bad_hub_row_is_refused_naming_it(tmp_path, hub, entity, change, problem):
    ana, ben = _store(tmp_path, "ana"), _store(tmp_path, "ben")
    ana_url, ben_url = hub.member("ana"), hub.member("ben")
    tag(ana, ART1, "Beijing", actor_uid=CHINA)
    ana.set_status(ART1, "done")
    ana.add_actor("Tsai Ing-wen", "person")
    if entity == "article":
        ana.add_article("A text only Ana has.", "Ana's own")
    sync(ben, ben_url)  # Ben has synced before: his cursor is set
    sync(ana, ana_url)
    seq = _tamper(hub.admin_url, entity, change)
    before = _snapshot(ben)
    with pytest.raises(InputError) as info:
        sync(ben, ben_url)
    message = str(info.value)
    assert "\n" not in message
    assert f"hub row {seq} ({entity} " in message or f"hub row {seq}" in message
    assert problem in message and "this store is unchanged" in message
    assert _snapshot(ben) == before
    assert ben.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_row_naming_a_missing_hub_row(tmp_path, hub):
    ana, ben = _store(tmp_path, "ana"), _store(tmp_path, "ben")
    ana_url, ben_url = hub.member("ana"), hub.member("ben")
    a = ana.add_article("Only on Ana's side.", "x")[0]
    from stancemark.core.model import Annotation

    ana.add_annotation(Annotation("", a.uid, ana.annotator.uid, "date", 0, 4, "Only",
                                  date_value="2020", date_granularity="year"))
    sync(ana, ana_url)
    with psycopg.connect(hub.admin_url) as conn:
        conn.execute("DELETE FROM stancemark_hub.rows WHERE entity = 'article' AND key = %s",
                     [a.sha256])
    with pytest.raises(InputError, match=r"hub row \d+ \(annotation .*names article .* not on "
                                         "the hub"):
        sync(ben, ben_url)
    assert ben.stats()["annotations"] == 0


@pytest.mark.parametrize("data", [[1, 2], "text", None], ids=["array", "string", "null"])
def test_a_hub_row_whose_data_is_not_an_object(tmp_path, hub, data):
    # A hub whose owner dropped its checks: every column of such a row is missing (each
    # takes its default), as when the columns were read from the row's data one by one;
    # refused, naming the row.
    ana, ben = _store(tmp_path, "ana"), _store(tmp_path, "ben")
    ana_url, ben_url = hub.member("ana"), hub.member("ben")
    tag(ana, ART1, "Beijing", actor_uid=CHINA)
    sync(ben, ben_url)
    sync(ana, ana_url)
    with psycopg.connect(hub.admin_url) as conn:
        conn.execute("ALTER TABLE stancemark_hub.rows DROP CONSTRAINT rows_data_check")
        seq = conn.execute("UPDATE stancemark_hub.rows SET data = %s::jsonb "
                           "WHERE entity = 'annotation' RETURNING seq",
                           [json.dumps(data)]).fetchone()[0]
    before = _snapshot(ben)
    with pytest.raises(InputError) as info:
        sync(ben, ben_url)
    message = str(info.value)
    assert "\n" not in message
    assert f"hub row {seq} (annotation " in message and "this store is unchanged" in message
    assert _snapshot(ben) == before
