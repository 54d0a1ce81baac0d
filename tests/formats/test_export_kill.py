"""Exports and a kill: the real `stancemark export` runs in a subprocess that SIGKILLs
itself at a chosen step of formats.atomic (before or after a rename, or the atomic
exchange of a folder export). Whatever the step, the output's name holds the old
output or the new one, complete; and the next export, to that name or another one in
the same folder, removes every hidden partial copy the killed one left."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stancemark.cli import main
from stancemark.formats import FORMATS, atomic
from stancemark.store import Repository, open_store

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"

# Runs `stancemark export` with one step of formats.atomic wrapped: at its Nth call the
# process kills itself (SIGKILL, no clean-up) before or after the real step.
KILLER = r"""
import os, signal, sys
import stancemark.formats.atomic as atomic
store, fmt, out, point = sys.argv[1:5]
step, when, nth = point.split(":")
if os.environ.get("NO_EXCHANGE"):
    atomic._exchange = lambda a, b: False
real = getattr(atomic, "_" + step)
calls = [0]
def wrapped(*args):
    calls[0] += 1
    if calls[0] == int(nth) and when == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    result = real(*args)
    if calls[0] == int(nth) and when == "after":
        os.kill(os.getpid(), signal.SIGKILL)
    return result
setattr(atomic, "_" + step, wrapped)
from stancemark.cli import main
sys.exit(main(["--store", store, "--annotator", "ana", "export", "--format", fmt, "--out", out]))
"""


def killed_export(store: Path, fmt: str, out: Path, point: str, exchange: bool = True) -> None:
    env = dict(os.environ, PYTHONPATH=str(DESKTOP))
    if not exchange:
        env["NO_EXCHANGE"] = "1"
    proc = subprocess.run([sys.executable, "-c", KILLER, str(store), fmt, str(out), point],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, proc.stderr)


def export(store: Path, fmt: str, out: Path) -> None:
    assert main(["--store", str(store), "--annotator", "ana", "export", "--format", fmt,
                 "--out", str(out)]) == 0


def tree(path: Path) -> dict[str, bytes] | None:
    if not path.exists():
        return None
    if path.is_file():
        return {"": path.read_bytes()}
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.fixture
def store(tmp_path) -> Path:
    from stancemark.formats.seed import seed

    path = tmp_path / "store.sqlite"
    repo = Repository(open_store(path), "ana")
    seed(repo)
    art = next(repo.iter_articles())
    from stancemark.core.model import Annotation

    repo.add_annotation(Annotation("", art.uid, "", "stance", 0, 5, art.text[:5],
                                   polarity="oppose"))
    repo.close()
    return path


def add_article(store: Path) -> None:
    repo = Repository(open_store(store), "ana")
    repo.add_article("A later article changes every export of the store.", "Later")
    repo.close()


FOLDERS = [("csv", "tables"), ("brat", "out-brat")]


@pytest.mark.parametrize("point", ["exchange:before:1", "exchange:after:1", "remove:before:1"])
@pytest.mark.parametrize(("fmt", "name"), FOLDERS)
def test_folder_export_killed_at_any_step_leaves_old_or_new_in_place(store, tmp_path, fmt,
                                                                       name, point):
    out = tmp_path / "exports" / name
    export(store, fmt, out)
    old = tree(out)
    add_article(store)
    export(store, fmt, tmp_path / "reference" / name)
    new = tree(tmp_path / "reference" / name)
    assert old != new
    killed_export(store, fmt, out, point)
    assert tree(out) in (old, new)  # the kill came at any moment: one of them, whole
    export(store, fmt, out)
    assert tree(out) == new
    assert hidden(out.parent) == []


@pytest.mark.parametrize(("fmt", "name"), FOLDERS)
def test_without_atomic_exchange_a_kill_between_the_renames_is_repaired(store, tmp_path, fmt,
                                                                        name):
    """Systems without an exchange call rename twice; killed in between, the old
    output waits aside and the next export (its first step) puts it back."""
    out = tmp_path / "exports" / name
    export(store, fmt, out)
    old = tree(out)
    add_article(store)
    killed_export(store, fmt, out, "replace:after:1", exchange=False)
    assert not out.exists() and any(h.endswith(".old") for h in hidden(out.parent))
    atomic.tidy(out)
    assert tree(out) == old and hidden(out.parent) == []
    killed_export(store, fmt, out, "replace:after:1", exchange=False)
    export(store, fmt, out)
    assert tree(out) is not None and tree(out) != old
    assert hidden(out.parent) == []


def _exporters() -> list:
    out = []
    for name, info in FORMATS.items():
        if not info.can_export:
            continue
        suffix = info.suffixes[0] if info.suffixes and name not in ("csv", "brat") else ""
        marks = ()
        if info.extra == "spacy":
            try:
                import spacy  # noqa: F401
            except ImportError:
                marks = (pytest.mark.skip(reason="spacy extra not installed"),)
        out.append(pytest.param(name, suffix, id=name, marks=marks))
        if name == "csv":
            out.append(pytest.param(name, ".zip", id="csv-zip"))
    return out


@pytest.mark.parametrize(("fmt", "suffix"), _exporters())
def test_no_export_leaves_hidden_partial_copies_after_a_kill(store, tmp_path, fmt, suffix):
    folder = tmp_path / "exports"
    out = folder / f"out{suffix}"
    killed_export(store, fmt, out, "replace:before:1")
    left = hidden(folder)
    assert left and not out.exists(), left  # the kill left its partial copy behind
    export(store, fmt, folder / f"another{suffix}")  # a later export into the same folder
    assert hidden(folder) == []
    assert (folder / f"another{suffix}").exists()


def test_leftovers_of_running_exports_and_other_machines_are_kept(tmp_path):
    target = tmp_path / "out.jsonl"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        running = tmp_path / f".out.jsonl.stancemark-{atomic._host()}-{sleeper.pid}-ab12.tmp"
        running.write_text("half")
        other_host = tmp_path / ".out.jsonl.stancemark-000000-1-ab12.tmp"
        other_host.write_text("half")
        atomic.tidy(target)
        assert running.exists() and other_host.exists()
        day_ago = time.time() - atomic.FOREIGN_AGE - 60
        os.utime(other_host, (day_ago, day_ago))
        atomic.tidy(target)
        assert running.exists() and not other_host.exists()
    finally:
        sleeper.kill()
        sleeper.wait()
    atomic.tidy(target)
    assert not running.exists()


def test_leftovers_of_earlier_versions_are_tidied(tmp_path):
    """Names the exports of earlier versions used (tempfile's random suffixes, `.old`)."""
    out = tmp_path / "out-brat"
    (tmp_path / ".out-brat.old").mkdir()
    (tmp_path / ".out-brat.old" / "a.ann").write_text("T1\tActor 0 1\tx\n")
    fresh = tmp_path / ".out-brat.k3j_9xq2"
    fresh.mkdir()
    stale = tmp_path / ".out.jsonl.ab_cd123.tmp"
    stale.write_text("half")
    hour_ago = time.time() - atomic.LEGACY_AGE - 60
    os.utime(stale, (hour_ago, hour_ago))
    atomic.tidy(out)
    assert (out / "a.ann").exists()  # killed between its renames: the old output is back
    assert fresh.exists()  # may belong to an export of an earlier version still running
    atomic.tidy(tmp_path / "out.jsonl")
    assert not stale.exists()
    unrelated = tmp_path / ".bashrc"
    unrelated.write_text("x")
    atomic.tidy(out)
    assert unrelated.exists()
    shutil.rmtree(out)
