"""Dropping the previous article's data after the next frame, not before it.

Opening an article replaces the one before: its 20,000 rows, index entries and cached
annotations become garbage at once, and freeing them (a few milliseconds of
deallocation) sat between the click and the first paint of the new one. Handed here,
they are freed on the next turn of the event loop instead, once the new article is
on screen.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer

_kept: list[Any] = []


def release_later(*objects: Any) -> None:
    """Keep `objects` alive until the event loop runs again."""
    if not _kept:
        QTimer.singleShot(0, _kept.clear)
    _kept.extend(o for o in objects if o is not None)
