"""A private Xvfb X server for the tests that look at the real window (xcb platform).

Each test file passes its own range of display numbers, so two such tests running at
once (or a developer's own Xvfb) never share a display.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


def xvfb_display(numbers: range, screen: str) -> Iterator[str]:
    """Start Xvfb on the first free display in `numbers` with `screen` ("WxHxDepth"),
    yield its DISPLAY value, stop it afterwards. Skips when Xvfb is missing."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (Debian package xvfb)")
    n = next((n for n in numbers if not Path(f"/tmp/.X11-unix/X{n}").exists()
              and not Path(f"/tmp/.X{n}-lock").exists()), None)
    if n is None:
        pytest.skip("no free X display number")
    proc = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", screen, "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if Path(f"/tmp/.X11-unix/X{n}").exists():
            break
        if proc.poll() is not None:
            pytest.fail("Xvfb exited at start")
        time.sleep(0.05)
    yield f":{n}"
    proc.terminate()
    proc.wait(10)
