"""Article lines of the native JSONL export, built by SQLite.

Building a Python dict per annotation and encoding it with json.dumps cost about half
of a 1,000,000-annotation export (the rest was fetching rows one by one). SQLite
builds the same JSON in C, as the benchmark's yardstick does: one query yields each
article's whole line, its annotations in order inside it.

The bytes are those json.dumps(ensure_ascii=False, separators=(",", ":")) writes for
the same records with sorted keys (formats/native_jsonl.py):
- keys are written in sorted order, from the model's field names;
- values go through json_object() or json_quote(), whose escaping is Python's (", \\
  and the control characters, nothing else); `json_matches_python` checks that on the
  running SQLite before an export relies on it (the caller falls back to Python);
- JSON columns (the dict fields: meta, and any other the model grows) are re-encoded
  by Python (parsed, keys sorted deep) through a function registered on the
  connection, called only where the value is not '{}', and pass through json(), which
  keeps a JSON text as it is (also checked); a value Python writes as Infinity or NaN
  (not JSON) sends the export to Python.
Column expressions come from store/columns.py, so a new field reaches the export by
being added there and to the model.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import fields

from stancemark.core.model import Annotation, Article
from stancemark.store.columns import ANNOTATION_FIELDS, ARTICLE_COLUMNS, annotation_joins
from stancemark.store.export_rows import annotation_filters, json_fields, placeholders

_CANONICAL = "stancemark_canonical_json"


# sort_keys sorts every level as export_rows.sorted_deep does, in C; one encoder made
# once rather than one per call (50,000 article metas in the benchmark's export).
_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def canonical_json(text: str | None) -> str:
    """A stored JSON object as the export writes it: keys sorted at every level, no
    white space, non-ASCII kept."""
    return _ENCODE(json.loads(text)) if text else "{}"


class NotInSQL(Exception):
    """A stored JSON value SQLite cannot carry as Python writes it (a number too large
    for a float, which Python writes as Infinity): export it through Python."""


def _not_json(out: str) -> bool:
    """Whether Python's text holds Infinity or NaN (which json() refuses)."""
    if "Infinity" not in out and "NaN" not in out:  # cheap test first
        return False
    try:
        json.dumps(json.loads(out), allow_nan=False)
    except ValueError:
        return True
    return False


_ARTICLE_SQL = {c.strip(): "a." + c.strip() for c in ARTICLE_COLUMNS.split(",")}
if set(_ARTICLE_SQL) != {f.name for f in fields(Article)}:  # pragma: no cover
    raise RuntimeError("ARTICLE_COLUMNS and the Article fields disagree")


def _value(sql: str, is_json: bool) -> str:
    """SQL of a column's JSON text (for printf)."""
    if is_json:
        return f"CASE WHEN {sql} = '{{}}' THEN '{{}}' ELSE {_CANONICAL}({sql}) END"
    return f"json_quote({sql})"


def _object(parts: dict[str, str]) -> str:
    """SQL writing a JSON object from key -> SQL of the value's JSON text, keys sorted.
    One printf() rather than a chain of ||, which copies the growing line (the article
    text, its annotations) once per key."""
    template = "{" + ",".join(f"{json.dumps(k)}:%s" for k in sorted(parts)) + "}"
    return f"printf('{template}', " + ", ".join(parts[k] for k in sorted(parts)) + ")"


# Attribute values: absent from an annotation that has none (so a store of built-in kinds
# writes version 1 files, byte for byte as before the codebook), and otherwise copied as
# stored: the store keeps them in the canonical text (core.attribute_values.values_json,
# keys sorted, compact), which is what the Python writer produces, so no re-encoding.
ATTRIBUTES = "attributes"


def _annotation_object() -> str:
    """json_object() of one annotation (C-level, cheaper than printf with a json_quote
    per value); a JSON column goes in through json(), which keeps its text as is."""
    in_json = json_fields(Annotation) - {ATTRIBUTES}
    items = []
    attributes = ""
    for k, sql in sorted((f.name, f.select) for f in ANNOTATION_FIELDS):
        if k == "article_uid":
            continue
        if k == ATTRIBUTES:
            attributes = sql
            items.append("@ATTRIBUTES@")
            continue
        value = f"json({_value(sql, True)})" if k in in_json else sql
        items.append(f"'{k}', {value}")
    without = "json_object(" + ", ".join(i for i in items if i != "@ATTRIBUTES@") + ")"
    with_them = "json_object(" + ", ".join(
        f"'{ATTRIBUTES}', json({attributes})" if i == "@ATTRIBUTES@" else i for i in items) + ")"
    return f"CASE WHEN {attributes} = '{{}}' THEN {without} ELSE {with_them} END"


