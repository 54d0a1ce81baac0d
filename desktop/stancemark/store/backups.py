"""Rolling backups of a store, made with SQLite's online backup API.

Backups live in a folder beside the store, ``<store>.backups/`` (0700), one file
per backup (0600), named so that the name alone says when, why and at which
change it was taken::

    20261121T133622123456Z_open_a42-1f0e9c.sqlite
    <UTC time>            _<reason>_<change marker>

The change marker is the newest audit-log id plus a short hash of its time, so
"has the store changed since the last backup?" needs no extra table and no write
(restoring an older store and editing it again cannot reuse a marker by chance).
Every kind of backup (on open, before an import, a merge or a restore, or by
hand) belongs to the same rolling set, and so do the copies open_store makes
beside the store before a schema upgrade (``<store>.before-1-to-2-<time>.bak``):
the newest ``backups_kept`` (setting, default 10) are kept.

Restoring copies the backup *into* the live store with the backup API, which is
one write transaction: any other connection (a window left open) sees the
restored content on its next read and never a half-written file, and the
store's WAL and shared-memory files stay consistent (swapping the file under
them would not).
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from stancemark.core.errors import StoreError
from stancemark.store.db import database_file

DEFAULT_KEPT = 10
_NAME = re.compile(r"^(?P<stamp>\d{8}T\d{12}Z)_(?P<reason>[a-z][a-z-]*)_(?P<marker>a\d+-[0-9a-f]{6})"
                   r"\.sqlite$")
_REASON = re.compile(r"^[a-z][a-z-]*$")
# open_store's own copy before a schema upgrade, kept beside the store (db.py).
_MIGRATION_NAME = re.compile(r"^.+\.before-\d+-to-\d+-(?P<stamp>\d{8}T\d{12}Z)\.bak$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    name: str
    created: datetime
    reason: str
    marker: str
    size: int

    def describe(self) -> str:
        when = self.created.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        return f"{self.name}  {when}  {self.reason:<16} {self.size / 1024:,.0f} KiB"


def store_file(db: Database) -> Path:
    """The file behind a connection (its main database)."""
    filename = database_file(db.conn)
    if filename:
        return Path(filename)
    raise StoreError("this store has no file (in-memory); nothing to back up")


def backup_dir(store: Path) -> Path:
    return store.with_name(store.name + ".backups")


def change_marker(conn: sqlite3.Connection) -> str:
    """Identifies the store's latest change: newest audit id and a hash of its time."""
    try:
        row = conn.execute("SELECT id, at FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    except sqlite3.OperationalError:  # before the first migration
        row = None
    if row is None:
        return "a0-000000"
    return f"a{row[0]}-{hashlib.sha1(row[1].encode()).hexdigest()[:6]}"


def kept_setting() -> int:
    from stancemark.core import settings

    value = settings.get("backups_kept")
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    return DEFAULT_KEPT


def list_backups(store: Path) -> list[BackupInfo]:
    """Backups of the store at `store`, newest first."""
    folder = backup_dir(Path(store))
    out = []
    try:
        entries = list(folder.iterdir())
    except OSError:  # no folder yet; pre-migration copies may still exist
        entries = []
    for p in entries:
        m = _NAME.match(p.name)
        if not m or not p.is_file():
            continue
        created = datetime.strptime(m["stamp"], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
        out.append(BackupInfo(p, p.name, created, m["reason"], m["marker"], p.stat().st_size))
    store = Path(store)
    # The pre-migration copies open_store makes belong to the same rolling set.
    for p in store.parent.glob(f"{glob.escape(store.name)}.before-*.bak"):
        m = _MIGRATION_NAME.match(p.name)
        if m and p.is_file():
            created = datetime.strptime(m["stamp"], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
            out.append(BackupInfo(p, p.name, created, "before-migration", "", p.stat().st_size))
    return sorted(out, key=lambda b: (b.created, b.name), reverse=True)


def _private_dir(folder: Path) -> None:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(folder, 0o700)


def _copy(conn: sqlite3.Connection, store: Path, reason: str) -> BackupInfo:
    if not _REASON.match(reason):
        raise ValueError(f"bad backup reason {reason!r}")
    folder = backup_dir(store)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    name = f"{stamp}_{reason}_{change_marker(conn)}.sqlite"
    # Written under a temporary name and renamed: a crash mid-copy never leaves
    # a half backup that looks complete.
    tmp = folder / f".{name}.tmp"
    try:
        _private_dir(folder)
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        os.close(fd)
        dest = sqlite3.connect(str(tmp))
        try:
            conn.backup(dest)
            # One self-contained file: opening a backup (to look, or to restore it)
            # must not leave -wal/-shm files beside it.
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, folder / name)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise StoreError(f"{folder}: cannot write a backup ({_reason_text(exc)})") from None
    path = folder / name
    m = _NAME.match(name)
    assert m is not None
    return BackupInfo(path, name, datetime.strptime(m["stamp"], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC),
                      reason, m["marker"], path.stat().st_size)


def _reason_text(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc)


def prune(store: Path, keep: int | None = None) -> list[Path]:
    """Delete all but the newest `keep` backups; returns what was deleted."""
    keep = kept_setting() if keep is None else max(1, keep)
    gone = []
    # Copies a killed process left half-written (never listed); an hour old means
    # no backup is still writing them.
    for tmp in backup_dir(store).glob(".*.tmp"):
        with contextlib.suppress(OSError):
            if time.time() - tmp.stat().st_mtime > 3600:
                tmp.unlink()
    for b in list_backups(store)[keep:]:
        with contextlib.suppress(OSError):
            b.path.unlink()
            gone.append(b.path)
    return gone


def make_backup(db: Database, reason: str = "manual", keep: int | None = None) -> BackupInfo:
    """Back up the live store now (consistent even while others write) and prune."""
    store = store_file(db)
    info = _copy(db.conn, store, reason)
    prune(store, keep)
    return info


def needs_backup(db: Database) -> bool:
    """True when the store has changed since its newest backup (and holds anything)."""
    marker = change_marker(db.conn)
    if marker == "a0-000000":
        return False
    latest = list_backups(store_file(db))
    return not latest or latest[0].marker != marker


def backup_on_open(db: Database) -> str | None:
    """The open-time backup: made only after a change. Never stops the store from
    opening; returns a one-line warning when the backup could not be written."""
    try:
        if needs_backup(db):
            make_backup(db, "open")
    except StoreError as exc:
        return f"no backup made: {exc}"
    return None


def backup_on_open_file(store: Path) -> str | None:
    """backup_on_open on a connection of its own, so it can run in a background
    thread while the window starts (a large store takes seconds to copy)."""
    try:
        db = Database(sqlite3.connect(str(store), timeout=10), execute_plugins=False)
    except sqlite3.Error as exc:
        return f"no backup made: {exc}"
    try:
        return backup_on_open(db)
    finally:
        db.close()


def backup_before(db: Database, reason: str) -> BackupInfo | None:
    """A backup before a bulk change (import, merge): skipped when the newest backup
    already holds the current state."""
    if not needs_backup(db):
        return None
    return make_backup(db, f"before-{reason}")


def backup_before_file(store: Path, reason: str) -> BackupInfo | None:
    """backup_before on a connection of its own, for a thread (store.background) that
    copies the store while a bulk change runs: a WAL reader never sees another
    connection's uncommitted writes, so it copies the store as it was before them."""
    try:
        db = Database(sqlite3.connect(str(store), timeout=10), execute_plugins=False)
    except sqlite3.Error as exc:
        raise StoreError(f"{store}: cannot read it for a backup ({exc})") from None
    try:
        return backup_before(db, reason)
    finally:
        db.close()


# ---------------------------------------------------------------------- restore

def find_backup(store: Path, name: str | None, current: str | None = None) -> BackupInfo:
    """The named backup, or (name None) the newest one that differs from the store's
    current state `current` (a change marker): the open-time backup of this very state
    would make "restore the latest" a no-op."""
    backups = list_backups(store)
    if not backups:
        raise StoreError(f"{backup_dir(store)}: no backups of this store")
    if name is None:
        for b in backups:
            if b.marker != current:
                return b
        raise StoreError("every backup holds the store's current state; nothing to restore")
    for b in backups:
        if b.name == name or b.name.startswith(name):
            return b
    raise StoreError(f"no backup called {name!r} (see `stancemark backup --list`)")


def check_backup(path: Path) -> None:
    """Refuse a damaged backup or one written by a newer Stancemark before using it."""
    from stancemark.store.db import _inspect

    _inspect(path)  # foreign file / newer schema -> StoreError
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: backup is damaged ({exc})") from None
    finally:
        conn.close()
    if result != "ok":
        raise StoreError(f"{path}: backup is damaged ({result})")


def _refuse_if_busy(store: Path) -> None:
    """A restore must not interleave with another process's write."""
    probe = sqlite3.connect(str(store), isolation_level=None, timeout=0.2)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        raise StoreError(f"{store}: another Stancemark is writing to this store ({exc}); "
                         "let it finish or close it, then restore again") from None
    finally:
        probe.close()


def restore(db: Database, name: str | None = None) -> tuple[BackupInfo, BackupInfo]:
    """Replace the live store's content with a backup (if `name` is None, the newest
    that differs from the current state).

    The current state is backed up first, so a restore can itself be undone.
    Returns (restored backup, safety backup of what was replaced).
    """
    store = store_file(db)
    chosen = find_backup(store, name, change_marker(db.conn))
    check_backup(chosen.path)
    _refuse_if_busy(store)
    safety = _copy(db.conn, store, "before-restore")
    src = sqlite3.connect(chosen.path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        src.backup(db.conn)
    except sqlite3.OperationalError as exc:
        raise StoreError(f"{store}: restore failed, the store is unchanged ({exc})") from None
    finally:
        src.close()
    # A backup taken before a migration has the older schema: bring it up to date.
    from stancemark.store.schema import migrations

    if migrations.pending(db):
        migrations.apply(db)
    prune(store, max(kept_setting(), 2))
    return chosen, safety
