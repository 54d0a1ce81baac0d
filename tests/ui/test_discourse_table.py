"""The stance table: find every stance of one holder on one topic, open one in its
article, correct the polarity of five in one undoable step; the mention table; copy and
exports of the filtered rows."""

from __future__ import annotations

import csv
import json

from discourse_fixtures import discourse_store, stances_of
from PySide6.QtCore import Qt
from window_fixtures import make_window

from stancemark.core.stance_filter import StanceFilter


def open_discourse(qtbot, repo, tmp_path, store_path=None):
    from stancemark.ui.analysis.install import open_discourse as open_

    window = make_window(qtbot, repo, tmp_path, store_path)
    discourse = open_(window)
    qtbot.addWidget(discourse)
    # the table first; the network and the timeline on the next turn of the event loop
    qtbot.waitUntil(lambda: discourse.network.net is not None, timeout=5000)
    return window, discourse


def type_filter(qtbot, table, wait: bool = True, **fields) -> None:
    for name, value in fields.items():
        edit = getattr(table.filters, name)
        edit.clear()
        qtbot.keyClicks(edit, value)
    if wait:
        with qtbot.waitSignal(table.filter_changed, timeout=3000):
            pass  # the bar waits for a pause in typing, then filters


def rows(table) -> list:
    return [table.model.row_at(r) for r in range(table.model.rowCount())]


def test_find_open_and_correct_five_in_one_step(qtbot, repo, tmp_path, monkeypatch):
    data = discourse_store(repo)
    china, topic = data["china"], data["topic"]
    want = stances_of(repo, china.uid, topic.uid)
    assert len(want) >= 6
    window, discourse = open_discourse(qtbot, repo, tmp_path)
    table = discourse.stances
    total = table.model.total

    # find: the holder by an alias, the topic by part of its name
    type_filter(qtbot, table, holder="Beijing", target="reunif")
    shown = rows(table)
    assert {r.uid for r in shown} == {a.uid for a in want}
    assert {(r.holder, r.target) for r in shown} == {("China", "Reunification")}
    assert table.count_label.text().startswith(f"{len(want)} stances")
    assert total > len(want)

    # open one: its article in the main window, the span selected there
    first = shown[0]
    discourse.activateWindow()
    qtbot.waitUntil(discourse.isActiveWindow, timeout=3000)
    table.view.setFocus()
    table.view.setCurrentIndex(table.model.index(0, 0))
    qtbot.keyClick(table.view, Qt.Key.Key_Return)
    assert window.current_article_uid() == first.article_uid
    assert window.view.selection_span() == (first.start, first.end)
    assert window.inspector.selected_uids() == [first.uid]

    # correct five: Edit selected…, polarity support, one undo step
    table.select_rows([0, 1, 2, 3, 4])
    five = [r.uid for r in shown[:5]]
    before = [r.polarity for r in shown[:5]]
    steps = window.undo_stack.count()
    from stancemark.ui.analysis.edit_dialog import MultiEditDialog

    def fill_and_accept(dialog):
        dialog.polarity.setCurrentIndex(dialog.polarity.findData("support"))
        dialog._accept()
        return dialog.result() == 1

    monkeypatch.setattr(MultiEditDialog, "exec", fill_and_accept)
    assert table.edit_selected()
    assert window.undo_stack.count() == steps + 1
    assert "5 stances" in window.undo_stack.undoText()
    assert [repo.get_annotation(u).polarity for u in five] == ["support"] * 5
    for u, old in zip(five, before, strict=True):  # each change in the audit log
        entry = repo.history(u)[-1]
        assert (entry.action, entry.before["polarity"], entry.after["polarity"]) == (
            "update", old, "support")
    # the table follows the change record
    qtbot.waitUntil(lambda: [table.model.row_at(r).polarity for r in range(5)]
                    == ["support"] * 5, timeout=3000)
    assert table.model.row_at(5).polarity == shown[5].polarity
    # one undo puts all five back
    window.undo_stack.undo()
    assert [repo.get_annotation(u).polarity for u in five] == before
    qtbot.waitUntil(lambda: [table.model.row_at(r).polarity for r in range(5)] == before,
                    timeout=3000)


