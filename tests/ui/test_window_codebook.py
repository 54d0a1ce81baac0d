"""The codebook in the window, defined only through `stancemark codebook import`: tag a
custom kind by its codebook key, set its required attribute in the popup, change it in the
inspector, undo and redo, article variables; every step checked in the store."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from window_fixtures import select_cp, window_on_article

from helpers import find
from stancemark.cli import main

CODEBOOK = (Path(__file__).parent.parent / "data" / "codebook_frame.yaml").read_text(encoding="utf-8")


@pytest.fixture
def win(qtbot, seeded, store_path, tmp_path):
    src = tmp_path / "codebook.yaml"
    src.write_text(CODEBOOK, encoding="utf-8")
    assert main(["--store", str(store_path), "codebook", "import", str(src)]) == 0
    return window_on_article(qtbot, seeded, tmp_path)


def _uids(repo):
    book = repo.codebook()
    frame = book.kind_by_name("frame")
    attr = book.attribute_by_name(frame.uid, "frame_type")
    return book, frame, attr


def test_tag_frame_by_its_key_popup_inspector_undo_redo(qtbot, win, seeded):
    book, frame, frame_type = _uids(seeded)
    text = win.view.article.text
    s, e = find(text, "Taiwan")
    select_cp(win, s, e)
    qtbot.keyClick(win.view.text, Qt.Key.Key_G)  # the codebook's key, not a literal in code
    popup = win.tagger.popup
    assert popup is not None and popup.windowTitle() == "Tag frame"
    combo = popup.attrs.field("frame_type").widget
    assert popup.attrs.helps[frame_type.uid].text() == "The frame the passage applies."
    # required and not given: Enter is refused, nothing stored
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    assert "Required: frame_type" in popup.error.text()
    assert seeded.list_annotations(win.current_article_uid(), [seeded.annotator.uid]) == []
    qtbot.keyClick(combo, Qt.Key.Key_S)  # "security", picked from the keyboard
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    [a] = seeded.list_annotations(win.current_article_uid(), [seeded.annotator.uid])
    security = frame_type.value_by_name("security").uid
    assert (a.kind, a.start, a.attributes) == (frame.uid, s, {frame_type.uid: security})
    assert a.quote.startswith("Taiwan") and a.end >= e
    # drawn as a layer in the codebook's colour
    assert win.view.index.keys_at(s) == [a.uid]
    assert win.view.kind_colours[frame.uid] == "#0072B2"
    assert win.view.index.span(a.uid)[2] == (frame.uid, "#0072B2")
    assert ("frame", "#0072B2") in win.view.legend.kinds  # named in the legend too
    win.view.legend.refresh(win.view.actor_colours)
    assert "frame" in win.view.legend.text()
    assert win.inspector.model.data(win.inspector.model.index(0, 0)) == "frame"

    # the inspector: same editor, one undoable step per edit
    win.inspector.select(a.uid)
    panel = win.codebook.attributes
    assert panel.isVisible()
    field = panel.form.field("frame_type").widget
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_I)  # identity
    identity = frame_type.value_by_name("identity").uid
    assert seeded.get_annotation(a.uid).attributes == {frame_type.uid: identity}
    assert win.undo_stack.undoText() == "Set frame_type"
    win.undo_stack.undo()
    assert seeded.get_annotation(a.uid).attributes == {frame_type.uid: security}
    assert panel.form.field("frame_type").value() == security
    win.undo_stack.undo()  # the tag itself
    assert seeded.get_annotation(a.uid) is None or seeded.get_annotation(a.uid).deleted_at
    assert win.view.index.keys_at(s) == []
    win.undo_stack.redo()
    win.undo_stack.redo()
    assert seeded.get_annotation(a.uid).attributes == {frame_type.uid: identity}


def test_stance_intensity_in_inspector_and_article_variables(qtbot, win, seeded):
    book = seeded.codebook()
    intensity = book.attribute_by_name("stance", "intensity")
    genre = book.article_variables()[0]
    text = win.view.article.text
    s, e = find(text, "Taiwan")
    select_cp(win, s, e)
    qtbot.keyClick(win.view.text, Qt.Key.Key_S)
    popup = win.tagger.popup
    qtbot.keyClick(popup.polarity, Qt.Key.Key_Plus)
    popup.target.setText("Taiwan independence")
    # a built-in kind's popup asks for the codebook's attributes of that kind too
    in_popup = popup.attrs.field("intensity").widget
    in_popup.setValue(3)
    assert popup.attrs.helps[intensity.uid].text().startswith("How strongly")
    qtbot.keyClick(popup.target, Qt.Key.Key_Return)
    [a] = seeded.list_annotations(win.current_article_uid(), [seeded.annotator.uid])
    assert a.attributes == {intensity.uid: 3}
    win.inspector.select(a.uid)
    spin = win.codebook.attributes.form.field("intensity").widget
    assert spin.specialValueText() and spin.maximum() == 5
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "4")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert seeded.get_annotation(a.uid).attributes == {intensity.uid: 4}

    variables = win.codebook.variables
    combo = variables.form.field("genre").widget
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_O)  # opinion
    opinion = genre.value_by_name("opinion").uid
    assert seeded.article_variables(win.current_article_uid()) == {genre.uid: opinion}
    win.undo_stack.undo()
    assert seeded.article_variables(win.current_article_uid()) == {}
    assert variables.form.field("genre").value() is None
    win.undo_stack.redo()
    assert variables.form.field("genre").value() == opinion


def test_codebook_editor_adds_rekeys_renames_and_merges_undoably(qtbot, win, seeded, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    win.actions_["codebook"].trigger()
    dlg = win.codebook.editor_dialog
    answers = iter(["claim", "C"])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (next(answers), True))
    dlg.add_kind()
    claim = seeded.codebook().kind_by_name("claim")
    assert claim is not None and dlg.kind_uid() is not None
    dlg.kinds.setCurrentRow([k.uid for k in seeded.codebook().kinds].index(claim.uid))
    dlg.rekey_kind()
    assert seeded.codebook().kind(claim.uid).key == "C"
    assert "Tag claim" in [a.text() for a in win.menus["edit"].actions()]  # taggable at once
    # vocabulary: rename relabels, merge moves every use
    _book, frame, frame_type = _uids(seeded)
    dlg.kinds.setCurrentRow([k.uid for k in seeded.codebook().kinds].index(frame.uid))
    dlg.attrs.setCurrentRow(0)
    assert dlg.attribute_uid() == frame_type.uid
    dlg.values.setCurrentRow(1)  # security
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("safety", True))
    dlg.rename_value()
    assert [v.name for v in seeded.codebook().attribute(frame_type.uid).values][:2] == [
        "economic", "safety"]
    assert dlg.values.item(1).text() == "safety"
    dlg.values.setCurrentRow(1)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("economic", True))
    dlg.merge_value()
    assert [v.name for v in seeded.codebook().attribute(frame_type.uid).values] == [
        "economic", "identity", "sovereignty"]
    win.undo_stack.undo()
    win.undo_stack.undo()
    assert [v.name for v in seeded.codebook().attribute(frame_type.uid).values][:2] == [
        "economic", "security"]


def test_editor_recolours_and_rekeys_a_kind_redrawn_at_once_and_undone(qtbot, win, seeded,
                                                                       monkeypatch):
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QColorDialog, QInputDialog

    _book, frame, frame_type = _uids(seeded)
    s, e = find(win.view.article.text, "Taiwan")
    select_cp(win, s, e)
    qtbot.keyClick(win.view.text, Qt.Key.Key_G)
    popup = win.tagger.popup
    qtbot.keyClick(popup.attrs.field("frame_type").widget, Qt.Key.Key_E)  # economic
    qtbot.keyClick(popup.attrs.field("frame_type").widget, Qt.Key.Key_Return)
    [a] = seeded.list_annotations(win.current_article_uid(), [seeded.annotator.uid])
    win.actions_["codebook"].trigger()
    dlg = win.codebook.editor_dialog
    dlg.kinds.setCurrentRow([k.uid for k in seeded.codebook().kinds].index(frame.uid))
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor("#CC79A7"))
    dlg.recolour_kind()
    assert seeded.codebook().kind(frame.uid).colour == "#CC79A7"
    assert win.view.index.span(a.uid)[2] == (frame.uid, "#CC79A7")  # redrawn, same tag
    assert win.inspector.model.kind_colour(frame.uid) == "#CC79A7"
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("F", True))
    dlg.kinds.setCurrentRow([k.uid for k in seeded.codebook().kinds].index(frame.uid))
    dlg.rekey_kind()
    assert win.codebook.kinds.actions[frame.uid].shortcut().toString() == "F"
    win.undo_stack.undo()
    win.undo_stack.undo()
    assert win.view.index.span(a.uid)[2] == (frame.uid, "#0072B2")
    assert win.codebook.kinds.actions[frame.uid].shortcut().toString() == "G"
    assert win.undo_stack.undoText().startswith("Tag")  # the tag is the step before


def test_a_key_the_window_uses_is_not_given_to_a_kind(qtbot, win, seeded, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    _book, frame, _ft = _uids(seeded)
    win.actions_["codebook"].trigger()
    dlg = win.codebook.editor_dialog
    dlg.kinds.setCurrentRow([k.uid for k in seeded.codebook().kinds].index(frame.uid))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("J", True))
    dlg.rekey_kind()  # J: next annotation
    act = win.codebook.kinds.actions[frame.uid]
    assert act.shortcut().isEmpty() and "taken" in act.toolTip()
    assert win.actions_["next_annotation"].shortcut().toString() == "J"
    assert "the key J of frame is Next annotation's" in win.statusBar().currentMessage()


def test_editor_removes_describes_and_requires_undoably(qtbot, win, seeded, monkeypatch):
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    _book, frame, frame_type = _uids(seeded)
    s, e = find(win.view.article.text, "Taiwan")
    select_cp(win, s, e)
    qtbot.keyClick(win.view.text, Qt.Key.Key_G)
    field = win.tagger.popup.attrs.field("frame_type").widget
    qtbot.keyClick(field, Qt.Key.Key_S)  # security
    qtbot.keyClick(field, Qt.Key.Key_Return)
    [a] = seeded.list_annotations(win.current_article_uid(), [seeded.annotator.uid])
    win.actions_["codebook"].trigger()
    dlg = win.codebook.editor_dialog
    dlg.kinds.setCurrentRow([k.uid for k in seeded.codebook().kinds].index(frame.uid))
    dlg.attrs.setCurrentRow(0)
    # a kind in use is refused, in one line in the dialog, and nothing changes
    dlg.remove_kind()
    assert seeded.codebook().kind(frame.uid) is not None
    assert "Not saved" in dlg.info.text()
    # a value in use asks where its uses go
    dlg.values.setCurrentRow(1)  # security
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("identity", True))
    dlg.remove_value()
    identity = frame_type.value_by_name("identity").uid
    assert [v.name for v in seeded.codebook().attribute(frame_type.uid).values] == [
        "economic", "identity", "sovereignty"]
    assert seeded.get_annotation(a.uid).attributes == {frame_type.uid: identity}
    # required off, a description, then the attribute itself with its values
    dlg.attrs.setCurrentRow(0)
    dlg.toggle_required()
    assert not seeded.codebook().attribute(frame_type.uid).required
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("Pick one.", True))
    dlg.describe_attribute()
    assert seeded.codebook().attribute(frame_type.uid).description == "Pick one."
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dlg.remove_attribute()
    assert seeded.codebook().attribute(frame_type.uid) is None
    assert seeded.get_annotation(a.uid).attributes == {}
    for _ in range(4):
        win.undo_stack.undo()
    attr = seeded.codebook().attribute(frame_type.uid)
    assert attr.required and attr.description == "The frame the passage applies."
    assert [v.name for v in attr.values][:2] == ["economic", "security"]
    security = attr.value_by_name("security").uid
    assert seeded.get_annotation(a.uid).attributes == {frame_type.uid: security}
