"""The actor and topic registers: the Repository's methods for them, as a mixin.

Split from repository.py along the register seam; the methods keep their names on
Repository (repo.add_actor, repo.merge_actors, ...) and use its plumbing: `conn`,
`tx()`, `_one`, `_id`, `audit` and `_soft`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from stancemark.core.aliases import alias_problem
from stancemark.core.errors import IntegrityError, existing
from stancemark.core.model import ACTOR_KINDS, Actor, Topic, new_uid, now_iso
from stancemark.core.palette import check_colour
from stancemark.store.suggestion_store import move_decisions

_ACTOR_COLUMNS = "id, uid, name, kind, country, description, deleted_at, colour"


def _colour(value: object) -> str:
    try:
        return check_colour(value)
    except ValueError as exc:
        raise IntegrityError(str(exc)) from None


class RegistersMixin:
    """Actors (with aliases) and topics. Mixed into store.repository.Repository."""

    conn: sqlite3.Connection  # set by Repository.__init__

    if TYPE_CHECKING:  # Repository's plumbing, declared so the calls below are checked
        def tx(self) -> AbstractContextManager[None]: ...
        def _one(self, sql: str, params: Iterable[Any] = ()) -> tuple | None: ...
        def _id(self, table: str, uid: str | None, what: str) -> int | None: ...
        def audit(self, action: str, entity: str, uid: str, before: Any = None,
                  after: Any = None) -> None: ...
        def _soft(self, table: str, entity: str, uid: str, delete: bool) -> str | None: ...

    # ------------------------------------------------------------------- actors
    def _actor_from_row(self, row: tuple) -> Actor:
        aliases = tuple(r[0] for r in self.conn.execute(
            "SELECT alias FROM actor_aliases WHERE actor_id = ? ORDER BY id", [row[0]]))
        return Actor(row[1], row[2], row[3], row[4], row[5], aliases, row[6], row[7])

    def get_actor(self, uid: str) -> Actor | None:
        row = self._one(f"SELECT {_ACTOR_COLUMNS} FROM actors WHERE uid = ?", [uid])  # noqa: S608
        return self._actor_from_row(row) if row else None

    def list_actors(self, include_deleted: bool = False) -> list[Actor]:
        where = "" if include_deleted else "WHERE deleted_at IS NULL"
        rows = self.conn.execute(f"SELECT {_ACTOR_COLUMNS} "  # noqa: S608
                                 f"FROM actors {where} ORDER BY name COLLATE NOCASE").fetchall()
        aliases: dict[int, list[str]] = {}
        for aid, alias in self.conn.execute("SELECT actor_id, alias FROM actor_aliases ORDER BY id"):
            aliases.setdefault(aid, []).append(alias)
        return [Actor(r[1], r[2], r[3], r[4], r[5], tuple(aliases.get(r[0], ())), r[6], r[7])
                for r in rows]

    def register_counts(self) -> tuple[dict[str, tuple[int, int]], dict[str, int]]:
        """Live annotations that use each register entry, for the Registers panel:
        actor uid -> (mentions, stances it holds or is the target of); topic uid ->
        stances aimed at it. One indexed GROUP BY per column."""
        def per(col: str) -> dict[int, int]:  # every caller passes a literal column
            return dict(self.conn.execute(
                f"SELECT {col}, count(*) FROM annotations "  # noqa: S608 - fixed names
                f"WHERE {col} IS NOT NULL AND deleted_at IS NULL GROUP BY {col}"))

        mentions, held, aimed = per("actor_id"), per("holder_id"), per("target_actor_id")
        actors = {uid: (mentions.get(i, 0), held.get(i, 0) + aimed.get(i, 0))
                  for i, uid in self.conn.execute("SELECT id, uid FROM actors")}
        topic_stances = per("target_topic_id")
        topics = {uid: topic_stances.get(i, 0)
                  for i, uid in self.conn.execute("SELECT id, uid FROM topics")}
        return actors, topics

    def add_actor(self, name: str, kind: str = "other", *, country: str = "",
                  description: str = "", aliases: Iterable[str] = (),
                  uid: str | None = None, check_aliases: bool = True,
                  colour: str = "") -> Actor:
        """A new actor. Its aliases are checked (alias_problem) unless `check_aliases` is
        False: an import of a file written before the rule keeps them as a store keeps its
        old ones (they are never proposed as suggestions), so an old file still imports."""
        name = name.strip()
        colour = _colour(colour)
        if not name:
            raise IntegrityError("actor name is empty")
        if kind not in ACTOR_KINDS:
            raise IntegrityError(f"unknown actor kind {kind!r} (use one of {', '.join(ACTOR_KINDS)})")
        uid = uid or new_uid()
        stamp = now_iso()
        with self.tx():
            try:
                cur = self.conn.execute(
                    "INSERT INTO actors (uid, name, kind, country, description, colour, created_at, "
                    "updated_at) VALUES (?,?,?,?,?,?,?,?)",
                    [uid, name, kind, country, description, colour, stamp, stamp])
            except sqlite3.IntegrityError as exc:
                raise IntegrityError(f"actor {name!r}: {exc}") from None
            for alias in dict.fromkeys(a.strip() for a in aliases):
                if alias and alias != name:
                    if check_aliases:
                        _refuse_bad_alias(alias, name)
                    self.conn.execute("INSERT OR IGNORE INTO actor_aliases (actor_id, alias) VALUES (?,?)",
                                      [cur.lastrowid, alias])
            actor = existing(self.get_actor(uid), "actor", uid)
            self.audit("create", "actor", uid, None, actor)
        return actor

    def update_actor(self, uid: str, **changes: Any) -> Actor:
        before = self.get_actor(uid)
        if before is None:
            raise IntegrityError(f"unknown actor {uid}")
        allowed = {"name", "kind", "country", "description", "colour"}
        bad = set(changes) - allowed - {"aliases"}
        if bad:
            raise IntegrityError(f"cannot change actor field(s) {', '.join(sorted(bad))}")
        if "kind" in changes and changes["kind"] not in ACTOR_KINDS:
            raise IntegrityError(f"unknown actor kind {changes['kind']!r}")
        if "name" in changes and not str(changes["name"]).strip():
            raise IntegrityError("actor name is empty")
        if "colour" in changes:
            changes = {**changes, "colour": _colour(changes["colour"])}
        with self.tx():
            cols = {k: v for k, v in changes.items() if k in allowed}
            if cols:
                sets = ", ".join(f"{k} = ?" for k in cols)
                self.conn.execute(f"UPDATE actors SET {sets}, updated_at = ? WHERE uid = ?",  # noqa: S608
                                  [*cols.values(), now_iso(), uid])
            if "aliases" in changes:
                actor_id = self._id("actors", uid, "actor")
                self.conn.execute("DELETE FROM actor_aliases WHERE actor_id = ?", [actor_id])
                for alias in dict.fromkeys(a.strip() for a in changes["aliases"]):
                    if alias and alias not in before.aliases:  # an old one is kept as it is
                        _refuse_bad_alias(alias, before.name)
                    if alias:
                        self.conn.execute("INSERT INTO actor_aliases (actor_id, alias) VALUES (?,?)",
                                          [actor_id, alias])
            after = existing(self.get_actor(uid), "actor", uid)
            self.audit("update", "actor", uid, before, after)
        return after

    def add_alias(self, actor_uid: str, alias: str) -> Actor:
        actor = self.get_actor(actor_uid)
        if actor is None:
            raise IntegrityError(f"unknown actor {actor_uid}")
        alias = alias.strip()
        if alias == actor.name or (alias and alias in actor.aliases):
            return actor
        _refuse_bad_alias(alias, actor.name)
        return self.update_actor(actor_uid, aliases=[*actor.aliases, alias])

    def actors_by_alias(self, text: str) -> list[Actor]:
        """Live actors whose name or an alias equals `text`, ignoring case."""
        text = text.strip()
        rows = self.conn.execute(
            f"SELECT {_ACTOR_COLUMNS} FROM actors "  # noqa: S608
            "WHERE deleted_at IS NULL AND (name = ? COLLATE NOCASE OR id IN "
            "(SELECT actor_id FROM actor_aliases WHERE alias = ? COLLATE NOCASE)) ORDER BY id",
            [text, text]).fetchall()
        return [self._actor_from_row(r) for r in rows]

    def merge_actors(self, keep_uid: str, drop_uid: str) -> Actor:
        """Fold `drop` into `keep`: mentions, holders and targets move, and the decisions
        on suggestions of drop (suggestion_store.move_decisions); drop's name and aliases
        become keep's aliases; drop goes to the trash."""
        if keep_uid == drop_uid:
            raise IntegrityError("cannot merge an actor into itself")
        keep, drop = self.get_actor(keep_uid), self.get_actor(drop_uid)
        if keep is None or drop is None:
            raise IntegrityError("unknown actor in merge")
        keep_id = self._id("actors", keep_uid, "actor")
        drop_id = self._id("actors", drop_uid, "actor")
        if keep_id is None or drop_id is None:  # pragma: no cover - both looked up above
            raise IntegrityError("unknown actor in merge")
        with self.tx():
            moved = []
            for col in ("actor_id", "holder_id", "target_actor_id"):
                moved += [r[0] for r in self.conn.execute(
                    f"SELECT uid FROM annotations WHERE {col} = ?", [drop_id])]  # noqa: S608
                self.conn.execute(f"UPDATE annotations SET {col} = ?, updated_at = ? WHERE {col} = ?",  # noqa: S608
                                  [keep_id, now_iso(), drop_id])
            # drop's name becomes an alias only where it makes one ("X" does not)
            self.update_actor(keep_uid, aliases=[*keep.aliases, *(
                a for a in (drop.name, *drop.aliases) if alias_problem(a) is None)])
            decisions, trashed = move_decisions(self.conn, keep_id, drop_id, now_iso())
            self.conn.execute("UPDATE actors SET deleted_at = ? WHERE id = ?", [now_iso(), drop_id])
            self.audit("merge", "actor", drop_uid, drop, {
                "into": keep_uid, "moved": moved, "decisions": decisions,
                "decisions_trashed": trashed})
        return existing(self.get_actor(keep_uid), "actor", keep_uid)

    def delete_actor(self, uid: str) -> None:
        self._soft("actors", "actor", uid, delete=True)

    def restore_actor(self, uid: str) -> None:
        self._soft("actors", "actor", uid, delete=False)

    # ------------------------------------------------------------------- topics
    def list_topics(self, include_deleted: bool = False) -> list[Topic]:
        where = "" if include_deleted else "WHERE deleted_at IS NULL"
        return [Topic(*r) for r in self.conn.execute(
            f"SELECT uid, name, description, deleted_at FROM topics {where} "  # noqa: S608
            "ORDER BY name COLLATE NOCASE")]

    def get_topic(self, uid: str) -> Topic | None:
        row = self._one("SELECT uid, name, description, deleted_at FROM topics WHERE uid = ?", [uid])
        return Topic(*row) if row else None

    def topic_by_name(self, name: str) -> Topic | None:
        row = self._one("SELECT uid, name, description, deleted_at FROM topics "
                        "WHERE name = ? COLLATE NOCASE AND deleted_at IS NULL", [name.strip()])
        return Topic(*row) if row else None

    def add_topic(self, name: str, description: str = "", *, uid: str | None = None) -> Topic:
        name = name.strip()
        if not name:
            raise IntegrityError("topic name is empty")
        topic = Topic(uid or new_uid(), name, description)
        stamp = now_iso()
        with self.tx():
            try:
                self.conn.execute("INSERT INTO topics (uid, name, description, created_at, updated_at) "
                                  "VALUES (?,?,?,?,?)", [topic.uid, name, description, stamp, stamp])
            except sqlite3.IntegrityError as exc:
                raise IntegrityError(f"topic {name!r}: {exc}") from None
            self.audit("create", "topic", topic.uid, None, topic)
        return topic

    def update_topic(self, uid: str, **changes: Any) -> Topic:
        before = self.get_topic(uid)
        if before is None:
            raise IntegrityError(f"unknown topic {uid}")
        cols = {k: v for k, v in changes.items() if k in ("name", "description")}
        if set(changes) - set(cols):
            raise IntegrityError("topics have only a name and a description")
        if "name" in cols and not str(cols["name"]).strip():
            raise IntegrityError("topic name is empty")
        with self.tx():
            if cols:
                sets = ", ".join(f"{k} = ?" for k in cols)
                self.conn.execute(f"UPDATE topics SET {sets}, updated_at = ? WHERE uid = ?",  # noqa: S608
                                  [*cols.values(), now_iso(), uid])
            after = existing(self.get_topic(uid), "topic", uid)
            self.audit("update", "topic", uid, before, after)
        return after

    def delete_topic(self, uid: str) -> None:
        self._soft("topics", "topic", uid, delete=True)

    def restore_topic(self, uid: str) -> None:
        self._soft("topics", "topic", uid, delete=False)


def _refuse_bad_alias(alias: str, actor_name: str) -> None:
    """One line when an alias cannot be added: empty, only punctuation, one character."""
    problem = alias_problem(alias)
    if problem is not None:
        raise IntegrityError(f"actor {actor_name!r}: {problem}")
