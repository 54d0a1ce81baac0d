"""Decisions on suggestions in the store (table suggestion_decisions, migration m008):
the Repository's methods for them, as a mixin, and what merges and purges need.

A decision is recorded with its own uid, so the redo of an undone accept or reject
writes the same row again; an undo moves it to the trash (deleted_at), which the merge
and the hub carry like any later edit.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from stancemark.core.errors import IntegrityError, existing
from stancemark.core.model import Annotator, now_iso
from stancemark.core.suggestion_decisions import DECISIONS, SuggestionDecision

_SELECT = """
SELECT d.uid, ar.uid, ann.uid, d.kind, d.start, d."end", d.decision, ac.uid, d.date_value,
       d.alias, d.annotation_uid, d.created_at, d.updated_at, d.deleted_at
FROM suggestion_decisions d
JOIN articles ar ON ar.id = d.article_id
JOIN annotators ann ON ann.id = d.annotator_id
LEFT JOIN actors ac ON ac.id = d.actor_id
"""


def _decision(row: tuple) -> SuggestionDecision:
    return SuggestionDecision(*row)


class SuggestionMixin:
    """Mixed into store.repository.Repository."""

    conn: sqlite3.Connection  # set by Repository.__init__

    if TYPE_CHECKING:  # Repository's plumbing, declared so the calls below are checked
        @property
        def annotator(self) -> Annotator: ...
        def tx(self) -> AbstractContextManager[None]: ...
        def _one(self, sql: str, params: Iterable[Any] = ()) -> tuple | None: ...
        def _id(self, table: str, uid: str | None, what: str) -> int | None: ...
        def audit(self, action: str, entity: str, uid: str, before: Any = None,
                  after: Any = None) -> None: ...

    def get_suggestion_decision(self, uid: str) -> SuggestionDecision | None:
        row = self._one(_SELECT + " WHERE d.uid = ?", [uid])
        return _decision(row) if row else None

    def suggestion_decisions(self, article_uid: str, annotator_uid: str | None = None, *,
                             include_deleted: bool = False) -> list[SuggestionDecision]:
        """Decisions in one article (of one annotator, or everyone's), by start."""
        sql = _SELECT + " WHERE ar.uid = ?"
        params: list[Any] = [article_uid]
        if annotator_uid is not None:
            sql += " AND ann.uid = ?"
            params.append(annotator_uid)
        if not include_deleted:
            sql += " AND d.deleted_at IS NULL"
        sql += ' ORDER BY d.start, d."end", d.id'
        return [_decision(r) for r in self.conn.execute(sql, params)]

    def all_suggestion_decisions(self) -> list[SuggestionDecision]:
        """Every decision, trashed ones too, by uid (what a native JSONL export writes)."""
        return [_decision(r) for r in self.conn.execute(_SELECT + " ORDER BY d.uid")]

    def import_suggestion_decision(self, d: SuggestionDecision) -> bool:
        """Store a decision as a file gives it, times and trash included (a native
        JSONL import); False, and nothing written, if its uid is already stored. Its
        article, annotator and actor must be in the store."""
        if d.decision not in DECISIONS:
            raise IntegrityError(f"suggestion decision {d.uid}: unknown decision "
                                 f"{d.decision!r} (use {' or '.join(DECISIONS)})")
        if d.end <= d.start or d.start < 0:
            raise IntegrityError(f"suggestion decision {d.uid}: {d.start}-{d.end} is not a span")
        with self.tx():
            if self.get_suggestion_decision(d.uid) is not None:
                return False
            stamp = now_iso()
            d = d.with_changes(created_at=d.created_at or stamp,
                               updated_at=d.updated_at or d.created_at or stamp)
            self._insert_decision(d)
        return True

    def _insert_decision(self, d: SuggestionDecision) -> None:
        """One row for `d` as it is (inside the caller's transaction), and its audit row."""
        try:
            self.conn.execute(
                "INSERT INTO suggestion_decisions (uid, article_id, annotator_id, kind, "
                'start, "end", actor_id, date_value, alias, decision, annotation_uid, '
                "created_at, updated_at, deleted_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [d.uid, self._id("articles", d.article_uid, "article"),
                 self._id("annotators", d.annotator_uid, "annotator"), d.kind, d.start,
                 d.end, self._id("actors", d.actor_uid, "actor"), d.date_value, d.alias,
                 d.decision, d.annotation_uid, d.created_at, d.updated_at, d.deleted_at])
        except sqlite3.IntegrityError as exc:  # an unknown kind, a repeated uid
            raise IntegrityError(f"suggestion decision {d.uid}: {exc}") from None
        self.audit("create", "suggestion_decision", d.uid, None, d)

    def record_suggestion_decision(self, d: SuggestionDecision) -> SuggestionDecision:
        """Store a decision (annotator and times filled in when missing). A decision of
        that uid in the trash (an undone one: this is its redo) comes back out of it."""
        if d.decision not in DECISIONS:
            raise IntegrityError(f"unknown suggestion decision {d.decision!r} "
                                 f"(use {' or '.join(DECISIONS)})")
        if d.end <= d.start or d.start < 0:
            raise IntegrityError(f"suggestion span {d.start}-{d.end} is not a span")
        stamp = now_iso()
        with self.tx():
            before = self.get_suggestion_decision(d.uid)
            if before is not None:
                if before.deleted_at is None:
                    return before
                self.conn.execute("UPDATE suggestion_decisions SET deleted_at = NULL, "
                                  "updated_at = ? WHERE uid = ?", [stamp, d.uid])
                self.audit("restore", "suggestion_decision", d.uid, None, None)
                return existing(self.get_suggestion_decision(d.uid), "suggestion decision",
                                d.uid)
            d = d.with_changes(annotator_uid=d.annotator_uid or self.annotator.uid,
                               created_at=d.created_at or stamp,
                               updated_at=d.updated_at or stamp, deleted_at=None)
            self._insert_decision(d)
        return d

    def undo_suggestion_decision(self, uid: str) -> SuggestionDecision:
        """Move a decision to the trash (the undo of recording it); returns it as stored."""
        stamp = now_iso()
        with self.tx():
            cur = self.conn.execute("UPDATE suggestion_decisions SET deleted_at = ?, "
                                    "updated_at = ? WHERE uid = ? AND deleted_at IS NULL",
                                    [stamp, stamp, uid])
            after = existing(self.get_suggestion_decision(uid), "suggestion decision", uid)
            if cur.rowcount:
                self.audit("delete", "suggestion_decision", uid, None, None)
        return after

    def rejected_suggestion_keys(self, article_uid: str,
                                 annotator_uid: str | None = None) -> set[str]:
        """Suggestion.key of every live rejection in an article by an annotator (the
        current one by default): those are not proposed to them again there."""
        return rejected_keys(self.conn, article_uid, annotator_uid or self.annotator.uid)

    def suggestion_alias_counts(self, annotator_uid: str | None = None
                                ) -> dict[str, tuple[int, int]]:
        """alias -> (accepted, rejected), over live decisions of every annotator (the
        team learns together, merged stores included) or of one."""
        sql = ("SELECT d.alias, sum(d.decision = 'accept'), sum(d.decision = 'reject') "
               "FROM suggestion_decisions d WHERE d.deleted_at IS NULL AND d.alias != ''")
        params: list[Any] = []
        if annotator_uid is not None:
            sql += " AND d.annotator_id = (SELECT id FROM annotators WHERE uid = ?)"
            params.append(annotator_uid)
        return {alias: (int(a), int(r)) for alias, a, r in
                self.conn.execute(sql + " GROUP BY d.alias", params)}


