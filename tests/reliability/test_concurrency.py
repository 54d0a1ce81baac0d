"""Two sessions on one store: two windows (two Repository connections), or a window
and the command line. The choice: both may write. WAL lets readers run beside the
one writer, BEGIN IMMEDIATE takes the write lock before a transaction reads
anything (so no transaction fails half-way on an upgrade), and the busy timeout
makes the second writer wait its turn. No corruption, no lost write, and each
sees the other's committed changes on its next read."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from stancemark.core.errors import StoreError
from stancemark.core.model import Annotation
from stancemark.store import Repository, open_store


def _adder(repo: Repository, n: int, out: list[str], errors: list[BaseException],
           offset: int = 0) -> None:
    try:
        art = next(repo.iter_articles())
        for i in range(n):
            start = (offset + i * 7) % (len(art.text) - 30)
            a = repo.add_annotation(Annotation("", art.uid, "", "stance", start, start + 20,
                                               art.text[start:start + 20], polarity="neutral"))
            out.append(a.uid)
    except BaseException as exc:  # reported to the test thread
        errors.append(exc)


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def test_two_windows_write_at_once_nothing_lost(seeded, store_path):
    other = Repository(open_store(store_path), "bo")
    mine: list[str] = []
    theirs: list[str] = []
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_adder, args=(seeded, 150, mine, errors)),
               threading.Thread(target=_adder, args=(other, 150, theirs, errors, 3))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(mine) == len(theirs) == 150
    # each sees every write of the other, without reopening
    assert all(seeded.get_annotation(u) is not None for u in theirs)
    assert all(other.get_annotation(u) is not None for u in mine)
    assert seeded.stats()["annotations"] == 300
    other.close()
    assert _integrity(store_path) == "ok"


def test_changes_show_on_refresh(seeded, store_path):
    other = Repository(open_store(store_path), "bo")
    count = len(other.list_articles())
    seeded.add_article("A fresh article written in the other window.", "Fresh")
    assert len(other.list_articles()) == count + 1
    topic = other.add_topic("Tariffs on steel")
    assert seeded.get_topic(topic.uid) == topic
    other.close()


def test_cli_import_while_the_window_writes(seeded, store_path, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(30):
        (folder / f"a{i}.txt").write_text(f"Title: From the CLI {i}\n\n" +
                                          " ".join(f"w{i}x{j}" for j in range(300)),
                                          encoding="utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2] / "desktop")
    proc = subprocess.Popen([sys.executable, "-m", "stancemark", "--store", str(store_path),
                             "--annotator", "cli", "import", str(folder)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    added: list[str] = []
    errors: list[BaseException] = []
    while proc.poll() is None and len(added) < 2000:
        _adder(seeded, 5, added, errors, len(added))
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "30 article(s) added" in out
    assert not errors
    assert all(seeded.get_annotation(u) is not None for u in added)
    assert len(seeded.list_articles(query="From the CLI")) == 30
    assert _integrity(store_path) == "ok"


def test_a_writer_that_never_lets_go_gives_a_clear_error(seeded, store_path):
    """Past the busy timeout the edit fails loudly; it is never shown as saved."""
    blocker = sqlite3.connect(store_path, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    seeded.conn.execute("PRAGMA busy_timeout = 100")
    try:
        with pytest.raises(StoreError, match="another Stancemark is writing"):
            seeded.add_topic("Blocked")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert seeded.topic_by_name("Blocked") is None
    seeded.add_topic("Blocked")  # once the lock is gone, it works
    assert seeded.topic_by_name("Blocked") is not None
