"""A tag is one transaction: the annotation, its audit entry and the article's status
moving to "in progress" commit together, and undo takes them back together."""

from __future__ import annotations

from helpers import find
from stancemark.core.commands import AddAnnotation
from stancemark.core.model import Annotation


def _new_article_tag(repo):
    art, _ = repo.add_article("Beijing said on Monday that talks would go on.", "Talks")
    actor = repo.add_actor("China", "state", aliases=["Beijing"])
    s, e = find(art.text, "Beijing")
    return art, Annotation("", art.uid, "", "actor", s, e, "Beijing", actor_uid=actor.uid)


def _statements(repo, run):
    """run()'s result and the first word of each SQL statement it ran. SQLite traces a
    statement again for each trigger it fires (same text, right after): counted once."""
    seen: list[str] = []
    repo.conn.set_trace_callback(
        lambda sql: None if seen and seen[-1] == sql else seen.append(sql))
    try:
        result = run()
    finally:
        repo.conn.set_trace_callback(None)
    return result, [s.strip().split()[0].upper() for s in seen]


def test_a_tag_on_a_new_article_is_one_transaction(repo):
    art, annotation = _new_article_tag(repo)
    cmd = AddAnnotation(annotation)
    change, verbs = _statements(repo, lambda: cmd.apply(repo))
    assert verbs.count("BEGIN") == 1 and verbs.count("COMMIT") == 1, verbs
    assert verbs[-1] == "COMMIT", "nothing is read back after the commit"
    assert "ROLLBACK" not in verbs
    # annotation, its audit entry, the status and its audit entry; nothing else written
    assert sum(v in ("INSERT", "UPDATE", "DELETE") for v in verbs) == 4, verbs
    assert len(verbs) <= 16, verbs  # 16 today; 17 in two transactions before
    # The change record carries what the views need: the row and the new status.
    assert change.annotations == (repo.get_annotation(cmd.annotation.uid),)
    assert change.statuses == ((art.uid, repo.annotator.uid, "in progress"),)


def test_tag_undo_redo_moves_the_status_with_the_tag(repo):
    art, annotation = _new_article_tag(repo)
    assert repo.get_status(art.uid) == "new"
    cmd = AddAnnotation(annotation)
    cmd.apply(repo)
    assert repo.get_status(art.uid) == "in progress"
    undone, verbs = _statements(repo, lambda: cmd.revert(repo))
    assert verbs.count("BEGIN") == 1 and verbs.count("COMMIT") == 1, verbs
    assert repo.get_status(art.uid) == "new" and repo.list_annotations(art.uid) == []
    assert undone.removed and undone.statuses == ((art.uid, repo.annotator.uid, "new"),)
    cmd.apply(repo)  # redo
    assert repo.get_status(art.uid) == "in progress"
    assert [a.uid for a in repo.list_annotations(art.uid)] == [cmd.annotation.uid]


def test_a_second_tag_leaves_the_status_alone(repo):
    art, annotation = _new_article_tag(repo)
    AddAnnotation(annotation).apply(repo)
    repo.set_status(art.uid, "done")
    second = AddAnnotation(annotation.with_changes(uid=""))
    change = second.apply(repo)
    assert change.statuses == () and repo.get_status(art.uid) == "done"
    second.revert(repo)
    assert repo.get_status(art.uid) == "done"


def test_a_failed_tag_changes_neither_row_nor_status(repo):
    art, annotation = _new_article_tag(repo)
    bad = annotation.with_changes(actor_uid="no-such-actor")
    try:
        AddAnnotation(bad).apply(repo)
    except Exception as exc:  # IntegrityError naming the unknown actor
        assert "no-such-actor" in str(exc)
    else:
        raise AssertionError("an unknown actor was accepted")
    assert repo.get_status(art.uid) == "new" and repo.list_annotations(art.uid) == []
