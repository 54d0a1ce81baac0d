"""Opening, creating, upgrading and backing up a store file.

One SQLite file per project: WAL journal, foreign keys on, a busy timeout so
the window and the command line can share it. A file that is not ours, or that
a newer Stancemark wrote, is refused without being touched.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from stancemark.core.errors import StoreError
from stancemark.core.model import new_uid, now_iso
from stancemark.store.schema import APPLICATION_ID, MIGRATION_SET, migration_names, migrations

ENV_STORE = "STANCEMARK_STORE"
BUSY_TIMEOUT_MS = 10_000
SQLITE_HEADER = b"SQLite format 3\x00"


def default_store_path() -> Path:
    """$STANCEMARK_STORE, else the user data folder's stancemark.sqlite."""
    env = os.environ.get(ENV_STORE)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("Stancemark", appauthor=False)) / "stancemark.sqlite"


def sqlite_version() -> str:
    """The SQLite library version this process links (About dialog, bug reports)."""
    return sqlite3.sqlite_version


def database_file(conn: sqlite3.Connection, schema: str = "main") -> str | None:
    """The file behind `schema` of a connection (main, or an attached name); None for an
    in-memory or temporary database."""
    # As bytes: a path that is not valid UTF-8 (b"st\\xff.sqlite") cannot be read as text.
    row = conn.execute("SELECT CAST(file AS BLOB) FROM pragma_database_list WHERE name = ?",
                       [schema]).fetchone()
    return os.fsdecode(row[0]) if row and row[0] else None


def _connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        uri = path.resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                               timeout=BUSY_TIMEOUT_MS / 1000)
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False,
                               timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


@contextlib.contextmanager
def input_uri(path: Path) -> Iterator[str]:
    """A read-only SQLite URI for someone else's store file that writes nothing beside it.

    Opening a WAL store even read-only creates `-wal` and `-shm` files next to it (and
    fails on read-only media). A file whose `-wal` or `-journal` is absent or empty holds
    all its content: it is opened `immutable`, which reads without any side file or lock.
    Otherwise the file and its journal are copied into a private temporary folder, the
    journal is applied there, and the copy is read instead.
    """
    path = Path(path)
    journals = [path.with_name(path.name + s) for s in ("-wal", "-journal")]
    if not any(j.is_file() and j.stat().st_size > 0 for j in journals):
        yield path.resolve().as_uri() + "?immutable=1"
        return
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="stancemark-input-") as tmp:
        copy = Path(tmp) / "input.sqlite"
        try:
            shutil.copyfile(path, copy)
            for j in journals:
                if j.is_file():
                    shutil.copyfile(j, copy.with_name(copy.name + j.name[len(path.name):]))
            conn = sqlite3.connect(str(copy), isolation_level=None)
            try:
                # Reading applies a hot rollback journal; leaving WAL mode checkpoints
                # the WAL into the file (both in the private copy only).
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                conn.execute("PRAGMA journal_mode = DELETE").fetchone()
            finally:
                conn.close()
        except (OSError, sqlite3.DatabaseError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            raise StoreError(f"{path}: cannot read the store ({reason})") from None
        yield copy.as_uri() + "?immutable=1"


def _inspect(path: Path, uri: str | None = None) -> list[str] | None:
    """Applied migration names of an existing store, None for an empty file.

    Raises StoreError for a foreign file or one written by a newer version.
    Opens read-only so a refused file is left byte-for-byte as it was; `uri` (from
    input_uri) reads someone else's file without writing beside it.
    """
    size = path.stat().st_size
    if size == 0:
        return None
    with open(path, "rb") as fh:
        if fh.read(16) != SQLITE_HEADER:
            raise StoreError(f"{path}: not a Stancemark store (not an SQLite database)")
    try:
        conn = (_connect(path, readonly=True) if uri is None else
                sqlite3.connect(uri, uri=True, isolation_level=None))
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: cannot read the store ({exc})") from None
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if app_id != APPLICATION_ID:
            if not tables:
                return None
            raise StoreError(f"{path}: not a Stancemark store (an SQLite file of another program)")
        if "_sqlite_migrations" not in tables:
            return []
        applied = [r[0] for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
            [MIGRATION_SET])]
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: cannot read the store ({exc})") from None
    finally:
        conn.close()
    unknown = [n for n in applied if n not in migration_names()]
    if unknown:
        raise StoreError(
            f"{path}: written by a newer Stancemark (schema step {unknown[-1]!r}); "
            "upgrade Stancemark to open it")
    return applied


def backup_to(db: Database, target: Path) -> Path:
    """Copy a live store with SQLite's online backup API (consistent even in WAL)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _touch_private(target)
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
    return target


def _touch_private(path: Path) -> None:
    """Create the file readable by its owner only (stores hold unpublished work)."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)


def _backup_before_migration(path: Path, applied: list[str]) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.before-{len(applied)}-to-{len(migration_names())}-{stamp}.bak")
    src = Database(_connect(path), execute_plugins=False)
    try:
        return backup_to(src, target)
    finally:
        src.close()


def open_store(path: Path | str, create: bool = True) -> Database:
    """Open (creating or upgrading as needed) the store at `path`."""
    path = Path(path).expanduser()
    exists = path.exists()
    if exists and path.is_dir():
        raise StoreError(f"{path}: is a folder, not a store file")
    if not exists and not create:
        raise StoreError(f"{path}: no such store")
    applied = _inspect(path) if exists else None
    if not exists:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _touch_private(path)
        except OSError as exc:
            raise StoreError(f"{path}: cannot create the store ({exc.strerror})") from None
    pending_upgrade = applied is not None and len(applied) < len(migration_names())
    if applied is not None and pending_upgrade:
        _backup_before_migration(path, applied)
    try:
        conn = _connect(path)
        # No sqlite-utils plugins on a store's connections (here and wherever the store
        # makes a Database): the store uses none, a plugin's prepare_connection must not
        # change how a store behaves, and finding them reads every installed package's
        # metadata (~15 ms CPU, tens of ms of disk reads in every window start).
        db = Database(conn, execute_plugins=False)
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit the UI reports as saved survives a power cut, not only a crash.
        conn.execute("PRAGMA synchronous = FULL")
        if applied is None or pending_upgrade:
            with _write_lock(conn):
                if applied is None:
                    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            migrations.apply(db)
            if applied is None:
                db.table("store_info").insert_all(
                    [{"key": "store_uid", "value": new_uid()},
                     {"key": "created_at", "value": now_iso()}], replace=True)
    except sqlite3.OperationalError as exc:
        raise StoreError(f"{path}: cannot open the store ({exc})") from None
    return db


@contextlib.contextmanager
def _write_lock(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
