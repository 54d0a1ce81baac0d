"""The window converts Qt's UTF-16 positions to code points in one place: a span after an
emoji, in CJK text and in Hebrew (right-to-left) text is stored with the right quote."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from window_fixtures import drag_select, make_window, select_cp

from helpers import find

TEXT = ("Reactions 😀🇹🇼 from Taipei came fast.\n"
        "日本政府は台湾との関係を強化すると発表した。\n"
        "שר החוץ של ישראל אמר כי הוא תומך בשיחות.\n"
        "Café au lait, naïve e\u0301tude by Beijing.\n")


@pytest.fixture
def win(qtbot, repo, tmp_path):
    art, _ = repo.add_article(TEXT, "Scripts", published="2024-05-01")
    repo.add_actor("Taipei", "government")
    w = make_window(qtbot, repo, tmp_path)
    w.open_article(art.uid)
    return w


@pytest.mark.parametrize("needle", ["Taipei", "台湾", "ישראל", "e\u0301tude"])
def test_keyboard_selection_stores_the_right_quote(qtbot, win, repo, needle):
    s, e = find(TEXT, needle)
    select_cp(win, s, e)
    qtbot.keyClick(win.view.text, Qt.Key.Key_A)
    popup = win.tagger.popup
    popup.name.setText("Taipei")
    qtbot.keyClick(popup.name, Qt.Key.Key_Return)
    [a] = repo.list_annotations(win.current_article_uid())
    assert (a.start, a.end, a.quote) == (s, e, needle)
    assert TEXT[a.start:a.end] == a.quote


def test_mouse_selection_after_emoji(qtbot, win, repo):
    s, e = find(TEXT, "Taipei")
    drag_select(qtbot, win, s, e)
    assert win.view.selection_span() == (s, e)
    qtbot.keyClick(win.view.text, Qt.Key.Key_A)
    qtbot.keyClick(win.tagger.popup.name, Qt.Key.Key_Return)
    [a] = repo.list_annotations(win.current_article_uid())
    assert a.quote == "Taipei" and (a.start, a.end) == (s, e)
    # the highlight sits on the same characters: UTF-16 segment after the 4 astral units
    block = win.view.index.segments(0)
    assert block[0][0] == len(TEXT[:s].encode("utf-16-le")) // 2


def test_cjk_selection_is_not_grown_to_the_whole_unspaced_run(win):
    # CJK has no spaces between words: growing "to the word" would take the sentence
    s, e = find(TEXT, "政府")
    select_cp(win, s, e)
    assert win.view.selection_span() == (s, e)
    s2, e2 = find(TEXT, "Tai")
    select_cp(win, s2, e2)  # Latin still snaps to the whole word
    assert TEXT.__getitem__(slice(*win.view.selection_span())) == "Taipei"


def test_selection_with_shift_and_arrow_keys(qtbot, win, repo):
    from PySide6.QtGui import QTextCursor
    from window_fixtures import utf16

    s, e = find(TEXT, "ישראל")
    edit = win.view.text
    c = QTextCursor(edit.document())
    c.setPosition(utf16(TEXT, s))
    edit.setTextCursor(c)
    # a right-to-left line: the Left arrow moves forward in the text
    for _ in range(len("ישראל")):
        qtbot.keyClick(edit, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert win.view.selection_span() is not None
    qtbot.keyClick(edit, Qt.Key.Key_A)
    popup = win.tagger.popup
    popup.name.setText("Taipei")
    qtbot.keyClick(popup.name, Qt.Key.Key_Return)
    [a] = repo.list_annotations(win.current_article_uid())
    assert a.quote == "ישראל" and (a.start, a.end) == (s, e)
