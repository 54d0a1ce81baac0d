"""Timing a process from its start to the moment it reports a shown, usable window.

The parent starts the clock just before spawning; the child prints SHOWN_MARK (with
its resident memory at that moment) once its window is shown and its event queue
has been processed, then exits. No Qt here: both sides import it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHOWN_MARK = "BENCH-SHOWN "
MORE_MARK = "BENCH-MORE "
LAUNCH_TIMEOUT = 120


def rss_mb() -> float:
    """Current resident memory of this process in MB (Linux /proc; 0 elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


def report_shown(**info: object) -> None:
    print(SHOWN_MARK + json.dumps({"rss_mb": rss_mb(), **info}), flush=True)


def report_more(**info: object) -> None:
    """Readings taken after the shown moment (outside the timed start-up)."""
    print(MORE_MARK + json.dumps(info), flush=True)


def child_env() -> dict[str, str]:
    """Offscreen, with settings and default store in a throwaway folder."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = tempfile.mkdtemp(prefix="stancemark-bench-")
    env["STANCEMARK_CONFIG"] = str(Path(home) / "settings.json")
    env.setdefault("STANCEMARK_STORE", str(Path(home) / "default.sqlite"))
    env["XDG_CONFIG_HOME"] = str(Path(home) / "config")
    env["XDG_DATA_HOME"] = str(Path(home) / "data")
    return env


def time_launch(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, dict]:
    """Seconds from spawn to the child's SHOWN_MARK line, and what it reported."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env or child_env())
    info: dict | None = None
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(SHOWN_MARK):
            elapsed = time.perf_counter() - t0
            info = json.loads(line[len(SHOWN_MARK):])
            break
    try:
        rest, err = proc.communicate(timeout=LAUNCH_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        rest, err = proc.communicate()
    for line in (rest or "").splitlines():
        if line.startswith(MORE_MARK) and info is not None:
            info.update(json.loads(line[len(MORE_MARK):]))
    if info is None:
        sys.stderr.write(err[-2000:])
        raise RuntimeError(f"the window never reported itself shown (exit {proc.returncode})")
    return elapsed, info
