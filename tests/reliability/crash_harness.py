"""Kill writers with SIGKILL at random moments and check what survives.

Used by test_crash_safety.py (a few trials) and soak.py (hundreds). Two writers:

- annotate: writer.py applies annotation commands through the Repository and
  prints each uid after its commit; every printed uid must be in the store.
- import: the real CLI imports a folder of articles in one transaction; the
  store must hold all of them or none.

After each kill the store is opened with plain sqlite3 first (integrity_check,
foreign_key_check) and then through open_store, as the next session would.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

WRITER = Path(__file__).with_name("writer.py")
WINDOW_WRITER = Path(__file__).with_name("window_writer.py")
IMPORT_FILES = 40
IMPORT_TITLE = "crash import"


@dataclass
class Figures:
    trials: int = 0
    kills: int = 0  # the writer was still running when killed
    annotations_checked: int = 0
    lost: int = 0
    half_imports: int = 0
    corrupt: int = 0
    window_trials: int = 0
    restore_trials: int = 0
    migration_trials: int = 0
    partial_lines: int = 0
    partial_samples: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"trials {self.trials}, kills {self.kills}, annotations checked "
                f"{self.annotations_checked} (window sessions {self.window_trials}, restores "
                f"{self.restore_trials}, schema upgrades {self.migration_trials}), lost {self.lost}, "
                f"half-done imports {self.half_imports}, integrity failures {self.corrupt}, "
                f"lines cut by a kill {self.partial_lines}")

    def ok(self) -> bool:
        return not (self.lost or self.half_imports or self.corrupt or self.problems)


def make_template(folder: Path) -> Path:
    """A seeded store, closed (WAL checkpointed), to copy for each trial."""
    from stancemark.formats.seed import seed
    from stancemark.store import Repository, open_store

    path = folder / "template.sqlite"
    repo = Repository(open_store(path), "template")
    seed(repo)
    repo.close()
    return path


def make_import_folder(folder: Path, n: int = IMPORT_FILES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        body = " ".join(f"word{i}-{j}" for j in range(400))
        (folder / f"art{i:03}.txt").write_text(f"Title: {IMPORT_TITLE} {i}\n\n{body}\n",
                                               encoding="utf-8")
    return folder


def writer_env(config: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["STANCEMARK_CONFIG"] = str(config)
    env.pop("STANCEMARK_STORE", None)
    src = str(Path(__file__).resolve().parents[2] / "desktop")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    return env


def check_integrity(store: Path, figures: Figures) -> bool:
    conn = sqlite3.connect(str(store))
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()
    if result != "ok" or fk:
        figures.corrupt += 1
        figures.problems.append(f"{store}: integrity {result!r}, foreign keys {fk[:3]}")
        return False
    return True


_DURATIONS: dict[str, float] = {}


def _kill_time(kind: str, rng: random.Random, argv: list[str], env: dict[str, str],
               prepare) -> float:
    """A moment inside the run: uniform over how long one uninterrupted run takes here
    (measured once per kind), so kills land in start-up, in the copy and in the commit."""
    if kind not in _DURATIONS:
        prepare()
        started = time.monotonic()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                       check=False)
        _DURATIONS[kind] = time.monotonic() - started
    return rng.uniform(0.05, _DURATIONS[kind] * 1.05)


def _kill(proc: subprocess.Popen, figures: Figures) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
        figures.kills += 1
    proc.wait()


def annotate_trial(template: Path, work: Path, rng: random.Random, figures: Figures) -> None:
    store = work / "annotate.sqlite"
    shutil.copyfile(template, store)
    seed = rng.randrange(1 << 30)
    proc = subprocess.Popen([sys.executable, str(WRITER), "annotate", str(store), str(seed), "400"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env=writer_env(work / "settings.json"))
    assert proc.stdout is not None
    lines: list[str] = []
    wait_for = rng.choice([0, rng.randrange(1, 60), rng.randrange(60, 300)])
    if wait_for == 0:
        time.sleep(rng.uniform(0.0, 0.8))  # during start-up or opening the store
    else:
        while len(lines) < wait_for:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
        time.sleep(rng.uniform(0.0, 0.004))  # land inside a transaction now and then
    _kill(proc, figures)
    lines += proc.stdout.readlines()  # promises printed before the kill count too
    proc.stdout.close()
    figures.trials += 1
    if check_integrity(store, figures):
        check_promises(store, lines, figures)


def check_promises(store: Path, lines: list[str], figures: Figures) -> None:
    """Every `add UID` / `del UID` the writer printed must be true in the store."""
    from stancemark.store import Repository, open_store

    repo = Repository(open_store(store), "checker")
    try:
        for line in lines:
            parts = line.split()
            if not line.endswith("\n") or len(parts) != 2:
                figures.partial_lines += 1  # cut by the kill: not a finished promise
                figures.partial_samples.append(line[:80])
                continue
            action, uid = parts
            ann = repo.get_annotation(uid)
            figures.annotations_checked += 1
            if ann is None or (action == "del" and ann.deleted_at is None):
                figures.lost += 1
                figures.problems.append(f"{action} {uid} reported committed but not in the store")
    finally:
        repo.close()


def window_trial(template: Path, work: Path, rng: random.Random, figures: Figures) -> None:
    """The real window, offscreen, tagging from the keyboard; killed mid-session."""
    store = work / "window.sqlite"
    shutil.copyfile(template, store)
    env = writer_env(work / "settings.json")
    env["QT_QPA_PLATFORM"] = "offscreen"
    proc = subprocess.Popen([sys.executable, str(WINDOW_WRITER), str(store),
                             str(rng.randrange(1 << 30)), "300", str(work / "window.ini")],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    assert proc.stdout is not None
    lines: list[str] = []
    wait_for = rng.choice([0, rng.randrange(1, 40)])
    if wait_for == 0:
        time.sleep(rng.uniform(0.3, 2.0))  # while the window starts and opens the store
    else:
        while len(lines) < wait_for:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
        time.sleep(rng.uniform(0.0, 0.01))
    _kill(proc, figures)
    lines += proc.stdout.readlines()
    proc.stdout.close()
    figures.trials += 1
    figures.window_trials += 1
    if check_integrity(store, figures):
        check_promises(store, lines, figures)


def restore_trial(template: Path, work: Path, rng: random.Random, figures: Figures) -> None:
    """`stancemark restore` killed mid-way: the store is the old state or the backup,
    never a mixture."""
    from stancemark.core.model import Annotation
    from stancemark.store import Repository, backups, open_store

    store = work / "restore.sqlite"
    shutil.copyfile(template, store)
    repo = Repository(open_store(store), "template")
    older = backups.make_backup(repo.db, "manual")
    art = next(repo.iter_articles())
    for i in range(30):
        repo.add_annotation(Annotation("", art.uid, "", "stance", i, i + 5, art.text[i:i + 5],
                                       polarity="support"))
    states = {older.marker, backups.change_marker(repo.conn)}
    repo.close()
    pristine = work / "restore-before.sqlite"
    shutil.copyfile(store, pristine)
    argv = [sys.executable, "-m", "stancemark", "--store", str(store), "--annotator", "template",
            "restore", older.name]
    env = writer_env(work / "settings.json")
    delay = _kill_time("restore", rng, argv, env, lambda: None)
    shutil.copyfile(pristine, store)  # the calibration run may have restored already
    for side in ("-wal", "-shm"):
        store.with_name(store.name + side).unlink(missing_ok=True)
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    time.sleep(delay)
    _kill(proc, figures)
    figures.trials += 1
    figures.restore_trials += 1
    if not check_integrity(store, figures):
        return
    conn = sqlite3.connect(str(store))
    try:
        marker = backups.change_marker(conn)
    finally:
        conn.close()
    if marker not in states:
        figures.corrupt += 1
        figures.problems.append(f"interrupted restore left a third state {marker} (not {states})")


def make_old_store(path: Path) -> int:
    """A store as the first release left it (first migration only), with articles;
    returns how many."""
    from sqlite_utils import Database

    from stancemark.store import Repository
    from stancemark.store.db import _connect
    from stancemark.store.schema import APPLICATION_ID, migration_names, migrations

    conn = _connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db = Database(conn)
    migrations.apply(db, stop_before=migration_names()[1])
    repo = Repository(db, "template")
    for i in range(30):
        repo.add_article(" ".join(f"old{i}w{j}" for j in range(300)), f"Old {i}")
    repo.close()
    return 30


def migration_trial(work: Path, rng: random.Random, figures: Figures) -> None:
    """A schema upgrade killed mid-way: the next open finishes it, nothing lost."""
    from stancemark.store import Repository, open_store
    from stancemark.store.schema import migration_names, migrations

    store = work / "old.sqlite"
    pristine = work / "old-pristine.sqlite"
    if not pristine.exists():
        make_old_store(pristine)
    argv = [sys.executable, "-m", "stancemark", "--store", str(store), "--annotator", "template",
            "stats"]
    env = writer_env(work / "settings.json")
    delay = _kill_time("migration", rng, argv, env, lambda: shutil.copyfile(pristine, store))
    for p in work.glob("old.sqlite*"):
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    shutil.copyfile(pristine, store)
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    time.sleep(delay)
    _kill(proc, figures)
    figures.trials += 1
    figures.migration_trials += 1
    if not check_integrity(store, figures):
        return
    repo = Repository(open_store(store), "template")
    try:
        n = repo.count_articles()
        applied = [m.name for m in migrations.applied(repo.db)]
    finally:
        repo.close()
    if n != 30 or applied != migration_names():
        figures.corrupt += 1
        figures.problems.append(f"after an interrupted upgrade: {n} articles, steps {applied}")


def import_trial(template: Path, work: Path, folder: Path, rng: random.Random,
                 figures: Figures) -> None:
    store = work / "import.sqlite"
    argv = [sys.executable, "-m", "stancemark", "--store", str(store), "import", str(folder)]
    env = writer_env(work / "settings.json")
    delay = _kill_time("import", rng, argv, env, lambda: shutil.copyfile(template, store))
    shutil.copyfile(template, store)
    for side in ("-wal", "-shm"):
        store.with_name(store.name + side).unlink(missing_ok=True)
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    time.sleep(delay)
    _kill(proc, figures)
    figures.trials += 1
    if not check_integrity(store, figures):
        return
    conn = sqlite3.connect(str(store))
    try:
        n = conn.execute("SELECT count(*) FROM articles WHERE title LIKE ?",
                         [IMPORT_TITLE + " %"]).fetchone()[0]
    finally:
        conn.close()
    if n not in (0, IMPORT_FILES):
        figures.half_imports += 1
        figures.problems.append(f"interrupted import left {n} of {IMPORT_FILES} articles")


def run(trials: int, work: Path, seed: int = 0, progress: bool = False,
        window_every: int = 5) -> Figures:
    """Annotate, import, restore and (every `window_every`-th) window trials."""
    work.mkdir(parents=True, exist_ok=True)
    template = make_template(work)
    folder = make_import_folder(work / "to-import")
    rng = random.Random(seed)
    figures = Figures()
    for i in range(trials):
        trial_dir = work / "trial"
        shutil.rmtree(trial_dir, ignore_errors=True)
        trial_dir.mkdir()
        if window_every and i % window_every == window_every - 1:
            window_trial(template, trial_dir, rng, figures)
        elif i % 7 == 6:
            restore_trial(template, trial_dir, rng, figures)
        elif i % 11 == 10:
            migration_trial(work, rng, figures)
        elif i % 3 == 2:
            import_trial(template, trial_dir, folder, rng, figures)
        else:
            annotate_trial(template, trial_dir, rng, figures)
        if progress and (i + 1) % 25 == 0:
            print(f"  after {i + 1}: {figures.line()}", flush=True)
    return figures
