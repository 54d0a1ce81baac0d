"""Status bar labels whose text changes on every tag without re-laying out the bar.

A QLabel's new text asks its layout for a new geometry, unless the label's size is
fixed (minimum == maximum in both directions); QStatusBar answers every layout request
by repainting all of itself. So these labels get a fixed size that only ever grows:
a text that fits keeps the size (no layout request, one label repainted), a longer
one widens the label once.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def fix_label_room(label: QLabel, sample: str) -> None:
    """Give `label` a fixed size with room for texts as wide as `sample`."""
    metrics = label.fontMetrics()
    height = max(label.sizeHint().height(), metrics.height() + label.margin() * 2)
    label.setFixedSize(metrics.horizontalAdvance(sample) + label.margin() * 2 + 4, height)


def set_fixed_text(label: QLabel, text: str) -> None:
    """Set `text`; widen the label (one relayout) only if the text does not fit."""
    if label.text() == text:
        return
    room = label.maximumWidth()
    label.setText(text)
    needed = label.fontMetrics().horizontalAdvance(text) + label.margin() * 2 + 4
    if needed > room:
        label.setFixedWidth(needed)
