"""The codebook's README pictures under an X server (Xvfb, xcb): the script runs, and the
pictures show the custom kind in its codebook colour, the editor and the review list."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from xvfb_display import xvfb_display


@pytest.fixture
def display():
    yield from xvfb_display(range(190, 240), "1280x720x24")


@pytest.mark.xvfb
def test_codebook_pictures_under_xvfb(display, tmp_path):
    out = tmp_path / "pictures"
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    result = subprocess.run(
        [sys.executable, "-m", "stancemark.ui.pictures.codebook_screenshot",
         "--dir", str(tmp_path / "w"), "--out-dir", str(out)],
        env=env, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-2000:]

    from PySide6.QtGui import QColor, QImage

    def colours(name: str) -> tuple[QImage, set[int]]:
        image = QImage(str(out / name))
        return image, {image.pixel(x, y) & 0xFFFFFF for y in range(0, image.height(), 2)
                       for x in range(0, image.width(), 2)}

    kind, seen = colours("codebook-kind.png")
    assert (kind.width(), kind.height()) == (1280, 720)
    assert QColor("#8E6CC9").rgb() & 0xFFFFFF in seen  # the frame's colour (legend, list)
    editor, seen = colours("codebook-editor.png")
    # kinds listed with their colours (the frame's row is selected, so tinted: the date's)
    from stancemark.core.palette import KIND_COLOURS

    assert editor.width() > 600 and QColor(KIND_COLOURS["date"]).rgb() & 0xFFFFFF in seen
    review, seen = colours("codebook-review.png")
    assert (review.width(), review.height()) == (1280, 720) and len(seen) > 100
