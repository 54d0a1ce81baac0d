"""The actor popup: one Enter on a sloppy selection never creates a register entry
(creating is a deliberate, visibly different choice), and every name list says what
each entry is: `alias → actor (actor, kind)`, `name (topic)`."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from window_fixtures import select_cp, window_on_article

from helpers import find


@pytest.fixture
def win(qtbot, seeded, tmp_path):
    return window_on_article(qtbot, seeded, tmp_path, title_start="Republicans")


def open_popup(qtbot, win, needle):
    select_cp(win, *find(win.view.article.text, needle))
    qtbot.keyClick(win.view.text, Qt.Key.Key_A)
    return win.tagger.popup


def test_enter_on_an_unmatched_selection_adds_no_actor(qtbot, win, seeded):
    actors = len(seeded.list_actors())
    popup = open_popup(qtbot, win, "States Donald")  # a sloppy selection
    assert popup.name.text() == "States Donald"
    assert not popup.kind.isVisible() and popup.ok.text() == "Tag"
    assert "No actor or alias" in popup.match.text()
    qtbot.keyClick(popup.name, Qt.Key.Key_Return)
    assert popup.isVisible()
    assert popup.error.text().startswith("No actor called “States Donald”")
    assert len(seeded.list_actors()) == actors
    assert seeded.list_annotations(win.current_article_uid()) == []
    # Fixing the name to a register alias tags it, still without a new entry.
    popup.name.selectAll()
    qtbot.keyClicks(popup.name, "Trump")
    assert popup.match.text() == "Trump → Donald Trump (actor, person)"
    qtbot.keyClick(popup.name, Qt.Key.Key_Return)
    [a] = seeded.list_annotations(win.current_article_uid())
    assert seeded.get_actor(a.actor_uid).name == "Donald Trump"
    assert len(seeded.list_actors()) == actors


def test_new_actor_is_a_deliberate_choice(qtbot, win, seeded):
    popup = open_popup(qtbot, win, "Republican ally")
    qtbot.mouseClick(popup.new_actor, Qt.MouseButton.LeftButton)
    assert popup.kind.isVisible() and popup.ok.text() == "Create and tag"
    assert "new register entry" in popup.match.text()
    popup.kind.setCurrentText("group")
    qtbot.keyClick(popup.name, Qt.Key.Key_Return)
    [a] = seeded.list_annotations(win.current_article_uid())
    actor = seeded.get_actor(a.actor_uid)
    assert (actor.name, actor.kind) == ("Republican ally", "group")
    win.undo_stack.undo()  # one step removes the tag and the new actor
    assert seeded.actors_by_alias("Republican ally") == []


def test_new_actor_named_like_an_alias_is_refused(qtbot, win, seeded):
    popup = open_popup(qtbot, win, "Taipei")
    assert popup.name.text() == "Taiwan"
    popup.name.setText("Taipei")
    qtbot.keyClick(popup.name, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(popup.name, Qt.Key.Key_Return)
    assert popup.isVisible() and popup.error.text() == (
        "“Taipei” is already an alias of Taiwan: untick New actor to tag it.")
    assert len(seeded.actors_by_alias("Taipei")) == 1


def test_completer_lists_say_alias_actor_and_topic(qtbot, win, seeded):
    text = win.view.article.text
    s, e = find(text, "infuriates Beijing")
    select_cp(win, s, e)
    qtbot.keyClick(win.view.text, Qt.Key.Key_S)
    popup = win.tagger.popup
    qtbot.keyClick(popup.polarity, Qt.Key.Key_Minus)
    popup.target.clear()
    qtbot.keyClicks(popup.target, "Taiwan")
    completer = popup.target.completer()
    shown = [completer.completionModel().index(r, 0).data()
             for r in range(completer.completionModel().rowCount())]
    assert "Taipei → Taiwan (actor, state)" in shown
    assert "Taiwan (actor, state)" in shown
    assert "Taiwan independence (topic)" in shown
    assert ("Taiwan’s Mainland Affairs Council → Mainland Affairs Council (actor, government)"
            in shown)
    row = shown.index("Taipei → Taiwan (actor, state)")
    view = completer.popup()
    assert view.isVisible()
    view.setCurrentIndex(completer.completionModel().index(row, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert popup.target.text() == "Taiwan"  # the actor's own name goes into the field
    assert popup.target_hint.text() == "actor"
    # The holder list marks aliases too; "Chang Hsiao-Yueh", the name in other letter
    # case, is not listed twice (completion ignores case).
    popup.holder.clear()
    qtbot.keyClicks(popup.holder, "Chang")
    model = popup.holder.completer().completionModel()
    holders = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert set(holders) == {"Chang → Chang Hsiao-yueh (actor, person)",
                            "Chang Hsiao-yueh (actor, person)"}
