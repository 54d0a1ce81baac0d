"""An actor's chosen colour in the store: checked and normalised, audited, undone as one
step, added to older stores by a migration, carried by merge (theirs when edited later;
an older store's actors keep mine) and by the native JSONL, and set from the CLI."""

from __future__ import annotations

import json
import sqlite3

import pytest

from review_data import CHINA, build_store
from stancemark.cli import main
from stancemark.core.errors import InputError, IntegrityError
from stancemark.core.palette import check_colour
from stancemark.core.register_commands import SetActorColour
from stancemark.store import Repository, open_store
from stancemark.store.merge import merge_store


def test_colours_are_checked_and_normalised():
    assert check_colour("#0072b2") == "#0072B2"
    assert check_colour("auto") == check_colour("") == check_colour(None) == ""
    for bad in ("blue", "#12345", "#GG0000", 7):
        with pytest.raises(ValueError, match="colour"):
            check_colour(bad)


def test_set_colour_is_one_audited_undoable_step(seeded):
    china = next(a for a in seeded.list_actors() if a.name == "China")
    assert china.colour == ""
    cmd = SetActorColour(china, "#cc79a7")
    cmd.apply(seeded)
    assert seeded.get_actor(china.uid).colour == "#CC79A7"
    assert cmd.label == "Colour of China"
    cmd.revert(seeded)
    assert seeded.get_actor(china.uid).colour == ""
    last = [h for h in seeded.history(china.uid) if h.action == "update"][-1]
    assert (last.before["colour"], last.after["colour"]) == ("#CC79A7", "")
    with pytest.raises(IntegrityError, match="not #RRGGBB"):
        seeded.update_actor(china.uid, colour="red")
    assert seeded.get_actor(china.uid).colour == ""
    added = seeded.add_actor("Kuomintang", "organisation", colour="#009e73")
    assert added.colour == "#009E73"


def test_an_older_store_gets_the_column_with_automatic_colours(store_path):
    from sqlite_utils import Database

    from stancemark.store.db import _connect
    from stancemark.store.schema import APPLICATION_ID, migration_names, migrations

    conn = _connect(store_path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    old = Database(conn)
    migrations.apply(old, stop_before="m009_actor_colours")
    conn.execute("INSERT INTO actors (uid, name, kind, created_at, updated_at) "
                 "VALUES ('a1', 'Taiwan', 'state', '2024', '2024')")
    conn.commit()
    old.close()
    assert "m009_actor_colours" in migration_names()
    repo = Repository(open_store(store_path), "ana")
    assert repo.get_actor("a1").colour == ""
    repo.close()


def test_merge_carries_a_later_colour_and_refuses_a_bad_one(tmp_path):
    ana = build_store(tmp_path / "ana.sqlite", "ana")
    ben = build_store(tmp_path / "ben.sqlite", "ben")
    rev = Repository(open_store(tmp_path / "rev.sqlite"), "rev")
    merge_store(rev, tmp_path / "ana.sqlite")
    ana.update_actor(CHINA, colour="#D55E00")  # Ana picks China's colour later
    report = merge_store(rev, tmp_path / "ana.sqlite")
    assert report.registers_updated == 1
    assert rev.get_actor(CHINA).colour == "#D55E00"
    merged = [h for h in rev.history(CHINA) if h.action == "merge-update"][-1]
    assert (merged.before["colour"], merged.after["colour"]) == ("", "#D55E00")
    # a new actor comes with its colour
    kmt = ben.add_actor("Kuomintang", "organisation", colour="#009E73")
    merge_store(rev, tmp_path / "ben.sqlite")
    assert rev.get_actor(kmt.uid).colour == "#009E73"
    # a forged colour is refused, naming the row; nothing changes
    ben.conn.execute("UPDATE actors SET colour = 'red;' WHERE uid = ?", [kmt.uid])
    ben.conn.commit()
    before = rev.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with pytest.raises(InputError, match=r"colour 'red;' is not #RRGGBB"):
        merge_store(rev, tmp_path / "ben.sqlite")
    assert rev.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before
    for r in (ana, ben, rev):
        r.close()


def test_an_older_colleague_store_leaves_my_colours_alone(tmp_path):
    ben = build_store(tmp_path / "ben.sqlite", "ben")
    ben.update_actor(CHINA, description="later edit")
    ben.close()
    raw = sqlite3.connect(tmp_path / "ben.sqlite")  # as a store from before m009
    raw.execute("ALTER TABLE actors DROP COLUMN colour")
    raw.commit()
    raw.close()
    rev = Repository(open_store(tmp_path / "rev.sqlite"), "rev")
    from stancemark.formats.seed import seed

    seed(rev)
    rev.update_actor(CHINA, colour="#0072B2")
    rev.conn.execute("UPDATE actors SET updated_at = '2000-01-01' WHERE uid = ?", [CHINA])
    rev.conn.commit()
    merge_store(rev, tmp_path / "ben.sqlite")
    china = rev.get_actor(CHINA)
    assert china.description == "later edit" and china.colour == "#0072B2"
    rev.close()


def test_native_jsonl_round_trips_the_colour(tmp_path, seeded):
    from stancemark.formats.native_jsonl import export as export_jsonl
    from stancemark.formats.native_jsonl import import_paths

    seeded.update_actor(CHINA, colour="#F0E442")
    out = tmp_path / "all.jsonl"
    export_jsonl(seeded, out)
    fresh = Repository(open_store(tmp_path / "fresh.sqlite"), "ana")
    import_paths(fresh, [out])
    assert fresh.get_actor(CHINA).colour == "#F0E442"
    lines = out.read_text(encoding="utf-8").splitlines()
    bad = [json.dumps({**json.loads(x), "colour": "yellow"})
           if json.loads(x).get("uid") == CHINA else x for x in lines]
    (tmp_path / "bad.jsonl").write_text("\n".join(bad) + "\n", encoding="utf-8")
    other = Repository(open_store(tmp_path / "other.sqlite"), "ana")
    with pytest.raises(InputError, match="colour"):
        import_paths(other, [tmp_path / "bad.jsonl"])
    assert other.list_actors() == []
    for r in (fresh, other):
        r.close()


def test_cli_sets_and_clears_a_colour(seeded, store_path, capsys):
    seeded.close()
    args = ["--store", str(store_path), "--annotator", "ana"]
    assert main([*args, "actor", "set", "china", "--colour", "#56b4e9"]) == 0
    assert "colour #56B4E9 (was auto)" in capsys.readouterr().out
    assert main([*args, "actors", "--json"]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert next(r for r in rows if r["name"] == "China")["colour"] == "#56B4E9"
    assert main([*args, "actor", "set", "China", "--colour", "auto"]) == 0
    assert "colour auto (was #56B4E9)" in capsys.readouterr().out
    assert main([*args, "actor", "set", "China", "--colour", "sky"]) == 1
    assert "not #RRGGBB" in capsys.readouterr().err
    assert main([*args, "actor", "set", "Nobody", "--colour", "#000000"]) == 1
    assert "no actor called" in capsys.readouterr().err
    repo = Repository(open_store(store_path), "ana")
    assert repo.get_actor(CHINA).colour == ""
    repo.close()
