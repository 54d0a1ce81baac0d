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


def test_merge_moves_decisions_on_suggestions_a_rejection_stays_and_unmerge_restores(repo):
    from stancemark.core.suggestion_decisions import SuggestionDecision

    ana = repo.add_actor("Ana", "person")
    bob = repo.add_actor("Bob", "person")
    art = _article(repo)  # "Ana met Bob. Ana opposes Bob on trade."
    ben = repo.ensure_annotator("ben").uid

    def decide(actor, start, end, decision, annotator=""):
        return repo.record_suggestion_decision(SuggestionDecision(
            new_uid(), art.uid, annotator, "actor", start, end, decision, actor.uid,
            alias=art.text[start:end])).uid

    alone = decide(bob, 8, 11, "reject")  # only Bob's: moves, stays a rejection
    bens = decide(bob, 8, 11, "accept", ben)  # another annotator's: no conflict
    lost_accept = decide(bob, 25, 28, "accept")  # against Ana's rejection: trashed
    kept_reject = decide(ana, 25, 28, "reject")
    moved_reject = decide(bob, 0, 3, "reject")  # against Ana's acceptance: stays
    lost_own = decide(ana, 0, 3, "accept")
    both_bob = decide(bob, 13, 16, "accept")  # two acceptances: the kept actor's stays
    both_ana = decide(ana, 13, 16, "accept")
    before = {d.uid: d for d in repo.suggestion_decisions(art.uid, include_deleted=True)}

    cmd = MergeActors(ana.uid, bob.uid, register_edits)
    cmd.apply(repo)
    after = {d.uid: d for d in repo.suggestion_decisions(art.uid, include_deleted=True)}
    assert {d.actor_uid for d in after.values()} == {ana.uid}
    live = {u for u, d in after.items() if d.deleted_at is None}
    assert live == {alone, bens, kept_reject, moved_reject, both_ana}
    assert repo.rejected_suggestion_keys(art.uid) == {
        f"actor|8|11|{ana.uid}", f"actor|25|28|{ana.uid}", f"actor|0|3|{ana.uid}"}
    assert repo.rejected_suggestion_keys(art.uid, ben) == set()
    assert {(d.uid, d.alias, d.decision) for d in after.values()} == {
        (d.uid, d.alias, d.decision) for d in before.values()}
    merge = repo.history(bob.uid)[-1]
    assert merge.action == "merge"
    assert set(merge.after["decisions"]) == {alone, bens, lost_accept, moved_reject, both_bob}
    assert set(merge.after["decisions_trashed"]) == {lost_accept, lost_own, both_bob}

    cmd.revert(repo)
    back = {d.uid: d for d in repo.suggestion_decisions(art.uid, include_deleted=True)}
    assert {u: (d.actor_uid, d.deleted_at) for u, d in back.items()} == {
        u: (d.actor_uid, d.deleted_at) for u, d in before.items()}

    cmd.apply(repo)  # redo
    again = {d.uid: d for d in repo.suggestion_decisions(art.uid, include_deleted=True)}
    assert {u for u, d in again.items() if d.deleted_at is None} == live


def test_merge_in_the_store_moves_decisions_too(repo):
    from stancemark.core.suggestion_decisions import SuggestionDecision

    ana, bob = repo.add_actor("Ana", "person"), repo.add_actor("Bob", "person")
    art = _article(repo)
    d = repo.record_suggestion_decision(SuggestionDecision(
        new_uid(), art.uid, "", "actor", 8, 11, "reject", bob.uid, alias="Bob"))
    repo.merge_actors(ana.uid, bob.uid)  # as `stancemark actor merge`
    assert repo.get_suggestion_decision(d.uid).actor_uid == ana.uid
    assert repo.rejected_suggestion_keys(art.uid) == {f"actor|8|11|{ana.uid}"}


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
