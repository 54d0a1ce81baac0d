"""An alias that is empty, only punctuation or one character is refused where aliases
are added (store add/update/add_alias, the register commands); old ones are kept and
a merge leaves such names out."""

from __future__ import annotations

import pytest

from stancemark.core.errors import IntegrityError
from stancemark.core.register_commands import AddActor, AddAlias, UpdateActor
from stancemark.store import register_edits

BAD = ["", "  ", "...", "“”", "X", "习"]


@pytest.mark.parametrize("alias", BAD)
def test_add_alias_refuses(repo, alias):
    actor = repo.add_actor("Beijing", "state")
    with pytest.raises(IntegrityError) as exc:
        repo.add_alias(actor.uid, alias)
    assert "\n" not in str(exc.value) and "Beijing" in str(exc.value)
    assert repo.get_actor(actor.uid).aliases == ()


@pytest.mark.parametrize("alias", ["X", "--"])
def test_add_and_update_refuse_and_change_nothing(repo, alias):
    with pytest.raises(IntegrityError):
        repo.add_actor("Beijing", "state", aliases=["PRC", alias])
    assert repo.list_actors() == []
    actor = repo.add_actor("Beijing", "state", aliases=["PRC"])
    with pytest.raises(IntegrityError):
        repo.update_actor(actor.uid, aliases=["PRC", "China", alias])
    assert repo.get_actor(actor.uid).aliases == ("PRC",)


def test_an_old_bad_alias_is_kept_on_edit(repo):
    actor = repo.add_actor("Beijing", "state", aliases=["PRC"])
    # a store from before the rule: the alias is already there
    repo.conn.execute("INSERT INTO actor_aliases (actor_id, alias) VALUES "
                      "((SELECT id FROM actors WHERE uid = ?), 'B')", [actor.uid])
    after = repo.update_actor(actor.uid, name="China", aliases=["PRC", "B", "Zhongguo"])
    assert after.aliases == ("PRC", "B", "Zhongguo")


def test_register_commands_are_refused(repo):
    with pytest.raises(IntegrityError):
        AddActor("Beijing", "state", aliases=("!",), edits=register_edits).apply(repo)
    actor = repo.add_actor("Beijing", "state")
    with pytest.raises(IntegrityError):
        AddAlias(actor, "B").apply(repo)
    with pytest.raises(IntegrityError):
        UpdateActor(actor.uid, {"aliases": ["?"]}).apply(repo)
    AddAlias(actor, "Peking").apply(repo)
    assert repo.get_actor(actor.uid).aliases == ("Peking",)


def test_merge_leaves_out_names_that_make_no_alias(repo):
    keep = repo.add_actor("China", "state")
    drop = repo.add_actor("C", "state", aliases=["Zhongguo"])
    merged = repo.merge_actors(keep.uid, drop.uid)
    assert merged.aliases == ("Zhongguo",)


@pytest.mark.parametrize("module, suffix", [("native_jsonl", ".jsonl"), ("csv_tables", ""),
                                            ("refi_qda", ".qdpx")])
def test_a_file_with_an_old_one_character_alias_still_imports(repo, tmp_path, module, suffix):
    """A file written before the rule carries the register as it was: its old aliases
    import as a store keeps them (never proposed), instead of refusing the whole file."""
    import importlib

    from stancemark.core.model import Annotation
    from stancemark.store import Repository, open_store

    fmt = importlib.import_module(f"stancemark.formats.{module}")
    actor = repo.add_actor("Xi Jinping", "person", aliases=["President Xi"])
    repo.conn.execute("INSERT INTO actor_aliases (actor_id, alias) VALUES "
                      "((SELECT id FROM actors WHERE uid = ?), '习')", [actor.uid])
    art, _ = repo.add_article("President Xi spoke in Beijing.", "t", published="2021-01-10")
    repo.add_annotation(Annotation("", art.uid, repo.annotator.uid, "actor", 0, 12,
                                   "President Xi", actor_uid=actor.uid))
    out = tmp_path / f"out{suffix}"
    fmt.export(repo, out)
    other = Repository(open_store(tmp_path / "other.sqlite"), "ben")
    try:
        fmt.import_paths(other, [out])
        assert set(other.get_actor(actor.uid).aliases) == {"President Xi", "习"}
    finally:
        other.close()
