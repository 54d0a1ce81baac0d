"""The change bus: every committed change, and every undo or redo of one, is published
once; each view subscribed decides from the record what to redraw (Anki's
`operation_did_execute(changes, handler)`).

The window does not fan changes out by hand: the article list, the article view, the
inspector, the registers and review mode subscribe themselves. `initiator` is whoever
asked for the change (a view, a dialog; UNDO for undo and redo), so the view that made
a change and already shows it can skip the record.
"""

from __future__ import annotations

from collections.abc import Callable

from stancemark.core.model import Change

# The initiator of a change published by undo or redo.
UNDO = "undo"
# A change that may touch anything (an import, a merge, a restored backup, a reload):
# every view re-reads what it shows.
RELOAD = Change("reload", "store")

Handler = Callable[[Change, object], None]


class ChangeBus:
    """Publish/subscribe for change records. Handlers run in the order they subscribed,
    so a shared cache (the registers) subscribed first is fresh for the views after it."""

    def __init__(self) -> None:
        self._handlers: list[Handler] = []

    def subscribe(self, handler: Handler) -> Callable[[], None]:
        """Call `handler(change, initiator)` for each change; returns an unsubscribe."""
        self._handlers.append(handler)
        return lambda: self._handlers.remove(handler) if handler in self._handlers else None

    def publish(self, change: Change, initiator: object = None) -> None:
        for handler in list(self._handlers):
            handler(change, initiator)
