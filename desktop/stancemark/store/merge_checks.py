"""Checking a colleague's store before anything of it is merged.

Their file is input like any other: it may have been written by another program, by
a damaged disk, or on purpose with the store's own constraints and triggers removed
(tables rebuilt without them). So every row the merge could copy is checked here,
read-only, against the rules my store and the importers enforce: the columns and
their types, the enumerations, JSON objects, references to rows that exist, one uid
per row, article texts (sha256 of the text, no NUL or CR, not blank) and ISO date
values. The first bad row refuses the merge in one line naming the file and the row,
before my store is backed up or written.

The checks are set-based SQL on the attached file (one scan per table, duplicate
checks skipped where their file's own unique index already guarantees them), plus
one Python pass over the article texts for what SQL cannot say (the hash, NUL
characters) and one over the distinct date values.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from stancemark.core.builtin_kinds import BUILTIN_KIND_UIDS
from stancemark.core.errors import InputError
from stancemark.core.model import ACTOR_KINDS, GRANULARITIES, POLARITIES, STATUSES
from stancemark.store.background import Background
from stancemark.store.columns import ANNOTATION_COLUMNS

# Every column the merge reads, per table (review_decisions only when present).
COLUMNS: dict[str, tuple[str, ...]] = {
    "store_info": ("key", "value"),
    "annotators": ("id", "uid", "name", "colour", "is_gold"),
    "actors": ("id", "uid", "name", "kind", "country", "description", "created_at",
               "updated_at", "deleted_at"),
    "actor_aliases": ("actor_id", "alias"),
    "topics": ("id", "uid", "name", "description", "created_at", "updated_at", "deleted_at"),
    "articles": ("id", "uid", "title", "source", "url", "author", "published", "language",
                 "text", "sha256", "added_at", "meta", "deleted_at"),
    # attributes: not in stores older than the codebook; store.merge_codebook checks it
    "annotations": ("id", *(c for c in ANNOTATION_COLUMNS if c != "attributes")),
    "article_status": ("article_id", "annotator_id", "status", "updated_at"),
}
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "review_decisions": ("uid", "article_uid", "kind", "start", "end", "decision",
                         "source_uids", "chosen_annotator_uid", "gold_uid", "reviewer_uid",
                         "decided_at", "note"),
    "suggestion_decisions": ("id", "uid", "article_id", "annotator_id", "kind", "start", "end",
                             "actor_id", "date_value", "alias", "decision", "annotation_uid",
                             "created_at", "updated_at", "deleted_at"),
}
NOTHING = "nothing was merged"


def _q(column: str) -> str:
    return f'"{column}"'


def _shown(column: str) -> str:
    """SQL for a short, quoted rendering of a value in a message."""
    return f"substr(quote({_q(column)}), 1, 40)"


def _in(values: Iterable[str]) -> str:
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


def _text(column: str) -> tuple[str, str]:
    return (f"typeof({_q(column)}) != 'text'", f"'{column} ' || {_shown(column)} || ' is not text'")


def _opt_text(column: str) -> tuple[str, str]:
    return (f"{_q(column)} IS NOT NULL AND typeof({_q(column)}) != 'text'",
            f"'{column} ' || {_shown(column)} || ' is not text'")


def _name(column: str) -> list[tuple[str, str]]:
    return [_text(column), (f"length(trim({_q(column)})) = 0", f"'{column} is empty'")]


def _integer(column: str) -> tuple[str, str]:
    return (f"typeof({_q(column)}) != 'integer'",
            f"'{column} ' || {_shown(column)} || ' is not a whole number'")


def _choice(column: str, values: tuple[str, ...], optional: bool = False) -> tuple[str, str]:
    test = f"{_q(column)} NOT IN {_in(values)}"
    if not optional:
        test = f"{_q(column)} IS NULL OR " + test
    return (test, f"'{column} ' || {_shown(column)} || ' is not one of {', '.join(values)}'")


def _json(column: str, kind: str) -> list[tuple[str, str]]:
    # Separate WHEN clauses: CASE stops at the first true one, so json_type() never
    # sees malformed JSON (it would raise instead of answering).
    # The first character tells the type of valid JSON without leading white space
    # (all that Stancemark writes), so json_type() runs only for the rest.
    first = "{" if kind == "object" else "["
    return [_text(column),
            (f"NOT json_valid({_q(column)})", f"'{column} is not valid JSON'"),
            (f"substr({_q(column)}, 1, 1) != '{first}' AND json_type({_q(column)}) != '{kind}'",
             f"'{column} is not a JSON {kind}'")]


def _ref(column: str, table: str, what: str, optional: bool = False) -> list[tuple[str, str]]:
    # One rule: a value that is no row id (NULL, text, 2.5) is in no id list either.
    # IS NOT NULL for optional ones: NULL NOT IN (an empty table) is true in SQL.
    test = f"{_q(column)} NOT IN (SELECT id FROM theirs.{table})"  # noqa: S608 - fixed names
    if optional:
        test = f"{_q(column)} IS NOT NULL AND " + test
    else:
        test = f"{_q(column)} IS NULL OR " + test
    return [(test, f"'{column} ' || {_shown(column)} || ' names no {what} of that store'")]


def _uid() -> list[tuple[str, str]]:
    # uid = '' rather than trim(): no copy of the value per row of 200,000.
    return [_text("uid"), ("uid = ''", "'uid is empty'")]


_TIMES = [_text("created_at"), _text("updated_at"), _opt_text("deleted_at")]

# Per table: (condition true for a bad row, SQL text of the reason), first match wins.
RULES: dict[str, list[tuple[str, str]]] = {
    "annotators": [_integer("id"), *_uid(), *_name("name"), _text("colour"),
                   ("is_gold IS NULL OR is_gold NOT IN (0, 1) OR typeof(is_gold) != 'integer'",
                    "'is_gold ' || " + _shown("is_gold") + " || ' is not 0 or 1'")],
    "actors": [_integer("id"), *_uid(), *_name("name"), _choice("kind", ACTOR_KINDS),
               _text("country"), _text("description"), *_TIMES],
    "topics": [_integer("id"), *_uid(), *_name("name"), _text("description"), *_TIMES],
    "articles": [_integer("id"), *_uid(), _text("title"), _text("source"), _text("url"),
                 _text("author"), _text("published"), _text("language"), _text("text"),
                 _text("sha256"), _text("added_at"), *_json("meta", "object"),
                 _opt_text("deleted_at")],
    "actor_aliases": [*_ref("actor_id", "actors", "actor"), *_name("alias")],
    "annotations": [
        *_uid(), *_ref("article_id", "articles", "article"),
        *_ref("annotator_id", "annotators", "annotator"),
        _integer("start"), _integer("end"),
        *_ref("actor_id", "actors", "actor", optional=True),
        *_ref("holder_id", "actors", "actor", optional=True),
        *_ref("target_topic_id", "topics", "topic", optional=True),
        *_ref("target_actor_id", "actors", "actor", optional=True),
        _opt_text("date_value"), *_json("meta", "object")],
    "article_status": [*_ref("article_id", "articles", "article"),
                       *_ref("annotator_id", "annotators", "annotator"),
                       _choice("status", STATUSES), _text("updated_at")],
    "review_decisions": [
        *_uid(), _text("article_uid"), _integer("start"),
        _integer("end"), _choice("decision", ("accept", "edit", "reject")),
        *_json("source_uids", "array"), _opt_text("chosen_annotator_uid"),
        _opt_text("gold_uid"), _text("reviewer_uid"), _text("decided_at"), _text("note")],
    "suggestion_decisions": [
        _integer("id"), *_uid(), *_ref("article_id", "articles", "article"),
        *_ref("annotator_id", "annotators", "annotator"),
        _integer("start"), _integer("end"),
        ("start < 0", "'start ' || start || ' is negative'"),
        ('"end" <= start', "'end ' || \"end\" || ' is not after start ' || start"),
        *_ref("actor_id", "actors", "actor", optional=True),
        ("kind = 'actor' AND actor_id IS NULL", "'an actor suggestion needs an actor'"),
        _opt_text("date_value"), _text("alias"), _choice("decision", ("accept", "reject")),
        _opt_text("annotation_uid"), *_TIMES],
}
# Columns that must not repeat within a table (my store's UNIQUE constraints).
UNIQUE: dict[str, tuple[str, ...]] = {
    "annotators": ("id", "uid", "name"), "actors": ("id", "uid"), "topics": ("id", "uid"),
    "articles": ("id", "uid", "sha256"), "annotations": ("uid",), "review_decisions": ("uid",),
    "suggestion_decisions": ("uid",),
}
# Annotations are the bulk of a store (every rule on 200,000 rows cost about 0.3 s):
# what my own table refuses on insert (its CHECK and NOT NULL constraints, and the
# quote, checked after the insert) is looked for only when that insert failed, to name
# the row. Everything above is what the insert would let through silently (a reference
# dropped by a join, a type my columns' affinity would keep) and is always checked.
ON_FAILURE: dict[str, list[tuple[str, str]]] = {
    "annotations": [
        ("start < 0", "'start ' || start || ' is negative'"),
        ('"end" <= start', "'end ' || \"end\" || ' is not after start ' || start"),
        _text("quote"),
        ("kind = 'actor' AND actor_id IS NULL", "'an actor mention needs an actor'"),
        ("kind = 'date' AND date_value IS NULL", "'a date needs a date value'"),
        _choice("date_granularity", GRANULARITIES, optional=True),
        ("kind = 'date' AND date_granularity IS NULL", "'a date needs a granularity'"),
        _choice("polarity", POLARITIES, optional=True),
        ("kind = 'stance' AND polarity IS NULL", "'a stance needs a polarity'"),
        ("target_topic_id IS NOT NULL AND target_actor_id IS NOT NULL",
         "'a stance targets a topic or an actor, not both'"),
        _opt_text("stance_date"), _text("note"), *_TIMES],
}
# Checked first: the others refer to their ids.
ORDER = ("annotators", "actors", "topics", "articles", "actor_aliases", "annotations",
         "article_status", "review_decisions", "suggestion_decisions")


def check_store(conn: sqlite3.Connection, where: str, thorough: bool = False,
                uri: str | None = None) -> None:
    """Refuse (InputError naming `where` and the row) anything in the attached schema
    `theirs` that my store or an importer would not accept. `thorough` adds the rules
    my store enforces itself (ON_FAILURE): for naming the row after an insert failed.
    With `uri` (the attached file, read-only), the texts are checked in a thread on a
    connection of their own while the row rules run; errors come in the same order."""
    present = {r[0] for r in conn.execute(
        "SELECT name FROM theirs.sqlite_master WHERE type = 'table'")}
    tables = [t for t in ORDER if t in COLUMNS or t in present]
    for table in ("store_info", *tables):
        _check_columns(conn, table, present, where)
    texts = Background("texts", lambda: _check_file_texts(uri, where)) if uri else None
    try:
        for table in tables:
            _check_unique(conn, table, where)
            _check_rows(conn, table, where, thorough)
        _check_kinds(conn, where, present)
        _check_actor_colours(conn, where)
        if texts is None:
            _check_texts(conn, where)
        else:
            texts.result()
    finally:
        if texts is not None:
            texts.wait()
    _check_dates(conn, where)
    row = conn.execute("SELECT typeof(value) FROM theirs.store_info "
                       "WHERE key = 'store_uid'").fetchone()
    if row and row[0] != "text":
        raise InputError(f"store_info: store_uid is not text (damaged store); {NOTHING}", where)


def their_actor_colours(conn: sqlite3.Connection) -> bool:
    """True when their actors carry a chosen colour (stores from before m009 do not)."""
    return any(r[0] == "colour" for r in conn.execute(
        "SELECT name FROM pragma_table_info('actors', 'theirs')"))


_COLOUR = "#" + "[0-9A-F]" * 6  # GLOB of #RRGGBB, as the store writes it


def _check_actor_colours(conn: sqlite3.Connection, where: str) -> None:
    if not their_actor_colours(conn):
        return
    row = conn.execute(
        "SELECT rowid, CASE WHEN typeof(uid) = 'text' THEN substr(uid, 1, 40) END, "
        "substr(quote(colour), 1, 40) FROM theirs.actors "
        "WHERE typeof(colour) != 'text' OR (colour != '' AND colour NOT GLOB ?) LIMIT 1",
        [_COLOUR]).fetchone()
    if row:  # a BadRow, so the hub's pull names its own row
        raise BadRow("actors", row[0], row[1], f"colour {row[2]} is not #RRGGBB", where)


def _row_query(table: str, thorough: bool) -> str:
    rules = RULES[table] + (ON_FAILURE.get(table, []) if thorough else [])
    why = "CASE " + " ".join(f"WHEN {test} THEN {reason}" for test, reason in rules) + " END"
    has_uid = "uid" in COLUMNS.get(table, OPTIONAL_COLUMNS.get(table, ()))
    uid = "CASE WHEN typeof(uid) = 'text' THEN substr(uid, 1, 40) END" if has_uid else "NULL"
    # The reason is computed again only for the one row returned.
    return (f"SELECT rowid, {uid}, {why} FROM theirs.{_q(table)} "  # noqa: S608 - fixed SQL
            f"WHERE ({why}) IS NOT NULL LIMIT 1")


def _duplicate_query(table: str, column: str) -> str:
    return (f"SELECT min(rowid), max(rowid), {_shown(column)} FROM theirs.{_q(table)} "  # noqa: S608
            f"WHERE {_q(column)} IS NOT NULL GROUP BY {_q(column)} HAVING count(*) > 1 LIMIT 1")


# The statements, built once from the fixed rules above (no value ever goes in).
ROW_QUERIES = {(t, thorough): _row_query(t, thorough) for t in ORDER for thorough in (False, True)}
DUPLICATE_QUERIES = {(t, c): _duplicate_query(t, c) for t, cols in UNIQUE.items() for c in cols}


def _check_columns(conn: sqlite3.Connection, table: str, present: set[str], where: str) -> None:
    wanted = COLUMNS.get(table) or OPTIONAL_COLUMNS[table]
    if table not in present:
        raise InputError(f"no table {table} (not a whole Stancemark store); {NOTHING}", where)
    have = {r[0] for r in conn.execute("SELECT name FROM pragma_table_info(?, 'theirs')",
                                       [table])}
    missing = [c for c in wanted if c not in have]
    if missing:
        raise InputError(f"table {table} lacks column(s) {', '.join(missing)} (damaged store); "
                         f"{NOTHING}", where)


def _guaranteed_unique(conn: sqlite3.Connection, table: str, column: str) -> bool:
    """True when their file itself enforces one row per value (rowid alias or a unique
    index on that column alone), so the duplicate scan can be skipped. Their index
    names are values of their file: passed as parameters, never into the SQL text."""
    pks = conn.execute("SELECT name, upper(type) FROM pragma_table_info(?, 'theirs') "
                       "WHERE pk > 0", [table]).fetchall()
    if pks == [(column, "INTEGER")]:
        return True
    for (index,) in conn.execute("SELECT name FROM pragma_index_list(?, 'theirs') "
                                 "WHERE \"unique\" AND NOT partial", [table]).fetchall():
        cols = [r[0] for r in conn.execute("SELECT name FROM pragma_index_info(?, 'theirs')",
                                           [index])]
        if cols == [column]:
            return True
    return False


def _check_unique(conn: sqlite3.Connection, table: str, where: str) -> None:
    for column in UNIQUE.get(table, ()):
        if _guaranteed_unique(conn, table, column):
            continue
        row = conn.execute(DUPLICATE_QUERIES[table, column]).fetchone()
        if row:
            raise BadRow(table, row[1], None, f"{column} {row[2]} is also that of row {row[0]}",
                         where, "damaged store")


def _check_rows(conn: sqlite3.Connection, table: str, where: str, thorough: bool) -> None:
    row = conn.execute(ROW_QUERIES[table, thorough]).fetchone()
    if row:
        raise BadRow(table, row[0], row[1], row[2], where)


def _row(table: str, rowid: int, uid: str | None) -> str:
    return f"{table} row {rowid}" + (f" (uid {uid})" if uid else "")


class BadRow(InputError):
    """A refused row, with where it is (`table`, `rowid`) and what is wrong (`problem`),
    so that a caller laying out other input as a store (the hub's pull) can name the row
    in its own terms."""

    def __init__(self, table: str, rowid: int, uid: str | None, problem: str, where: str,
                 kind: str = "damaged or crafted store"):
        super().__init__(f"{_row(table, rowid, uid)}: {problem} ({kind}); {NOTHING}", where)
        self.table, self.rowid, self.problem = table, rowid, problem


KIND_SHOWN = _shown("kind")


def _check_kinds(conn: sqlite3.Connection, where: str, present: set[str]) -> None:
    """Every annotation and review decision is of a span kind of their codebook or mine
    (the built-in kinds in a store older than the codebook; a hub pull lays out only the
    codebook rows that changed, the others are mine already)."""
    kinds = list(BUILTIN_KIND_UIDS)
    for schema in ("theirs", "main"):
        if schema == "main" or "codebook_kinds" in present:
            kinds += [r[0] for r in conn.execute(
                f"SELECT uid FROM {schema}.codebook_kinds ORDER BY position, id")  # noqa: S608
                if r[0] not in kinds]
    known = json.dumps(kinds)
    for table in ("annotations", "review_decisions", "suggestion_decisions"):
        if table not in present:
            continue
        row = conn.execute(
            f"SELECT rowid, CASE WHEN typeof(uid) = 'text' THEN substr(uid, 1, 40) END, "  # noqa: S608
            f"{KIND_SHOWN} FROM theirs.{table} WHERE kind IS NULL OR kind NOT IN "
            "(SELECT value FROM json_each(?)) LIMIT 1", [known]).fetchone()
        if row:
            listed = ", ".join(kinds[:10]) + (", ..." if len(kinds) > 10 else "")
            raise BadRow(table, row[0], row[1], f"kind {row[2]} is not one of {listed}", where)


def _check_texts(conn: sqlite3.Connection, where: str) -> None:
    """What the importers refuse in a text, and a sha256 that is not the text's (later
    imports of the real text would be skipped as duplicates of it). Read as bytes: the
    hash needs them, and decoding only to check the UTF-8 is cheaper than a str."""
    import hashlib

    rows = conn.execute("SELECT rowid, uid, CAST(text AS BLOB), sha256 FROM theirs.articles")
    try:
        for rowid, uid, raw, sha in rows:
            problem = ""
            if b"\x00" in raw:
                problem = "text holds NUL characters"
            elif b"\r" in raw:
                problem = "text holds CR characters (store texts are LF-normalised)"
            elif hashlib.sha256(raw).hexdigest() != sha:
                problem = "sha256 is not the hash of its text"
            else:
                try:
                    text = raw if raw.isascii() else raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    problem = f"text is not valid UTF-8 (byte {exc.start})"
                else:
                    if not text or text.isspace():
                        problem = "text is empty"
            if problem:
                raise BadRow("articles", rowid, uid, problem, where)
    finally:
        rows.close()  # an open statement would keep the attached file busy


def _check_file_texts(uri: str, where: str) -> None:
    """_check_texts on a connection of its own, with the file at `uri` attached as
    `theirs` (so the same statement reads it)."""
    conn = sqlite3.connect("file::memory:", uri=True)
    try:
        conn.execute("ATTACH DATABASE ? AS theirs", [uri])
        _check_texts(conn, where)
    finally:
        conn.close()


def _check_dates(conn: sqlite3.Connection, where: str) -> None:
    """Date values must be ISO 8601, as the importers require; few distinct values."""
    from stancemark.core.dates import is_iso_value

    tables = ["annotations"]
    if conn.execute("SELECT 1 FROM theirs.sqlite_master WHERE type = 'table' "
                    "AND name = 'suggestion_decisions'").fetchone():
        tables.append("suggestion_decisions")  # a suggested date's value, where it has one
    for table in tables:
        # a suggested date may have no value (an undated article's "yesterday")
        values = conn.execute(f"SELECT DISTINCT date_value FROM theirs.{table} "  # noqa: S608
                              "WHERE kind = 'date'")
        bad = [v for (v,) in values if not (v is None and table != "annotations")
               and not is_iso_value(v)]
        if bad:
            rowid, uid = conn.execute(f"SELECT rowid, uid FROM theirs.{table} "  # noqa: S608
                                      "WHERE kind = 'date' AND date_value = ? LIMIT 1",
                                      [bad[0]]).fetchone()
            raise BadRow(table, rowid, uid,
                         f"date value {bad[0]!r} is not an ISO 8601 date", where)
