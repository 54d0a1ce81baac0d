"""store.bulk.add_articles behaves like Repository.add_article called once per item."""

from __future__ import annotations

import pytest

from stancemark.core.errors import IntegrityError
from stancemark.store.bulk import add_articles


def test_added_like_add_article_with_duplicates_in_store_and_batch(repo):
    old, _ = repo.add_article("Already here.\n", "Old")
    items = [
        {"text": "First text.\r\nSecond line.", "title": "  One ", "source": "Reuters",
         "published": "2024-01-02", "meta": {"k": 1}},
        {"text": "Already here.\n", "title": "Dup of stored"},
        {"text": "First text.\nSecond line.", "title": "Dup in batch"},
        {"text": "Third.", "uid": "fixed-uid", "added_at": "2020-01-01T00:00:00+00:00"},
    ]
    results = add_articles(repo, items, batch_size=2)
    assert [added for _, added in results] == [True, False, False, True]
    first, stored, dup, third = (art for art, _ in results)
    assert stored.uid == old.uid and dup.uid == first.uid
    got = repo.get_article(first.uid)
    assert got.text == "First text.\nSecond line." and got.title == "One"
    assert (got.source, got.published, got.meta) == ("Reuters", "2024-01-02", {"k": 1})
    assert repo.get_article("fixed-uid").added_at == "2020-01-01T00:00:00+00:00"
    assert [h.action for h in repo.history(first.uid)] == ["create"]
    assert repo.count_articles() == 3
    assert repo.list_articles(query="third")[0].uid == "fixed-uid"  # full-text indexed


@pytest.mark.parametrize("bad, error", [
    ({"text": "  \n "}, IntegrityError),
    ({"text": "x", "colour": "red"}, TypeError),
])
def test_a_bad_item_writes_nothing(repo, bad, error):
    with pytest.raises(error):
        add_articles(repo, [{"text": "Fine one."}, bad])
    assert repo.count_articles() == 0


def test_uid_clash_with_another_text_writes_nothing(repo):
    art, _ = repo.add_article("Some text.")
    with pytest.raises(IntegrityError, match="UNIQUE"):
        add_articles(repo, [{"text": "New one."}, {"text": "Other text.", "uid": art.uid}])
    assert repo.count_articles() == 1


def _contents(repo):
    arts = repo.conn.execute(
        "SELECT id, uid, title, text, sha256, source, meta FROM articles ORDER BY id").fetchall()
    audit = repo.conn.execute(
        "SELECT id, action, entity, uid, after FROM audit_log WHERE entity = 'article' "
        "ORDER BY id").fetchall()
    found = {w: sorted(a.uid for a in repo.list_articles(query=w))
             for w in ("alpha", "beta", "gamma", "delta", "number", "shared")}
    repo.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    return arts, [r[1:] for r in audit], found


def _items():
    words = ("alpha", "beta", "gamma", "delta")
    return [{"text": f"Text number {i}: {words[i % 4]} and shared words {'x' * (i * 7)}.",
             "title": f"Title {i} {words[(i + 1) % 4]}", "uid": f"u{i:02d}",
             "source": "Wire", "meta": {"n": i}, "added_at": "2024-01-01T00:00:00+00:00"}
            for i in range(23)]


@pytest.mark.parametrize("variables, chars, statements", [
    (250_000, 8_000_000, 3),  # batches of 10, 10, 3
    (30, 8_000_000, 12),  # two rows a statement
    (250_000, 1, 23),  # every text over the bound: a statement each
])
def test_one_statement_per_batch_stores_what_add_article_stores(tmp_path, monkeypatch,
                                                                 variables, chars, statements):
    """Rows split over several statements (by SQLite's variable limit, or by the text
    bound to one statement) give the same rows, rowids, audit and full-text index as
    one add_article per item."""
    import sqlite3

    from stancemark.store import Repository, article_queue, bulk, open_store

    one = Repository(open_store(tmp_path / "one.sqlite"), "ana")
    for item in _items():
        one.add_article(**item)
    many = Repository(open_store(tmp_path / "many.sqlite"), "ana")
    many.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, variables)
    monkeypatch.setattr(article_queue, "STATEMENT_CHARS", chars)
    seen: list[str] = []
    many.conn.set_trace_callback(seen.append)
    bulk.add_articles(many, _items(), batch_size=10)
    many.conn.set_trace_callback(None)
    # (the trace repeats a statement as its triggers run: count distinct ones)
    assert len({s for s in seen if s.startswith("INSERT INTO articles ")}) == statements
    assert _contents(many) == _contents(one)
    one.close()
    many.close()


def test_a_clash_in_a_later_statement_writes_nothing(repo, monkeypatch):
    import sqlite3

    from stancemark.store import bulk

    repo.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 24)  # two rows a statement
    art, _ = repo.add_article("Some text.")
    items = [{"text": f"New {i}."} for i in range(5)] + [{"text": "Clash.", "uid": art.uid}]
    with pytest.raises(IntegrityError, match="UNIQUE"):
        bulk.add_articles(repo, items)
    assert repo.count_articles() == 1
    assert len(repo.conn.execute("SELECT * FROM audit_log WHERE entity = 'article'").fetchall()) == 1
