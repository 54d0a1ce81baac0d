"""Hostile input through the real `stancemark import`, for every importer.

Cases: the committed corpus in cases/<format>/ (see make_corpus.py for what each
breaks) plus, for every format in formats.FORMATS that imports, inputs made here:
random binary, invalid UTF-8, NUL bytes, empty and blank files, and a 100 MB text.
Each must end in one line on stderr naming the file (refuse-line-*: and the line)
with the store byte-for-byte unchanged, or in a safe import that keeps the hostile
content as inert data. Never a traceback, never a damaged store.
"""

from __future__ import annotations

import hashlib
import random
import re
import sqlite3
from pathlib import Path

import pytest

from stancemark.cli import main
from stancemark.formats import FORMATS
from stancemark.store import backups

CASES = Path(__file__).with_name("cases")
ESCAPED = ("outside.csv", "escape.txt", "escape.xml", "evil.csv")  # names the archives plant
IMPORTERS = sorted(name for name, info in FORMATS.items() if info.can_import)


# Cases that still fail, each with the fix it waits for (strict: passing flags it).
KNOWN_BUGS = {
}


# Cases whose refusal must be for the right reason (words of the one-line error).
REASONS = {
    "csv/refuse-zip-bomb.zip": "unpacks to more than",
    "docx/refuse-zip-bomb.docx": "unpacks to more than",
    "qdpx/refuse-zip-bomb.qdpx": "unpacks to more than",
    "spacy/refuse-zlib-bomb.spacy": "unpacks to more than",
    "qdpx/refuse-xml-bomb.qdpx": "XML",
    "qdpx/refuse-external-entity.qdpx": "XML",
    "docx/refuse-xml-bomb.docx": "amplification",
    "qdpx/refuse-zip-slip.qdpx": "unsafe path",
    "qdpx/refuse-absolute-source.qdpx": "not inside the archive",
    "jsonl/refuse-line-deep-nesting.jsonl": "recursion",
}


