"""Suggestions in the window: an analyst clears a seed article's suggestions from the
keyboard alone (Tab, Enter, Backspace), and the store holds what was decided; undo takes
a decision back; Shift+Enter accepts one actor's; hiding; learning an alias; an undated
article's date asks for its value."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from window_fixtures import make_window, select_cp, window_on_article

from helpers import find
from helpers import store_suggestions as _store_suggestions
from stancemark.core.suggest import AliasMatcher, suggest

SHIFT = Qt.KeyboardModifier.ShiftModifier


def _settle(qtbot, win):
    """Until the suggestions of the open article are computed (after the first paint)."""
    qtbot.waitUntil(lambda: win.suggestions.article_uid == win.current_article_uid(),
                    timeout=5000)


@pytest.fixture
def win(qtbot, seeded, tmp_path):
    w = window_on_article(qtbot, seeded, tmp_path, title_start="Pompeo")
    w.resize(1280, 720)
    _settle(qtbot, w)
    return w


def test_an_article_is_cleared_with_tab_enter_and_backspace_only(qtbot, win, seeded):
    art = win.view.article
    text = win.view.text
    before = _store_suggestions(seeded, art)
    assert len(before) > 20 and {s.kind for s in before} == {"actor", "date"}
    assert all(s.date_value for s in before if s.kind == "date")  # a dated article
    assert [s.key for s in win.suggestions.items] == [s.key for s in before]
    assert f"{len(before)} suggestion(s) here" in win.suggestion_label.text()

    qtbot.keyClick(text, Qt.Key.Key_Tab)
    assert win.suggestions.pos == 0
    assert win.suggestion_label.text().startswith(f"suggestion 1 of {len(before)}: ")
    assert win.view.selection_span() == (before[0].start, before[0].end)
    accepted, rejected = [], []
    for n in range(len(before)):
        current = win.suggestions.current()
        assert current is not None and current.key == before[n].key, (n, [s.key for s in before[:n+2]])  # moved on by itself
        if n % 4 == 3:  # every fourth one is rejected, the others accepted
            qtbot.keyClick(text, Qt.Key.Key_Backspace)
            assert "NOT" not in win.saved_label.text(), win.saved_label.text()
            rejected.append(current)
        else:
            qtbot.keyClick(text, Qt.Key.Key_Return)
            accepted.append(current)
    assert win.suggestions.items == [] and win.suggestions.current() is None
    assert win.suggestion_label.text() == "No suggestions left in this article"
    assert text.hasFocus()  # Tab never took the focus out of the text

    # The store: the accepted ones are annotations with their actor or date value ...
    mine = seeded.list_annotations(art.uid, [seeded.annotator.uid])
    stored = {(a.kind, a.start, a.end): a for a in mine}
    for s in accepted:
        a = stored[(s.kind, s.start, s.end)]
        assert a.quote == s.quote == art.text[s.start:s.end]
        if s.kind == "actor":
            assert a.actor_uid == s.actor_uid
        else:
            assert (a.date_value, a.date_granularity) == (s.date_value, s.date_granularity)
    assert len(mine) == len(accepted)
    decisions = seeded.suggestion_decisions(art.uid, seeded.annotator.uid)
    assert {d.key for d in decisions if d.decision == "accept"} == {s.key for s in accepted}
    assert all(d.annotation_uid in {a.uid for a in mine}
               for d in decisions if d.decision == "accept")
    # ... the rejected ones stored decisions, and nothing is left to suggest.
    assert seeded.rejected_suggestion_keys(art.uid) == {s.key for s in rejected}
    assert _store_suggestions(seeded, art) == []
    assert seeded.get_status(art.uid) == "in progress"

    # Undo (each decision one step): the last rejection, then the last acceptance.
    qtbot.keyClick(text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    back = {s.key for s in _store_suggestions(seeded, art)}
    last_accept = accepted[-1] if rejected[-1].start < accepted[-1].start else None
    undone_first = rejected[-1] if last_accept is None else accepted[-1]
    assert back == {undone_first.key}
    assert win.suggestions.current().key == undone_first.key  # it is the current one again
    assert "suggestion 1 of 1:" in win.suggestion_label.text()
    seeded_undo = win.undo_stack
    seeded_undo.undo()
    assert len(_store_suggestions(seeded, art)) == 2
    assert len(win.suggestions.items) == 2
    # Redo both: the same rows again, nothing left.
    seeded_undo.redo()
    seeded_undo.redo()
    assert _store_suggestions(seeded, art) == []
    assert win.suggestions.items == []


def test_undo_of_an_accept_removes_the_annotation_and_the_decision(qtbot, win, seeded):
    art = win.view.article
    text = win.view.text
    qtbot.keyClick(text, Qt.Key.Key_Tab)
    first = win.suggestions.current()
    qtbot.keyClick(text, Qt.Key.Key_Return)
    [a] = seeded.list_annotations(art.uid)
    [d] = seeded.suggestion_decisions(art.uid)
    assert (a.start, d.decision, d.annotation_uid) == (first.start, "accept", a.uid)
    assert win.undo_stack.count() == 1  # one step for both
    win.undo_stack.undo()
    assert seeded.list_annotations(art.uid) == []
    assert seeded.suggestion_decisions(art.uid) == []
    assert seeded.suggestion_decisions(art.uid, include_deleted=True)[0].uid == d.uid
    assert win.suggestions.current().key == first.key
    assert len(win.inspector.model.items) == 0


def test_shift_enter_accepts_every_suggestion_of_the_actor_in_one_step(qtbot, win, seeded):
    text = win.view.text
    qtbot.keyClick(text, Qt.Key.Key_Tab)
    while win.suggestions.current().kind != "actor":
        qtbot.keyClick(text, Qt.Key.Key_Tab)
    actor = win.suggestions.current().actor_uid
    same = [s for s in win.suggestions.items if s.actor_uid == actor]
    assert len(same) > 1
    qtbot.keyClick(text, Qt.Key.Key_Return, SHIFT)
    assert win.undo_stack.count() == 1
    tagged = seeded.list_annotations(win.current_article_uid())
    assert sorted((a.start, a.actor_uid) for a in tagged) == [(s.start, actor) for s in same]
    assert not any(s.actor_uid == actor for s in win.suggestions.items)
    win.undo_stack.undo()
    assert seeded.list_annotations(win.current_article_uid()) == []
    assert len([s for s in win.suggestions.items if s.actor_uid == actor]) == len(same)


def test_shift_tab_goes_back_and_a_manual_tag_settles_what_it_covers(qtbot, win):
    text = win.view.text
    items = win.suggestions.items
    qtbot.keyClick(text, Qt.Key.Key_Tab)
    qtbot.keyClick(text, Qt.Key.Key_Tab)
    assert win.suggestions.pos == 1
    qtbot.keyClick(text, Qt.Key.Key_Backtab, SHIFT)
    assert win.suggestions.pos == 0
    qtbot.keyClick(text, Qt.Key.Key_Backtab, SHIFT)
    assert win.suggestions.pos == len(items) - 1  # round to the last
    first = next(s for s in win.suggestions.items if s.kind == "actor")
    select_cp(win, first.start, first.end)
    qtbot.keyClick(text, Qt.Key.Key_A)
    qtbot.keyClick(win.tagger.popup.name, Qt.Key.Key_Return)
    assert first.key not in {s.key for s in win.suggestions.items}
    # the outlines drawn are still exactly the suggestions left (removed in place)
    marks, offsets = win.view.text.marks, win.view.index.offsets
    assert marks.spans == [(offsets.to_utf16(s.start), offsets.to_utf16(s.end))
                           for s in win.suggestions.items]
    assert marks.dashed == [s.kind == "date" for s in win.suggestions.items]
    assert marks.current == win.suggestions.pos


def test_tags_by_hand_leave_the_suggestions_as_a_fresh_setting_of_them(qtbot, win, seeded):
    """A tag deletes the suggestions it settles in place: the lists kept in step (starts,
    outlines, current) are then what setting the remaining suggestions afresh builds, and
    the suggestions are what the store alone still suggests."""
    sugg, marks = win.suggestions, win.view.text.marks
    qtbot.keyClick(win.view.text, Qt.Key.Key_Tab)  # a current one, kept across the tags
    qtbot.keyClick(win.view.text, Qt.Key.Key_Tab)
    actors = [s for s in sugg.items if s.kind == "actor"]
    for s in (actors[-1], actors[0]):  # after the current one, then before it
        before = len(sugg.items)
        select_cp(win, s.start, s.end)
        qtbot.keyClick(win.view.text, Qt.Key.Key_A)
        qtbot.keyClick(win.tagger.popup.name, Qt.Key.Key_Return)
        assert len(sugg.items) == before - 1
        kept = (list(sugg._starts), sugg.pos, list(marks.spans), list(marks.dashed),
                list(marks._starts), marks.current)
        longest = sugg._longest
        current = sugg.current()
        sugg._set_items(list(sugg.items), current.start if current is not None else None)
        assert kept == (list(sugg._starts), sugg.pos, list(marks.spans), list(marks.dashed),
                        list(marks._starts), marks.current)
        assert longest >= sugg._longest  # a bound for the bisection, as it must be
    assert [x.key for x in sugg.items] == \
        [x.key for x in _store_suggestions(seeded, win.view.article)]


def test_hidden_suggestions_leave_the_keys_alone(qtbot, win):
    text = win.view.text
    assert win.suggestions.toggle.isChecked()
    win.suggestions.toggle.trigger()  # View ▸ Suggestions, Ctrl+Shift+G
    assert not text.marks.visible
    assert "hidden" in win.suggestion_label.text()
    qtbot.keyClick(text, Qt.Key.Key_Backspace)
    assert win.suggestions.pos is None and win.undo_stack.count() == 0
    assert win.settings.value("suggestions") in (False, "false")
    qtbot.keyClick(text, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier | SHIFT)
    assert win.suggestions.toggle.isChecked()
    assert text.marks.visible and len(text.marks.spans) == len(win.suggestions.items)


def test_the_view_menu_lists_the_keys(win):
    texts = [a.text() for a in win.menus["suggestions"].actions()]
    assert "Show &suggestions" in texts
    for keys in ("\tTab", "\tShift+Tab", "\tEnter", "\tBackspace", "\tShift+Enter"):
        assert any(t.endswith(keys) for t in texts), keys


def test_tagging_a_new_name_offers_it_as_an_alias(qtbot, win, seeded):
    text = win.view.text
    art = win.view.article
    start, end = find(art.text, "Taiwanese")
    select_cp(win, start, end)
    qtbot.keyClick(text, Qt.Key.Key_A)
    popup = win.tagger.popup
    popup.name.setText("Taiwan")
    qtbot.keyClick(popup.name, Qt.Key.Key_Return)
    taiwan = next(a for a in seeded.list_actors() if a.name == "Taiwan")
    assert "Taiwanese" not in taiwan.aliases
    assert win.suggestions.offer == (taiwan.uid, "Taiwanese")
    assert win.suggestions.alias_button.isVisible()
    assert not any(s.quote == "Taiwanese" for s in win.suggestions.items)
    qtbot.keyClick(text, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | SHIFT)
    assert "Taiwanese" in seeded.get_actor(taiwan.uid).aliases
    assert not win.suggestions.alias_button.isVisible()
    # the other “Taiwanese” of the article are proposed now
    qtbot.waitUntil(lambda: any(s.quote == "Taiwanese" and s.actor_uid == taiwan.uid
                                for s in win.suggestions.items), timeout=3000)
    win.undo_stack.undo()  # the alias goes again
    assert "Taiwanese" not in seeded.get_actor(taiwan.uid).aliases


def test_a_name_already_known_offers_nothing(qtbot, win):
    start, end = find(win.view.article.text, "Pompeo")
    select_cp(win, start, end)
    qtbot.keyClick(win.view.text, Qt.Key.Key_A)
    qtbot.keyClick(win.tagger.popup.name, Qt.Key.Key_Return)
    assert win.suggestions.offer is None and not win.suggestions.alias_button.isVisible()


def test_a_muted_alias_is_not_proposed(qtbot, seeded, tmp_path):
    from stancemark.core.model import new_uid
    from stancemark.core.suggest.learning import MUTE_MIN_REJECTED
    from stancemark.core.suggestion_decisions import SuggestionDecision

    art = next(a for a in seeded.iter_articles() if a.title.startswith("Pompeo"))
    names = [(a.uid, n) for a in seeded.list_actors() for n in (a.name, *a.aliases)]
    s = next(x for x in suggest(art.text, AliasMatcher(names), art.published)
             if x.kind == "actor")
    for _ in range(MUTE_MIN_REJECTED):  # rejected in other articles, as often as that
        other = next(a for a in seeded.iter_articles() if a.uid != art.uid)
        seeded.record_suggestion_decision(SuggestionDecision(
            new_uid(), other.uid, "", "actor", 0, 1, "reject", s.actor_uid, None, s.alias))
    win = window_on_article(qtbot, seeded, tmp_path, title_start="Pompeo")
    _settle(qtbot, win)
    assert not any(x.alias == s.alias for x in win.suggestions.items)


def test_an_undated_article_asks_for_the_value_and_says_why(qtbot, seeded, tmp_path):
    art = next(a for a in seeded.iter_articles() if a.title.startswith("Pompeo"))
    seeded.update_article(art.uid, published="")
    win = window_on_article(qtbot, seeded, tmp_path, title_start="Pompeo")
    _settle(qtbot, win)
    text = win.view.text
    qtbot.keyClick(text, Qt.Key.Key_Tab)
    while not (win.suggestions.current().kind == "date"
               and not win.suggestions.current().date_value):
        qtbot.keyClick(text, Qt.Key.Key_Tab)
    s = win.suggestions.current()
    assert "no value" in win.suggestion_label.text()
    qtbot.keyClick(text, Qt.Key.Key_Return)
    popup = win.suggestions.popup
    assert popup is not None and "This article has no date" in popup.note.text()
    assert seeded.suggestion_decisions(art.uid) == []  # nothing until the value is given
    popup.value.setText("2021-01-09")
    qtbot.keyClick(popup.value, Qt.Key.Key_Return)
    [a] = seeded.list_annotations(art.uid)
    assert (a.start, a.date_value, a.date_granularity) == (s.start, "2021-01-09", "day")
    [d] = seeded.suggestion_decisions(art.uid)
    assert d.key == s.key and d.decision == "accept"


def test_suggestions_wait_for_the_first_paint(qtbot, seeded, tmp_path):
    win = make_window(qtbot, seeded, tmp_path)
    uid = next(r.uid for r in seeded.list_articles() if r.title.startswith("Pompeo"))
    win.open_article(uid)
    # Opening computes nothing: the suggestions come in the event loop's next turn.
    assert win.suggestions.article_uid is None and win.view.text.marks.spans == []
    _settle(qtbot, win)
    assert win.view.text.marks.spans


def test_stance_holder_defaults_from_tags_and_suggestions(qtbot, win, seeded):
    """No tag at all: the holder still defaults, from the suggested mentions."""
    art = win.view.article
    start, end = find(art.text, "announced")
    select_cp(win, start, end)
    qtbot.keyClick(win.view.text, Qt.Key.Key_S)
    assert win.tagger.popup.holder.text() == "Mike Pompeo"


def test_backspace_in_the_text_never_trashes_the_selected_tag(qtbot, win, seeded):
    """The inspector's Del / Backspace act while its table has the focus only (they were
    window-wide: Backspace in the text, which rejects a suggestion, trashed its rows)."""
    text = win.view.text
    qtbot.keyClick(text, Qt.Key.Key_Tab)
    qtbot.keyClick(text, Qt.Key.Key_Return)
    [a] = seeded.list_annotations(win.current_article_uid())
    win.inspector.select(a.uid)
    text.setFocus()
    win.suggestions.toggle.trigger()  # hidden: Backspace is the text's own again
    qtbot.keyClick(text, Qt.Key.Key_Backspace)
    assert seeded.get_annotation(a.uid).deleted_at is None
    win.inspector.table.setFocus()
    qtbot.keyClick(win.inspector.table, Qt.Key.Key_Backspace)
    assert seeded.get_annotation(a.uid).deleted_at is not None


def test_stance_target_defaults_to_the_holders_commonest_topic(qtbot, seeded, tmp_path):
    from stancemark.core.model import Annotation

    art = next(a for a in seeded.iter_articles() if a.title.startswith("Pompeo"))
    pompeo = next(a.uid for a in seeded.list_actors() if a.name == "Mike Pompeo")
    topics = seeded.list_topics()
    start, end = find(art.text, "will lift restrictions")
    for topic in (topics[0], topics[1], topics[1]):  # topics[1] twice: the commonest
        seeded.add_annotation(Annotation("", art.uid, seeded.annotator.uid, "stance", start,
                                         end, art.text[start:end], holder_uid=pompeo,
                                         target_topic_uid=topic.uid, polarity="support"))
    win = window_on_article(qtbot, seeded, tmp_path, title_start="Pompeo")
    _settle(qtbot, win)
    start, end = find(art.text, "announced")
    select_cp(win, start, end)
    qtbot.keyClick(win.view.text, Qt.Key.Key_S)
    assert win.tagger.popup.holder.text() == "Mike Pompeo"
    assert win.tagger.popup.target.text() == topics[1].name


def test_nothing_is_read_after_the_window_closes_or_its_store_does(qtbot, seeded, tmp_path):
    win = make_window(qtbot, seeded, tmp_path)
    uid = next(r.uid for r in seeded.list_articles() if r.title.startswith("Pompeo"))
    win.open_article(uid)
    win.close()
    assert not win.suggestions._timer.isActive()
    win.show()
    win.open_article(uid)
    seeded.close()  # a store closed under the window: its pending work reads nothing
    qtbot.wait(50)  # the idle step runs (an error in it would fail the test)
    assert win.suggestions.article_uid is None


def _long_article(seeded):
    """The Pompeo article's paragraphs over and over (past twice the first screen), with
    some of its names tagged, dated like it."""
    from stancemark.core.model import Annotation

    pompeo = next(a for a in seeded.iter_articles() if a.title.startswith("Pompeo"))
    text = (pompeo.text.rstrip("\n") + "\n") * 12
    art, _ = seeded.add_article(text, "Long Pompeo", published=pompeo.published)
    china = next(a.uid for a in seeded.list_actors() if a.name == "China")
    me = seeded.annotator.uid
    at = 0
    while (at := text.find("China", at + 1)) >= 0:
        if at % 3:  # some tagged, some left to suggest
            seeded.add_annotation(Annotation("", art.uid, me, "actor", at, at + 5, "China",
                                             actor_uid=china))
    return art


def test_a_long_articles_first_screen_is_drawn_first_and_exact(qtbot, seeded, tmp_path,
                                                               monkeypatch):
    """The first screen's suggestions are drawn in the first turn after opening; the whole
    article's follow before the window has loaded the rest of its tags (settled by the
    tags in the store); those of the first screen are exactly the whole article's that
    start there."""
    from PySide6.QtCore import QCoreApplication

    from stancemark.ui.window import main_window

    art = _long_article(seeded)
    monkeypatch.setattr(main_window, "EAGER_SPANS", 10)  # its tags load in two steps
    win = make_window(qtbot, seeded, tmp_path)
    first_screen = win.suggestions.first_screen
    assert len(art.text) > 2 * first_screen
    tags = len(seeded.list_annotations(art.uid))
    loaded_then: list[int] = []
    win.suggestions.computed.connect(lambda _uid: loaded_then.append(len(win.inspector.model.items)))
    win.open_article(art.uid)
    assert win.view.text.marks.spans == []
    win.suggestions._first_screen()  # the first of the posted steps
    assert win.suggestions.article_uid is None  # not the whole article's yet
    first = list(win.suggestions.items)
    assert first and len(win.view.text.marks.spans) == len(first)
    QCoreApplication.sendPostedEvents()  # the rest of the posted work; not the idle timer
    assert loaded_then and loaded_then[0] < tags  # before the rest of the tags were loaded
    assert win.suggestions.article_uid == art.uid and len(win.inspector.model.items) == tags
    cut = art.text.rfind("\n", 0, first_screen) + 1
    whole = win.suggestions.items
    assert first == [s for s in whole if s.start < cut] and len(whole) > len(first)
    assert whole == _store_suggestions(seeded, art)
    assert len(win.view.text.marks.spans) == len(whole)


def test_a_first_screen_of_an_article_no_longer_open_is_dropped(qtbot, seeded, tmp_path):
    art = _long_article(seeded)
    win = make_window(qtbot, seeded, tmp_path)
    win.open_article(art.uid)
    other = next(r.uid for r in seeded.list_articles() if r.title.startswith("Pompeo"))
    win.open_article(other)  # before the long one's first screen ran
    win.suggestions._first_screen()
    assert win.suggestions.items == [] and win.view.text.marks.spans == []
    _settle(qtbot, win)
    assert win.suggestions.items == _store_suggestions(seeded, win.view.article)
