"""Repository.add_article inside a caller's transaction queues the articles it cannot be
refused and writes them together (store/article_queue.py): the same rows, ids, audit,
full-text index and answers as one transaction per article, and nothing half-stored
when writing them fails."""

from __future__ import annotations

import sqlite3

import pytest

from stancemark.core.errors import IntegrityError, StoreError
from stancemark.core.model import Annotation
from stancemark.store import Repository, article_queue, open_store


def _contents(repo):
    arts = repo.conn.execute(
        "SELECT id, uid, title, text, sha256, source, url, author, published, language, "
        "added_at, meta, deleted_at FROM articles ORDER BY id").fetchall()
    audit = repo.conn.execute(
        "SELECT id, annotator_uid, action, entity, uid, before, after FROM audit_log "
        "WHERE entity = 'article' ORDER BY id").fetchall()
    found = {w: sorted(a.uid for a in repo.list_articles(query=w))
             for w in ("alpha", "beta", "gamma", "number", "shared", "ünï")}
    repo.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    return arts, audit, found


_AT = "2024-01-01T00:00:00+00:00"


def _calls():
    """add_article calls an import makes: new texts, texts already stored or added
    earlier in the same import, a uid another text holds, meta SQLite refuses, fields
    that are not text, non-ASCII titles."""
    words = ("alpha", "beta", "gamma")
    calls = [dict(text=f"Text number {i}: {words[i % 3]} shared {'x' * i}.",
                  title=f"Title {i} ünï" if i % 4 == 0 else f"Title {i}", uid=f"u{i:02d}",
                  source="Wire", meta={"n": i}, added_at="2024-01-01T00:00:00+00:00")
             for i in range(12)]
    calls.insert(3, dict(text="Stored before.", title="Copy of a stored text", uid="u-copy"))
    calls.insert(6, dict(text="Text number 1: beta shared x.", title="Copy in the import"))
    calls.insert(8, dict(text="A text whose uid is taken.", uid="stored-1"))
    calls.insert(9, dict(text="Meta SQLite refuses.", meta={"x": float("nan")}, uid="nan"))
    calls.insert(10, dict(text="Published as a number.", published=2024, uid="number"))
    calls.insert(11, dict(text="Infinity in a string is fine.", meta={"s": "NaN Infinity"},
                          uid="str-nan"))
    for call in calls:
        call.setdefault("added_at", _AT)
    return calls


def _run(repo):
    results = []
    for call in _calls():
        try:
            art, added = repo.add_article(**call)
        except IntegrityError as exc:
            results.append(("refused", str(exc)))
            continue
        results.append((art.uid, art.title, added))
    return results


def _import(repo, inside):
    repo.add_article("Stored before.", "Stored", uid="stored-1", added_at=_AT)
    if not inside:
        return _run(repo)
    with repo.tx():
        return _run(repo)


def test_queued_articles_are_stored_as_one_transaction_each_stores_them(tmp_path, monkeypatch):
    monkeypatch.setattr(article_queue, "QUEUE_ARTICLES", 4)  # several writes of the queue
    each = Repository(open_store(tmp_path / "each.sqlite"), "ana")
    queued = Repository(open_store(tmp_path / "queued.sqlite"), "ana")
    seen: list[str] = []
    queued.conn.set_trace_callback(seen.append)
    got_each = _import(each, inside=False)
    got_queued = _import(queued, inside=True)
    queued.conn.set_trace_callback(None)
    assert got_queued == got_each
    assert ("refused", "article nan: CHECK constraint failed: json_valid(meta)") in got_each
    assert any(r[0] == "refused" and "UNIQUE" in r[1] for r in got_each)
    # the queue was used (the trace repeats a statement as its triggers run: count
    # distinct ones): fewer INSERTs than the 14 articles added and the 5 refused or found
    inserts = {s for s in seen if s.startswith("INSERT INTO articles (")}
    assert queued.count_articles() == 15 and len(inserts) < 14
    a, b = _contents(each), _contents(queued)
    assert [r[:1] + r[2:] for r in a[1]] == [r[:1] + r[2:] for r in b[1]]  # audit, bar times
    assert a[0] == b[0] and a[2] == b[2]
    each.close()
    queued.close()


