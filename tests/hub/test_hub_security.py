"""Who may write what is enforced by PostgreSQL (grants, row-level security), not by
the client; the hub's schema version, foreign databases and passwords."""

from __future__ import annotations

import importlib
import json

import psycopg
import pytest

from review_data import ART1, CHINA, tag
from stancemark.store import Repository, open_store
from stancemark.store.hub import HubError, init_hub, sync

# The module (the package's `sync` attribute is the function of that name).
sync_module = importlib.import_module("stancemark.store.hub.sync")


def _store(tmp_path, name):
    from stancemark.formats.seed import seed

    repo = Repository(open_store(tmp_path / f"{name}.sqlite"), name)
    seed(repo)
    return repo


def _rows(url, entity):
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT key, owner, data FROM stancemark_hub.rows "
                            "WHERE entity = %s ORDER BY seq", [entity]).fetchall()


def test_the_server_refuses_another_analysts_rows(tmp_path, hub):
    ana, ben = _store(tmp_path, "ana"), _store(tmp_path, "ben")
    ana_url, ben_url = hub.member("ana"), hub.member("ben")
    b1 = tag(ben, ART1, "Taipei", actor_uid=CHINA)
    sync(ben, ben_url)
    sync(ana, ana_url)
    key, owner, data = _rows(hub.admin_url, "annotation")[0]
    assert (key, owner) == (b1.uid, "ben")
    with psycopg.connect(ana_url) as conn:
        # Ana changes Ben's annotation: row-level security leaves his row out of her reach.
        cur = conn.execute("UPDATE stancemark_hub.rows SET data = data || '{\"note\": \"x\"}'"
                           ", edited = 'z' WHERE entity = 'annotation' AND key = %s", [key])
        assert cur.rowcount == 0
        conn.rollback()
        # Ana writes a new annotation in Ben's name: refused by the server.
        forged = dict(data, uid="forged-uid")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("INSERT INTO stancemark_hub.rows (entity, key, owner, data, seq, "
                         "pushed_by, pushed_at) VALUES ('annotation', 'forged-uid', 'ben', %s, "
                         "0, current_user, now())", [json.dumps(forged)])
        conn.rollback()
        # ... or in her own name on Ben's annotator row: refused too.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO stancemark_hub.rows (entity, key, owner, data, seq, "
                         "pushed_by, pushed_at) VALUES ('annotation', 'forged-uid', 'ana', %s, "
                         "0, current_user, now())", [json.dumps(forged)])
        conn.rollback()
        # Nobody but the owner deletes; analysts do not write the gold layer.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM stancemark_hub.rows")
        conn.rollback()
        gold = {"uid": "g1", "name": "gold", "colour": "#000000", "is_gold": 1}
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO stancemark_hub.rows (entity, key, owner, data, seq, "
                         "pushed_by, pushed_at) VALUES ('annotator', 'g1', 'gold', %s, 0, "
                         "current_user, now())", [json.dumps(gold)])
    assert _rows(hub.admin_url, "annotation")[0][2] == data


def test_a_modified_client_pushing_others_rows_is_refused_whole(tmp_path, hub, monkeypatch):
    ana, ben = _store(tmp_path, "ana"), _store(tmp_path, "ben")
    ana_url, ben_url = hub.member("ana"), hub.member("ben")
    sync(ben, ben_url)
    tag(ben, ART1, "Taipei", actor_uid=CHINA)
    ben.close()
    from stancemark.store.merge import merge_store

    merge_store(ana, tmp_path / "ben.sqlite")  # Ben's tag now sits in Ana's store too
    tag(ana, ART1, "Beijing", actor_uid=CHINA)
    # A client that skips the "only my rows" filter: pushes every changed row as its own.
    before = len(_rows(hub.admin_url, "annotation"))
    with monkeypatch.context() as m:
        m.setattr(sync_module, "_decider",
                  lambda member, rules, report: lambda entity, owner: owner or "ana")
        with pytest.raises(HubError, match="refused a write.*row-level security"):
            sync(ana, ana_url)
    assert len(_rows(hub.admin_url, "annotation")) == before  # nothing of that push landed
    report = sync(ana, ana_url)  # the real client pushes Ana's own tag only
    assert report.pushed["annotation"] == 1 and report.not_mine >= 1


def test_a_newer_hub_schema_is_refused(tmp_path, hub):
    ana = _store(tmp_path, "ana")
    url = hub.member("ana")
    with psycopg.connect(hub.admin_url) as conn:
        conn.execute("INSERT INTO stancemark_hub.migrations (name) VALUES ('h999_future')")
    with pytest.raises(HubError, match="newer Stancemark.*h999_future"):
        sync(ana, url)
    with pytest.raises(HubError, match="newer Stancemark.*nothing was changed"):
        init_hub(hub.admin_url)
    assert ana.conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'hub_state'"
                            ).fetchone()[0] == 0  # the store was not touched


