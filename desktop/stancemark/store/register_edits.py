"""Register writes that undo needs and the Repository does not offer: purging an actor
or topic just created (undo of a creation) and reversing a merge of two actors.

A merge is recorded precisely (which annotation moved through which column, and the
kept actor's aliases before), so unmerging moves back exactly those references and
nothing an analyst tagged after the merge.
"""

from __future__ import annotations

from stancemark.core.errors import IntegrityError, existing
from stancemark.core.model import Actor, now_iso
from stancemark.core.protocols import MergeRecord
from stancemark.store.repository import Repository
from stancemark.store.suggestion_store import purge_decisions, unmove_decisions

# The annotation columns that point at an actor, as repository.merge_actors moves them.
ACTOR_COLUMNS = ("actor_id", "holder_id", "target_actor_id")


def _actor_id(repo: Repository, uid: str) -> int:
    row = repo.conn.execute("SELECT id FROM actors WHERE uid = ?", [uid]).fetchone()
    if row is None:
        raise IntegrityError(f"unknown actor {uid}")
    return row[0]


def _articles_of(repo: Repository, annotation_uids: tuple[str, ...]) -> tuple[str, ...]:
    if not annotation_uids:
        return ()
    marks = ",".join("?" * len(annotation_uids))
    rows = repo.conn.execute(
        f"SELECT DISTINCT ar.uid FROM annotations an JOIN articles ar ON ar.id = an.article_id "  # noqa: S608
        f"WHERE an.uid IN ({marks})", list(annotation_uids))
    return tuple(sorted(r[0] for r in rows))


def merge_actors_recorded(repo: Repository, keep_uid: str, drop_uid: str) -> tuple[Actor, MergeRecord]:
    """repository.merge_actors, in one transaction with a record of what moved."""
    keep = repo.get_actor(keep_uid)
    if keep is None or repo.get_actor(drop_uid) is None:
        raise IntegrityError("unknown actor in merge")
    with repo.tx():
        drop_id = _actor_id(repo, drop_uid)
        moved = {col: tuple(r[0] for r in repo.conn.execute(
            f"SELECT uid FROM annotations WHERE {col} = ? ORDER BY id", [drop_id]))  # noqa: S608
            for col in ACTOR_COLUMNS}
        pairs = [drop_id, _actor_id(repo, keep_uid)]
        decisions = _decisions_of(repo, pairs[:1], live=False)
        live = _decisions_of(repo, pairs, live=True)
        kept = repo.merge_actors(keep_uid, drop_uid)
        trashed = set(live) - set(_decisions_of(repo, pairs[1:], live=True))
    moved_uids = tuple(dict.fromkeys(u for uids in moved.values() for u in uids))
    return kept, MergeRecord(keep_uid, drop_uid, keep.aliases, moved,
                             _articles_of(repo, moved_uids), decisions,
                             tuple(u for u in live if u in trashed))


def _decisions_of(repo: Repository, actor_ids: list[int], live: bool) -> tuple[str, ...]:
    marks = ",".join("?" * len(actor_ids))
    return tuple(r[0] for r in repo.conn.execute(
        f"SELECT uid FROM suggestion_decisions WHERE actor_id IN ({marks})"  # noqa: S608
        + (" AND deleted_at IS NULL" if live else "") + " ORDER BY id", actor_ids))


def unmerge_actors(repo: Repository, record: MergeRecord) -> Actor:
    """Reverse a merge: the dropped actor comes back from the trash, exactly the
    references that moved point at it again (annotations and decisions on suggestions),
    and the kept actor's aliases are as before."""
    with repo.tx():
        keep_id = _actor_id(repo, record.keep_uid)
        drop_id = _actor_id(repo, record.drop_uid)
        stamp = now_iso()
        for col in ACTOR_COLUMNS:
            uids = record.moved.get(col, ())
            for uid in uids:
                # only references still on the kept actor (an edit since may have moved one)
                repo.conn.execute(
                    f"UPDATE annotations SET {col} = ?, updated_at = ? "  # noqa: S608 - fixed names
                    f"WHERE uid = ? AND {col} = ?", [drop_id, stamp, uid, keep_id])
        unmove_decisions(repo.conn, keep_id, drop_id, record.decisions,
                         record.decisions_trashed, stamp)
        repo.conn.execute("UPDATE actors SET deleted_at = NULL, updated_at = ? WHERE id = ?",
                          [stamp, drop_id])
        repo.update_actor(record.keep_uid, aliases=list(record.keep_aliases))
        repo.audit("unmerge", "actor", record.drop_uid, {"into": record.keep_uid},
                    {"moved_back": {c: list(u) for c, u in record.moved.items()},
                     "decisions_back": list(record.decisions),
                     "decisions_restored": list(record.decisions_trashed)})
    return existing(repo.get_actor(record.drop_uid), "actor", record.drop_uid)


def _in_use(repo: Repository, column_sql: str, uid_id: int) -> int:
    return repo.conn.execute(
        f"SELECT count(*) FROM annotations WHERE {column_sql}", [uid_id] * column_sql.count("?")  # noqa: S608
    ).fetchone()[0]


def purge_actor(repo: Repository, uid: str) -> None:
    """Remove an actor for good (undo of its creation). Refused while any annotation,
    live or in the trash, points at it."""
    before = repo.get_actor(uid)
    if before is None:
        raise IntegrityError(f"unknown actor {uid}")
    with repo.tx():
        actor_id = _actor_id(repo, uid)
        if _in_use(repo, "actor_id = ? OR holder_id = ? OR target_actor_id = ?", actor_id):
            raise IntegrityError(f"actor “{before.name}” is still used by annotations")
        repo.conn.execute("DELETE FROM actor_aliases WHERE actor_id = ?", [actor_id])
        purge_decisions(repo.conn, "actor_id", actor_id)
        repo.conn.execute("DELETE FROM actors WHERE id = ?", [actor_id])
        repo.audit("purge", "actor", uid, before, None)


def purge_topic(repo: Repository, uid: str) -> None:
    """Remove a topic for good (undo of its creation); refused while annotations use it."""
    before = repo.get_topic(uid)
    if before is None:
        raise IntegrityError(f"unknown topic {uid}")
    with repo.tx():
        row = repo.conn.execute("SELECT id FROM topics WHERE uid = ?", [uid]).fetchone()
        if _in_use(repo, "target_topic_id = ?", row[0]):
            raise IntegrityError(f"topic “{before.name}” is still used by annotations")
        repo.conn.execute("DELETE FROM topics WHERE id = ?", [row[0]])
        repo.audit("purge", "topic", uid, before, None)