def test_an_import_writes_its_articles_a_queue_at_a_time(repo, monkeypatch):
    monkeypatch.setattr(article_queue, "QUEUE_ARTICLES", 4)
    seen: list[str] = []
    repo.conn.set_trace_callback(seen.append)
    with repo.tx():
        for i in range(10):
            repo.add_article(f"Text {i}.", uid=f"u{i}")
    repo.conn.set_trace_callback(None)
    inserts = {s for s in seen if s.startswith("INSERT INTO articles (")}
    assert len(inserts) == 3  # 4, 4 and, at the commit, 2
    assert [a.uid for a in repo.iter_articles()] == [f"u{i}" for i in range(10)]


def test_whatever_runs_next_sees_the_queued_articles(repo):
    with repo.tx():
        art, added = repo.add_article("A queued text about alpha.", "Queued")
        assert added and repo._queue.rows  # queued, not written yet
        # the next statement through the repository writes the queue first
        assert repo.get_article(art.uid).text == "A queued text about alpha."
        assert not repo._queue.rows
        other, _ = repo.add_article("Another queued text.", "Other")
        repo.add_annotation(Annotation("ann-1", other.uid, repo.annotator.uid, "date", 0, 7,
                                       "Another", date_value="2024-01-02",
                                       date_granularity="day"))
    assert [a.quote for a in repo.list_annotations(other.uid)] == ["Another"]
    assert repo.list_articles(query="alpha")[0].uid == art.uid


def test_a_rolled_back_savepoint_takes_its_queued_articles(repo):
    with repo.tx():
        repo.add_article("Kept text.", uid="kept")
        with pytest.raises(RuntimeError), repo.tx():
            repo.add_article("Dropped text.", uid="dropped")
            raise RuntimeError
        repo.add_article("Also kept.", uid="also")
    assert [a.uid for a in repo.iter_articles()] == ["kept", "also"]
    assert [r[0] for r in repo.conn.execute(
        "SELECT uid FROM audit_log WHERE entity = 'article' ORDER BY id")] == ["kept", "also"]


def test_a_rolled_back_transaction_takes_its_queued_articles(repo):
    with pytest.raises(RuntimeError), repo.tx():
        repo.add_article("Dropped text.", uid="dropped")
        raise RuntimeError
    repo.add_article("Later text.", uid="later")
    assert [a.uid for a in repo.iter_articles()] == ["later"]
    assert repo.conn.execute("SELECT id FROM articles").fetchall() == [(1,)]


def _failing_insert(monkeypatch, error):
    real = article_queue.insert_rows

    def insert(conn, rows, *args):
        real(conn, rows[:1], *args)  # one row written, then the disk fails
        raise error

    monkeypatch.setattr(article_queue, "insert_rows", insert)


def test_a_queue_that_cannot_be_written_stores_nothing(repo, monkeypatch):
    repo.add_article("Stored before.", uid="before")
    _failing_insert(monkeypatch, sqlite3.OperationalError("disk I/O error"))
    with pytest.raises(StoreError, match="not saved: disk I/O error"), repo.tx():
        repo.add_article("First queued.", uid="q1")
        repo.add_article("Second queued.", uid="q2")
    assert [a.uid for a in repo.iter_articles()] == ["before"]
    assert [r[0] for r in repo.conn.execute("SELECT uid FROM audit_log WHERE entity = "
                                            "'article'")] == ["before"]


def test_an_import_that_goes_on_after_a_failed_write_is_not_committed(repo, monkeypatch):
    """The caller was told the queued articles were added: when they could not be
    written, the transaction is not committed, even if the caller carries on."""
    repo.add_article("Stored before.", uid="before")
    _failing_insert(monkeypatch, KeyboardInterrupt())
    with pytest.raises(StoreError, match="not saved: 2 added article"), repo.tx():
        repo.add_article("First queued.", uid="q1")
        repo.add_article("Second queued.", uid="q2")
        with pytest.raises(KeyboardInterrupt):
            repo.count_articles()  # writes the queue first
        # taken back inside the transaction: neither rows nor audit entries remain
        assert repo.count_articles() == 1
        assert repo.conn.execute("SELECT count(*) FROM audit_log WHERE entity = 'article'"
                                 ).fetchone()[0] == 1
        monkeypatch.undo()
        repo.add_article("Third, after.", uid="q3")
    assert [a.uid for a in repo.iter_articles()] == ["before"]
    repo.add_article("Next import.", uid="next")  # the next transaction starts clean
    assert [a.uid for a in repo.iter_articles()] == ["before", "next"]