def test_a_foreign_database_is_refused(empty_db):
    with psycopg.connect(empty_db) as conn:
        conn.execute("CREATE TABLE invoices (id int)")
    with pytest.raises(HubError, match="another application's tables.*public.invoices"):
        init_hub(empty_db)
    with psycopg.connect(empty_db) as conn:
        conn.execute("DROP TABLE invoices")
        conn.execute("CREATE SCHEMA stancemark_hub")
        conn.execute("CREATE TABLE stancemark_hub.migrations (name text)")
    with pytest.raises(HubError, match="not a Stancemark hub's"):
        init_hub(empty_db)


def test_init_twice_is_a_no_op_and_a_plain_database_is_no_hub(tmp_path, hub):
    assert "already up to date" in init_hub(hub.admin_url)
    ana = _store(tmp_path, "ana")
    with pytest.raises(HubError, match="not a Stancemark hub"):
        sync(ana, hub.server.url)  # the server's own database


def test_a_login_that_is_no_member_and_an_unreachable_hub(tmp_path, hub):
    ana = _store(tmp_path, "ana")
    with pytest.raises(HubError, match="not a member"):
        sync(ana, hub.admin_url)  # the owner is no analyst
    with pytest.raises(HubError, match="cannot connect"):
        sync(ana, f"postgresql://ana@/hub?host={tmp_path}/nowhere")


def test_passwords_are_kept_only_in_the_password_file(tmp_path, hub, pg_passfile):
    from stancemark.store.hub import add_member, safe_url

    new = add_member(hub.admin_url, f"carla_{hub.suffix}", reviewer=False, annotator="carla")
    assert new.password and new.password not in new.url
    assert "stancemark hub password" in new.handout()
    with_password = new.url.replace(f"carla_{hub.suffix}@",
                                    f"carla_{hub.suffix}:{new.password}@")
    assert safe_url(with_password) == new.url
    carla = _store(tmp_path, "carla")
    sync(carla, with_password)  # works once with the password in the URL ...
    kept = carla.conn.execute("SELECT url FROM hub_state").fetchone()[0]
    assert new.password not in kept  # ... which is not kept
    with pytest.raises(HubError, match="cannot connect"):
        sync(carla, new.url)  # and no password file line yet
    from stancemark.store.hub import save_password

    path = save_password(new.url, new.password)
    assert path.stat().st_mode & 0o077 == 0
    sync(carla, new.url)
    # The server never saw the password itself: the role holds a SCRAM verifier.
    with psycopg.connect(hub.server.url) as conn:
        stored = conn.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s",
                              [f"carla_{hub.suffix}"]).fetchone()[0]
    assert stored.startswith("SCRAM-SHA-256$") and new.password not in stored


def test_an_older_hub_is_upgraded_by_init_not_by_a_sync(tmp_path, hub):
    ana = _store(tmp_path, "ana")
    url = hub.member("ana")
    with psycopg.connect(hub.admin_url) as conn:  # as if made before the codebook step
        conn.execute("DELETE FROM stancemark_hub.entities WHERE entity LIKE 'codebook%' "
                     "OR entity = 'article_variable'")
        conn.execute("DELETE FROM stancemark_hub.migrations WHERE name IN "
                     "('h002_codebook_entities', 'h003_rules_as_sql')")
    with pytest.raises(HubError, match="older than this Stancemark.*hub init"):
        sync(ana, url)
    assert "2 step(s) applied" in init_hub(hub.admin_url)
    sync(ana, url)


def test_the_hubs_queries_use_indexes_not_scans(hub):
    """A sync reads what is new by sequence number and referenced rows by key: on a hub of
    many rows both are index lookups, so an idle sync costs the same at any size."""
    with psycopg.connect(hub.admin_url) as conn:
        conn.execute("""INSERT INTO stancemark_hub.rows (entity, key, owner, data, seq,
                            pushed_by, pushed_at)
                        SELECT 'annotation', 'k' || i, 'x', '{}'::jsonb, 0, current_user, now()
                        FROM generate_series(1, 50000) AS i""")
        conn.commit()
        conn.execute("ANALYZE stancemark_hub.rows")
        top = conn.execute("SELECT max(seq) FROM stancemark_hub.rows").fetchone()[0]

        def plan(sql, params):
            return json.dumps(conn.execute("EXPLAIN (FORMAT JSON) " + sql, params).fetchone()[0])

        new = plan("SELECT seq, entity, key, owner, data FROM stancemark_hub.rows "
                   "WHERE seq > %s AND seq <= %s AND origin <> %s ORDER BY seq",
                   [top - 10, top, "me"])
        assert "rows_seq" in new and "Seq Scan" not in new
        assert "Seq Scan" not in plan("SELECT coalesce(max(seq), 0) FROM stancemark_hub.rows", [])
        by_key = plan("SELECT seq, entity, key, owner, data FROM stancemark_hub.rows "
                      "WHERE entity = %s AND key = ANY(%s)", ["annotation", ["k1", "k2"]])
        assert "rows_pkey" in by_key and "Seq Scan" not in by_key
