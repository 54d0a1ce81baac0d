"""The hub's rows laid out as a store (the attached schema `theirs`), for the merge.

Set-based, as the merge itself: the hub sends each row's columns as small JSON fragments
(`data->'column'`, so a value keeps its JSON type: 5 is a number, "5" a string) as text,
in batches; they land in a raw table per store table (`in_<table>`), and one INSERT ... SELECT
per table turns them into the store's layout, references translated from hub keys to
scratch row ids by index lookups. A fragment the hub does not have (a column added after
that row was pushed) takes the column's default. Nothing is trusted here: the merge then
checks every row as it checks a colleague's store (store.merge_checks), and a refusal is
named in the hub's terms (`name`): the scratch row id of a hub row is its `rid`, which
the view `hub_rows` (over the raw tables) maps back to the hub's sequence number, entity
and key. A raw table's unique key index keeps one row per key (the first to come, the
newest): built once after the table's first rows (a pull's whole entity) are in, then
kept as later rows go in; no second table of a million keys to write.

Rows that other rows name but that were not pulled (an article or actor unchanged since
it came) are copied in from this store when it has them, else read from the hub.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import Any

from stancemark.core.errors import InputError
from stancemark.store.hub.local import Incoming
from stancemark.store.hub.tables import KEY_COLUMN, Layout, layouts
from stancemark.store.repository import Repository

# (entity, columns, keys or None for the new rows) -> rows of (seq, key, owner, fragments...)
Reader = Callable[[str, tuple[str, ...], list[str] | None], Iterable[tuple]]
_CHUNK = 20_000
LOCAL_IDS = 10**12  # scratch ids of rows copied from this store: apart from the hub's


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class Scratch:
    def __init__(self, repo: Repository, hub_uid: str):
        self.conn = repo.conn
        self.layouts = {lay.spec.table: lay for lay in layouts(self.conn)}
        self.by_entity = {lay.spec.entity: lay for lay in self.layouts.values()}
        self.hub_uid = hub_uid
        self.next_rid = 1
        # (table, column) -> the distinct fragments loaded in that reference column: the
        # names to look for (`_missing`), gathered per chunk instead of scanning a
        # million rows again per column.
        self.named: dict[tuple[str, str], set[Any]] = {}
        self.indexed: set[str] = set()  # raw tables whose unique key index exists

    # ------------------------------------------------------------------ layout
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
            # Names from this store's own schema (the synced tables' columns), quoted.
            create_raw = (f"CREATE TABLE theirs.{_q('in_' + table)} (rid INTEGER PRIMARY KEY, "
                          f"seq, key, owner, {cols})")
            conn.execute(create_raw)
        # Every hub row laid out, by its scratch row id: what a refusal is named by. (A
        # view names tables of its own schema unqualified.)
        rows = " UNION ALL ".join(
            f"SELECT rid, seq, {_lit(lay.spec.entity)} AS entity, key, owner "  # noqa: S608
            f"FROM {_q('in_' + table)}" for table, lay in self.layouts.items())
        view = f"CREATE VIEW theirs.hub_rows AS {rows}"
        conn.execute(view)

    def load(self, entity: str, rows: Iterable[tuple]) -> int:
        """Rows of (seq, key, owner, one JSON fragment per column) of one entity; a row
        whose (entity, key) is already here is left out. Returns how many came."""
        lay = self.by_entity.get(entity)
        if lay is None:
            return 0
        table = "in_" + lay.spec.table
        raw = _q(table)
        marks = ", ".join("?" * (len(lay.columns) + 4))
        # The same row twice: the key index keeps the first (the newer) one. The raw
        # table has no other constraint for IGNORE to pass over (rid is numbered here).
        insert = f"INSERT OR IGNORE INTO theirs.{raw} VALUES ({marks})"  # noqa: S608
        # Where each reference column's fragments sit in a chunk's rows (rid, seq, key,
        # owner, fragments...), and the set its names go to.
        refs = [(itemgetter(4 + lay.columns.index(col)),
                 self.named.setdefault((lay.spec.table, col), set()))
                for col in self._targets(lay)]
        # The first rows a raw table gets (a pull's whole entity) go in before its key
        # index exists, which is then built once from them: a million random keys
        # inserted into the index one by one cost more than sorting them.
        first = table not in self.indexed
        count = 0
        chunk: list[tuple] = []
        for row in rows:
            chunk.append((self.next_rid, *row))
            self.next_rid += 1
            if len(chunk) >= _CHUNK:
                count += self._flush(insert, chunk, refs)
                chunk = []
        if chunk:
            count += self._flush(insert, chunk, refs)
        if first:
            count -= self._index(table)
        return count

    def _index(self, table: str) -> int:
        """The raw table's unique key index; a key that came twice (a damaged or crafted
        hub) keeps its first row, as the index would have while the rows went in.
        Returns how many rows that left out."""
        index = (f"CREATE UNIQUE INDEX theirs.{_q(table + '_key')} ON "
                 f"{_q(table)} (key)")
        dropped = 0
        try:
            self.conn.execute(index)
        except sqlite3.IntegrityError:
            # Names from this store's own schema (a synced table's), quoted.
            later = (f"DELETE FROM theirs.{_q(table)} WHERE key IS NOT NULL AND rid NOT IN "  # noqa: S608
                     f"(SELECT min(rid) FROM theirs.{_q(table)} WHERE key IS NOT NULL "
                     "GROUP BY key)")
            dropped = self.conn.execute(later).rowcount
            self.conn.execute(index)
        self.indexed.add(table)
        return dropped

    def _flush(self, insert: str, chunk: list[tuple],
               refs: list[tuple[itemgetter[int], set[Any]]]) -> int:
        for get, names in refs:
            names.update(map(get, chunk))
        return self.conn.executemany(insert, chunk).rowcount

    def load_whole(self, rows: list[Incoming]) -> None:
        """Rows read whole (Incoming), as fragments."""
        by_entity: dict[str, list[tuple]] = {}
        for r in rows:
            lay = self.by_entity.get(r.entity)
            if lay is None:
                continue
            frags = [json.dumps(r.data[c], ensure_ascii=False) if c in r.data else None
                     for c in lay.columns]
            by_entity.setdefault(r.entity, []).append((r.seq, r.key, r.owner, *frags))
        for entity, items in by_entity.items():
            self.load(entity, items)

    # ----------------------------------------------------------------- context
    def fill_context(self, read: Reader) -> None:
        """Rows named but not pulled: from this store, else from the hub; a name that
        neither has refuses the pull, naming the hub row that holds it."""
        for target, wanted in self._missing().items():
            local = self._copy_local(target, list(wanted))
            rest = [k for k in wanted if k not in local]
            if not rest:
                continue
            lay = self.layouts[target]
            self.load(lay.spec.entity, read(lay.spec.entity, lay.columns, rest))
            pulled = (f"SELECT key FROM theirs.{_q('in_' + target)} WHERE key IN "  # noqa: S608
                      "(SELECT value FROM json_each(?))")
            have = {r[0] for r in self.conn.execute(pulled, [json.dumps(rest)])}
            for key in rest:
                if key not in have:
                    seq, entity, holder = wanted[key]
                    raise InputError(
                        f"hub row {seq} ({entity} {holder[:40]}): it names {lay.spec.entity} "
                        f"{key[:40]!r}, which is not on the hub (damaged or crafted hub); "
                        "nothing was pulled, this store is unchanged")

    def _targets(self, lay: Layout) -> dict[str, str]:
        targets = {c: t for c, t in lay.refs.items() if t in KEY_COLUMN}
        targets.update(lay.key_refs)
        targets.update(lay.spec.uid_refs)
        return {c: t for c, t in targets.items() if t in self.layouts}

    def _missing(self) -> dict[str, dict[str, tuple[Any, str, str]]]:
        """target table -> {key named but not here: (seq, entity, key) of a row naming it;
        (None, entity, "") for a key this store has, which is copied from here and so
        never refused}."""
        need: dict[str, dict[str, tuple[Any, str, str]]] = {}
        for table, lay in self.layouts.items():
            raw = _q("in_" + table)
            for col, target in self._targets(lay).items():
                keys = f"SELECT key FROM theirs.{_q('in_' + target)}"  # noqa: S608 - fixed names
                # First the distinct names loaded (thousands, not a million rows): most
                # pulls name nothing they lack, and then the rows are not scanned at all.
                fragments = [f for f in self.named.get((table, col), ()) if f is not None]
                lacking = (f"SELECT DISTINCT v FROM (SELECT json_extract(value, '$') AS v "  # noqa: S608
                           f"FROM json_each(?)) WHERE typeof(v) = 'text' AND v NOT IN ({keys})")
                values = [r[0] for r in self.conn.execute(
                    lacking, [json.dumps(fragments, ensure_ascii=False)])] if fragments else []
                if not values:
                    continue
                # Names this store has itself (a fresh store's built-in codebook kinds,
                # which its own first push made the hub's newest version): nothing to
                # name, so no scan of every row for the ones naming them.
                if len(self._local_keys(target, values)) == len(values):
                    for value in values:
                        need.setdefault(target, {}).setdefault(value, (None, lay.spec.entity, ""))
                    continue
                sql = (f"SELECT v, min(seq), min(key) FROM (SELECT json_extract({_q(col)}, '$') "  # noqa: S608
                       f"AS v, seq, key FROM theirs.{raw} WHERE {_q(col)} IS NOT NULL) "
                       f"GROUP BY v HAVING typeof(v) = 'text' AND v NOT IN ({keys})")
                for value, seq, key in self.conn.execute(sql):
                    need.setdefault(target, {}).setdefault(value, (seq, lay.spec.entity, key))
        return need

    def _local_keys(self, table: str, wanted: list[str]) -> set[str]:
        """The keys among `wanted` that this store's `table` has (what _copy_local finds)."""
        key_col = KEY_COLUMN[table]
        found = (f"SELECT {key_col} FROM main.{table} WHERE {key_col} IN "  # noqa: S608
                 "(SELECT value FROM json_each(?))")
        return {r[0] for r in self.conn.execute(found, [json.dumps(wanted)])}

    def _copy_local(self, table: str, wanted: list[str]) -> set[str]:
        lay = self.layouts[table]
        key_col = KEY_COLUMN[table]
        cols = ", ".join(_q(c) for c in lay.columns)
        ident = "id" if lay.has_id else "rowid"
        copy = (f"INSERT INTO theirs.{table} ({ident}, {cols}) SELECT {LOCAL_IDS} + {ident}, "  # noqa: S608
                f"{cols} FROM main.{table} WHERE {key_col} IN (SELECT value FROM json_each(?))")
        self.conn.execute(copy, [json.dumps(wanted)])
        found = f"SELECT {key_col} FROM theirs.{table} WHERE id >= {LOCAL_IDS}"  # noqa: S608
        return {r[0] for r in self.conn.execute(found)}

    # ------------------------------------------------------------------- build
    def build(self) -> None:
        """The store-shaped tables from the raw fragments, in dependency order."""
        for table, lay in self.layouts.items():
            exprs = [self._expr(lay, col) for col in lay.columns]
            ident = "id" if lay.has_id else "rowid"
            cols = ", ".join(_q(c) for c in lay.columns)
            build = (f"INSERT INTO theirs.{table} ({ident}, {cols}) "  # noqa: S608
                     f"SELECT i.rid, {', '.join(exprs)} FROM theirs.{_q('in_' + table)} i")
            self.conn.execute(build)
            if table in KEY_COLUMN:
                index = (f"CREATE INDEX theirs.{_q('key_' + table)} ON {table} "
                         f"({KEY_COLUMN[table]})")
                self.conn.execute(index)

    def _expr(self, lay: Layout, col: str) -> str:
        default = lay.defaults.get(col)
        value = (f"(CASE WHEN i.{_q(col)} IS NULL THEN {default if default else 'NULL'} "
                 f"ELSE json_extract(i.{_q(col)}, '$') END)")
        target = lay.refs.get(col)
        if target in KEY_COLUMN and target in self.layouts:
            # A key that names no row becomes -1, which the merge's checks refuse.
            return (f"(SELECT CASE WHEN v IS NULL THEN NULL ELSE coalesce((SELECT r.id FROM "  # noqa: S608 - fixed names
                    f"theirs.{target} r WHERE r.{KEY_COLUMN[target]} = v AND typeof(v) = "
                    f"'text'), -1) END FROM (SELECT {value} AS v))")
        if col in lay.spec.uid_refs:
            target = lay.spec.uid_refs[col]
            return (f"(SELECT coalesce((SELECT r.uid FROM theirs.{target} r WHERE "  # noqa: S608 - fixed names
                    f"r.{KEY_COLUMN[target]} = v), v) FROM (SELECT {value} AS v))")
        if lay.spec.table == "articles" and col == "uid":
            # The same text here already: the scratch copy takes my uid, so decisions
            # naming it by uid find it.
            return (f"coalesce((SELECT m.uid FROM main.articles m WHERE m.sha256 = "  # noqa: S608 - fixed names
                    f"json_extract(i.sha256, '$')), {value})")
        return value

    # ----------------------------------------------------------------- naming
    def name(self, exc: InputError) -> str:
        """The refusal in the hub's terms: which hub row, and what is wrong with it."""
        from stancemark.store.merge_checks import BadRow

        row = None
        if isinstance(exc, BadRow):
            row = self.conn.execute("SELECT seq, entity, key FROM theirs.hub_rows WHERE rid = ?",
                                    [exc.rowid]).fetchone()
            if row is not None:
                return (f"hub row {row[0]} ({row[1]} {row[2][:40]}): {exc.problem} "
                        "(damaged or crafted hub)")
        for uid in _uids(exc.reason):
            row = self.conn.execute("SELECT seq, entity, key FROM theirs.hub_rows WHERE key = ?",
                                    [uid]).fetchone()
            if row is not None:
                return (f"hub row {row[0]} ({row[1]} {row[2][:40]}): "
                        f"{exc.reason.split('; nothing')[0]}")
        return exc.reason.split("; nothing")[0]


def _uids(text: str) -> list[str]:
    import re

    return re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text)
