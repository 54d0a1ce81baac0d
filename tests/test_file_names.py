"""File names that are not valid UTF-8 (b"bad-\\xff\\xfe.txt", common on old disks and
archives): the real `stancemark` imports, merges and exports them; the name is stored
with U+FFFD for each bad byte (SQLite, JSON and terminals hold only valid text), and a
refusal is one line naming the file."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from stancemark.core.text import file_name_text

DESKTOP = Path(__file__).resolve().parents[1] / "desktop"
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="byte file names are POSIX")


def bad(folder: Path, stem: bytes, suffix: str) -> Path:
    return Path(os.fsdecode(os.fsencode(folder) + b"/" + stem + suffix.encode()))


def cli(*args: str | Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(DESKTOP))
    return subprocess.run([sys.executable, "-m", "stancemark", *map(str, args)],
                          capture_output=True, env=env, timeout=120)


def rows(store: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(store)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_file_name_text():
    assert file_name_text("plain-ü.txt") == "plain-ü.txt"
    assert file_name_text(os.fsdecode(b"bad-\xff\xfe.txt")) == "bad-\ufffd\ufffd.txt"
    assert file_name_text("lone-\ud800.txt").startswith("lone-\ufffd")


@pytest.mark.parametrize(("suffix", "content"), [
    (".txt", "Title: Named\n\nSome text of an article."),
    (".txt", "An article whose title comes from its file name."),
    (".html", "<html><head><title>Page</title></head><body><p>Text of a page.</p></body></html>"),
    (".csv", "title,text\nRow,Text of a row article.\n"),
])
def test_import_of_a_non_utf8_file_name(tmp_path, suffix, content):
    path = bad(tmp_path, b"bad-\xff\xfe", suffix)
    path.write_text(content, encoding="utf-8")
    store = tmp_path / "store.sqlite"
    proc = cli("--store", store, "import", path)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    (title, meta), = rows(store, "SELECT title, meta FROM articles")
    assert '"imported_from": "bad-\ufffd\ufffd' + suffix + '"' in meta
    if "file name" in content:
        assert title == "bad-\ufffd\ufffd"


def test_refused_non_utf8_file_is_one_line(tmp_path):
    path = bad(tmp_path, b"empty-\xff", ".txt")
    path.write_bytes(b"")
    proc = cli("--store", tmp_path / "store.sqlite", "import", path)
    err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    assert proc.returncode == 1 and len(err) == 1 and "Traceback" not in err[0], err
    assert "empty-" in err[0] and "empty file" in err[0]


def test_merge_and_export_with_non_utf8_names(tmp_path):
    mine = tmp_path / "mine.sqlite"
    assert cli("--store", mine, "seed").returncode == 0
    theirs = bad(tmp_path, b"colleague-\xff", ".sqlite")
    # a store at such a path, too
    assert cli("--store", theirs, "--annotator", "bo", "import", _article(tmp_path)).returncode == 0
    proc = cli("--store", mine, "merge", theirs)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    assert ("colleague-\ufffd.sqlite",) in [
        (r[0],) for r in rows(mine, "SELECT json_extract(after, '$.source') FROM audit_log "
                                    "WHERE action = 'merge'")]
    out = bad(tmp_path, b"export-\xfe", ".jsonl")
    proc = cli("--store", mine, "export", "--format", "jsonl", "--out", out)
    assert proc.returncode == 0 and out.exists(), proc.stderr.decode(errors="replace")
    folder = bad(tmp_path, b"brat-\xfe", "")
    assert cli("--store", mine, "export", "--format", "brat", "--out", folder).returncode == 0
    shutil.rmtree(folder)


def _article(folder: Path) -> Path:
    path = folder / "theirs.txt"
    path.write_text("Title: Theirs\n\nAn article from a colleague.", encoding="utf-8")
    return path
