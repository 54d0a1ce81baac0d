"""A failing disk: read-only store, missing or unusable folder, disk full.

Each gives one clear line, no traceback, no crash loop (the next write works once
the cause is gone) and never an edit reported as saved that was not.
Disk full is simulated two ways: PRAGMA max_page_count in process, and a
size limit (RLIMIT_FSIZE) on a CLI subprocess so the real write() fails.
Read-only is real file permissions; as root, the subprocess first drops the
capabilities that let root ignore them.
"""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import drop_root_powers, find
from stancemark.cli import main
from stancemark.core.errors import StoreError
from stancemark.core.model import Annotation
from stancemark.store import Repository, open_store

_drop_root_powers = drop_root_powers  # exits 97 when it cannot: the tests skip


def _run_cli(args: list[str], preexec=None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2] / "desktop")
    return subprocess.run([sys.executable, "-m", "stancemark", *args], capture_output=True,
                          text=True, env=env, preexec_fn=preexec, timeout=120)


def _counts(path: Path) -> tuple[int, int, int]:
    conn = sqlite3.connect(path)
    try:
        return tuple(conn.execute(  # type: ignore[return-value]
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM annotations), "
            "(SELECT count(*) FROM audit_log)").fetchone())
    finally:
        conn.close()


def _one_clear_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("stancemark: error: ") and "Traceback" not in err
    return lines[0]


def test_disk_full_in_process_nothing_reported_saved(seeded):
    art = next(seeded.iter_articles())
    before = seeded.stats()
    pages = seeded.conn.execute("PRAGMA page_count").fetchone()[0]
    seeded.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError, match="not saved.*full"):
        seeded.add_article("a long new article " * 20_000, "too big")
    start, end = find(art.text, art.text.split()[1])
    ann = Annotation("", art.uid, "", "stance", start, end, art.text[start:end],
                     polarity="oppose", note="n" * 200_000)
    with pytest.raises(StoreError):
        seeded.add_annotation(ann)
    assert seeded.stats() == before
    assert seeded.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # space comes back: the very next edit is saved (no crash loop, no stuck transaction)
    seeded.conn.execute(f"PRAGMA max_page_count = {pages * 100}")
    saved = seeded.add_annotation(ann.with_changes(note="short"))
    assert seeded.get_annotation(saved.uid) is not None


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() fails with EFBIG instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))


def test_disk_full_cli_import_one_line_and_store_unchanged(seeded, store_path, tmp_path):
    seeded.close()
    big = tmp_path / "big.txt"
    big.write_text("Title: Big\n\n" + "many words here " * 80_000, encoding="utf-8")
    assert main(["--store", str(store_path), "--annotator", "ana", "backup"]) == 0
    before = _counts(store_path)
    proc = _run_cli(["--store", str(store_path), "--annotator", "ana", "import", str(big)],
                    preexec=_limit_file_size)
    assert proc.returncode == 1
    line = _one_clear_line(proc.stderr)
    assert "not saved" in line
    assert _counts(store_path) == before
    conn = sqlite3.connect(store_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    # with space again the same import succeeds
    assert main(["--store", str(store_path), "--annotator", "ana", "import", str(big)]) == 0
    assert _counts(store_path)[0] == before[0] + 1


@pytest.fixture
def read_only_store(seeded, store_path):
    seeded.close()
    # open once through the CLI so the open-time backup exists; then freeze the files
    assert main(["--store", str(store_path), "--annotator", "ana", "stats"]) == 0
    for p in store_path.parent.glob(store_path.name + "*"):
        if p.is_file():
            p.chmod(0o400)
    yield store_path
    for p in store_path.parent.glob(store_path.name + "*"):
        if p.is_file():
            p.chmod(0o600)


def test_read_only_store_reads_work_and_writes_fail_clearly(read_only_store):
    before = _counts(read_only_store)
    proc = _run_cli(["--store", str(read_only_store), "--annotator", "ana", "stats"],
                    preexec=_drop_root_powers)
    if proc.returncode == 97:
        pytest.skip("cannot drop root's permission override here")
    assert proc.returncode == 0, proc.stderr
    assert "articles" in proc.stdout
    proc = _run_cli(["--store", str(read_only_store), "--annotator", "someone-new", "stats"],
                    preexec=_drop_root_powers)
    assert proc.returncode == 1
    assert "read-only" in _one_clear_line(proc.stderr)
    assert _counts(read_only_store) == before


def test_store_in_a_folder_that_cannot_exist(tmp_path, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    assert main(["--store", str(blocker / "sub" / "store.sqlite"), "stats"]) == 1
    line = _one_clear_line(capsys.readouterr().err)
    assert "cannot create the store" in line


def test_store_path_is_a_folder(tmp_path, capsys):
    assert main(["--store", str(tmp_path), "stats"]) == 1
    assert "is a folder" in _one_clear_line(capsys.readouterr().err)


def test_missing_store_created_private(tmp_path):
    path = tmp_path / "new" / "deeper" / "store.sqlite"
    db = open_store(path)
    Repository(db, "ana").add_topic("x")
    db.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_backup_failure_does_not_stop_the_store_opening(seeded, store_path, capsys):
    from stancemark.store import backups

    seeded.close()
    folder = backups.backup_dir(store_path)
    folder.write_text("a file in the way of the backup folder")
    assert main(["--store", str(store_path), "--annotator", "ana", "stats"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("stancemark: warning: no backup made") and err.count("\n") == 1


def test_foreign_or_damaged_store_refused_untouched(tmp_path, capsys):
    path = tmp_path / "garbage.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(5000))
    before = path.read_bytes()
    assert main(["--store", str(path), "stats"]) == 1
    _one_clear_line(capsys.readouterr().err)
    assert path.read_bytes() == before


def test_store_deleted_while_open_refuses_writes(tmp_path):
    """SQLite would keep writing into the deleted file and lose it all on close."""
    import shutil

    folder = tmp_path / "usb-stick"
    repo = Repository(open_store(folder / "store.sqlite"), "ana")
    repo.add_topic("Before")
    shutil.rmtree(folder)
    with pytest.raises(StoreError, match="is gone"):
        repo.add_topic("After")
    repo.close()


def test_store_replaced_while_open_refuses_writes(seeded, store_path, tmp_path):
    other = tmp_path / "other.sqlite"
    Repository(open_store(other), "bo").close()
    os.replace(other, store_path)
    with pytest.raises(StoreError, match="replaced"):
        seeded.add_topic("Into which file?")
