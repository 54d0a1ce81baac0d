"""Review mode in the real window under an X server (Xvfb, xcb): the README screenshot
script runs, and the picture shows both annotators' colours and the Agreement panel."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest


@pytest.fixture
def display():
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (Debian package xvfb)")
    n = next((n for n in range(140, 190) if not Path(f"/tmp/.X11-unix/X{n}").exists()
              and not Path(f"/tmp/.X{n}-lock").exists()), None)
    if n is None:
        pytest.skip("no free X display number")
    proc = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", "1700x1100x24", "-nolisten", "tcp"],
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


@pytest.mark.xvfb
def test_review_mode_screenshot_under_xvfb(display, tmp_path):
    out = tmp_path / "review-mode.png"
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    result = subprocess.run(
        [sys.executable, "-m", "stancemark.ui.review_screenshot", "--dir", str(tmp_path / "w"),
         "--out", str(out)], env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]

    from PySide6.QtGui import QColor, QImage

    from stancemark.core.palette import annotator_colour

    image = QImage(str(out))
    assert (image.width(), image.height()) == (1600, 960)
    seen = {image.pixel(x, y) & 0xFFFFFF for y in range(0, image.height(), 3)
            for x in range(0, image.width(), 3)}
    # The legend and accept buttons are drawn in the two annotators' own colours.
    for i in (0, 1):
        assert QColor(annotator_colour(i)).rgb() & 0xFFFFFF in seen
    assert len(seen) > 200
