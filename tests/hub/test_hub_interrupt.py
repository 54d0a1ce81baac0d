"""A sync killed at any moment, or a hub that goes away mid-sync, leaves both sides
consistent (nothing lost, nothing half-applied), and the next sync finishes the work."""

from __future__ import annotations

import importlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from hub_helpers import annotation_uids, seeded_store, tag_words

from stancemark.store import Repository, open_store
from stancemark.store.hub import HubError, sync

ROOT = Path(__file__).resolve().parents[2]
sync_module = importlib.import_module("stancemark.store.hub.sync")


def _hub_annotations(admin_url, owner):
    with psycopg.connect(admin_url) as conn:
        return {r[0] for r in conn.execute("SELECT key FROM stancemark_hub.rows WHERE entity = "
                                           "'annotation' AND owner = %s", [owner])}


def _start_sync(store, name, url):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "desktop"))
    return subprocess.Popen([sys.executable, "-m", "stancemark", "--store", str(store),
                             "--annotator", name, "sync", url], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _kill_at_random(proc, rng, longest):
    time.sleep(rng.uniform(0.15, 0.95) * longest)
    finished = proc.poll() is not None
    if not finished:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    return not finished


def test_killing_the_sync_at_random_moments_loses_and_half_applies_nothing(tmp_path, hub):
    rng = random.Random(17)
    ana_path, ben_path = tmp_path / "ana.sqlite", tmp_path / "ben.sqlite"
    ana, ben = seeded_store(ana_path, "ana"), seeded_store(ben_path, "ben")
    ana_url, ben_url = hub.member("ana"), hub.member("ben")
    ana.close()
    ben.close()
    # How long a whole sync of this size takes here (start-up included): the kills land
    # within that time, so most of them hit a running sync, at a different moment each.
    ana = Repository(open_store(ana_path), "ana")
    tag_words(ana, 400, "first")
    ana.close()
    t0 = time.perf_counter()
    first = _start_sync(ana_path, "ana", ana_url)
    assert first.wait(timeout=120) == 0, first.stderr.read().decode()
    longest = time.perf_counter() - t0
    killed = trials = 0
    # Until four kills have landed in a running sync (a kill after the end is no trial).
    while killed < 4 and trials < 10:
        trial = trials
        trials += 1
        ana = Repository(open_store(ana_path), "ana")
        tag_words(ana, 400, f"t{trial}")
        mine = annotation_uids(ana, "ana")
        ana.close()
        on_hub = _hub_annotations(hub.admin_url, "ana")
        killed += _kill_at_random(_start_sync(ana_path, "ana", ana_url), rng, longest)
        after = _hub_annotations(hub.admin_url, "ana")
        assert after in (on_hub, mine)  # the push is all or nothing
        # Ben pulls, killed too: his store holds all of a pull or none of it.
        ben = Repository(open_store(ben_path), "ben")
        had = annotation_uids(ben, "ana")
        ben.close()
        killed += _kill_at_random(_start_sync(ben_path, "ben", ben_url), rng, longest)
        ben = Repository(open_store(ben_path), "ben")
        got = annotation_uids(ben, "ana")
        assert got == had or got == after
        assert ben.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ben.close()
    # The next syncs finish the work on both sides.
    for path, name, url in ((ana_path, "ana", ana_url), (ben_path, "ben", ben_url)):
        done = _start_sync(path, name, url)
        out, err = done.communicate(timeout=120)
        assert done.returncode == 0, err.decode()
    ana = Repository(open_store(ana_path), "ana")
    ben = Repository(open_store(ben_path), "ben")
    assert _hub_annotations(hub.admin_url, "ana") == annotation_uids(ana, "ana") == \
        annotation_uids(ben, "ana")
    assert len(annotation_uids(ben, "ana")) == 400 * (trials + 1)
    assert killed >= 4, f"only {killed} of {2 * trials} kills landed while a sync was running"


def _drop_connections(admin_url, role_prefix):
    """The hub goes away: the server ends every connection of that member."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE usename LIKE %s AND pid <> pg_backend_pid()", [role_prefix + "%"])


@pytest.mark.parametrize("moment", ["pushing", "pulling", "merging"])
def test_a_hub_that_goes_away_mid_sync(tmp_path, hub, moment, monkeypatch):
    ana = seeded_store(tmp_path / "ana.sqlite", "ana")
    ben = seeded_store(tmp_path / "ben.sqlite", "ben")
    ana_url, ben_url = hub.member("ana"), hub.member("ben")
    tag_words(ben, 50, "ben")
    sync(ben, ben_url)
    tag_words(ana, 50, "ana")
    mine = annotation_uids(ana, "ana")
    store_before = annotation_uids(ana)
    real_tick = sync_module._tick

    def tick(progress, step, message):
        if message.startswith(moment):
            _drop_connections(hub.admin_url, "ana_")
        real_tick(progress, step, message)

    with monkeypatch.context() as m:
        m.setattr(sync_module, "_tick", tick)
        if moment == "merging":
            sync(ana, ana_url)  # the hub is no longer needed once the rows are read
            assert annotation_uids(ana, "ben") == annotation_uids(ben, "ben")
            return
        with pytest.raises(HubError, match="connection was lost.*sync again"):
            sync(ana, ana_url)
    on_hub = _hub_annotations(hub.admin_url, "ana")
    assert on_hub in (set(), mine)  # pushed whole or not at all
    assert annotation_uids(ana) == store_before  # nothing half-pulled
    assert ana.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # Back again: the next sync completes.
    report = sync(ana, ana_url)
    assert _hub_annotations(hub.admin_url, "ana") == mine
    assert annotation_uids(ana, "ben") == annotation_uids(ben, "ben")
    assert report.pulled["annotation"] >= 50 or moment == "merging"
