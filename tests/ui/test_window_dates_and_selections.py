"""Date proposals and selections in the real window (issue: the everyday path).

A weekday on the article's own weekday is that day; a future-tense weekday is ahead of
the article; an undated article never resolves "yesterday" against the clock; a date's
granularity follows its value; Chinese dates resolve; CJK/Arabic punctuation and a
possessive are trimmed from a selection, so "Taipei’s" finds the alias Taipei -> Taiwan.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from window_fixtures import drag_select, make_window, select_cp

from helpers import find

MONDAY_TEXT = ("Leaders met in Taipei’s presidential office and on Monday pledged closer ties. "
               "The two sides will meet on Thursday in Paris, officials said on Tuesday.")
UNDATED_TEXT = "Officials said yesterday that talks held on May 20, 2024 had failed."
CHINESE_TEXT = "外交部表示，北京将于2024年5月20日举行会谈。去年八月，双方曾会面。"


@pytest.fixture
def win(qtbot, repo, tmp_path):
    repo.add_actor("Taiwan", "state", aliases=["Taipei"])
    repo.add_actor("China", "state", aliases=["北京", "Beijing"])
    repo.add_article(MONDAY_TEXT, "Monday article", published="2024-05-20")
    repo.add_article(UNDATED_TEXT, "Undated article")
    repo.add_article(CHINESE_TEXT, "Chinese article", published="2024-05-20", language="zh")
    return make_window(qtbot, repo, tmp_path)


def open_titled(win, title: str) -> str:
    uid = next(r.uid for r in win.repo.list_articles() if r.title == title)
    win.open_article(uid)
    return win.view.article.text


def date_popup(qtbot, win, start: int, end: int):
    select_cp(win, start, end)
    qtbot.keyClick(win.view.text, Qt.Key.Key_D)
    return win.tagger.popup


def test_weekday_on_the_articles_own_weekday_and_future_tense(qtbot, win):
    text = open_titled(win, "Monday article")
    popup = date_popup(qtbot, win, *find(text, "on Monday"))
    assert popup.value.text() == "2024-05-20"  # the article's Monday, not the week before
    qtbot.keyClick(popup.value, Qt.Key.Key_Return)
    popup = date_popup(qtbot, win, *find(text, "Thursday"))
    assert popup.value.text() == "2024-05-23"  # "will meet on Thursday": ahead
    popup.reject()
    popup = date_popup(qtbot, win, *find(text, "Tuesday"))
    assert popup.value.text() == "2024-05-14"  # "said on Tuesday": the current week's
    popup.reject()
    [a] = win.repo.list_annotations(win.current_article_uid())
    assert (a.date_value, a.date_granularity) == ("2024-05-20", "day")


def test_undated_article_says_so_and_leaves_relative_dates_empty(qtbot, win):
    text = open_titled(win, "Undated article")
    popup = date_popup(qtbot, win, *find(text, "yesterday"))
    assert popup.value.text() == ""
    assert popup.note.isVisible() and "has no date" in popup.note.text()
    qtbot.keyClick(popup.value, Qt.Key.Key_Return)  # nothing to save: refused
    assert popup.isVisible() and "not an ISO 8601 date" in popup.error.text()
    popup.reject()
    popup = date_popup(qtbot, win, *find(text, "May 20, 2024"))  # absolute: still resolves
    assert (popup.value.text(), popup.note.isVisible()) == ("2024-05-20", False)
    qtbot.keyClick(popup.value, Qt.Key.Key_Return)
    [a] = win.repo.list_annotations(win.current_article_uid())
    assert a.date_value == "2024-05-20"


def test_granularity_contradicting_the_value_is_refused(qtbot, win):
    text = open_titled(win, "Monday article")
    popup = date_popup(qtbot, win, *find(text, "on Monday"))
    popup.granularity.setCurrentText("month")  # "2024-05-20 (month)"
    qtbot.keyClick(popup.value, Qt.Key.Key_Return)
    assert popup.isVisible()
    assert popup.error.text() == ("“2024-05-20” is a day, not a month: "
                                  "change the value or pick day.")
    popup.value.selectAll()
    qtbot.keyClicks(popup.value, "2024-05")  # typing the value moves the granularity along
    assert popup.granularity.currentText() == "month"
    qtbot.keyClick(popup.value, Qt.Key.Key_Return)
    [a] = win.repo.list_annotations(win.current_article_uid())
    assert (a.date_value, a.date_granularity) == ("2024-05", "month")
    # The inspector refuses the same contradiction, in one line, and stores nothing.
    win.inspector.select(a.uid)
    editor = win.inspector.editor
    editor.granularity.setCurrentText("day")
    qtbot.mouseClick(editor.apply, Qt.MouseButton.LeftButton)
    assert editor.error.text() == "“2024-05” is a month, not a day: change the value or pick month."
    assert "\n" not in editor.error.text()
    assert win.repo.get_annotation(a.uid).date_granularity == "month"
    editor.date_value.selectAll()
    qtbot.keyClicks(editor.date_value, "2024-05-21")
    assert editor.granularity.currentText() == "day"
    qtbot.keyClick(editor.date_value, Qt.Key.Key_Return)
    b = win.repo.get_annotation(a.uid)
    assert (b.date_value, b.date_granularity) == ("2024-05-21", "day")


def test_chinese_dates_and_full_width_punctuation(qtbot, win):
    text = open_titled(win, "Chinese article")
    popup = date_popup(qtbot, win, *find(text, "2024年5月20日"))
    assert (popup.value.text(), popup.granularity.currentText()) == ("2024-05-20", "day")
    popup.reject()
    popup = date_popup(qtbot, win, *find(text, "去年八月"))
    assert (popup.value.text(), popup.granularity.currentText()) == ("2023-08", "month")
    popup.reject()
    # "，北京": the full-width comma is trimmed and the alias 北京 -> China is offered.
    s, e = find(text, "，北京")
    select_cp(win, s, e)
    qtbot.keyClick(win.view.text, Qt.Key.Key_A)
    popup = win.tagger.popup
    assert popup.name.text() == "China"
    qtbot.keyClick(popup.name, Qt.Key.Key_Return)
    [a] = win.repo.list_annotations(win.current_article_uid())
    assert (a.quote, a.start) == ("北京", s + 1)


def test_possessive_is_trimmed_so_the_alias_is_offered(qtbot, win):
    text = open_titled(win, "Monday article")
    s, e = find(text, "Taipei’s")
    drag_select(qtbot, win, s, e)  # dragged over the whole word, ’s included
    qtbot.keyClick(win.view.text, Qt.Key.Key_A)
    popup = win.tagger.popup
    assert popup.name.text() == "Taiwan"  # the alias Taipei, not a new actor "Taipei’s"
    qtbot.keyClick(popup.name, Qt.Key.Key_Return)
    [a] = win.repo.list_annotations(win.current_article_uid())
    assert a.quote == "Taipei" and win.repo.get_actor(a.actor_uid).name == "Taiwan"


def test_register_name_ending_in_possessive_keeps_it(qtbot, win):
    win.repo.add_actor("Macy’s", "organisation")
    win.cache.reload()
    win.repo.add_article("Shoppers left Macy’s early.", "Shop", published="2024-05-20")
    text = open_titled(win, "Shop")
    s, e = find(text, "Macy’s")
    select_cp(win, s, e)
    qtbot.keyClick(win.view.text, Qt.Key.Key_A)
    popup = win.tagger.popup
    assert popup.name.text() == "Macy’s"
    qtbot.keyClick(popup.name, Qt.Key.Key_Return)
    [a] = win.repo.list_annotations(win.current_article_uid())
    assert a.quote == "Macy’s"
