"""Register edits as undoable commands, like core.commands does for annotations.

Each apply/revert calls the repository (core.protocols.RegisterRepo, so core stays
free of SQL) and
returns a Change naming the actor or topic. Undo of a creation purges the entry; redo
re-creates it with the same uid. A merge keeps the store's MergeRecord, so undo moves
back exactly the references that moved. Purge, recorded merge and unmerge are store
functions (stancemark.store.register_edits) that the caller hands in as `edits`, so
core never imports the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stancemark.core.commands import fields_before
from stancemark.core.model import Actor, Change, Topic
from stancemark.core.protocols import MergeRecord, RegisterEdits, RegisterRepo


def _actor_change(action: str, uid: str, articles: tuple[str, ...] = (),
                  annotations: tuple[str, ...] = ()) -> Change:
    return Change(action, "actor", (uid, *annotations), articles)


def _topic_change(action: str, uid: str) -> Change:
    return Change(action, "topic", (uid,))


@dataclass
class AddActor:
    name: str
    kind: str = "other"
    country: str = ""
    description: str = ""
    aliases: tuple[str, ...] = ()
    uid: str | None = None
    label: str = ""
    edits: RegisterEdits | None = field(default=None, repr=False)  # store.register_edits (purge)
    colour: str = ""

    def __post_init__(self) -> None:
        self.label = self.label or f"Add actor “{self.name.strip()}”"

    def apply(self, repo: RegisterRepo) -> Change:
        actor: Actor = repo.add_actor(self.name, self.kind, country=self.country,
                                      description=self.description, aliases=self.aliases,
                                      uid=self.uid, colour=self.colour)
        self.uid = actor.uid  # redo re-creates the same identity
        return _actor_change("add", actor.uid)

    def revert(self, repo: RegisterRepo) -> Change:
        # revert follows apply, which set the uid; undo of a creation needs the edits
        assert self.uid is not None and self.edits is not None
        self.edits.purge_actor(repo, self.uid)
        return _actor_change("remove", self.uid)


@dataclass
class UpdateActor:
    """Name, kind, country, description, colour or the alias list of one actor."""

    uid: str
    changes: dict[str, Any]
    label: str = "Edit actor"
    _before: dict[str, Any] = field(default_factory=dict, repr=False)

    def apply(self, repo: RegisterRepo) -> Change:
        self._before = fields_before(repo.get_actor(self.uid), "actor", self.uid, self.changes)
        repo.update_actor(self.uid, **self.changes)
        return _actor_change("update", self.uid)

    def revert(self, repo: RegisterRepo) -> Change:
        repo.update_actor(self.uid, **self._before)
        return _actor_change("update", self.uid)


def SetActorColour(actor: Actor, colour: str) -> UpdateActor:  # noqa: N802 - command name
    """The colour of an actor's mentions ("" = automatic again), one undo step."""
    what = f"Colour of {actor.name}" if colour else f"Automatic colour for {actor.name}"
    return UpdateActor(actor.uid, {"colour": colour}, label=what)


def AddAlias(actor: Actor, alias: str) -> UpdateActor:  # noqa: N802 - command name
    """Add the selected text as an alias of `actor` (one undo step)."""
    alias = alias.strip()
    return UpdateActor(actor.uid, {"aliases": [*actor.aliases, alias]},
                       label=f"Add alias “{alias}” to {actor.name}")


@dataclass
class MergeActors:
    keep_uid: str
    drop_uid: str
    edits: RegisterEdits | None = field(default=None, repr=False)  # store.register_edits
    label: str = "Merge actors"
    record: MergeRecord | None = field(default=None, repr=False)

    def apply(self, repo: RegisterRepo) -> Change:
        assert self.edits is not None, "MergeActors needs store.register_edits"
        _kept, record = self.edits.merge_actors_recorded(repo, self.keep_uid, self.drop_uid)
        self.record = record
        return _actor_change("merge", self.keep_uid, record.article_uids,
                             record.annotation_uids())

    def revert(self, repo: RegisterRepo) -> Change:
        # revert follows apply, which kept the record
        assert self.edits is not None and self.record is not None
        record = self.record
        self.edits.unmerge_actors(repo, record)
        return _actor_change("unmerge", self.drop_uid, record.article_uids,
                             record.annotation_uids())


@dataclass
class AddTopic:
    name: str
    description: str = ""
    uid: str | None = None
    label: str = ""
    edits: RegisterEdits | None = field(default=None, repr=False)  # store.register_edits (purge)

    def __post_init__(self) -> None:
        self.label = self.label or f"Add topic “{self.name.strip()}”"

    def apply(self, repo: RegisterRepo) -> Change:
        topic: Topic = repo.add_topic(self.name, self.description, uid=self.uid)
        self.uid = topic.uid
        return _topic_change("add", topic.uid)

    def revert(self, repo: RegisterRepo) -> Change:
        # revert follows apply, which set the uid; undo of a creation needs the edits
        assert self.uid is not None and self.edits is not None
        self.edits.purge_topic(repo, self.uid)
        return _topic_change("remove", self.uid)


@dataclass
class UpdateTopic:
    uid: str
    changes: dict[str, Any]
    label: str = "Edit topic"
    _before: dict[str, Any] = field(default_factory=dict, repr=False)

    def apply(self, repo: RegisterRepo) -> Change:
        self._before = fields_before(repo.get_topic(self.uid), "topic", self.uid, self.changes)
        repo.update_topic(self.uid, **self.changes)
        return _topic_change("update", self.uid)

    def revert(self, repo: RegisterRepo) -> Change:
        repo.update_topic(self.uid, **self._before)
        return _topic_change("update", self.uid)


@dataclass
class Trash:
    """Move an actor or topic to the trash, or with restore=True take it out of the
    trash; revert does the other. (One class for the four moves: they differ only in
    which repository method runs.)"""

    entity: str  # "actor" or "topic"
    uid: str
    restore: bool = False
    label: str = ""

    def __post_init__(self) -> None:
        if self.entity not in ("actor", "topic"):
            raise ValueError(f"no trash command for {self.entity!r}")
        self.label = self.label or (f"Restore {self.entity} from the trash" if self.restore
                                    else f"Move {self.entity} to the trash")

    def apply(self, repo: RegisterRepo) -> Change:
        return self._move(repo, self.restore)

    def revert(self, repo: RegisterRepo) -> Change:
        return self._move(repo, not self.restore)

    def _move(self, repo: RegisterRepo, restore: bool) -> Change:
        if self.entity == "actor":
            (repo.restore_actor if restore else repo.delete_actor)(self.uid)
        else:
            (repo.restore_topic if restore else repo.delete_topic)(self.uid)
        return Change("restore" if restore else "delete", self.entity, (self.uid,))


def Restore(entity: str, uid: str, label: str = "") -> Trash:  # noqa: N802 - command name
    return Trash(entity, uid, restore=True, label=label)


def SoftDeleteActor(uid: str, label: str = "") -> Trash:  # noqa: N802 - command name
    return Trash("actor", uid, label=label)


def SoftDeleteTopic(uid: str, label: str = "") -> Trash:  # noqa: N802 - command name
    return Trash("topic", uid, label=label)


def RestoreActor(uid: str, label: str = "") -> Trash:  # noqa: N802 - command name
    return Restore("actor", uid, label)


def RestoreTopic(uid: str, label: str = "") -> Trash:  # noqa: N802 - command name
    return Restore("topic", uid, label)
