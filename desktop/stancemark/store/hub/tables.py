"""Which store tables sync through the hub, and how each becomes a hub row.

Generic over columns: a table's columns are read from the store itself (PRAGMA
table_info) and its references from its foreign keys (PRAGMA foreign_key_list), so a
column added by a migration (the codebook's attribute values) syncs with no change here,
and a new table syncs by adding one line below (plus its entity's rule in the hub, see
store.hub.schema). In a hub row, a reference to another row is that row's hub key.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Synced:
    table: str  # the store's table
    entity: str  # its rows' entity name on the hub
    key: tuple[str, ...]  # columns (references as keys) that identify a row across stores
    owner: str  # whose row it is: self (annotators), annotator, reviewer, creator
    edited: tuple[str, ...] = ()  # time columns; the latest is the row's edit time
    uid_refs: dict[str, str] = field(default_factory=dict)  # text columns naming rows by uid


# In dependency order: a row's references come before it (the hub checks an annotation's
# annotator row, and a pull lays rows out in this order).
SYNCED: tuple[Synced, ...] = (
    Synced("annotators", "annotator", ("uid",), "self"),
    # The codebook (when the store has it): kinds, attributes, vocabularies.
    Synced("codebook_kinds", "codebook_kind", ("uid",), "creator", ("updated_at",)),
    Synced("codebook_attributes", "codebook_attribute", ("uid",), "creator", ("updated_at",)),
    Synced("codebook_values", "codebook_value", ("uid",), "creator"),
    Synced("actors", "actor", ("uid",), "creator", ("updated_at", "deleted_at")),
    Synced("topics", "topic", ("uid",), "creator", ("updated_at", "deleted_at")),
    Synced("articles", "article", ("sha256",), "creator", ("deleted_at",)),
    Synced("actor_aliases", "alias", ("actor_id", "alias"), "creator"),
    Synced("annotations", "annotation", ("uid",), "annotator", ("updated_at", "deleted_at")),
    Synced("article_status", "status", ("article_id", "annotator_id"), "annotator",
           ("updated_at",)),
    Synced("article_variables", "article_variable", ("article_id", "annotator_id"),
           "annotator", ("updated_at",)),
    Synced("review_decisions", "decision", ("uid",), "reviewer", ("decided_at",),
           {"article_uid": "articles"}),
    # Each annotator's own accepts and rejects of suggestions (undone ones in the trash).
    Synced("suggestion_decisions", "suggestion_decision", ("uid",), "annotator",
           ("updated_at", "deleted_at")),
)
BY_TABLE = {s.table: s for s in SYNCED}
BY_ENTITY = {s.entity: s for s in SYNCED}
# Tables other rows refer to, with the column that is their hub key.
KEY_COLUMN = {"articles": "sha256", "annotators": "uid", "actors": "uid", "topics": "uid",
              "annotations": "uid", "review_decisions": "uid", "codebook_kinds": "uid",
              "codebook_attributes": "uid", "codebook_values": "uid"}


@dataclass(frozen=True)
class Layout:
    """A synced table as this store has it: its columns and where they point."""

    spec: Synced
    columns: tuple[str, ...]  # every column but the integer row id
    has_id: bool  # an INTEGER PRIMARY KEY `id` column
    refs: dict[str, str]  # column -> referenced table (foreign keys to its row id)
    defaults: dict[str, str | None]  # column -> SQL default (for rows lacking it)
    key_refs: dict[str, str] = field(default_factory=dict)  # foreign keys to its uid/key


def layouts(conn: sqlite3.Connection) -> list[Layout]:
    """The synced tables present in this store, in dependency order."""
    present = {r[0] for r in conn.execute(
        "SELECT name FROM main.sqlite_master WHERE type = 'table'")}
    out = []
    for spec in SYNCED:
        if spec.table not in present:
            continue
        info = conn.execute("SELECT name, pk, type, dflt_value FROM pragma_table_info(?, 'main')",
                            [spec.table]).fetchall()
        has_id = any(name == "id" and pk == 1 and typ.upper() == "INTEGER"
                     for name, pk, typ, _ in info)
        refs: dict[str, str] = {}  # column -> table it references
        key_refs: dict[str, str] = {}
        for col, table, to in conn.execute('SELECT "from", "table", "to" FROM '
                                           "pragma_foreign_key_list(?, 'main')", [spec.table]):
            # A reference to the other row's key (the codebook names kinds by uid) is
            # already what the hub uses; one to its row id is translated.
            (key_refs if to is not None and to == KEY_COLUMN.get(table) else refs)[col] = table
        out.append(Layout(spec, tuple(n for n, *_ in info if not (has_id and n == "id")),
                          has_id, refs, {n: d for n, _, _, d in info}, key_refs))
    return out
