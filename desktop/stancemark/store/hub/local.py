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
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from stancemark.core.errors import InputError
from stancemark.store.hub.tables import BY_ENTITY, BY_TABLE, KEY_COLUMN, Layout, layouts
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


def last_sync(repo: Repository) -> tuple[str, str, str] | None:
    """(url, time, summary) of this store's latest sync, None if it never synced."""
    try:
        row = repo.conn.execute("SELECT url, synced_at, summary FROM hub_state "
                                "WHERE synced_at IS NOT NULL ORDER BY synced_at DESC "
                                "LIMIT 1").fetchone()
    except sqlite3.OperationalError:  # no hub_state: never synced
        return None
    return (row[0], row[1], row[2]) if row else None


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


def pending(repo: Repository, decide: Decide) -> tuple[list[Outgoing], list[tuple[str, int, int]]]:
    """The rows changed here since the last push that this member may push (`decide`
    returns the owner to push as, None to leave the row out), and every pending entry
    read (to clear once the hub has committed)."""
    out: list[Outgoing] = []
    seen: list[tuple[str, int, int]] = []
    conn = repo.conn
    for lay in layouts(conn):
        select = _select_pending(lay)
        for row_id, n, owner, *values in conn.execute(select, [lay.spec.table]):
            seen.append((lay.spec.table, row_id, n))
            push_as = decide(lay.spec.entity, owner)
            if push_as is None:
                continue
            record = dict(zip(lay.columns, values, strict=True))
            out.append(Outgoing(lay.spec.entity, key_of(lay, record), push_as,
                                _edited(record.get(c) for c in lay.spec.edited),
                                json.dumps(record, ensure_ascii=False, separators=(",", ":"))))
    return out, seen


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


# ------------------------------------------------------------------ the pull's scratch
@dataclass
class Incoming:
    seq: int
    entity: str
    key: str
    owner: str
    data: dict[str, Any]


Fetch = Callable[[str, list[str]], list[Incoming]]  # (entity, keys) -> hub rows


def _literal(default: str | None) -> Any:
    """A column's SQL default as a value (for hub rows written before the column)."""
    if default is None or default.upper() == "NULL":
        return None
    if default.startswith("'") and default.endswith("'"):
        return default[1:-1].replace("''", "'")
    try:
        return int(default)
    except ValueError:
        return None


def _scalar(value: Any) -> Any:
    if isinstance(value, dict | list):  # a store column holds JSON as text
        return json.dumps(value, ensure_ascii=False)
    return value


