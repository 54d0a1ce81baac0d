"""A merge's bulk insert of articles writes the full-text index through a larger FTS5
buffer (store.fts_buffer): the same search answers as an index built article by
article, and the index's stored settings as they were."""

from __future__ import annotations

import pytest

from stancemark.store import Repository, open_store
from stancemark.store.fts_buffer import BULK_HASHSIZE, bulk_article_terms
from stancemark.store.merge import merge_store

WORDS = ["Beijing", "Taipei", "summit", "tariffs", "Zürich", "naïve", "東京", "x"]


def _texts(n):
    import random

    rng = random.Random(7)
    return [" ".join(rng.choice(WORDS) + str(rng.randrange(50)) for _ in range(1000))
            for _ in range(n)]


def _config(repo):
    return repo.conn.execute("SELECT k, v FROM articles_fts_config ORDER BY k").fetchall()


def _answers(repo):
    """query -> the titles of the articles it finds."""
    queries = [f'"{w}{i}"' for w in WORDS for i in range(0, 50, 7)] + [
        "beijing1 OR taipei2", "summit3 NOT tariffs4", "東京5*"]
    return {q: sorted(r[0] for r in repo.conn.execute(
        "SELECT a.title FROM articles_fts f JOIN articles a ON a.id = f.rowid "
        "WHERE articles_fts MATCH ?", [q])) for q in queries}


def test_merged_articles_are_found_as_if_added_one_by_one(tmp_path):
    theirs = Repository(open_store(tmp_path / "theirs.sqlite"), "ana")
    by_one = Repository(open_store(tmp_path / "by_one.sqlite"), "rev")
    # About 4 MB of text: several write-outs of FTS5's default buffer, none of the bulk one.
    for i, text in enumerate(_texts(400)):
        theirs.add_article(text, f"article {i}")
        by_one.add_article(text, f"article {i}")
    theirs.close()
    mine = Repository(open_store(tmp_path / "mine.sqlite"), "rev")
    config = _config(mine)
    report = merge_store(mine, tmp_path / "theirs.sqlite")
    assert report.articles_added == 400
    assert _config(mine) == config  # no setting left behind
    got = _answers(mine)
    assert all(got.values())
    assert got == _answers(by_one)
    mine.conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
    mine.close()
    by_one.close()


def test_the_buffer_setting_is_put_back_as_it_was(tmp_path):
    repo = Repository(open_store(tmp_path / "mine.sqlite"), "rev")
    conn = repo.conn
    before = _config(repo)
    with repo.tx(), bulk_article_terms(conn):
        assert conn.execute("SELECT v FROM articles_fts_config WHERE k = 'hashsize'"
                            ).fetchone() == (BULK_HASHSIZE,)
        repo.add_article("inside the block", "one")
    assert _config(repo) == before
    # A setting the store had is kept.
    with repo.tx():
        conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('hashsize', 2000000)")
    kept = _config(repo)
    with repo.tx(), bulk_article_terms(conn):
        pass
    assert _config(repo) == kept
    # A failed transaction takes the setting back with everything else.
    with pytest.raises(RuntimeError), repo.tx(), bulk_article_terms(conn):
        raise RuntimeError("refused")
    assert _config(repo) == kept
    assert [r[0] for r in conn.execute(
        "SELECT a.title FROM articles_fts f JOIN articles a ON a.id = f.rowid "
        "WHERE articles_fts MATCH 'block'")] == ["one"]
    repo.close()