def rejected_keys(conn: sqlite3.Connection, article_uid: str, annotator_uid: str) -> set[str]:
    """Suggestion.key of every live rejection by an annotator in an article (also read
    by the suggestion worker, store/suggest_worker.py, on its own connection)."""
    sql = _SELECT + (" WHERE ar.uid = ? AND ann.uid = ? AND d.deleted_at IS NULL "
                     "AND d.decision = 'reject'")
    return {_decision(r).key for r in conn.execute(sql, [article_uid, annotator_uid])}


def purge_decisions(conn: sqlite3.Connection, column: str, row_id: int) -> int:
    """Remove the decisions naming an article or actor that is being purged for good
    (`column` article_id or actor_id; a decision about a row that no longer exists
    means nothing). Inside the purge's transaction; returns how many went."""
    statement = _PURGES.get(column)
    if statement is None:
        raise ValueError(f"decisions are not purged by {column}")
    return conn.execute(statement, [row_id]).rowcount


_PURGES = {"article_id": "DELETE FROM suggestion_decisions WHERE article_id = ?",
           "actor_id": "DELETE FROM suggestion_decisions WHERE actor_id = ?"}


def move_decisions(conn: sqlite3.Connection, keep_id: int, drop_id: int,
                   stamp: str) -> tuple[list[str], list[str]]:
    """The merge of two actors' step for decisions (inside its transaction): the dropped
    actor's decisions become the kept one's, since the key of a suggestion names its
    actor and the dropped actor's names now suggest the kept one (a rejection of
    "Beijing" as the dropped actor stays one as the kept actor). Where the same
    annotator had decided the same span in the same article about both actors, one live
    decision stays: a rejection before an acceptance (what was rejected stays
    rejected), then the kept actor's own; the other goes to the trash (so the merge and
    the hub carry it). Returns (uids moved, uids trashed), both in id order."""
    moved = [r[0] for r in conn.execute(
        "SELECT uid FROM suggestion_decisions WHERE actor_id = ? ORDER BY id", [drop_id])]
    if not moved:
        return [], []
    conn.execute("UPDATE suggestion_decisions SET actor_id = ?, updated_at = ? "
                 "WHERE actor_id = ?", [keep_id, stamp, drop_id])
    came = set(moved)
    groups: dict[tuple, list[tuple[bool, bool, int, str]]] = {}
    for uid, row_id, article, annotator, kind, start, end, decision in conn.execute(
            'SELECT uid, id, article_id, annotator_id, kind, start, "end", decision '
            "FROM suggestion_decisions WHERE actor_id = ? AND deleted_at IS NULL", [keep_id]):
        groups.setdefault((article, annotator, kind, start, end), []).append(
            (decision != "reject", uid in came, row_id, uid))
    trashed = sorted((row_id, uid) for group in groups.values()
                     if len(group) > 1 and any(g[1] for g in group)
                     for _, _, row_id, uid in sorted(group)[1:])
    for _, uid in trashed:
        conn.execute("UPDATE suggestion_decisions SET deleted_at = ?, updated_at = ? "
                     "WHERE uid = ?", [stamp, stamp, uid])
    return moved, [uid for _, uid in trashed]


