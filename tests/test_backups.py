"""Rolling backups: made on open after a change, before imports and restores, pruned
to `backups_kept`, private to the user, restorable into the live store."""

from __future__ import annotations

import sqlite3
import stat
import threading

import pytest

from helpers import find
from stancemark.cli import main
from stancemark.core import settings
from stancemark.core.errors import StoreError
from stancemark.core.model import Annotation
from stancemark.store import Repository, backups, open_store


def _tag(repo, nth: int = 0) -> Annotation:
    art = next(repo.iter_articles())
    start, end = 0, find(art.text, " ", nth)[1]
    return repo.add_annotation(Annotation("", art.uid, "", "stance", start, end,
                                          art.text[start:end], polarity="support"))


def test_backup_on_open_only_after_a_change(seeded, store_path):
    assert backups.backup_on_open(seeded.db) is None
    assert len(backups.list_backups(store_path)) == 1
    backups.backup_on_open(seeded.db)
    assert len(backups.list_backups(store_path)) == 1  # unchanged: no new copy
    _tag(seeded)
    backups.backup_on_open(seeded.db)
    found = backups.list_backups(store_path)
    assert len(found) == 2 and found[0].reason == "open"
    assert found[0].marker == backups.change_marker(seeded.conn)


def test_empty_store_is_not_backed_up(tmp_path):
    db = open_store(tmp_path / "new.sqlite")
    assert not backups.needs_backup(db)
    db.close()


