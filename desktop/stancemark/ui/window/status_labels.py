"""Status bar labels whose text changes on every tag without re-laying out the bar.

A QLabel's new text asks its layout for a new geometry, unless the label's size is
fixed (minimum == maximum in both directions); QStatusBar answers every layout request
by repainting all of itself. So these labels get a fixed size that only ever grows:
a text that fits keeps the size (no layout request, one label repainted), a longer
one widens the label once.
"""

from __future__ import annotations

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QLabel, QStatusBar


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


class StatusFeedback:
    """The window's Feedback (ui.window.session): the "Saved ✓" label and passing
    messages in the status bar."""

    def __init__(self, bar: QStatusBar, saved_label: QLabel):
        self.bar = bar
        self.saved_label = saved_label
        self._failed = False
        fix_label_room(saved_label, "Saved ✓ 00:00:00 ")

    def saved(self, error: str | None) -> None:
        # Restyle only when the state flips: a style change re-lays out the whole window,
        # which would repaint everything after every tag.
        failed = error is not None
        if failed != self._failed:
            self._failed = failed
            self.saved_label.setStyleSheet(
                "color: white; background: #D55E00; padding: 0 4px" if failed else "")
        if failed:
            set_fixed_text(self.saved_label, f"NOT saved: {error}  ")  # room for the padding
        else:
            set_fixed_text(self.saved_label,
                           f"Saved ✓ {QTime.currentTime().toString('HH:mm:ss')}")

    def message(self, text: str, ms: int = 5000) -> None:
        self.bar.showMessage(text, ms)
