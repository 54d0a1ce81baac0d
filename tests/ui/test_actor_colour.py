"""A colour per actor that the user sets: from the legend, the inspector and the Registers
panel; the article repaints with it, Ctrl+Z brings the automatic tint back in one step."""

from __future__ import annotations

import json

from PySide6.QtCore import QPoint
from window_fixtures import make_window

from stancemark.core.palette import ACTOR_CHOICES, ACTOR_TINTS


def _actor_spans(w, actor_uid):
    index = w.view.index
    return [index.span(a.uid) for a in w.inspector.model.items
            if a.kind == "actor" and a.actor_uid == actor_uid]


def _choose(menu, colour):
    act = next(a for a in menu.actions() if a.data() == colour)
    act.trigger()


def _open_china(qtbot, seeded, tmp_path):
    from stancemark.ui.pictures.screenshot import add_demo

    w = make_window(qtbot, seeded, tmp_path)
    add_demo(w)
    w.open_article(w.list.model.rows[0].uid)
    china = next(a for a in seeded.list_actors() if a.name == "China")
    assert _actor_spans(w, china.uid)
    return w, china


def test_legend_menu_sets_a_colour_the_article_repaints_and_undo_restores(
        qtbot, seeded, tmp_path):
    w, china = _open_china(qtbot, seeded, tmp_path)
    w.view.legend.show()
    automatic = w.view.actor_colours.colour(china.uid)
    chosen = next(c for c, _ in ACTOR_CHOICES if c not in ACTOR_TINTS)  # no tint has it
    assert china.uid in w.view.legend.shown_uids
    # a click on China in the legend asks for China's menu
    with qtbot.waitSignal(w.view.legend.actor_menu_requested) as sig:
        w.view.legend.linkActivated.emit(f"actor:{china.uid}")
    assert sig.args[0] == china.uid
    menu = w.actor_colours.popup(china.uid, QPoint(10, 10))
    assert menu.title() == "Colour of China"
    assert next(a for a in menu.actions() if a.data() == "").isChecked()  # automatic now
    _choose(menu, chosen)
    menu.close()
    assert seeded.get_actor(china.uid).colour == chosen
    assert all(span[2] == ("actor", chosen) for span in _actor_spans(w, china.uid))
    assert ("China", chosen) in w.view.legend.shown_actors
    assert w.undo_stack.undoText() == "Colour of China"
    w.undo_stack.undo()
    assert seeded.get_actor(china.uid).colour == ""
    assert all(span[2] == ("actor", automatic) for span in _actor_spans(w, china.uid))
    w.undo_stack.redo()
    assert all(span[2] == ("actor", chosen) for span in _actor_spans(w, china.uid))
    colours = [(json.loads(b or "{}").get("colour"), json.loads(a or "{}").get("colour"))
               for b, a in seeded.conn.execute(
                   "SELECT before, after FROM audit_log WHERE entity = 'actor' AND uid = ? "
                   "AND action = 'update' ORDER BY id", [china.uid])]
    assert colours == [("", chosen), (chosen, ""), ("", chosen)]  # set, undone, redone


def test_the_inspector_offers_the_colour_of_the_actor_of_a_row(qtbot, seeded, tmp_path):
    w, china = _open_china(qtbot, seeded, tmp_path)
    row = next(i for i, a in enumerate(w.inspector.model.items)
               if a.kind == "actor" and a.actor_uid == china.uid)
    table = w.inspector.table
    table.scrollTo(w.inspector.model.index(row, 0))
    pos = table.visualRect(w.inspector.model.index(row, 0)).center()
    menu = w.inspector.context_menu(pos)
    assert menu is not None
    sub = next(a.menu() for a in menu.actions() if a.menu() is not None)
    assert sub.title() == "Colour of China…"
    _choose(sub, "#D55E00")
    assert seeded.get_actor(china.uid).colour == "#D55E00"
    assert all(span[2] == ("actor", "#D55E00") for span in _actor_spans(w, china.uid))


def test_registers_panel_colour_button_and_automatic(qtbot, seeded, tmp_path):
    w, china = _open_china(qtbot, seeded, tmp_path)
    w.registers_dock.show()
    qtbot.waitUntil(lambda: w.registers.actors.isVisible(), timeout=3000)
    panel = w.registers
    assert not panel.colour_button.isEnabled()
    assert panel.select_actor(china.uid)
    assert panel.colour_button.isEnabled()
    _choose(panel.colour_menu(), "#CC79A7")
    assert seeded.get_actor(china.uid).colour == "#CC79A7"
    assert panel.select_actor(china.uid)
    row = panel.actors.currentRow()
    assert not panel.actors.item(row, 0).icon().isNull()  # a swatch beside the name
    menu = panel.colour_menu()
    assert next(a for a in menu.actions() if a.data() == "#CC79A7").isChecked()
    _choose(menu, "")  # Automatic
    assert seeded.get_actor(china.uid).colour == ""
    assert all(span[2][1] in ACTOR_TINTS for span in _actor_spans(w, china.uid))