def test_a_bad_filter_says_why_and_keeps_the_rows(qtbot, repo, tmp_path):
    discourse_store(repo)
    _, discourse = open_discourse(qtbot, repo, tmp_path)
    table = discourse.stances
    before = table.model.total
    type_filter(qtbot, table, wait=False, date_from="2021-13")
    qtbot.waitUntil(lambda: "not an ISO date" in table.error.text(), timeout=3000)
    assert table.model.total == before


def test_sorting_and_the_date_filter(qtbot, repo, tmp_path):
    discourse_store(repo)
    _, discourse = open_discourse(qtbot, repo, tmp_path)
    table = discourse.stances
    holder = [c.title for c in table.model.columns].index("Holder")
    table.view.sortByColumn(holder, Qt.SortOrder.AscendingOrder)
    names = [r.holder for r in rows(table)]
    assert names == sorted(names, key=str.casefold)
    type_filter(qtbot, table, date_from="2021", date_to="2021")
    assert rows(table) and all(r.date.startswith("2021") for r in rows(table))


def test_mentions_table_relinks_actors(qtbot, repo, tmp_path, monkeypatch):
    from stancemark.core.model import Annotation

    discourse_store(repo)
    art = repo.get_article(repo.list_articles()[0].uid)
    wrong = next(a for a in repo.list_actors() if a.name == "Xi Jinping")
    right = next(a for a in repo.list_actors() if a.name == "Donald Trump")
    start = art.text.index("Trump")
    repo.add_annotation(Annotation("", art.uid, repo.annotator.uid, "actor", start, start + 5,
                                   "Trump", actor_uid=wrong.uid))
    window, discourse = open_discourse(qtbot, repo, tmp_path)
    mentions = discourse.mentions
    type_filter(qtbot, mentions, holder="Xi Jinping", quote="Trump")
    (row,) = rows(mentions)
    assert (row.actor, row.quote) == ("Xi Jinping", "Trump")
    mentions.select_rows([0])
    assert mentions.apply_edit([0], {"actor_uid": right.uid})
    assert repo.get_annotation(row.uid).actor_uid == right.uid
    qtbot.waitUntil(lambda: mentions.model.total == 0, timeout=3000)


def test_copy_csv_and_export_of_the_filtered_rows(qtbot, repo, store_path, tmp_path):
    from PySide6.QtGui import QGuiApplication

    data = discourse_store(repo)
    window, discourse = open_discourse(qtbot, repo, tmp_path, store_path)
    table = discourse.stances
    type_filter(qtbot, table, holder="Beijing", target="reunif")
    n = table.model.total
    assert table.copy() == n
    lines = QGuiApplication.clipboard().text().splitlines()
    assert len(lines) == n + 1 and lines[0].startswith("uid\tarticle_uid")
    out = table.export_csv(tmp_path / "t.csv")
    with out.open(encoding="utf-8", newline="") as fh:
        got = list(csv.DictReader(fh))
    assert {r["uid"] for r in got} == {a.uid for a in stances_of(
        repo, data["china"].uid, data["topic"].uid)}
    # any format of File ▸ Export, with the same filter: only these stances go out
    from stancemark.ui.analysis.export import filtered_scope

    scope = filtered_scope(repo, table.current_filter(), "stance", "jsonl")
    runner = discourse.ctx.export("jsonl", tmp_path / "f.jsonl", scope, {})
    with qtbot.waitSignal(runner.finished, timeout=30_000) as blocker:
        pass
    assert blocker.args[1] == ""
    records = [json.loads(x) for x in (tmp_path / "f.jsonl").read_text().splitlines()]
    exported = [a for r in records if r["type"] == "article" for a in r["annotations"]]
    assert {a["uid"] for a in exported} == {r["uid"] for r in got}
    assert {a["kind"] for a in exported} == {"stance"}


def test_filter_is_the_cli_filter(qtbot, repo, tmp_path):
    """The table and `stancemark stances` read the same rows for the same filter."""
    from stancemark.store import stance_query as q

    discourse_store(repo)
    _, discourse = open_discourse(qtbot, repo, tmp_path)
    table = discourse.stances
    type_filter(qtbot, table, holder="trump", quote="Trump")
    assert [r.id for r in rows(table)] == list(q.stance_ids(
        repo, StanceFilter(holder="trump", quote="Trump")))
