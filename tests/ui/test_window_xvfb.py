"""The real window under an X server (Xvfb, xcb platform), on the seed articles with
several annotations of each kind: it starts, draws, and the screenshot is not blank."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from xvfb_display import xvfb_display


@pytest.fixture
def xvfb():
    yield from xvfb_display(range(90, 140), "1600x1000x24")


@pytest.mark.xvfb
def test_real_window_screenshot_under_xvfb(xvfb, tmp_path):
    out = tmp_path / "main-window.png"
    env = {**os.environ, "DISPLAY": xvfb, "QT_QPA_PLATFORM": "xcb"}
    result = subprocess.run(
        [sys.executable, "-m", "stancemark.ui.pictures.screenshot", "--store", str(tmp_path / "s.sqlite"),
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
