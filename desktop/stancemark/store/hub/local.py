"""The store's side of a sync: what changed here since the last push, the cursor of the
last pull, and the hub's rows laid out as a store for the merge.

Changes are tracked by triggers that note a changed row's id in `hub_pending` (with a
counter, so a row edited again while a push is under way stays pending). They are
created the first time a store syncs, so a store that never syncs pays nothing for
them; a sync re-creates any that a schema upgrade dropped (a rebuilt table) and then
marks that table's rows pending, so no change is missed (pushing a row the hub already
has is a no-op). While a pull is applied, a flag row in `hub_applying` (inside the same
transaction, never seen by anyone else) keeps the triggers quiet: what came from the
hub is not pushed back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from stancemark.store.hub.tables import BY_TABLE, KEY_COLUMN, Layout, layouts
from stancemark.store.repository import Repository

_STATE = """
CREATE TABLE IF NOT EXISTS hub_state (
    hub_uid TEXT PRIMARY KEY, url TEXT NOT NULL, pulled_seq INTEGER NOT NULL DEFAULT 0,
    synced_at TEXT, summary TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS hub_pending (
    tbl TEXT NOT NULL, row_id INTEGER NOT NULL, n INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tbl, row_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS hub_purged (
    tbl TEXT NOT NULL, key TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (tbl, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS hub_applying (flag INTEGER PRIMARY KEY);
"""
_QUIET = "WHEN NOT EXISTS (SELECT 1 FROM hub_applying)"
_NOW = "strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _trigger_sql(table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the triggers that track `table` (a fixed name)."""
    note = (f"INSERT INTO hub_pending (tbl, row_id) VALUES ('{table}', NEW.rowid) "  # noqa: S608 - fixed names
            "ON CONFLICT (tbl, row_id) DO UPDATE SET n = n + 1;")
    out = [(f"hub_track_{table}_insert",
            f"CREATE TRIGGER hub_track_{table}_insert AFTER INSERT ON main.{table} {_QUIET} "
            f"BEGIN {note} END"),
           (f"hub_track_{table}_update",
            f"CREATE TRIGGER hub_track_{table}_update AFTER UPDATE ON main.{table} {_QUIET} "
            f"BEGIN {note} END")]
    if table == "annotations":
        # Emptying the trash or undoing a creation removes the row: the hub's copy then
        # goes to the trash (rows are never deleted from the hub).
        out.append((f"hub_track_{table}_delete",
                    f"CREATE TRIGGER hub_track_{table}_delete AFTER DELETE ON main.{table} "  # noqa: S608 - fixed names
                    f"{_QUIET} BEGIN INSERT OR REPLACE INTO hub_purged (tbl, key, at) "
                    f"VALUES ('{table}', OLD.uid, {_NOW}); DELETE FROM hub_pending "
                    f"WHERE tbl = '{table}' AND row_id = OLD.rowid; END"))
    return out


@dataclass
class State:
    hub_uid: str
    pulled_seq: int
    first: bool  # this store has never synced with this hub


def attach(repo: Repository, hub_uid: str, url: str) -> State:
    """Make sure the tracking tables and triggers exist; mark rows pending where tracking
    (re)starts. One transaction."""
    conn = repo.conn
    with repo.tx():
        for statement in _STATE.strip().split(";\n"):
            if statement.strip():
                conn.execute(statement)
        triggers = {r[0] for r in conn.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'trigger'")}
        row = conn.execute("SELECT pulled_seq FROM hub_state WHERE hub_uid = ?",
                           [hub_uid]).fetchone()
        first = row is None
        for lay in layouts(conn):
            wanted = _trigger_sql(lay.spec.table)
            missing = [sql for name, sql in wanted if name not in triggers]
            for create in missing:
                conn.execute(create)
            if missing or first:
                table = lay.spec.table
                seed = (f"INSERT INTO hub_pending (tbl, row_id) SELECT '{table}', rowid "  # noqa: S608
                        f"FROM main.{table} WHERE true ON CONFLICT (tbl, row_id) DO NOTHING")
                conn.execute(seed)
        if first:
            conn.execute("INSERT INTO hub_state (hub_uid, url) VALUES (?, ?)", [hub_uid, url])
        else:
            conn.execute("UPDATE hub_state SET url = ? WHERE hub_uid = ?", [url, hub_uid])
    return State(hub_uid, 0 if row is None else int(row[0]), first)


@dataclass(frozen=True)
class Outgoing:
    entity: str
    key: str
    owner: str
    edited: str
    data: str  # JSON object text


def _edited(values: Iterable[Any]) -> str:
    times = [v for v in values if isinstance(v, str) and v]
    return max(times) if times else ""


def key_of(lay: Layout, record: dict[str, Any]) -> str:
    values = [record.get(c) for c in lay.spec.key]
    if len(values) == 1:
        return "" if values[0] is None else str(values[0])
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def _select_pending(lay: Layout) -> str:
    """The pending rows of one table, references as the referenced rows' hub keys."""
    spec, table = lay.spec, lay.spec.table
    exprs, joins = [], []
    owner = "NULL"
    for i, col in enumerate(lay.columns):
        ref = lay.refs.get(col)
        if ref in KEY_COLUMN:
            joins.append(f"LEFT JOIN main.{ref} r{i} ON r{i}.id = t.{_q(col)}")
            exprs.append(f"r{i}.{KEY_COLUMN[ref]}")
            if ref == "annotators" and spec.owner == "annotator":
                owner = f"r{i}.name"
        elif col in spec.uid_refs:
            target = spec.uid_refs[col]
            exprs.append(f"coalesce((SELECT {KEY_COLUMN[target]} FROM main.{target} "  # noqa: S608 - fixed names
                         f"WHERE uid = t.{_q(col)}), t.{_q(col)})")
        else:
            exprs.append(f"t.{_q(col)}")
    if spec.owner == "self":
        owner = "t.name"
    elif spec.owner == "reviewer":
        owner = "(SELECT name FROM main.annotators WHERE uid = t.reviewer_uid)"
    return (f"SELECT p.row_id, p.n, {owner}, {', '.join(exprs)} FROM hub_pending p "  # noqa: S608 - fixed names
            f"JOIN main.{table} t ON t.rowid = p.row_id {' '.join(joins)} WHERE p.tbl = ?")


Decide = Callable[[str, str], str | None]  # (entity, owner from the row) -> owner to push


def pending(repo: Repository, decide: Decide,
            seen: list[tuple[str, int, int]]) -> Iterator[Outgoing]:
    """The rows changed here since the last push that this member may push (`decide`
    returns the owner to push as, None to leave the row out), one at a time (a first push
    of a million rows streams into the hub instead of sitting in memory); every pending
    entry read goes into `seen`, to clear once the hub has committed."""
    conn = repo.conn
    for lay in layouts(conn):
        select = _select_pending(lay)
        for row_id, n, owner, *values in conn.execute(select, [lay.spec.table]):
            seen.append((lay.spec.table, row_id, n))
            push_as = decide(lay.spec.entity, owner)
            if push_as is None:
                continue
            record = dict(zip(lay.columns, values, strict=True))
            yield Outgoing(lay.spec.entity, key_of(lay, record), push_as,
                           _edited(record.get(c) for c in lay.spec.edited),
                           json.dumps(record, ensure_ascii=False, separators=(",", ":")))


def purged(repo: Repository) -> list[tuple[str, str, str]]:
    """(entity, key, time) of rows removed here for good since the last push."""
    conn = repo.conn
    if conn.execute("SELECT 1 FROM main.sqlite_master WHERE name = 'hub_purged'").fetchone() is None:
        return []
    return [(BY_TABLE[t].entity, k, at) for t, k, at in
            conn.execute("SELECT tbl, key, at FROM hub_purged") if t in BY_TABLE]


def clear_pushed(repo: Repository, seen: list[tuple[str, int, int]],
                 gone: list[tuple[str, str, str]]) -> None:
    """Forget the pending entries the hub now has (unless edited again meanwhile)."""
    with repo.tx():
        repo.conn.executemany("DELETE FROM hub_pending WHERE tbl = ? AND row_id = ? AND n = ?",
                              seen)
        repo.conn.executemany("DELETE FROM hub_purged WHERE key = ? AND at = ?",
                              [(k, at) for _, k, at in gone])


def save_state(repo: Repository, hub_uid: str, pulled_seq: int, synced_at: str,
               summary: str) -> None:
    repo.conn.execute("UPDATE hub_state SET pulled_seq = ?, synced_at = ?, summary = ? "
                      "WHERE hub_uid = ?", [pulled_seq, synced_at, summary, hub_uid])


def quiet(repo: Repository, on: bool) -> None:
    """Inside a transaction: silence (or restore) the tracking triggers."""
    if on:
        repo.conn.execute("INSERT OR IGNORE INTO hub_applying (flag) VALUES (1)")
    else:
        repo.conn.execute("DELETE FROM hub_applying")


# ------------------------------------------------------------------ rows from the hub
@dataclass
class Incoming:
    """A hub row read whole (the rows a push found the hub keeps in another version)."""

    seq: int
    entity: str
    key: str
    owner: str
    data: dict[str, Any]


def iter_chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