def article_lines(conn: sqlite3.Connection, uids: Sequence[str],
                  annotator_uids: Sequence[str] | None, status_annotators: Sequence[str],
                  kinds: Sequence[str] | None, include_deleted: bool) -> Iterator[bytes]:
    """Each article's JSON line in UTF-8 (without the newline), in export order
    (added_at, uid):
    its fields, "type": "article", the statuses other than "new" of `status_annotators`,
    and its annotations (of `annotator_uids` and `kinds`, None: all; trashed ones when
    `include_deleted`) ordered by (start, end, uid)."""
    refused: list[str] = []

    def canonical(text: str | None) -> str:
        out = canonical_json(text)
        if _not_json(out):
            refused.append(out)
            raise NotInSQL(out)  # SQLite stops the query with an OperationalError
        return out

    conn.create_function(_CANONICAL, 1, canonical, deterministic=True)
    ann_where, params = annotation_filters(annotator_uids, kinds, include_deleted)
    # Fixed names and ? placeholders only (noqa: S608 below).
    annotations = (f"(SELECT '[' || coalesce(group_concat(j, ','), '') || ']' FROM ("  # noqa: S608
                   f"SELECT {_annotation_object()} AS j {annotation_joins()}"
                   f"WHERE an.article_id = a.id{ann_where} "
                   f'ORDER BY an.start, an."end", an.uid))')
    status = ("(SELECT '{' || coalesce(group_concat(json_quote(k) || ':' || json_quote(v), "  # noqa: S608
              "','), '') || '}' FROM (SELECT n.uid AS k, s.status AS v FROM article_status s "
              "JOIN annotators n ON n.id = s.annotator_id WHERE s.article_id = a.id "
              f"AND s.status != 'new' AND n.uid IN ({placeholders(status_annotators)}) ORDER BY n.uid))")
    params += list(status_annotators)
    in_json = json_fields(Article)
    parts = {k: _value(sql, k in in_json) for k, sql in _ARTICLE_SQL.items()}
    parts.update(type="'\"article\"'", annotations=annotations, status=status)
    # The articles in export order by their ids first (a sort of small rows), then the
    # lines in that order: an ORDER BY on the lines' query sorted the finished lines,
    # copying every byte of the export into SQLite's sorter, which spills to temporary
    # files beyond its few megabytes (a third of the export's time). A CROSS JOIN makes
    # the id list the outer loop, read in array order; each line's id is checked.
    order = [r[0] for r in conn.execute(
        "SELECT id FROM articles WHERE uid IN (SELECT value FROM json_each(?)) "
        "ORDER BY added_at, uid", [json.dumps(list(uids))])]
    # As a BLOB: the UTF-8 bytes as SQLite built them, for a file written in UTF-8.
    sql = (f"SELECT a.id, CAST({_object(parts)} AS BLOB) FROM json_each(?) j "  # noqa: S608
           "CROSS JOIN articles a ON a.id = j.value")  # names and ? only
    rows = None
    try:
        rows = conn.execute(sql, [*params, json.dumps(order)])
        for i, (article_id, line) in enumerate(rows):
            if article_id != order[i]:  # pragma: no cover - SQLite reads json_each in order
                raise NotInSQL(f"article {article_id} out of order")
            yield line
    except sqlite3.OperationalError:
        if refused:
            raise NotInSQL(refused[0]) from None
        raise
    finally:
        if rows is not None:
            rows.close()


def count_annotations(conn: sqlite3.Connection, uids: Sequence[str],
                      annotator_uids: Sequence[str] | None, kinds: Sequence[str] | None,
                      include_deleted: bool) -> int:
    """How many annotations article_lines writes for the same arguments."""
    sql = ("SELECT count(*) FROM annotations an JOIN annotators ann ON ann.id = an.annotator_id "
           "WHERE an.article_id IN (SELECT id FROM articles "
           "WHERE uid IN (SELECT value FROM json_each(?)))")
    extra, params = annotation_filters(annotator_uids, kinds, include_deleted)
    return int(conn.execute(sql + extra, [json.dumps(list(uids)), *params]).fetchone()[0])


# Every character Python's encoder treats specially or might be escaped elsewhere: the
# control characters, quote, backslash, slash, DEL, C1 controls, line and paragraph
# separators, the BOM, the last BMP and the last astral code point.
_PROBE = ("".join(map(chr, range(0x20))) + "\"\\/\x7f\x80\x9f\u2028\u2029\ufeff\uffff"
          "\U0001f600\U0010ffff é 中")


_PROBE_JSON = {"b": [1.5, 1e16, -0.0, 12345678901234567890, None, True], "a": _PROBE}


def json_matches_python(conn: sqlite3.Connection) -> bool:
    """Whether this SQLite writes JSON as Python's json does: string escapes, numbers,
    null, and a JSON text passed through json() kept as it is; and whether the store
    keeps its text in UTF-8."""
    probe = canonical_json(json.dumps(_PROBE_JSON))
    want = json.dumps({"n": None, "s": _PROBE, "i": -12, "j": json.loads(probe)},
                      ensure_ascii=False, separators=(",", ":"))
    if conn.execute("PRAGMA encoding", ()).fetchone()[0] != "UTF-8":
        return False  # article_lines hands on SQLite's bytes as the file's UTF-8
    try:
        got = conn.execute("SELECT json_object('n', NULL, 's', ?, 'i', -12, 'j', json(?)), "
                           "printf('%s', json_quote(?))", [_PROBE, probe, _PROBE]).fetchone()
    except sqlite3.Error:  # no JSON functions in this SQLite
        return False
    return tuple(got) == (want, json.dumps(_PROBE, ensure_ascii=False))
