"""The trash: every deleted annotation, article, actor and topic, restorable until
the trash is emptied on purpose.

Deletion everywhere is soft (``deleted_at`` set by the Repository); this module
lists what is in the trash across the four tables, restores any item by uid,
and empties it. Emptying purges for good, in one transaction, with one audit
entry per purged item. An actor or topic that a live annotation still points to
is kept in the trash (purging it would break that annotation) and counted apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stancemark.core.errors import IntegrityError
from stancemark.store.repository import Repository
from stancemark.store.suggestion_store import purge_decisions

ENTITIES = ("annotation", "article", "actor", "topic")


@dataclass(frozen=True)
class TrashItem:
    entity: str  # one of ENTITIES
    uid: str
    label: str  # the quote, title or name
    deleted_at: str
    article_uid: str | None = None  # for annotations


@dataclass
class EmptyReport:
    purged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ENTITIES, 0))
    kept_in_use: int = 0

    def summary(self) -> str:
        parts = [f"{n} {e}(s)" for e, n in self.purged.items() if n]
        text = "purged " + (", ".join(parts) if parts else "nothing")
        if self.kept_in_use:
            text += (f"; {self.kept_in_use} actor(s)/topic(s) kept in the trash because live "
                     "annotations still refer to them")
        return text


_LIST_SQL = """
SELECT 'annotation', an.uid, an.quote, an.deleted_at, ar.uid
  FROM annotations an JOIN articles ar ON ar.id = an.article_id WHERE an.deleted_at IS NOT NULL
UNION ALL SELECT 'article', uid, title, deleted_at, NULL FROM articles WHERE deleted_at IS NOT NULL
UNION ALL SELECT 'actor', uid, name, deleted_at, NULL FROM actors WHERE deleted_at IS NOT NULL
UNION ALL SELECT 'topic', uid, name, deleted_at, NULL FROM topics WHERE deleted_at IS NOT NULL
ORDER BY 4 DESC
"""


def list_trash(repo: Repository) -> list[TrashItem]:
    """Everything in the trash, most recently deleted first."""
    return [TrashItem(*row) for row in repo.conn.execute(_LIST_SQL)]


def find(repo: Repository, uid: str) -> TrashItem | None:
    return next((t for t in list_trash(repo) if t.uid == uid), None)


def restore(repo: Repository, uid: str) -> TrashItem:
    """Take one item out of the trash (any entity)."""
    item = find(repo, uid)
    if item is None:
        raise IntegrityError(f"{uid} is not in the trash")
    getattr(repo, f"restore_{item.entity}")(uid)
    return item


def count(repo: Repository) -> int:
    return len(list_trash(repo))


def empty(repo: Repository) -> EmptyReport:
    """Purge everything in the trash for good (the one irreversible deletion)."""
    report = EmptyReport()
    conn = repo.conn
    with repo.tx():
        # Annotations first, then articles with everything that hangs on them.
        report.purged["annotation"] = _purge_annotations(
            repo, "SELECT uid FROM annotations WHERE deleted_at IS NOT NULL")
        arts = conn.execute("SELECT id, uid FROM articles WHERE deleted_at IS NOT NULL").fetchall()
        reviews = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                               "AND name = 'review_decisions'").fetchone() is not None
        for art_id, art_uid in arts:
            _purge_annotations(repo, "SELECT uid FROM annotations WHERE article_id = ?", [art_id])
            conn.execute("DELETE FROM article_status WHERE article_id = ?", [art_id])
            purge_decisions(conn, "article_id", art_id)
            if reviews:  # decisions name articles by uid, without a foreign key
                conn.execute("DELETE FROM review_decisions WHERE article_uid = ?", [art_uid])
            conn.execute("DELETE FROM articles WHERE id = ?", [art_id])
            repo.audit("purge", "article", art_uid, None, None)
        report.purged["article"] = len(arts)
        # Actors and topics still referred to by a live annotation stay in the trash.
        for row in conn.execute(
                "SELECT a.id, a.uid, EXISTS (SELECT 1 FROM annotations x WHERE a.id IN "
                "(x.actor_id, x.holder_id, x.target_actor_id)) FROM actors a "
                "WHERE a.deleted_at IS NOT NULL").fetchall():
            if row[2]:
                report.kept_in_use += 1
                continue
            purge_decisions(conn, "actor_id", row[0])
            conn.execute("DELETE FROM actors WHERE id = ?", [row[0]])
            repo.audit("purge", "actor", row[1], None, None)
            report.purged["actor"] += 1
        for row in conn.execute(
                "SELECT t.id, t.uid, EXISTS (SELECT 1 FROM annotations x "
                "WHERE x.target_topic_id = t.id) FROM topics t "
                "WHERE t.deleted_at IS NOT NULL").fetchall():
            if row[2]:
                report.kept_in_use += 1
                continue
            conn.execute("DELETE FROM topics WHERE id = ?", [row[0]])
            repo.audit("purge", "topic", row[1], None, None)
            report.purged["topic"] += 1
    return report


def _purge_annotations(repo: Repository, select_sql: str, params: list[Any] | None = None) -> int:
    uids = [r[0] for r in repo.conn.execute(select_sql, params or [])]
    for uid in uids:
        repo.conn.execute("DELETE FROM annotations WHERE uid = ?", [uid])
        repo.audit("purge", "annotation", uid, None, None)
    return len(uids)
