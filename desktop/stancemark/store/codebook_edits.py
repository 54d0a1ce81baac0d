"""Codebook removals that touch coded data, and their exact undo.

Removing a vocabulary value or an attribute in use moves its values (to a
replacement) or drops them only when told to (`discard`); every changed row's values
before the edit go into the CodebookRemoval record, so Repository.restore_removed puts
back exactly what was there. Changed annotations get a new updated_at (a merge then
carries the relabel to colleagues' stores: later edit wins) and an audit entry each.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import Any, Protocol

from stancemark.core.attribute_values import values_json
from stancemark.core.codebook import Attribute, Codebook, CodebookError, Value
from stancemark.core.codebook_commands import CodebookRemoval
from stancemark.core.errors import IntegrityError
from stancemark.core.model import now_iso


class CodebookStore(Protocol):
    """What these edits use of the Repository (its codebook mixin has it)."""

    conn: sqlite3.Connection

    def tx(self) -> AbstractContextManager[None]: ...
    def audit(self, action: str, entity: str, uid: str, before: Any = None,
              after: Any = None) -> None: ...
    def codebook(self) -> Codebook: ...
    def codebook_value(self, uid: str) -> tuple[Attribute, Value]: ...


RowKey = str | tuple[str, str]  # annotation uid, or (article uid, annotator uid)


def _dump(value: Any) -> str:
    return values_json(value)


def rows_with(repo: CodebookStore, attr: Attribute) -> list[tuple[RowKey, dict[str, Any]]]:
    """Every row (trash included) whose values set `attr`, with all its values."""
    if attr.kind_uid is not None:
        rows = repo.conn.execute(
            "SELECT an.uid, an.attributes FROM annotations an WHERE an.kind = ? AND "
            "an.attributes != '{}' AND EXISTS (SELECT 1 FROM json_each(an.attributes) j "
            "WHERE j.key = ?) ORDER BY an.id", [attr.kind_uid, attr.uid])
        return [(uid, json.loads(values)) for uid, values in rows]
    rows = repo.conn.execute(
        'SELECT ar.uid, n.uid, v."values" FROM article_variables v '
        "JOIN articles ar ON ar.id = v.article_id JOIN annotators n ON n.id = v.annotator_id "
        'WHERE EXISTS (SELECT 1 FROM json_each(v."values") j WHERE j.key = ?) '
        "ORDER BY v.article_id, v.annotator_id", [attr.uid])
    return [((art, ann), json.loads(values)) for art, ann, values in rows]


def write_rows(repo: CodebookStore, rows: list[tuple[RowKey, dict[str, Any]]], why: str) -> tuple[str, ...]:
    """Store new values for annotations or article variables (inside the caller's
    transaction); returns the article uids touched, for the views."""
    stamp = now_iso()
    articles: list[str] = []
    for key, values in rows:
        if isinstance(key, str):
            before = repo.conn.execute(
                "SELECT an.attributes, ar.uid FROM annotations an JOIN articles ar "
                "ON ar.id = an.article_id WHERE an.uid = ?", [key]).fetchone()
            repo.conn.execute("UPDATE annotations SET attributes = ?, updated_at = ? WHERE uid = ?",
                              [_dump(values), stamp, key])
            repo.audit("update", "annotation", key, {"attributes": json.loads(before[0])},
                        {"attributes": values, "why": why})
            articles.append(before[1])
        else:
            art, ann = key
            art_id = _row_id(repo, "articles", art)
            ann_id = _row_id(repo, "annotators", ann)
            if values:
                repo.conn.execute(
                    'INSERT INTO article_variables (article_id, annotator_id, "values", updated_at) '
                    "VALUES (?,?,?,?) ON CONFLICT (article_id, annotator_id) DO UPDATE SET "
                    '"values" = excluded."values", updated_at = excluded.updated_at',
                    [art_id, ann_id, _dump(values), stamp])
            else:
                repo.conn.execute("DELETE FROM article_variables WHERE article_id = ? AND "
                                  "annotator_id = ?", [art_id, ann_id])
            repo.audit("update", "article_variables", art, {"annotator_uid": ann},
                        {"annotator_uid": ann, "values": values, "why": why})
            articles.append(art)
    return tuple(dict.fromkeys(articles))


def _row_id(repo: CodebookStore, table: str, uid: str) -> int:
    row = repo.conn.execute(f"SELECT id FROM {table} WHERE uid = ?", [uid]).fetchone()  # noqa: S608 - fixed names
    if row is None:
        raise IntegrityError(f"unknown {table[:-1]} {uid}")
    return row[0]


def _split(rows: list[tuple[RowKey, dict[str, Any]]]) -> tuple[tuple, tuple]:
    ann = tuple((k, v) for k, v in rows if isinstance(k, str))
    var = tuple((k[0], k[1], v) for k, v in rows if not isinstance(k, str))
    return ann, var


def _position(book: Codebook, attr: Attribute) -> int:
    pool = book.attributes_of(attr.kind_uid) if attr.kind_uid else book.article_variables()
    return [a.uid for a in pool].index(attr.uid)


def remove_value(repo: CodebookStore, uid: str, *, replacement: str | None) -> CodebookRemoval:
    book = repo.codebook()
    attr, value = repo.codebook_value(uid)
    if replacement is not None and (replacement == uid or attr.value(replacement) is None):
        raise IntegrityError(f"replacement {replacement!r} is not another value of {attr.name!r}")
    rows = [(k, v) for k, v in rows_with(repo, attr) if _has(v.get(attr.uid), uid)]
    default_uses = _has(attr.default, uid)
    if (rows or default_uses) and replacement is None:
        where = f"used by {len(rows)} annotation(s) or article(s)" if rows else ""
        where += (" and " if rows and default_uses else "") + ("the default" if default_uses else "")
        raise IntegrityError(f"value {value.name!r} of {attr.name!r} is {where}; "
                             "give a replacement value")
    after = replace(attr, values=tuple(v for v in attr.values if v.uid != uid),
                    default=_swap(attr, attr.default, uid, replacement))
    Codebook.of(book.kinds, [after if a.uid == attr.uid else a for a in book.attributes])
    new_rows = [(k, {**v, attr.uid: _swap(after, v[attr.uid], uid, replacement)}) for k, v in rows]
    position = list(attr.values).index(value)
    with repo.tx():
        articles = write_rows(repo, new_rows, f"value {value.name!r} merged")
        if default_uses:
            repo.conn.execute("UPDATE codebook_attributes SET default_value = ?, updated_at = ? "
                              "WHERE uid = ?", [_dump(after.default), now_iso(), attr.uid])
        repo.conn.execute("DELETE FROM codebook_values WHERE uid = ?", [uid])
        repo.conn.execute("UPDATE codebook_values SET position = position - 1 "
                          "WHERE attribute_uid = ? AND position > ?", [attr.uid, position])
        repo.audit("delete", "codebook_value", uid, {"attribute_uid": attr.uid, "name": value.name},
                    {"replacement": replacement, "changed": len(new_rows)})
    ann, var = _split(rows)
    return CodebookRemoval(values=((attr.uid, position, value),),
                           defaults=((attr.uid, attr.default),) if default_uses else (),
                           annotations=ann, variables=var, article_uids=articles)


def _has(stored: Any, uid: str) -> bool:
    return stored == uid or (isinstance(stored, list) and uid in stored)


def _swap(attr: Attribute, stored: Any, uid: str, replacement: str | None) -> Any:
    if not _has(stored, uid):
        return stored
    if isinstance(stored, list):
        return attr.check([replacement if v == uid else v for v in stored])
    return replacement


def remove_attribute(repo: CodebookStore, uid: str, *, replacement: str | None,
                     discard: bool) -> CodebookRemoval:
    book = repo.codebook()
    attr = book.attribute(uid)
    if attr is None:
        raise IntegrityError(f"unknown attribute {uid}")
    rows = rows_with(repo, attr)
    target = None
    if replacement is not None:
        target = book.attribute(replacement)
        if (target is None or target.uid == uid or target.kind_uid != attr.kind_uid
                or target.type != attr.type):
            raise IntegrityError(f"replacement {replacement!r} is not another {attr.type} "
                                 f"attribute of the same kind as {attr.name!r}")
    elif rows and not discard:
        raise IntegrityError(f"{attr.name!r} is set on {len(rows)} annotation(s) or article(s); "
                             "give a replacement attribute or discard its values explicitly")
    new_rows = []
    for key, values in rows:
        moved = {k: v for k, v in values.items() if k != uid}
        if target is not None:
            if moved.get(target.uid) is not None:
                raise IntegrityError(f"{target.name!r} is already set where {attr.name!r} is "
                                     f"(e.g. {key if isinstance(key, str) else '/'.join(key)})")
            moved[target.uid] = _carry(attr, target, values[uid])
        new_rows.append((key, moved))
    position = _position(book, attr)
    with repo.tx():
        articles = write_rows(repo, new_rows, f"attribute {attr.name!r} removed")
        repo.conn.execute("DELETE FROM codebook_attributes WHERE uid = ?", [uid])
        repo.audit("delete", "codebook_attribute", uid, attr,
                    {"replacement": replacement, "discarded": bool(rows) and target is None,
                     "changed": len(new_rows)})
    ann, var = _split(rows)
    return CodebookRemoval(attributes=((position, attr),), annotations=ann, variables=var,
                           article_uids=articles)


def _carry(source: Attribute, target: Attribute, stored: Any) -> Any:
    """A value of `source` as `target` stores it: choices matched by value name."""
    if source.type == "choice":
        uids = stored if isinstance(stored, list) else [stored]
        names = [_name(source, u) for u in uids]
        mapped = []
        for name in names:
            v = target.value_by_name(name)
            if v is None:
                raise IntegrityError(f"{target.name!r} has no value named {name!r}")
            mapped.append(v.uid)
        stored = mapped if target.multiple else mapped[0] if len(mapped) == 1 else mapped
    try:
        return target.check(stored)
    except CodebookError as exc:
        raise IntegrityError(str(exc)) from None


def _name(attr: Attribute, uid: str) -> str:
    v = attr.value(uid)
    return v.name if v is not None else uid
