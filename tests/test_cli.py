"""The command line, run as a user would (subprocess for the entry point)."""

from __future__ import annotations

import subprocess
import sys

from stancemark.cli import main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "stancemark", *args], capture_output=True,
                          text=True, timeout=120)


def test_seed_list_and_seed_again(tmp_path):
    store = str(tmp_path / "x.sqlite")
    first = run("--store", store, "seed")
    assert first.returncode == 0, first.stderr
    assert "3 article(s) added" in first.stdout
    listed = run("--store", store, "list")
    assert listed.returncode == 0
    assert "2021-01-10" in listed.stdout and "Pompeo lifts restrictions" in listed.stdout
    assert len(listed.stdout.strip().splitlines()) == 4
    again = run("--store", store, "seed")
    assert "0 article(s) added" in again.stdout and "3 duplicate(s) skipped" in again.stdout


def test_export_import_export_is_identical(tmp_path, capsys):
    a, b = str(tmp_path / "a.sqlite"), str(tmp_path / "b.sqlite")
    assert main(["--store", a, "seed"]) == 0
    assert main(["--store", a, "export", "--format", "jsonl", "--out", str(tmp_path / "1.jsonl")]) == 0
    assert main(["--store", b, "import", str(tmp_path / "1.jsonl")]) == 0
    assert main(["--store", b, "export", "--out", str(tmp_path / "2.jsonl")]) == 0
    assert (tmp_path / "1.jsonl").read_bytes() == (tmp_path / "2.jsonl").read_bytes()
    capsys.readouterr()
    assert main(["--store", b, "export"]) == 0  # to standard output
    assert capsys.readouterr().out.splitlines()[0] == '{"type":"stancemark","version":1}'


def test_errors_are_one_line_without_traceback(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    result = run("--store", str(tmp_path / "s.sqlite"), "import", str(bad))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert str(bad) in result.stderr
    foreign = run("--store", str(bad), "list")
    assert foreign.returncode == 1 and "not a Stancemark store" in foreign.stderr
    debug = run("--debug", "--store", str(bad), "list")
    assert "Traceback" in debug.stderr


def test_stats_and_search(tmp_path, capsys):
    store = str(tmp_path / "x.sqlite")
    main(["--store", store, "seed"])
    capsys.readouterr()
    main(["--store", store, "list", "--search", "Newsmax"])
    out = capsys.readouterr().out
    assert "Xi to press Trump" in out and "Pompeo" not in out
    main(["--store", store, "stats", "--json"])
    assert '"articles": 3' in capsys.readouterr().out


def test_store_from_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("STANCEMARK_STORE", str(tmp_path / "env.sqlite"))
    assert main(["seed"]) == 0
    assert (tmp_path / "env.sqlite").exists()


def test_version():
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("stancemark ")
