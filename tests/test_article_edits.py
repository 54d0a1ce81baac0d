"""Editing articles: title, date, source, URL, language; trash; status. Undoable
commands with audit entries, and the same from the command line."""

from __future__ import annotations

import pytest

from stancemark.cli import main
from stancemark.core.article_commands import (
    DeleteArticle,
    SetStatus,
    UpdateArticle,
    article_field_problem,
)
from stancemark.core.errors import IntegrityError


def _pompeo(repo):
    return next(a for a in repo.iter_articles() if a.published == "2021-01-10")


def test_update_article_is_audited_and_undone(seeded):
    art = _pompeo(seeded)
    cmd = UpdateArticle(art.uid, {"title": "  Pompeo lifts limits ", "published": "2021-01-09",
                                  "language": "en", "url": "https://example.org/p"})
    change = cmd.apply(seeded)
    after = seeded.get_article(art.uid)
    assert (after.title, after.published, after.language, after.url) == (
        "Pompeo lifts limits", "2021-01-09", "en", "https://example.org/p")
    assert after.text == art.text and change.article_uids == (art.uid,)
    last = seeded.history(art.uid)[-1]
    assert last.action == "update" and last.before["title"] == art.title
    assert last.after["published"] == "2021-01-09"
    # the full-text index follows the title
    assert [r.uid for r in seeded.list_articles(query="limits")] == [art.uid]
    cmd.revert(seeded)
    back = seeded.get_article(art.uid)
    assert (back.title, back.published, back.language, back.url) == (
        art.title, art.published, art.language, art.url)


@pytest.mark.parametrize("name, value, message", [
    ("published", "2021-13-01", "not YYYY, YYYY-MM or YYYY-MM-DD"),
    ("published", "2020/2021", "not YYYY, YYYY-MM or YYYY-MM-DD"),
    ("language", "english!", "not a language code"),
    ("url", "not a url", "not an address"),
    ("title", "two\nlines", "must be one line"),
    ("text", "new text", "cannot change article field 'text'"),
])
def test_bad_values_are_refused_and_change_nothing(seeded, name, value, message):
    art = _pompeo(seeded)
    assert message in article_field_problem(name, value)
    with pytest.raises(IntegrityError, match=message):
        UpdateArticle(art.uid, {"title": "changed", name: value}).apply(seeded)
    assert seeded.get_article(art.uid) == art


def test_delete_and_status_are_undone(seeded):
    art = _pompeo(seeded)
    delete = DeleteArticle(art.uid, art.title)
    delete.apply(seeded)
    assert art.uid not in {r.uid for r in seeded.list_articles()}
    delete.revert(seeded)
    assert art.uid in {r.uid for r in seeded.list_articles()}
    status = SetStatus(art.uid, "done")
    status.apply(seeded)
    assert seeded.get_status(art.uid) == "done"
    status.revert(seeded)
    assert seeded.get_status(art.uid) == "new"
    with pytest.raises(IntegrityError, match="unknown status"):
        SetStatus(art.uid, "finished").apply(seeded)


def test_command_line_sets_deletes_restores_and_marks(seeded, store_path, capsys):
    art = _pompeo(seeded)
    seeded.close()
    cli = ["--store", str(store_path), "--annotator", "ana"]
    assert main([*cli, "list"]) == 0
    assert art.uid[:8] in capsys.readouterr().out  # the id column to address it by
    assert main([*cli, "article", "set", art.uid[:8], "--title", "New title", "--date",
                 "2021-01-11", "--language", "en"]) == 0
    out = capsys.readouterr().out
    assert f"article {art.uid}: title 'New title' (was {art.title!r})" in out
    assert "date '2021-01-11' (was '2021-01-10')" in out
    assert main([*cli, "article", "set", art.uid, "--date", "yesterday"]) == 1
    assert capsys.readouterr().err.strip() == (
        "stancemark: error: date 'yesterday' is not YYYY, YYYY-MM or YYYY-MM-DD")
    assert main([*cli, "article", "set", "zzzz", "--title", "x"]) == 1
    assert "no article 'zzzz'" in capsys.readouterr().err
    assert main([*cli, "article", "status", art.uid[:8], "done"]) == 0
    assert "status 'done' for ana (was 'new')" in capsys.readouterr().out
    assert main([*cli, "article", "delete", art.uid[:8]]) == 0
    assert "to the trash" in capsys.readouterr().out
    assert main([*cli, "list", "--json"]) == 0
    assert art.uid not in capsys.readouterr().out
    assert main([*cli, "article", "restore", art.uid[:8]]) == 0
    from stancemark.store import Repository, open_store

    repo = Repository(open_store(store_path), "ana")
    after = repo.get_article(art.uid)
    assert (after.title, after.published, after.language, after.deleted_at) == (
        "New title", "2021-01-11", "en", None)
    assert repo.get_status(art.uid) == "done"
    assert [h.action for h in repo.history(art.uid)][-4:] == ["update", "status", "delete",
                                                              "restore"]
    repo.close()
