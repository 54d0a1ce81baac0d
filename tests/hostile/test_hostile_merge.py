"""Hostile input through `stancemark merge`: a colleague's store file or JSONL export is
input like any other. Damaged, foreign, newer, truncated or crafted stores (spans that do
not match the text, written with the store's own checks switched off) are refused in one
line naming the file, with my store byte-for-byte unchanged; hostile text merges as text."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from test_hostile_inputs import CASES, fingerprint, integrity

from stancemark.cli import main
from stancemark.core.model import Annotation
from stancemark.store import Repository, backups, open_store


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    from stancemark.formats.seed import seed

    path = tmp_path_factory.mktemp("merge-template") / "mine.sqlite"
    repo = Repository(open_store(path), "ana")
    seed(repo)
    backups.make_backup(repo.db)
    repo.close()
    return path


@pytest.fixture
def mine(template, tmp_path) -> Path:
    path = tmp_path / "me" / "mine.sqlite"
    path.parent.mkdir()
    shutil.copyfile(template, path)
    shutil.copytree(backups.backup_dir(template), backups.backup_dir(path))
    return path


def colleague(template: Path, folder: Path, tamper=None, title: str | None = None) -> Path:
    """A colleague's store: same seed, their own uid, two tags; `tamper(conn, uids)` then
    edits it with raw SQL and the span triggers dropped."""
    path = folder / "colleague.sqlite"
    shutil.copyfile(template, path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE store_info SET value = 'colleague-store' WHERE key = 'store_uid'")
    conn.commit()
    conn.close()
    repo = Repository(open_store(path), "bo")
    art = next(repo.iter_articles())
    uids = [repo.add_annotation(Annotation("", art.uid, "", "stance", s, e, art.text[s:e],
                                           polarity="oppose")).uid for s, e in ((0, 5), (6, 12))]
    if title:
        repo.add_article(f"A new article about {title}.", title)
    repo.close()
    if tamper:
        conn = sqlite3.connect(path)
        for name in ("annotations_span_insert", "annotations_span_update"):
            conn.execute(f"DROP TRIGGER IF EXISTS {name}")  # noqa: S608 - fixed names
        tamper(conn, uids)
        conn.commit()
        conn.close()
    return path


def merge(mine: Path, theirs: Path, capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--store", str(mine), "--annotator", "ana", "merge", str(theirs)])
    return code, capsys.readouterr().err


def assert_refused(mine: Path, theirs: Path, capsys, words: str = "") -> str:
    before = fingerprint(mine)
    code, err = merge(mine, theirs, capsys)
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith("stancemark: error: ") and theirs.name in lines[0], lines[0]
    assert words in lines[0], lines[0]
    assert fingerprint(mine) == before
    assert integrity(mine) == "ok"
    return lines[0]


TAMPERING = {
    "quote-mismatch": lambda c, u: c.execute("UPDATE annotations SET quote = 'evil' WHERE uid = ?",
                                             [u[0]]),
    "past-the-end": lambda c, u: c.execute('UPDATE annotations SET "end" = 99999999 WHERE uid = ?',
                                           [u[1]]),
    "shifted-span": lambda c, u: c.execute(
        'UPDATE annotations SET start = start + 1, "end" = "end" + 1 WHERE uid = ?', [u[0]]),
}


@pytest.mark.parametrize("how", sorted(TAMPERING))
def test_crafted_store_spans_refused(template, mine, tmp_path, capsys, how):
    theirs = colleague(template, tmp_path, TAMPERING[how])
    assert_refused(mine, theirs, capsys, "do not match the article text")


def test_untampered_colleague_merges(template, mine, tmp_path, capsys):
    theirs = colleague(template, tmp_path)
    assert merge(mine, theirs, capsys)[0] == 0
    assert integrity(mine) == "ok"


@pytest.mark.parametrize("title", ["Robert'); DROP TABLE articles;--", "report\u202etxt.exe"])
def test_hostile_titles_merge_as_text(template, mine, tmp_path, capsys, title):
    theirs = colleague(template, tmp_path, title=title)
    assert merge(mine, theirs, capsys)[0] == 0
    conn = sqlite3.connect(mine)
    assert conn.execute("SELECT count(*) FROM articles WHERE title = ?", [title]).fetchone()[0] == 1
    conn.close()


def _garbage(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40)


def _foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.commit()
    conn.close()


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _binary(path: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)


BROKEN = {"garbage-with-header": _garbage, "another-programs-db": _foreign,
          "empty": _empty, "binary": _binary}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_broken_files_refused(mine, tmp_path, capsys, kind):
    theirs = tmp_path / f"{kind}.sqlite"
    BROKEN[kind](theirs)
    assert_refused(mine, theirs, capsys)


def test_truncated_store_refused(template, mine, tmp_path, capsys):
    whole = colleague(template, tmp_path)
    theirs = tmp_path / "truncated.sqlite"
    theirs.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    assert_refused(mine, theirs, capsys)


def test_newer_store_refused(template, mine, tmp_path, capsys):
    theirs = colleague(template, tmp_path)
    conn = sqlite3.connect(theirs)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('stancemark', 'm999_from_the_future', '2099-01-01')")
    conn.commit()
    conn.close()
    assert_refused(mine, theirs, capsys, "newer")


# A uid already used by another of my articles is not an error for a merge: the
# colleague's article comes in under a new uid (the merge notes it).
REUSED_UID = "refuse-line-uid-of-another-article.jsonl"


@pytest.mark.parametrize("case", sorted(p.name for p in (CASES / "jsonl").glob("refuse-*")
                                        if p.name != REUSED_UID))
def test_hostile_jsonl_exports_refused(mine, capsys, case):
    assert_refused(mine, CASES / "jsonl" / case, capsys)


def test_reused_article_uid_merges_under_a_new_uid(mine, capsys):
    conn = sqlite3.connect(mine)
    before = dict(conn.execute("SELECT uid, sha256 FROM articles").fetchall())
    conn.close()
    assert merge(mine, CASES / "jsonl" / REUSED_UID, capsys)[0] == 0
    conn = sqlite3.connect(mine)
    after = dict(conn.execute("SELECT uid, sha256 FROM articles").fetchall())
    conn.close()
    assert all(after[u] == sha for u, sha in before.items())  # mine untouched
    assert len(after) == len(before) + 1


def test_a_bad_row_is_named_before_a_bad_text(template, mine, tmp_path, capsys):
    # Texts are checked in a thread while the row rules run: the first problem in the
    # checks' order (rows, then texts) is the one named, as when they ran one by one.
    def both(conn, uids):
        conn.execute("UPDATE articles SET sha256 = 'x' WHERE id = (SELECT min(id) FROM articles)")
        conn.execute("UPDATE annotations SET start = 0.5 WHERE uid = ?", [uids[0]])

    theirs = colleague(template, tmp_path, both)
    line = assert_refused(mine, theirs, capsys, "start 0.5 is not a whole number")
    assert "sha256" not in line