def unmove_decisions(conn: sqlite3.Connection, keep_id: int, drop_id: int, moved: Iterable[str],
                     trashed: Iterable[str], stamp: str) -> None:
    """Reverse move_decisions (the undo of a merge): the decisions that moved name the
    dropped actor again where they still name the kept one, those the merge trashed
    come back unless something since has changed them again."""
    for uid in moved:
        conn.execute("UPDATE suggestion_decisions SET actor_id = ?, updated_at = ? "
                     "WHERE uid = ? AND actor_id = ?", [drop_id, stamp, uid, keep_id])
    for uid in trashed:
        conn.execute("UPDATE suggestion_decisions SET deleted_at = NULL, updated_at = ? "
                     "WHERE uid = ? AND deleted_at IS NOT NULL", [stamp, uid])


def merge_their_decisions(repo: Any, their_tables: set[str]) -> tuple[int, int]:
    """The merge's step for decisions on suggestions (inside its transaction, after the
    annotations: the temp maps merge_articles, merge_annotators and merge_actors exist).
    Their decisions I lack are added by uid; one both stores hold that they changed later
    (undone, redone) takes their state, except the current annotator's own, and both
    versions go to the audit log. Returns (added, updated)."""
    conn: sqlite3.Connection = repo.conn
    if "suggestion_decisions" not in their_tables:  # a store older than suggestions
        return 0, 0
    added = conn.execute("""
        INSERT INTO suggestion_decisions (uid, article_id, annotator_id, kind, start, "end",
            actor_id, date_value, alias, decision, annotation_uid, created_at, updated_at,
            deleted_at)
        SELECT t.uid, ma.mine_id, mn.mine_id, t.kind, t.start, t."end", ac.mine_id,
               t.date_value, t.alias, t.decision, t.annotation_uid, t.created_at,
               t.updated_at, t.deleted_at
        FROM theirs.suggestion_decisions t
        JOIN temp.merge_articles ma ON ma.their_id = t.article_id
        JOIN temp.merge_annotators mn ON mn.their_id = t.annotator_id
        LEFT JOIN temp.merge_actors ac ON ac.their_id = t.actor_id
        WHERE true ON CONFLICT (uid) DO NOTHING""").rowcount
    me = repo.annotator.uid
    later = conn.execute("""
        SELECT m.uid, m.deleted_at, m.updated_at, t.deleted_at, t.updated_at
        FROM theirs.suggestion_decisions t
        JOIN main.suggestion_decisions m ON m.uid = t.uid
        JOIN main.annotators n ON n.id = m.annotator_id
        WHERE n.uid != ? AND t.deleted_at IS NOT m.deleted_at
          AND max(coalesce(t.updated_at, ''), coalesce(t.deleted_at, ''))
            > max(m.updated_at, coalesce(m.deleted_at, ''))""", [me]).fetchall()
    for uid, mine_deleted, mine_updated, their_deleted, their_updated in later:
        conn.execute("UPDATE suggestion_decisions SET deleted_at = ?, updated_at = ? "
                     "WHERE uid = ?", [their_deleted, their_updated, uid])
        repo.audit("merge-update", "suggestion_decision", uid,
                   {"deleted_at": mine_deleted, "updated_at": mine_updated},
                   {"deleted_at": their_deleted, "updated_at": their_updated})
    return added, len(later)


def stance_topic_counts(repo: Any, holder_uid: str) -> dict[tuple[str, str], int]:
    """(holder uid, topic uid) -> live stances of that holder aimed at that topic, of
    every annotator: what core.suggest.default_target picks a stance's target from."""
    conn: sqlite3.Connection = repo.conn
    rows = conn.execute(
        "SELECT t.uid, count(*) FROM annotations an JOIN topics t ON t.id = an.target_topic_id "
        "WHERE an.holder_id = (SELECT id FROM actors WHERE uid = ?) AND an.kind = 'stance' "
        "AND an.deleted_at IS NULL AND t.deleted_at IS NULL GROUP BY t.uid", [holder_uid])
    return {(holder_uid, topic): n for topic, n in rows}
