"""`stancemark --smoke-test`: seeds the store, shows the real window, exits 0 after the
first paint. The frozen-app test runs the same flag against the built executable."""

from __future__ import annotations

import os
import subprocess
import sys


def test_smoke_test_shows_the_window_and_exits_zero(tmp_path):
    store = tmp_path / "smoke.stancemark"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "stancemark", "--store", str(store), "--smoke-test"],
        capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "smoke test: first paint" in result.stdout
    assert "platform offscreen" in result.stdout
    assert "icon sizes 7" in result.stdout
    assert "licences 0," not in result.stdout
    # the start-up's objects are out of the cyclic collector's full passes (settle_heap)
    frozen = int(result.stdout.split("start-up heap frozen: ")[1].split()[0])
    assert frozen > 10_000
    listing = subprocess.run(
        [sys.executable, "-m", "stancemark", "--store", str(store), "list", "--json"],
        capture_output=True, text=True, timeout=300, env=env)
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout.count('"uid"') > 0
