"""The codebook's tables, and the migration that moves a store to them.

Tables (the README documents them for datasette, DuckDB, pandas and R readers):

- codebook_kinds: span kinds (the three built-in ones and any custom kind).
- codebook_attributes: typed attributes; `kind_uid` names the span kind, NULL makes
  the row an article-level variable. `default_value` is JSON (NULL: no default).
- codebook_values: the vocabulary of choice attributes.
  (A kind's or value's key is the column `hotkey`: the team hub's scratch tables keep a
  column named `key` of their own.)
- annotations.attributes: JSON object {attribute uid: stored value}, a choice stored
  as its value's uid (a list of uids when multiple), so renaming a value relabels
  every use; annotations.kind references codebook_kinds(uid).
- article_variables: one row per (article, annotator), `values` a JSON object like
  annotations.attributes.

Nothing in the schema enumerates kinds: the CHECK (kind IN ('actor', 'date',
'stance')) of annotations and review_decisions becomes a reference to the codebook.
SQLite cannot alter a CHECK, so those tables are rebuilt (create the new table from
the stored definition with only the kind column changed, copy every row with its
rowid, drop, rename, recreate the indexes and triggers), inside the migration's
single transaction. The store file was copied beforehand (store.db).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlite_utils import Database

from stancemark.core.builtin_kinds import BUILTIN_KINDS
from stancemark.core.codebook import ATTRIBUTE_TYPES
from stancemark.core.model import now_iso

Runner = Callable[[Database, str], None]
_TYPES = ", ".join(f"'{t}'" for t in ATTRIBUTE_TYPES)

CODEBOOK_TABLES = """
CREATE TABLE codebook_kinds (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    description TEXT NOT NULL DEFAULT '',
    colour TEXT NOT NULL DEFAULT '',
    hotkey TEXT NOT NULL DEFAULT '',
    builtin INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
    position INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX codebook_kinds_name ON codebook_kinds(name COLLATE NOCASE);
CREATE TABLE codebook_attributes (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    kind_uid TEXT REFERENCES codebook_kinds(uid),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    type TEXT NOT NULL CHECK (type IN (@TYPES@)),
    description TEXT NOT NULL DEFAULT '',
    required INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
    default_value TEXT CHECK (default_value IS NULL OR json_valid(default_value)),
    multiple INTEGER NOT NULL DEFAULT 0 CHECK (multiple IN (0, 1)),
    ordered INTEGER NOT NULL DEFAULT 0 CHECK (ordered IN (0, 1)),
    minimum NUMERIC,
    maximum NUMERIC,
    position INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX codebook_attributes_name
    ON codebook_attributes(coalesce(kind_uid, ''), name COLLATE NOCASE);
CREATE TABLE codebook_values (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    attribute_uid TEXT NOT NULL REFERENCES codebook_attributes(uid) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    description TEXT NOT NULL DEFAULT '',
    colour TEXT NOT NULL DEFAULT '',
    hotkey TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX codebook_values_name ON codebook_values(attribute_uid, name COLLATE NOCASE);
CREATE TABLE article_variables (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    "values" TEXT NOT NULL DEFAULT '{}'
        CHECK (json_valid("values") AND json_type("values") = 'object'),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (article_id, annotator_id)
);
INSERT INTO store_info (key, value) VALUES ('codebook_version', '0')
    ON CONFLICT (key) DO NOTHING;
""".replace("@TYPES@", _TYPES)

# Every write to the codebook bumps store_info.codebook_version, so a Repository's
# cached Codebook notices edits made by a merge, by raw SQL or by another process.
_BUMP = ("UPDATE store_info SET value = CAST(value AS INTEGER) + 1 "
         "WHERE key = 'codebook_version';")
VERSION_TRIGGERS = "\n".join(
    f"CREATE TRIGGER {table}_{op.lower()}_version AFTER {op} ON {table} BEGIN {_BUMP} END;"
    for table in ("codebook_kinds", "codebook_attributes", "codebook_values")
    for op in ("INSERT", "UPDATE", "DELETE"))

_KIND_CHECK = re.compile(
    r"kind\s+TEXT\s+NOT\s+NULL\s+CHECK\s*\(\s*kind\s+IN\s*\([^)]*\)\s*\)", re.IGNORECASE)
_KIND_REFERENCE = "kind TEXT NOT NULL REFERENCES codebook_kinds(uid)"


def migrate(db: Database, run: Runner) -> None:
    """The codebook step: tables, built-in kinds, kind CHECKs replaced by references,
    annotations.attributes added. `run` executes a multi-statement script within the
    migration's transaction (schema._run)."""
    run(db, CODEBOOK_TABLES)
    stamp = now_iso()
    for position, k in enumerate(BUILTIN_KINDS):
        db.conn.execute(
            "INSERT INTO codebook_kinds (uid, name, description, colour, hotkey, builtin, "
            "position, created_at, updated_at) VALUES (?,?,?,?,?,1,?,?,?)",
            [k.uid, k.name, k.description, k.colour, k.key, position, stamp, stamp])
    run(db, VERSION_TRIGGERS)
    rebuild_without_kind_check(db, "annotations", run, add_attributes=True)
    rebuild_without_kind_check(db, "review_decisions", run)


ATTRIBUTES_COLUMN = ("attributes TEXT NOT NULL DEFAULT '{}' "
                     "CHECK (json_valid(attributes) AND json_type(attributes) = 'object')")


def rebuild_without_kind_check(db: Database, table: str, run: Runner,
                               add_attributes: bool = False) -> None:
    """Rebuild `table` with its kind CHECK replaced by a reference to the codebook
    (SQLite's documented 12-step ALTER, inside the caller's transaction). Every other
    column, constraint, index and trigger is kept: they are read back from the store's
    own schema, so columns added by earlier steps survive too."""
    conn = db.conn
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                       [table]).fetchone()[0]
    new_sql, found = _KIND_CHECK.subn(_KIND_REFERENCE, sql)
    if found != 1:
        raise RuntimeError(f"{table}: kind CHECK not found in its definition")
    new_sql = re.sub(rf"^CREATE TABLE\s+\"?{table}\"?", f"CREATE TABLE {table}_new", new_sql)
    columns = [f'"{r[1]}"' for r in conn.execute(f'PRAGMA table_info("{table}")')]
    # Indexes and triggers on the table, and triggers elsewhere that name it (a table
    # dropped under a trigger that names it makes the later RENAME fail).
    dependants = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND type IN "
        "('index', 'trigger') AND (tbl_name = ? OR (type = 'trigger' AND sql LIKE ?)) "
        "ORDER BY type = 'trigger', rowid", [table, f"%{table}%"]).fetchall()
    for kind, name, _ in dependants:
        if kind == "trigger":
            conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute(new_sql)
    conn.execute(f'INSERT INTO {table}_new ({", ".join(columns)}) '  # noqa: S608 - its own columns
                 f'SELECT {", ".join(columns)} FROM "{table}"')
    conn.execute(f'DROP TABLE "{table}"')
    conn.execute(f'ALTER TABLE {table}_new RENAME TO "{table}"')
    if add_attributes:  # after the table constraints a column cannot be declared
        conn.execute(f'ALTER TABLE "{table}" ADD COLUMN {ATTRIBUTES_COLUMN}')
    for _, _, dependant_sql in dependants:
        run(db, dependant_sql + ";")
