"""Desktop integration of the command line: opening a store file given as the only
argument (what a file manager runs on double-click), --version, --smoke-test."""

from __future__ import annotations

import sys
import types

import pytest

from stancemark import __version__, cli
from stancemark.cli.desktop import store_file_argv
from stancemark.cli.main import build_parser


@pytest.fixture
def parser():
    return build_parser()


@pytest.mark.parametrize("argv, expected", [
    (["a.stancemark"], ["--store", "a.stancemark"]),
    (["--annotator", "ana", "b.sqlite"], ["--annotator", "ana", "--store", "b.sqlite"]),
    (["--debug", "c.STANCEMARK"], ["--debug", "--store", "c.STANCEMARK"]),
    (["seed"], ["seed"]),
    (["--store", "s.stancemark", "list"], ["--store", "s.stancemark", "list"]),
    (["--store", "s.stancemark"], ["--store", "s.stancemark"]),
    (["frobnicate"], ["frobnicate"]),
    ([], []),
])
def test_store_file_argv(parser, argv, expected):
    assert store_file_argv(parser, argv) == expected


def test_existing_file_without_store_extension_is_a_store(parser, tmp_path):
    f = tmp_path / "project"
    f.write_bytes(b"")
    assert store_file_argv(parser, [str(f)]) == ["--store", str(f)]


def test_a_sub_command_name_wins_over_a_file_of_that_name(parser, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "list").write_bytes(b"")
    assert store_file_argv(parser, ["list"]) == ["list"]


@pytest.fixture
def fake_window(monkeypatch):
    """Stands in for stancemark.ui.window.app: records how the window would be opened."""
    calls = []
    module = types.ModuleType("stancemark.ui.window.app")

    def run(store_path, annotator, explicit_store=False, **extra):
        calls.append({"store": store_path, "annotator": annotator,
                      "explicit": explicit_store, **extra})
        return 0

    module.run = run
    import stancemark.ui.window

    monkeypatch.setitem(sys.modules, "stancemark.ui.window.app", module)
    monkeypatch.setattr(stancemark.ui.window, "app", module, raising=False)
    return calls


def test_double_clicked_store_opens_in_the_window(tmp_path, fake_window):
    store = tmp_path / "project.stancemark"
    assert cli.main([str(store)]) == 0
    assert [c["store"] for c in fake_window] == [store]
    assert fake_window[0]["explicit"] is True
    assert "smoke" not in fake_window[0]


def test_main_gui_passes_the_file_argument(tmp_path, fake_window, monkeypatch):
    store = tmp_path / "p.stancemark"
    monkeypatch.setattr(sys, "argv", ["stancemark-gui", str(store)])
    assert cli.main_gui() == 0
    assert fake_window[0]["store"] == store


def test_smoke_test_seeds_the_store_then_opens_the_window(tmp_path, fake_window):
    from stancemark.core.paths import seeds_dir
    from stancemark.store import Repository, open_store

    store = tmp_path / "smoke.stancemark"
    assert cli.main(["--store", str(store), "--smoke-test"]) == 0
    assert fake_window[0]["smoke"] is True
    repo = Repository(open_store(store), "ana")
    try:
        assert len(repo.list_articles()) == len(list(seeds_dir().glob("*.txt"))) > 0
    finally:
        repo.close()


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"stancemark {__version__}"


def test_sub_commands_still_work_with_a_store_file(tmp_path, capsys):
    store = tmp_path / "x.stancemark"
    assert cli.main(["--store", str(store), "seed"]) == 0
    capsys.readouterr()
    assert cli.main(["--store", str(store), "list", "--json"]) == 0
    assert capsys.readouterr().out.count('"uid"') > 0


@pytest.mark.parametrize("argv", [
    [], ["--store", "s.stancemark"], ["--store=s.sqlite", "--annotator", "ana"],
    ["--debug", "--smoke-test"], ["--annotator", "ben", "--store", "x.db", "--debug"],
    ["--ann", "ana"]])
def test_window_options_read_without_the_commands_as_the_full_parser_reads_them(argv):
    from stancemark.cli.main import window_args

    assert window_args(argv) == build_parser().parse_args(argv)


@pytest.mark.parametrize("argv", [
    ["seed"], ["--store", "s.stancemark", "list"], ["a.stancemark"], ["-h"], ["--help"],
    ["--he"], ["--bogus"], ["--store"], ["--s", "x"], ["--", "x"], ["-"]])
def test_anything_but_window_options_goes_to_the_full_parser(argv):
    from stancemark.cli.main import window_args

    assert window_args(argv) is None


def test_opening_the_window_leaves_the_command_groups_unimported():
    import subprocess

    probe = ("import sys; from stancemark.cli.main import CLI_GROUPS, window_args; "
             "assert window_args(['--store', 's.sqlite']) is not None; "
             "print([m for m in CLI_GROUPS if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=60)
    assert out.stdout.strip() == "[]", out.stderr[-2000:]
