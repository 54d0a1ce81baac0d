"""The real window under an X server (Xvfb, xcb platform), on the seed articles with
several annotations of each kind: it starts, draws, and the screenshot is not blank."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest


def free_display() -> int:
    for n in range(90, 140):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    pytest.skip("no free X display number")


@pytest.fixture
def xvfb():
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (Debian package xvfb)")
    n = free_display()
    proc = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
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
def test_real_window_screenshot_under_xvfb(xvfb, tmp_path):
    out = tmp_path / "main-window.png"
    env = {**os.environ, "DISPLAY": xvfb, "QT_QPA_PLATFORM": "xcb"}
    result = subprocess.run(
        [sys.executable, "-m", "stancemark.ui.screenshot", "--store", str(tmp_path / "s.sqlite"),
         "--out", str(out)], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert out.exists()

    from PySide6.QtGui import QColor, QImage

    from stancemark.core.palette import KIND_COLOURS

    image = QImage(str(out))
    assert (image.width(), image.height()) == (1480, 900)
    colours = set()
    for y in range(0, image.height(), 7):
        for x in range(0, image.width(), 7):
            colours.add(image.pixel(x, y))
    assert len(colours) > 200  # text, highlights, tables: not a blank or single-colour grab
    # the inspector's kind swatches are drawn in the kind colours
    wanted = {QColor(c).rgb() & 0xFFFFFF for c in KIND_COLOURS.values()}
    seen = {c & 0xFFFFFF for c in colours}
    assert wanted & seen
