"""The command line, run as a user would (subprocess for the entry point)."""

from __future__ import annotations

import subprocess
import sys

import pytest

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


@pytest.mark.parametrize("command", ["export", "import"])
def test_help_lists_every_format_with_direction_and_files(command, capsys):
    from stancemark.formats import FORMATS

    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    listed = {}
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] in FORMATS:
            listed[parts[0]] = line
    wanted = {n for n, i in FORMATS.items() if (i.can_export if command == "export" else i.can_import)}
    assert set(listed) == wanted  # one line each, and only those that can
    for name in wanted:
        info = FORMATS[name]
        assert info.direction in listed[name]
        assert (info.files or info.suffixes[0]) in listed[name]
    assert "export, import" in listed["jsonl"] and "folder" in listed["brat"]
