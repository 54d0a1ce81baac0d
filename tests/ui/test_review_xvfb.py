"""Review mode in the real window under an X server (Xvfb, xcb): the README screenshot
script runs, and the picture shows both annotators' colours and the Agreement panel."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from xvfb_display import xvfb_display


@pytest.fixture
def display():
    yield from xvfb_display(range(140, 190), "1700x1100x24")


@pytest.mark.xvfb
def test_review_mode_screenshot_under_xvfb(display, tmp_path):
    out = tmp_path / "review-mode.png"
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    result = subprocess.run(
        [sys.executable, "-m", "stancemark.ui.pictures.review_screenshot", "--dir", str(tmp_path / "w"),
         "--out", str(out)], env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]

    from PySide6.QtGui import QColor, QImage

    from stancemark.core.palette import annotator_colour

    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 720)  # the README picture's size
    seen = {image.pixel(x, y) & 0xFFFFFF for y in range(0, image.height(), 3)
            for x in range(0, image.width(), 3)}
    # The legend and accept buttons are drawn in the two annotators' own colours.
    for i in (0, 1):
        assert QColor(annotator_colour(i)).rgb() & 0xFFFFFF in seen
    assert len(seen) > 200