def test_backups_are_private_and_complete(seeded, store_path):
    info = backups.make_backup(seeded.db, "manual")
    folder = backups.backup_dir(store_path)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(info.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store_path.stat().st_mode) == 0o600
    conn = sqlite3.connect(info.path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
    conn.close()
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temp left


def test_rolling_set_keeps_the_setting(seeded, store_path):
    settings.set_value("backups_kept", 3)
    for i in range(5):
        _tag(seeded, i)
        backups.make_backup(seeded.db, "manual")
    found = backups.list_backups(store_path)
    assert len(found) == 3
    assert found[0].marker == backups.change_marker(seeded.conn)  # the newest survive


def test_bad_setting_falls_back_to_default(seeded):
    settings.set_value("backups_kept", "lots")
    assert backups.kept_setting() == backups.DEFAULT_KEPT


def test_restore_brings_back_the_old_state_and_keeps_the_replaced_one(seeded, store_path):
    before = backups.make_backup(seeded.db, "manual")
    ann = _tag(seeded)
    other = Repository(open_store(store_path), "bo")  # a second window, left open
    assert other.get_annotation(ann.uid) is not None
    chosen, safety = backups.restore(seeded.db, before.name)
    assert chosen.name == before.name
    assert seeded.get_annotation(ann.uid) is None
    assert other.get_annotation(ann.uid) is None  # the open window sees it on refresh
    # the replaced state is itself a backup: restoring it brings the tag back
    backups.restore(seeded.db, safety.name)
    assert seeded.get_annotation(ann.uid) is not None
    assert seeded.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert seeded.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    other.close()


def test_restore_refused_while_another_process_writes(seeded, store_path):
    backups.make_backup(seeded.db, "manual")
    _tag(seeded)
    writer = sqlite3.connect(store_path, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="another Stancemark is writing"):
            backups.restore(seeded.db)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert len(backups.list_backups(store_path)) == 1  # refused before any copy


def test_damaged_backup_is_refused(seeded, store_path):
    info = backups.make_backup(seeded.db, "manual")
    data = bytearray(info.path.read_bytes())
    data[5000:9000] = b"\xff" * 4000
    info.path.write_bytes(bytes(data))
    count = seeded.stats()["articles"]
    with pytest.raises(StoreError, match="damaged|not a Stancemark|cannot read"):
        backups.restore(seeded.db, info.name)
    assert seeded.stats()["articles"] == count


def test_latest_with_nothing_different_to_restore(seeded):
    backups.make_backup(seeded.db, "manual")
    with pytest.raises(StoreError, match="nothing to restore"):
        backups.restore(seeded.db)


def test_restore_unknown_name(seeded):
    backups.make_backup(seeded.db, "manual")
    with pytest.raises(StoreError, match="no backup called"):
        backups.restore(seeded.db, "nonsense")


def test_migration_copies_belong_to_the_rolling_set(seeded, store_path):
    import shutil

    old = store_path.with_name(store_path.name + ".before-1-to-2-20250101T000000000000Z.bak")
    shutil.copyfile(backups.make_backup(seeded.db, "manual").path, old)
    found = backups.list_backups(store_path)
    assert found[-1].path == old and found[-1].reason == "before-migration"
    backups.prune(store_path, 1)
    assert not old.exists()


def test_concurrent_backups_while_writing(seeded, store_path):
    """The online backup API copies a consistent snapshot while another connection writes."""
    writer = Repository(open_store(store_path), "bo")
    stop = threading.Event()

    def write():
        i = 0
        while not stop.is_set():
            _tag(writer, i % 20)
            i += 1

    t = threading.Thread(target=write)
    t.start()
    try:
        made = [backups.make_backup(seeded.db, "manual", keep=50) for _ in range(5)]
    finally:
        stop.set()
        t.join()
    for b in made:
        conn = sqlite3.connect(b.path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
    writer.close()


def test_cli_backup_list_restore(seeded, store_path, capsys):
    seeded.close()
    assert main(["--store", str(store_path), "backup"]) == 0
    assert "backed up to" in capsys.readouterr().out
    assert main(["--store", str(store_path), "backup", "--list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 2 and "manual" in listed[0]  # plus the open-time one
    repo = Repository(open_store(store_path), "ana")
    ann = _tag(repo)
    repo.close()
    assert main(["--store", str(store_path), "restore", "--latest"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("restored ")
    repo = Repository(open_store(store_path), "ana")
    # --latest skips the open-time backup of the very state it would replace
    assert repo.get_annotation(ann.uid) is None
    repo.close()
    name = out.rsplit(" ", 1)[-1].strip()  # the safety backup of the tagged state
    assert main(["--store", str(store_path), "restore", name]) == 0
    repo = Repository(open_store(store_path), "ana")
    assert repo.get_annotation(ann.uid) is not None
    repo.close()


def test_cli_restore_needs_a_choice(seeded, store_path, capsys):
    seeded.close()
    assert main(["--store", str(store_path), "restore"]) == 1
    assert "--latest" in capsys.readouterr().err


def test_backup_before_a_bulk_change(seeded, store_path):
    first = backups.backup_before(seeded.db, "import")
    assert first is not None and first.reason == "before-import"
    assert backups.backup_before(seeded.db, "merge") is None  # same state already kept
    _tag(seeded)
    assert backups.backup_before(seeded.db, "merge").reason == "before-merge"


def test_cli_import_leaves_a_backup_of_the_state_before_it(seeded, store_path, tmp_path):
    (tmp_path / "a.txt").write_text("A short article about nothing.\n", encoding="utf-8")
    _tag(seeded)
    marker = backups.change_marker(seeded.conn)
    seeded.close()
    assert main(["--store", str(store_path), "--annotator", "ana", "import",
                 str(tmp_path / "a.txt")]) == 0
    assert marker in [b.marker for b in backups.list_backups(store_path)]


def test_restoring_a_pre_migration_copy_brings_the_schema_up_to_date(store_path):
    from sqlite_utils import Database

    from stancemark.store.db import _connect
    from stancemark.store.schema import APPLICATION_ID, migration_names, migrations

    conn = _connect(store_path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    old = Database(conn)
    migrations.apply(old, stop_before=migration_names()[1])
    Repository(old, "ana").add_article("Beijing warned Washington.", "Old")
    old.close()
    repo = Repository(open_store(store_path), "ana")  # upgrades, copying the old file first
    repo.add_article("A newer article.", "New")
    [copy] = [b for b in backups.list_backups(store_path) if b.reason == "before-migration"]
    backups.restore(repo.db, copy.name)
    assert [a.title for a in repo.iter_articles()] == ["Old"]
    assert [m.name for m in migrations.applied(repo.db)] == migration_names()
    assert repo.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    repo.close()


def test_half_written_backup_is_never_listed_and_is_cleared_later(seeded, store_path):
    import os
    import time

    backups.make_backup(seeded.db, "manual")
    folder = backups.backup_dir(store_path)
    stale = folder / ".20200101T000000000000Z_open_a1-000000.sqlite.tmp"
    stale.write_bytes(b"SQLite format 3\x00 half")  # what a kill during a copy leaves
    fresh = folder / ".20990101T000000000000Z_open_a2-000000.sqlite.tmp"
    fresh.write_bytes(b"being written right now")
    hour_ago = time.time() - 7200
    os.utime(stale, (hour_ago, hour_ago))
    assert all(not b.name.startswith(".") for b in backups.list_backups(store_path))
    backups.prune(store_path)
    assert not stale.exists() and fresh.exists()
