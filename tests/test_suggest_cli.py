"""`stancemark suggest`: summary, --apply into a separate annotator (idempotent, never a
person's layer), --evaluate against an annotator's tags, one-line errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from stancemark.cli import main


@pytest.fixture
def store(tmp_path):
    path = str(tmp_path / "s.sqlite")
    assert main(["--store", path, "seed"]) == 0
    return path


def test_summary_counts_per_kind(store, capsys):
    capsys.readouterr()
    assert main(["--store", store, "suggest"]) == 0
    out = capsys.readouterr().out
    assert "articles: 3 (3 with suggestions)" in out
    assert "actor: 178 suggestion(s)" in out
    assert "date: 18 suggestion(s) (2 without a value" in out
    assert main(["--store", store, "suggest", "--kinds", "date", "--search", "Pompeo"]) == 0
    out = capsys.readouterr().out
    assert "articles: 1 " in out and "date: 9 suggestion(s)" in out and "actor" not in out


def test_apply_stores_a_separate_layer_once(store, capsys):
    from stancemark.store import Repository, open_store

    assert main(["--store", store, "--annotator", "ana", "suggest", "--apply"]) == 0
    out = capsys.readouterr().out
    assert "stored 194 suggestion(s) as annotations of 'suggestions' (actor 178, date 16)" in out
    assert "2 date(s) without a value left out" in out
    assert main(["--store", store, "--annotator", "ana", "suggest", "--apply"]) == 0
    assert "stored 0 suggestion(s)" in capsys.readouterr().out
    repo = Repository(open_store(store), "ana")
    try:
        sugg = repo.annotator_by_name("suggestions")
        arts = repo.list_articles()
        stored = [a for art in arts for a in repo.list_annotations(art.uid, [sugg.uid])]
        assert len(stored) == 194
        assert all(a.meta.get("suggested") for a in stored)
        assert not any(repo.list_annotations(art.uid, [repo.annotator.uid]) for art in arts)
        # a reviewer trashes one: a third run does not bring it back
        repo.delete_annotation(stored[0].uid)
    finally:
        repo.close()
    assert main(["--store", store, "--annotator", "ana", "suggest", "--apply"]) == 0
    assert "stored 0 suggestion(s)" in capsys.readouterr().out


def test_apply_never_writes_into_a_persons_layer(store, capsys):
    from stancemark.core.model import Annotation, new_uid
    from stancemark.store import Repository, open_store

    repo = Repository(open_store(store), "bo")
    art = repo.list_articles()[0]
    text = repo.get_article(art.uid).text
    repo.add_annotation(Annotation(new_uid(), art.uid, repo.annotator.uid, "date", 0, 4,
                                   text[0:4], date_value="2018", date_granularity="year"))
    repo.close()
    capsys.readouterr()
    assert main(["--store", store, "--annotator", "ana", "suggest", "--apply",
                 "--annotator-name", "bo"]) == 1
    assert "holds a person's annotations" in capsys.readouterr().err
    assert main(["--store", store, "--annotator", "ana", "suggest", "--apply",
                 "--annotator-name", "ana"]) == 1
    assert "own annotator" in capsys.readouterr().err


def test_evaluate_against_the_applied_layer_and_bad_input(store, capsys):
    assert main(["--store", store, "--annotator", "ana", "suggest", "--apply"]) == 0
    capsys.readouterr()
    assert main(["--store", store, "suggest", "--evaluate", "--against", "suggestions"]) == 0
    out = capsys.readouterr().out
    actor = next(line for line in out.splitlines() if line.startswith("actor"))
    date = next(line for line in out.splitlines() if line.startswith("date"))
    assert actor.split()[1:3] == ["178", "178"] and "1.000" in actor
    # 16 stored dates against 18 suggested (two have no value), values agree
    assert date.split()[1:3] == ["16", "18"] and "1.000 of 16" in date
    for argv, words in [
        (["suggest", "--kinds", "stance"], "kinds actor and date"),
        (["suggest", "--evaluate"], "needs --against"),
        (["suggest", "--evaluate", "--against", "nobody"], "no annotator 'nobody'"),
        (["suggest", "--against", "x"], "goes with --evaluate"),
        (["suggest", "--evaluate", "--apply", "--against", "x"], "do not go together"),
        (["suggest", "--apply", "--annotator-name", " "], "is empty"),
    ]:
        assert main(["--store", store, *argv]) != 0, argv
        err = capsys.readouterr().err
        assert words in err and err.count("\n") == 1, (argv, err)


def test_progress_and_errors_from_the_entry_point(store):
    result = subprocess.run([sys.executable, "-m", "stancemark", "--store", store, "suggest",
                             "--kinds", "nothing"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
