"""The tag popups' quote line renders any script as the name field does: the same widget
font (no italic forced on Arabic, Hebrew or CJK, whose oblique match lacks the glyphs),
laid out and aligned by the quote's own direction."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from stancemark.core.text import is_right_to_left, italic_suits
from stancemark.ui.window.tag_popups import DatePopup

ARABIC = "قالت وزارة الخارجية الصينية يوم الاثنين"


def _ink(label) -> tuple[int, int]:
    """Leftmost and rightmost columns with text drawn on them."""
    image = label.grab().toImage()
    back = image.pixelColor(0, 0)
    cols = [x for x in range(image.width()) for y in range(image.height())
            if image.pixelColor(x, y) != back]
    return min(cols), max(cols)


def test_an_arabic_quote_is_upright_right_to_left_in_the_field_font(qtbot):
    popup = DatePopup(ARABIC, "2024-05-20", "day")
    qtbot.addWidget(popup)
    popup.show()
    label = popup.quote
    field = popup.value
    assert label.text() == f"“{ARABIC}”"
    assert not label.font().italic()
    assert label.font().families() == field.font().families()
    assert label.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert label.alignment() & Qt.AlignmentFlag.AlignLeading
    # Drawn from the right edge: the ink sits in the right part of a wide label.
    left, right = _ink(label)
    assert right > label.width() - 12 and left > 40, (left, right, label.width())
    assert label.textFormat() == Qt.TextFormat.PlainText


def test_an_english_quote_stays_italic_left_to_right(qtbot):
    popup = DatePopup("on Monday", "2024-05-20", "day")
    qtbot.addWidget(popup)
    popup.show()
    assert popup.quote.font().italic()
    assert popup.quote.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert _ink(popup.quote)[0] < 12


@pytest.mark.parametrize(("text", "rtl", "italic"), [
    ("Beijing", False, True), ("Пекин", False, True), (ARABIC, True, False),
    ("משרד החוץ", True, False), ("北京表示欢迎", False, False),
    ("“ 2024 قالت", True, False),  # neutral characters first: the first strong one rules
    ("Taipei 台北", False, False), ("", False, True)])
def test_direction_and_italic_follow_the_script(text, rtl, italic):
    assert is_right_to_left(text) is rtl
    assert italic_suits(text) is italic
