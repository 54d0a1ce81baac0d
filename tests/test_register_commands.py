"""Register edits as undoable commands: add, edit, alias, merge, trash, each reverted
and re-applied through the store."""

from __future__ import annotations

import pytest

from stancemark.core.errors import IntegrityError
from stancemark.core.model import Annotation, new_uid
from stancemark.core.register_commands import (
    AddActor,
    AddAlias,
    AddTopic,
    MergeActors,
    RestoreActor,
    SoftDeleteActor,
    SoftDeleteTopic,
    UpdateActor,
    UpdateTopic,
)
from stancemark.store import register_edits


def _article(repo, text="Ana met Bob. Ana opposes Bob on trade."):
    art, _ = repo.add_article(text, "t")
    return art


def _tag(repo, art, kind, start, end, **fields):
    a = Annotation(new_uid(), art.uid, repo.annotator.uid, kind, start, end, art.text[start:end],
                   **fields)
    return repo.add_annotation(a)


def test_add_actor_undo_purges_and_redo_keeps_the_uid(repo):
    cmd = AddActor("Beijing", "state", aliases=("PRC",), edits=register_edits)
    change = cmd.apply(repo)
    uid = cmd.uid
    assert change.entity == "actor" and change.uids == (uid,)
    cmd.revert(repo)
    assert repo.get_actor(uid) is None
    cmd.apply(repo)
    actor = repo.get_actor(uid)
    assert actor.name == "Beijing" and actor.aliases == ("PRC",)
    assert [e.action for e in repo.history(uid)] == ["create", "purge", "create"]


def test_undo_of_an_actor_creation_is_refused_while_annotations_use_it(repo):
    cmd = AddActor("Ana", edits=register_edits)
    cmd.apply(repo)
    art = _article(repo)
    _tag(repo, art, "actor", 0, 3, actor_uid=cmd.uid)
    with pytest.raises(IntegrityError, match="still used"):
        cmd.revert(repo)
    assert repo.get_actor(cmd.uid) is not None


def test_update_actor_and_alias_revert_to_the_old_values(repo):
    actor = repo.add_actor("Ana", "person", country="PT", aliases=["A."])
    edit = UpdateActor(actor.uid, {"name": "Ana Silva", "country": "BR"})
    edit.apply(repo)
    alias = AddAlias(repo.get_actor(actor.uid), "Ms Silva")
    assert "Ms Silva" in alias.label
    alias.apply(repo)
    assert repo.get_actor(actor.uid).aliases == ("A.", "Ms Silva")
    alias.revert(repo)
    edit.revert(repo)
    back = repo.get_actor(actor.uid)
    assert (back.name, back.country, back.aliases) == ("Ana", "PT", ("A.",))


def test_merge_moves_every_reference_and_unmerge_moves_back_exactly_those(repo):
    ana = repo.add_actor("Ana", "person", aliases=["A."])
    bob = repo.add_actor("Bob", "person", aliases=["Robert"])
    art = _article(repo)
    m_bob = _tag(repo, art, "actor", 8, 11, actor_uid=bob.uid)
    # one stance with Bob as holder, one with Ana holding and Bob as target
    s1 = _tag(repo, art, "stance", 13, 24, holder_uid=bob.uid, target_actor_uid=ana.uid,
              polarity="oppose")
    s2 = _tag(repo, art, "stance", 13, 38, holder_uid=ana.uid, target_actor_uid=bob.uid,
              polarity="oppose")
    cmd = MergeActors(ana.uid, bob.uid, register_edits)
    change = cmd.apply(repo)
    assert set(change.uids) >= {m_bob.uid, s1.uid, s2.uid} and change.article_uids == (art.uid,)
    assert repo.get_annotation(m_bob.uid).actor_uid == ana.uid
    assert repo.get_annotation(s1.uid).holder_uid == ana.uid
    assert repo.get_actor(bob.uid).deleted_at is not None
    assert set(repo.get_actor(ana.uid).aliases) == {"A.", "Bob", "Robert"}
    # a mention tagged with Ana after the merge stays Ana's after the unmerge
    later = _tag(repo, art, "actor", 0, 3, actor_uid=ana.uid)

    cmd.revert(repo)
    assert repo.get_actor(bob.uid).deleted_at is None
    assert repo.get_actor(ana.uid).aliases == ("A.",)
    assert repo.get_annotation(m_bob.uid).actor_uid == bob.uid
    s1b, s2b = repo.get_annotation(s1.uid), repo.get_annotation(s2.uid)
    assert (s1b.holder_uid, s1b.target_actor_uid) == (bob.uid, ana.uid)
    assert (s2b.holder_uid, s2b.target_actor_uid) == (ana.uid, bob.uid)
    assert repo.get_annotation(later.uid).actor_uid == ana.uid
    assert repo.history(bob.uid)[-1].action == "unmerge"

    cmd.apply(repo)  # redo
    assert repo.get_annotation(s2.uid).target_actor_uid == ana.uid


def test_trash_and_restore_commands(repo):
    actor = repo.add_actor("Ana")
    cmd = SoftDeleteActor(actor.uid)
    cmd.apply(repo)
    assert repo.get_actor(actor.uid).deleted_at is not None
    cmd.revert(repo)
    assert repo.get_actor(actor.uid).deleted_at is None
    SoftDeleteActor(actor.uid).apply(repo)
    RestoreActor(actor.uid).apply(repo)
    assert repo.get_actor(actor.uid).deleted_at is None
    topic = repo.add_topic("trade")
    t = SoftDeleteTopic(topic.uid)
    t.apply(repo)
    assert repo.get_topic(topic.uid).deleted_at is not None
    t.revert(repo)
    assert repo.get_topic(topic.uid).deleted_at is None


def test_topic_add_and_edit_revert(repo):
    add = AddTopic("tariffs", edits=register_edits)
    add.apply(repo)
    edit = UpdateTopic(add.uid, {"name": "trade tariffs", "description": "duties"})
    edit.apply(repo)
    assert repo.get_topic(add.uid).name == "trade tariffs"
    edit.revert(repo)
    assert repo.get_topic(add.uid).name == "tariffs"
    add.revert(repo)
    assert repo.get_topic(add.uid) is None
    add.apply(repo)
    assert repo.get_topic(add.uid).name == "tariffs"