class Scratch:
    """The hub's rows laid out as a store in the attached schema `theirs`, so the merge
    checks and applies them as it would a colleague's store file. Remembers which hub row
    became which scratch row, to name the hub row when one is refused."""

    def __init__(self, repo: Repository, hub_uid: str):
        self.repo = repo
        self.conn = repo.conn
        self.layouts = {lay.spec.table: lay for lay in layouts(self.conn)}
        self.ids: dict[str, dict[str, int]] = {t: {} for t in self.layouts}
        self.uids: dict[str, str] = {}  # article key (sha256) -> uid in the scratch
        self.origin: dict[tuple[str, int], Incoming] = {}
        self.by_uid: dict[str, Incoming] = {}
        self.next_id = 1
        self.hub_uid = hub_uid

    def create(self) -> None:
        conn = self.conn
        conn.execute("CREATE TABLE theirs.store_info (key, value)")
        conn.execute("INSERT INTO theirs.store_info VALUES ('store_uid', ?)",
                     [f"hub:{self.hub_uid}"])
        for table, lay in self.layouts.items():
            cols = ", ".join(_q(c) for c in lay.columns)
            create = (f"CREATE TABLE theirs.{table} (id INTEGER PRIMARY KEY, {cols})"
                      if lay.has_id else f"CREATE TABLE theirs.{table} ({cols})")
            conn.execute(create)

    def fill(self, rows: list[Incoming], fetch: Fetch) -> int:
        """Lay out `rows` (and the rows they refer to, from this store or the hub);
        returns how many of them belong to tables this store knows."""
        groups: dict[str, list[Incoming]] = {}
        for row in rows:
            spec = BY_ENTITY.get(row.entity)
            if spec is not None and spec.table in self.layouts:
                groups.setdefault(spec.table, []).append(row)
        keys = {t: {r.key for r in rs} for t, rs in groups.items()}
        self._context(groups, keys, fetch)
        for table, lay in self.layouts.items():
            self._insert(lay, groups.get(table, []))
        return sum(len(v) for v in groups.values())

    def _context(self, groups: dict[str, list[Incoming]], keys: dict[str, set[str]],
                 fetch: Fetch) -> None:
        """Rows referred to but not pulled: from this store when it has them, else from
        the hub (an unchanged article or actor another row names)."""
        need: dict[str, dict[str, Incoming]] = {}
        for table, rows in groups.items():
            lay = self.layouts[table]
            targets = {c: t for c, t in lay.refs.items() if t in KEY_COLUMN}
            targets.update(lay.key_refs)
            targets.update(lay.spec.uid_refs)
            for row in rows:
                for col, target in targets.items():
                    value = row.data.get(col)
                    if isinstance(value, str) and value not in keys.get(target, ()):
                        need.setdefault(target, {}).setdefault(value, row)
        for target, wanted in need.items():
            if target not in self.layouts:
                continue
            local = self._copy_local(target, list(wanted))
            rest = [k for k in wanted if k not in local]
            if rest:
                fetched = fetch(self.layouts[target].spec.entity, rest)
                groups.setdefault(target, []).extend(fetched)
                keys.setdefault(target, set()).update(r.key for r in fetched)
            for k in rest:
                if k not in keys.get(target, ()):
                    row = wanted[k]
                    entity = self.layouts[target].spec.entity
                    raise InputError(f"hub row {row.seq} ({row.entity} {row.key[:40]}): it names "
                                     f"{entity} {k[:40]!r}, which is not on the hub (damaged or "
                                     "crafted hub); nothing was pulled, this store is unchanged")

    def _copy_local(self, table: str, wanted: list[str]) -> set[str]:
        lay = self.layouts[table]
        key_col = KEY_COLUMN[table]
        cols = ", ".join(_q(c) for c in lay.columns)
        found: set[str] = set()
        select = f"SELECT {cols} FROM main.{table} WHERE {key_col} = ?"  # noqa: S608
        for key in wanted:
            row = self.conn.execute(select, [key]).fetchone()
            if row is None:
                continue
            record = dict(zip(lay.columns, row, strict=True))
            self._put(lay, key, [record[c] for c in lay.columns], None)
            found.add(key)
        return found

    def _insert_sql(self, lay: Layout) -> str:
        names = ", ".join(_q(c) for c in lay.columns)
        marks = ", ".join("?" * (len(lay.columns) + 1))
        return (f"INSERT INTO theirs.{lay.spec.table} ({'id' if lay.has_id else 'rowid'}, "  # noqa: S608
                f"{names}) VALUES ({marks})")

    def _put(self, lay: Layout, key: str, values: list[Any], origin: Incoming | None) -> None:
        self._put_many(lay, [(key, values, origin)])

    def _put_many(self, lay: Layout, items: list[tuple[str, list[Any], Incoming | None]]) -> None:
        table = lay.spec.table
        ids = self.ids[table]
        uid_at = lay.columns.index("uid") if "uid" in lay.columns else -1
        rows = []
        for key, values, origin in items:
            rowid = self.next_id
            self.next_id += 1
            if table == "articles":
                self.uids[key] = values[uid_at]
            ids[key] = rowid
            rows.append([rowid, *values])
            if origin is not None:
                self.origin[(table, rowid)] = origin
                uid = origin.data.get("uid")
                if isinstance(uid, str):
                    self.by_uid[uid] = origin
        self.conn.executemany(self._insert_sql(lay), rows)

    def _insert(self, lay: Layout, rows: list[Incoming]) -> None:
        table = lay.spec.table
        columns = lay.columns
        defaults = [_literal(lay.defaults.get(c)) for c in columns]
        # Per column: how its value is translated (0 as is, 1 a row-id reference, 2 a
        # uid naming an article by its key).
        how = [1 if lay.refs.get(c) in KEY_COLUMN else 2 if c in lay.spec.uid_refs else 0
               for c in columns]
        targets = [self.ids.get(lay.refs.get(c, ""), {}) for c in columns]
        local_uid: dict[str, str] = {}
        if table == "articles":
            for r in rows:
                sha = r.data.get("sha256")
                if isinstance(sha, str):
                    hit = self.conn.execute("SELECT uid FROM main.articles WHERE sha256 = ?",
                                            [sha]).fetchone()
                    if hit:
                        local_uid[sha] = hit[0]
        seen = set(self.ids[table])
        batch: list[tuple[str, list[Any], Incoming | None]] = []
        for row in rows:
            if row.key in seen:
                continue  # the same row twice (pulled, and refused by the push)
            seen.add(row.key)
            data = row.data
            values = []
            for i, col in enumerate(columns):
                value = data.get(col, defaults[i])
                if isinstance(value, dict | list):
                    value = _scalar(value)
                kind = how[i]
                if kind == 1 and value is not None:
                    # a key that names no row: -1, which the merge's checks refuse
                    value = targets[i].get(value, -1) if isinstance(value, str) else value
                elif kind == 2 and isinstance(value, str):
                    value = self.uids.get(value, value)
                values.append(value)
            if table == "articles" and data.get("sha256") in local_uid:
                values[columns.index("uid")] = local_uid[data["sha256"]]
            batch.append((row.key, values, row))
            if len(batch) >= 20_000:
                self._put_many(lay, batch)
                batch = []
        if batch:
            self._put_many(lay, batch)

    def name(self, exc: InputError) -> str:
        """The refusal in the hub's terms: which hub row, and what is wrong with it."""
        from stancemark.store.merge_checks import BadRow

        if isinstance(exc, BadRow):
            row = self.origin.get((exc.table, exc.rowid))
            if row is not None:
                return (f"hub row {row.seq} ({row.entity} {row.key[:40]}): {exc.problem} "
                        "(damaged or crafted hub)")
        for uid, row in self.by_uid.items():
            if uid and uid in exc.reason:
                return (f"hub row {row.seq} ({row.entity} {row.key[:40]}): "
                        f"{exc.reason.split('; nothing')[0]}")
        return exc.reason.split("; nothing")[0]


def iter_chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