def corpus() -> list:
    out = []
    for fmt_dir in sorted(p for p in CASES.iterdir() if p.is_dir()):
        for case in sorted(fmt_dir.iterdir()):
            marks = () if fmt_dir.name in FORMATS else (pytest.mark.skip(
                reason=f"format {fmt_dir.name} is not in this build"),)
            bug = KNOWN_BUGS.get(f"{fmt_dir.name}/{case.name}")
            if bug:
                marks = (pytest.mark.xfail(reason=bug, strict=True),)
            out.append(pytest.param(fmt_dir.name, case, id=f"{fmt_dir.name}/{case.name}", marks=marks))
    return out


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A small store with content, closed so that the file alone holds everything."""
    from stancemark.formats.seed import seed
    from stancemark.store import Repository, open_store

    path = tmp_path_factory.mktemp("template") / "hostile.sqlite"
    repo = Repository(open_store(path), "ana")
    seed(repo)
    backups.make_backup(repo.db)  # so each import's open finds no change to back up
    repo.close()
    return path


@pytest.fixture
def store(template, tmp_path) -> Path:
    import shutil

    path = tmp_path / "store" / template.name
    path.parent.mkdir()
    shutil.copyfile(template, path)
    shutil.copytree(backups.backup_dir(template), backups.backup_dir(path))
    return path


def fingerprint(path: Path) -> tuple[str, str | None]:
    """The store file's hash and its -wal's (None when absent): byte-for-byte state."""
    wal = path.with_name(path.name + "-wal")
    return (hashlib.sha256(path.read_bytes()).hexdigest(),
            hashlib.sha256(wal.read_bytes()).hexdigest() if wal.exists() else None)


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


LAST_ERROR = [""]


def run_import(store: Path, fmt: str, case: Path, capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--store", str(store), "--annotator", "ana", "import", "--format", fmt, str(case)])
    err = capsys.readouterr().err
    LAST_ERROR[0] = err
    return code, err


def check(store: Path, fmt: str, case: Path, expect: str, capsys) -> str:
    """Import `case`; check the outcome against `expect` (refuse, refuse-line, safe, either)."""
    before = fingerprint(store)
    code, err = run_import(store, fmt, case, capsys)
    assert code in (0, 1), err
    assert "Traceback" not in err
    if code == 1:
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        assert lines[0].startswith("stancemark: error: ")
        assert case.name in lines[0], f"the error does not name the file: {lines[0]}"
        if expect == "refuse-line":
            assert re.search(re.escape(case.name) + r"[^:]*:\d+: ", lines[0]), \
                f"the error does not name the line: {lines[0]}"
        assert fingerprint(store) == before, "a refused import changed the store"
        assert expect in ("refuse", "refuse-line", "either"), f"refused: {lines[0]}"
    else:
        assert expect in ("safe", "either"), f"{case.name} was imported but must be refused"
    assert integrity(store) == "ok"
    for folder in {*store.parents, *case.resolve().parents, *Path.cwd().parents, Path("/tmp")}:
        for name in ESCAPED:
            assert not (folder / name).exists(), f"an archive entry escaped to {folder / name}"
    return "refused" if code else "imported"


def _expectation(name: str) -> str:
    for prefix in ("refuse-line", "refuse", "safe", "either"):
        if name.startswith(prefix + "-"):
            return prefix
    raise AssertionError(f"case {name} has no expectation prefix")


@pytest.mark.parametrize(("fmt", "case"), corpus())
def test_corpus_case(store, fmt, case, capsys):
    outcome = check(store, fmt, case, _expectation(case.name), capsys)
    reason = REASONS.get(f"{fmt}/{case.name}")
    if reason:
        assert outcome == "refused" and reason in LAST_ERROR[0], LAST_ERROR[0]
    if outcome == "imported" and case.name.startswith("safe-"):
        conn = sqlite3.connect(store)
        try:
            assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] >= 4
            blob = "\n".join(r[0] for r in conn.execute(
                "SELECT title || ' ' || text FROM articles UNION ALL SELECT name FROM actors "
                "UNION ALL SELECT note FROM annotations"))
        finally:
            conn.close()
        if "sql" in case.name:  # kept as text, and nothing was dropped
            assert "DROP TABLE" in blob
        if "rtl" in case.name:
            assert "\u202e" in blob


def test_corpus_is_big_enough():
    assert len(corpus()) >= 50
    assert {p.name for p in CASES.iterdir()} >= set(IMPORTERS), "an importer has no hand-made cases"


GENERATED = {
    "binary": ("refuse", lambda rng: bytes(rng.randrange(256) for _ in range(4096))),
    "empty": ("refuse", lambda rng: b""),
    "blank": ("either", lambda rng: b" \n\t\n  \n"),
    "invalid-utf8": ("either", lambda rng: b"Title: caf\xe9\n\nna\xefve \xff\xfe text \xc3\x28 here\n"),
    "nul-bytes": ("either", lambda rng: b"Title: a\n\nsome\x00text\x00here\n"),
    "truncated-utf8": ("either", lambda rng: "Beijing 北京".encode()[:-1]),
}


@pytest.mark.parametrize("kind", sorted(GENERATED))
@pytest.mark.parametrize("fmt", IMPORTERS)
def test_generated_garbage(store, tmp_path, fmt, kind, capsys):
    expect, make = GENERATED[kind]
    suffix = FORMATS[fmt].suffixes[0] if FORMATS[fmt].suffixes else ".txt"
    case = tmp_path / f"{kind}-{fmt}{suffix}"
    case.write_bytes(make(random.Random(f"{fmt}/{kind}")))
    check(store, fmt, case, expect, capsys)


@pytest.mark.parametrize("fmt", ["text", "html", "table"])
def test_100_mb_text_refused_quickly(store, tmp_path, fmt, capsys):
    suffix = FORMATS[fmt].suffixes[0]
    case = tmp_path / f"huge{suffix}"
    with open(case, "wb") as fh:
        fh.truncate(0)
        line = b"Many words in a very long article about tariffs and trade. " * 16 + b"\n"
        for _ in range(100 * 1024 * 1024 // len(line) + 1):
            fh.write(line)
    assert case.stat().st_size > 100 * 1024 * 1024
    check(store, fmt, case, "either", capsys)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", IMPORTERS)
def test_100_mb_text_every_importer(store, tmp_path, fmt, capsys):
    suffix = FORMATS[fmt].suffixes[0] if FORMATS[fmt].suffixes else ".txt"
    case = tmp_path / f"huge{suffix}"
    with open(case, "wb") as fh:
        line = b"x" * 1023 + b"\n"
        for _ in range(100 * 1024):
            fh.write(line)
    check(store, fmt, case, "either", capsys)


def test_exported_csv_is_safe_in_a_spreadsheet(store, tmp_path, capsys):
    """Formula payloads come in as data and leave neutralised (OWASP CSV injection)."""
    import csv
    import io
    import zipfile

    for case in ("safe-formula-cells.csv",):
        assert check(store, "table", CASES / "table" / case, "safe", capsys) == "imported"
    check(store, "jsonl", CASES / "jsonl" / "safe-formula-note.jsonl", "safe", capsys)
    out = tmp_path / "export.zip"
    assert main(["--store", str(store), "--annotator", "ana", "export", "--format", "csv",
                 "--out", str(out)]) == 0
    cells = []
    with zipfile.ZipFile(out) as zf:
        for name in zf.namelist():
            text = zf.read(name).decode("utf-8")
            cells += [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]
    assert any("HYPERLINK" in c for c in cells) and any("cmd|" in c for c in cells)
    dangerous = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert not dangerous, dangerous[:5]
