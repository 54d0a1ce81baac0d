"""The session: what helpers get instead of the window. A command is applied, pushed
for undo and published on the change bus; views subscribed to the bus redraw by
themselves, with no window in between."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack

from stancemark.core.changes import UNDO, ChangeBus
from stancemark.core.errors import StoreError
from stancemark.core.register_commands import AddActor
from stancemark.store import register_edits
from stancemark.ui.registers.cache import RegisterCache
from stancemark.ui.registers.panel import RegistersPanel
from stancemark.ui.window.session import Session


class Said:
    """A Feedback that records what the status bar would show."""

    def __init__(self) -> None:
        self.errors: list[str | None] = []
        self.messages: list[str] = []

    def saved(self, error: str | None) -> None:
        self.errors.append(error)

    def message(self, text: str, ms: int = 5000) -> None:
        self.messages.append(text)


@pytest.fixture
def parts(qtbot, seeded):
    said = Said()
    stack = QUndoStack()
    bus = ChangeBus()
    session = Session(seeded, None, stack, bus, said)
    seen: list[tuple[str, object]] = []
    bus.subscribe(lambda change, who: seen.append((change.action, who)))
    return session, stack, bus, said, seen


def _names(panel):
    return {panel.actors.item(r, 0).text() for r in range(panel.actors.rowCount())}


def test_the_registers_panel_redraws_from_the_bus_without_a_window(qtbot, seeded, parts):
    session, stack, bus, said, seen = parts
    cache = RegisterCache(seeded, bus)  # subscribed before the panel: fresh names first
    panel = RegistersPanel(session, cache, lambda: "")
    qtbot.addWidget(panel)
    panel.show()  # a hidden panel fills its tables when next shown
    assert session.run(AddActor("Kiribati Delegation", "group", edits=register_edits), "me")
    assert "Kiribati Delegation" in _names(panel) and said.errors == [None]
    assert seen == [("add", "me")]
    stack.undo()
    assert "Kiribati Delegation" not in _names(panel)
    assert seen[-1] == ("remove", UNDO)
    stack.redo()
    assert "Kiribati Delegation" in _names(panel)


def test_a_refused_command_is_not_pushed_and_says_why(qtbot, seeded, parts):
    session, stack, _bus, said, seen = parts
    assert not session.run(AddActor("   ", edits=register_edits))
    assert stack.count() == 0 and seen == []
    assert said.errors and "empty" in said.errors[-1]


def test_a_failed_undo_drops_the_command_from_the_stack(qtbot, seeded, parts):
    """The stack must never claim a state the store does not have: an undo the store
    refuses marks the command obsolete (Qt then drops it) and says NOT saved."""
    session, stack, _bus, said, seen = parts
    cmd = AddActor("Kiribati Delegation", "group", edits=register_edits)
    assert session.run(cmd)
    assert stack.count() == 1

    def refuse(_repo):
        raise StoreError("the change was not saved: disk I/O error")

    cmd.revert = refuse  # type: ignore[method-assign]
    stack.undo()
    assert stack.count() == 0, "a failed undo left its command on the stack"
    assert not stack.canRedo() and not stack.canUndo()
    assert "disk I/O error" in said.errors[-1]
    assert seen == [("add", None)]  # nothing published for the failed undo
    assert seeded.actors_by_alias("Kiribati Delegation")  # still in the store
