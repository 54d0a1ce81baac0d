"""Rows for streaming exports: plain records straight from SQL, in export order.

An export of 1,000,000 annotations that builds a dataclass per annotation, keeps every
article in memory to sort them, and asks for each article's status one annotator at a
time spent most of its time in Python bookkeeping and held 1.5 GB (measured by the
benchmark). These functions let an exporter stream instead: the article order and the
statuses come from one query each, and each article's annotations come back as plain
dicts with the same keys and values as the Annotation fields.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import fields
from typing import Any

from stancemark.core.model import Annotation, annotation_fields
from stancemark.store.columns import annotation_select
from stancemark.store.repository import Repository


def json_fields(cls: type) -> frozenset[str]:
    """Fields of a model class holding a JSON object (a dict by default; stored as JSON
    text): meta, and any such field the model grows."""
    return frozenset(f.name for f in fields(cls) if f.default_factory is dict)


# Every Annotation field except article_uid, in sorted order: a JSON writer can then
# skip sorting keys (json.dumps(sort_keys=True) spent a fifth of its time sorting).
RECORD_KEYS: tuple[str, ...] = tuple(sorted(f for f in annotation_fields() if f != "article_uid"))
_JSON_AT = [i for i, k in enumerate(RECORD_KEYS) if k in json_fields(Annotation)]
_RECORD_SELECT = annotation_select(fields=RECORD_KEYS)


def sorted_deep(value: Any) -> Any:
    """JSON-like data with every dict's keys in sorted order (lists keep their order)."""
    if isinstance(value, dict):
        return {k: sorted_deep(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [sorted_deep(v) for v in value]
    return value


# Per annotator, whether one annotation is exported (the search stops at the first):
# a DISTINCT over the join read every exported annotation (0.25 s of a 1,000,000-row
# export). The filters' `ann` is the outer annotator.
_USED_SELECT = ("SELECT ann.uid FROM annotators ann WHERE EXISTS (SELECT 1 FROM annotations an "
                "JOIN articles ar ON ar.id = an.article_id WHERE an.annotator_id = ann.id "
                "AND ar.uid IN (SELECT value FROM json_each(?))")


def placeholders(values: Sequence[str]) -> str:
    """One ? per value, for an IN (...) list."""
    return ",".join("?" * len(values))


def article_order(repo: Repository, uids: Iterable[str]) -> list[str]:
    """These article uids sorted by (added_at, uid); unknown uids are dropped."""
    wanted = json.dumps(list(uids))
    return [r[0] for r in repo.conn.execute(
        "SELECT uid FROM articles WHERE uid IN (SELECT value FROM json_each(?)) "
        "ORDER BY added_at, uid", [wanted])]


def statuses(repo: Repository, article_uids: Iterable[str],
             annotator_uids: Sequence[str] | None) -> dict[str, dict[str, str]]:
    """article uid -> {annotator uid: status} for statuses other than "new"."""
    sql = ("SELECT a.uid, n.uid, s.status FROM article_status s "
           "JOIN articles a ON a.id = s.article_id JOIN annotators n ON n.id = s.annotator_id "
           "WHERE s.status != 'new' AND a.uid IN (SELECT value FROM json_each(?))")
    params: list[Any] = [json.dumps(list(article_uids))]
    if annotator_uids is not None:
        sql += f" AND n.uid IN ({placeholders(annotator_uids)})"
        params += list(annotator_uids)
    out: dict[str, dict[str, str]] = {}
    for art, ann, status in repo.conn.execute(sql, params):
        out.setdefault(art, {})[ann] = status
    return out


def annotation_filters(annotator_uids: Sequence[str] | None, kinds: Sequence[str] | None,
                       include_deleted: bool) -> tuple[str, list[Any]]:
    """The WHERE conditions (each starting with AND) and their parameters that choose the
    exported annotations, `an` joined to its annotator `ann`: shared by the Python and the
    SQLite writers so both choose the same rows."""
    sql, params = "", []
    if annotator_uids is not None:
        sql += f" AND ann.uid IN ({placeholders(annotator_uids)})"
        params += list(annotator_uids)
    if kinds is not None:
        sql += f" AND an.kind IN ({placeholders(kinds)})"
        params += list(kinds)
    if not include_deleted:
        sql += " AND an.deleted_at IS NULL"
    return sql, params


def annotators_used(repo: Repository, article_uids: Iterable[str],
                    annotator_uids: Sequence[str] | None, kinds: Sequence[str] | None,
                    include_deleted: bool) -> set[str]:
    """Uids of annotators with at least one annotation these filters export."""
    extra, params = annotation_filters(annotator_uids, kinds, include_deleted)
    sql = _USED_SELECT + extra + ")"  # noqa: S608 - extra holds placeholders only
    return {r[0] for r in repo.conn.execute(sql, [json.dumps(list(article_uids)), *params])}


def annotation_records(repo: Repository, article_uid: str,
                       annotator_uids: Sequence[str] | None, kinds: Sequence[str] | None,
                       include_deleted: bool) -> list[dict[str, Any]]:
    """One article's annotations as dicts keyed by RECORD_KEYS (sorted, meta too), by
    (start, end, uid): the same filters as Repository.list_annotations, without a
    dataclass per row."""
    extra, params = annotation_filters(annotator_uids, kinds, include_deleted)
    sql = _RECORD_SELECT + " WHERE ar.uid = ?" + extra + ' ORDER BY an.start, an."end", an.uid'
    out = []
    for row in repo.conn.execute(sql, [article_uid, *params]):
        record = dict(zip(RECORD_KEYS, row, strict=True))
        for i in _JSON_AT:
            text = row[i]
            record[RECORD_KEYS[i]] = sorted_deep(json.loads(text)) if text and text != "{}" else {}
        if not record["attributes"]:  # absent when unset: see export_json.ATTRIBUTES
            del record["attributes"]
        out.append(record)
    return out
