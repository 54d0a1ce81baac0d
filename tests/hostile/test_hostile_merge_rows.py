"""A colleague's store whose tables were rebuilt without their constraints and triggers,
then given one bad row: `stancemark merge` refuses it in one line naming the file and
the row, leaves my store byte-for-byte unchanged, and writes nothing beside their file.
Also: their file on read-only media, and with content still in its -wal, merges."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from test_hostile_inputs import fingerprint, integrity

from helpers import drop_root_powers
from review_data import build_store
from stancemark.cli import main
from stancemark.core.text import text_sha256
from stancemark.store import Repository, backups, open_store


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> tuple[Path, Path]:
    """(mine, theirs): Ana's and Ben's stores (same seed, tags of every kind), closed."""
    folder = tmp_path_factory.mktemp("rows")
    build_store(folder / "ana.sqlite", "ana").close()
    ben = build_store(folder / "ben.sqlite", "ben")
    ben.add_article("A new article only Ben has, about port calls.", "Ben's own")
    ben.close()
    repo = Repository(open_store(folder / "ana.sqlite"), "ana")
    backups.make_backup(repo.db)  # so that a merge's open finds no change to back up
    repo.close()
    return folder / "ana.sqlite", folder / "ben.sqlite"


@pytest.fixture
def mine(templates, tmp_path) -> Path:
    path = tmp_path / "me" / "mine.sqlite"
    path.parent.mkdir()
    shutil.copyfile(templates[0], path)
    shutil.copytree(backups.backup_dir(templates[0]), backups.backup_dir(path))
    return path


def rebuilt(template: Path, folder: Path, tamper=None) -> Path:
    """Their store with every table rebuilt as plain columns (no constraint, index or
    trigger left), then `tamper(conn)` applied with raw SQL."""
    folder.mkdir(exist_ok=True)
    path = folder / "theirs.sqlite"
    shutil.copyfile(template, path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
        "AND name NOT LIKE 'articles_fts%' AND sql NOT LIKE 'CREATE VIRTUAL%'")]
    for table in tables:
        conn.execute(f"CREATE TABLE rebuilt AS SELECT * FROM {table}")  # noqa: S608 - test
        conn.execute(f"DROP TABLE {table}")
        conn.execute(f"ALTER TABLE rebuilt RENAME TO {table}")
    assert not conn.execute("SELECT count(*) FROM sqlite_master WHERE type IN ('index', 'trigger') "
                            "AND tbl_name NOT LIKE 'articles_fts%'").fetchone()[0]
    if tamper:
        tamper(conn)
    conn.commit()
    conn.execute("PRAGMA journal_mode = DELETE")  # a file alone, as a colleague sends it
    conn.close()
    return path


def _stance(c):
    return c.execute("SELECT min(id) FROM annotations WHERE kind = 'stance'").fetchone()[0]


def _actor_mention(c):
    return c.execute("SELECT min(id) FROM annotations WHERE kind = 'actor'").fetchone()[0]


def _bens_article(c):
    return c.execute("SELECT id FROM articles WHERE title = 'Ben''s own'").fetchone()[0]


def _set(table: str, sql: str, row, params=()):
    return lambda c: c.execute(f"UPDATE {table} SET {sql} WHERE id = ?",  # noqa: S608 - test
                               [*params, row(c)])


def _nul_text(c):
    text = "A new article only Ben has,\x00 about port calls."
    c.execute("UPDATE articles SET text = ?, sha256 = ? WHERE id = ?",
              [text, text_sha256(text), _bens_article(c)])


def _same_uid(c):
    c.execute("UPDATE articles SET uid = (SELECT uid FROM articles WHERE id = 1) WHERE id = ?",
              [_bens_article(c)])


# case: (tampering, words of the one-line refusal)
ROWS = {
    "kind-bogus": (_set("annotations", "kind = 'bogus'", _stance),
                   "kind 'bogus' is not one of actor, date, stance"),
    "quote-null": (_set("annotations", "quote = NULL", _stance), "quote NULL is not text"),
    "meta-not-json": (_set("annotations", "meta = '{not json'", _stance),
                      "meta is not valid JSON"),
    "meta-not-object": (_set("articles", "meta = '[1, 2]'", _bens_article),
                        "meta is not a JSON object"),
    "start-text": (_set("annotations", "start = 'abc'", _stance),
                   "start 'abc' is not a whole number"),
    "start-real": (_set("annotations", "start = 2.5", _stance), "start 2.5 is not a whole number"),
    "start-negative": (_set("annotations", "start = -3", _stance), "start -3 is negative"),
    "end-before-start": (_set("annotations", '"end" = start', _stance), "is not after start"),
    "actor-nowhere": (_set("annotations", "actor_id = 999", _actor_mention),
                      "actor_id 999 names no actor"),
    "holder-nowhere": (_set("annotations", "holder_id = 999", _stance),
                       "holder_id 999 names no actor"),
    "article-nowhere": (_set("annotations", "article_id = 999", _stance),
                        "article_id 999 names no article"),
    "actor-mention-without-actor": (_set("annotations", "actor_id = NULL", _actor_mention),
                                    "an actor mention needs an actor"),
    "stance-two-targets": (_set("annotations", "target_actor_id = holder_id", _stance),
                           "a topic or an actor, not both"),
    "date-not-iso": (lambda c: c.execute("UPDATE annotations SET date_value = 'next week' "
                                         "WHERE kind = 'date'"), "'next week' is not an ISO"),
    "polarity-bogus": (_set("annotations", "polarity = 'maybe'", _stance),
                       "polarity 'maybe' is not one of"),
    "annotation-uid-twice": (lambda c: c.execute(
        "UPDATE annotations SET uid = (SELECT uid FROM annotations WHERE id = 1) "
        "WHERE id = (SELECT max(id) FROM annotations)"), "is also that of row"),
    "article-uid-twice": (_same_uid, "is also that of row"),
    "article-sha256-wrong": (_set("articles", "sha256 = ?", _bens_article, ["ab" * 32]),
                             "sha256 is not the hash of its text"),
    "article-text-nul": (_nul_text, "text holds NUL characters"),
    "article-text-blank": (lambda c: c.execute(
        "UPDATE articles SET text = '   ', sha256 = ? WHERE id = ?",
        [text_sha256("   "), _bens_article(c)]), "text is empty"),
    "article-title-null": (_set("articles", "title = NULL", _bens_article), "title NULL is not text"),
    "actor-kind-bogus": (lambda c: c.execute("UPDATE actors SET kind = 'planet' WHERE id = 1"),
                         "kind 'planet' is not one of person"),
    "topic-name-empty": (lambda c: c.execute("UPDATE topics SET name = '  ' WHERE id = 1"),
                         "name is empty"),
    "annotator-gold-2": (lambda c: c.execute("UPDATE annotators SET is_gold = 2"),
                         "is_gold 2 is not 0 or 1"),
    "alias-of-nobody": (lambda c: c.execute("UPDATE actor_aliases SET actor_id = 999 "
                                            "WHERE rowid = 1"), "actor_id 999 names no actor"),
    "status-bogus": (lambda c: c.execute(
        "INSERT INTO article_status VALUES (1, 1, 'finished?', '2024-01-01')"),
        "status 'finished?' is not one of new"),
    "decision-bogus": (lambda c: c.execute(
        "INSERT INTO review_decisions (id, uid, article_uid, kind, start, \"end\", decision, "
        "source_uids, reviewer_uid, decided_at, note) VALUES (1, 'd1', 'a', 'actor', 0, 1, "
        "'shrug', '[]', 'r', '2024', '')"), "decision 'shrug' is not one of accept"),
    "column-missing": (lambda c: c.execute("ALTER TABLE annotations DROP COLUMN polarity"),
                       "table annotations lacks column(s) polarity"),
    "table-missing": (lambda c: c.execute("DROP TABLE topics"), "no table topics"),
}


def merge(mine: Path, theirs: Path, capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--store", str(mine), "--annotator", "ana", "merge", str(theirs)])
    return code, capsys.readouterr().err


def beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


@pytest.mark.parametrize("case", sorted(ROWS))
def test_bad_row_refused_in_one_line_naming_file_and_row(templates, mine, tmp_path, capsys, case):
    tamper, words = ROWS[case]
    theirs = rebuilt(templates[1], tmp_path / "theirs", tamper)
    folder_before, theirs_before = beside(theirs), theirs.read_bytes()
    before = fingerprint(mine)
    backups_before = sorted(os.listdir(backups.backup_dir(mine)))
    code, err = merge(mine, theirs, capsys)
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) == 1 and "Traceback" not in err, err
    line = lines[0]
    assert line.startswith(f"stancemark: error: {theirs}: "), line
    assert words in line, line
    if not case.endswith("missing"):
        assert " row " in line, f"the error does not name the row: {line}"
    assert fingerprint(mine) == before and integrity(mine) == "ok"
    assert sorted(os.listdir(backups.backup_dir(mine))) == backups_before  # refused before
    assert beside(theirs) == folder_before and theirs.read_bytes() == theirs_before


def test_rebuilt_store_without_bad_rows_merges(templates, mine, tmp_path, capsys):
    """The checks read values, not the schema's declarations: a store rebuilt without
    constraints but holding only good rows merges as the original would."""
    theirs = rebuilt(templates[1], tmp_path / "theirs")
    code, err = merge(mine, theirs, capsys)
    assert code == 0, err
    conn = sqlite3.connect(mine)
    assert conn.execute("SELECT count(*) FROM articles WHERE title = 'Ben''s own'").fetchone()[0] == 1
    conn.close()
    assert integrity(mine) == "ok"
    assert beside(theirs) == ["theirs.sqlite"]


def test_merge_writes_nothing_beside_their_file(templates, mine, tmp_path, capsys):
    folder = tmp_path / "inbox"
    folder.mkdir()
    theirs = folder / "ben.sqlite"
    shutil.copyfile(templates[1], theirs)
    data = theirs.read_bytes()
    assert merge(mine, theirs, capsys)[0] == 0
    assert beside(theirs) == ["ben.sqlite"] and theirs.read_bytes() == data
    # refused ones too (a damaged file with a SQLite header)
    bad = folder / "bad.sqlite"
    bad.write_bytes(data[: len(data) // 3])
    assert merge(mine, bad, capsys)[0] == 1
    assert beside(theirs) == ["bad.sqlite", "ben.sqlite"]


def _with_live_wal(template: Path, folder: Path) -> Path:
    """Their store copied while their Stancemark had it open: the newest article is only
    in the -wal file beside it."""
    work = folder / "work"
    work.mkdir()
    shutil.copyfile(template, work / "ben.sqlite")
    repo = Repository(open_store(work / "ben.sqlite"), "ben")
    repo.conn.execute("PRAGMA wal_autocheckpoint = 0")
    repo.add_article("Written just before the copy, still in the WAL.", "In the WAL")
    inbox = folder / "inbox"
    inbox.mkdir()
    for suffix in ("", "-wal"):
        shutil.copyfile(work / f"ben.sqlite{suffix}", inbox / f"ben.sqlite{suffix}")
    repo.close()
    assert (inbox / "ben.sqlite-wal").stat().st_size > 0
    return inbox / "ben.sqlite"


def _titles(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT title FROM articles")}
    finally:
        conn.close()


def test_content_in_their_wal_is_merged_without_writing_beside_it(templates, mine, tmp_path,
                                                                   capsys):
    theirs = _with_live_wal(templates[1], tmp_path)
    files = {p.name: p.read_bytes() for p in theirs.parent.iterdir()}
    assert merge(mine, theirs, capsys)[0] == 0
    assert "In the WAL" in _titles(mine)
    assert {p.name: p.read_bytes() for p in theirs.parent.iterdir()} == files


def _run_cli(args: list[str]) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2] / "desktop")
    return subprocess.run([sys.executable, "-m", "stancemark", *args], capture_output=True,
                          text=True, env=env, preexec_fn=drop_root_powers, timeout=120)


@pytest.mark.parametrize("with_wal", [False, True], ids=["file-alone", "with-wal"])
def test_store_on_read_only_media_merges(templates, mine, tmp_path, with_wal):
    if with_wal:
        theirs = _with_live_wal(templates[1], tmp_path)
    else:
        theirs = tmp_path / "media" / "ben.sqlite"
        theirs.parent.mkdir()
        shutil.copyfile(templates[1], theirs)
    media = theirs.parent
    files = {p.name: p.read_bytes() for p in media.iterdir()}
    for p in media.iterdir():
        p.chmod(0o444)
    media.chmod(0o555)
    try:
        proc = _run_cli(["--store", str(mine), "--annotator", "ana", "merge", str(theirs)])
    finally:
        media.chmod(0o755)
    if proc.returncode == 97:
        pytest.skip("cannot drop root's permission override here")
    assert proc.returncode == 0, proc.stderr
    assert "Ben's own" in _titles(mine)
    if with_wal:
        assert "In the WAL" in _titles(mine)
    assert {p.name: p.read_bytes() for p in media.iterdir()} == files
