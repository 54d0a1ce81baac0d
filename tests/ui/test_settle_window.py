"""`stancemark settle` against the real window: the same decisions made from the command
line and with review mode's keys leave the same records (decision rows, gold
annotations and their meta, audit entries); and review mode takes a decision made from
the command line back (Reopen, key O), undoable with Ctrl+Z."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
from PySide6.QtCore import Qt
from window_fixtures import make_window

from review_data import ART1, merged_store
from stancemark.cli import main
from stancemark.store import Repository, open_store


@pytest.fixture
def stores(tmp_path):
    merged_store(tmp_path).close()
    for name in ("cli", "win"):
        shutil.copyfile(tmp_path / "rev.sqlite", tmp_path / f"{name}.sqlite")
    return tmp_path / "cli.sqlite", tmp_path / "win.sqlite"


def settle(store, *words: str) -> None:
    assert main(["--store", str(store), "--annotator", "rev", "settle", *words]) == 0


def unit_name(store, quote: str) -> str:
    conn = sqlite3.connect(store)
    try:
        start, end = conn.execute("SELECT min(start), max(\"end\") FROM annotations WHERE quote = ?",
                                  [quote]).fetchone()
    finally:
        conn.close()
    return f"{ART1[:8]}:actor:{start}-{end}"


def records(store) -> dict:
    """What a decision leaves, without the values that differ by nature (uids, times)."""
    conn = sqlite3.connect(store)
    try:
        decisions = sorted(conn.execute(
            "SELECT d.article_uid, d.kind, d.start, d.\"end\", d.decision, d.source_uids, "
            "d.chosen_annotator_uid, d.gold_uid IS NOT NULL, d.reviewer_uid, d.note "
            "FROM review_decisions d").fetchall())
        gold = []
        for row in conn.execute(
                "SELECT a.kind, a.start, a.\"end\", a.quote, a.actor_id, a.polarity, a.meta "
                "FROM annotations a JOIN annotators n ON n.id = a.annotator_id "
                "WHERE n.is_gold = 1 ORDER BY a.start"):
            meta = json.loads(row[-1])
            meta.pop("decision")  # the decision's uid
            gold.append((*row[:-1], meta))
        audit = conn.execute(
            "SELECT action, entity FROM audit_log WHERE entity IN ('annotation', "
            "'review_decision') ORDER BY id").fetchall()
        gold_annotator = conn.execute(
            "SELECT name, colour, is_gold FROM annotators WHERE is_gold = 1").fetchall()
        return {"decisions": decisions, "gold": gold, "audit": audit,
                "gold_annotator": gold_annotator}
    finally:
        conn.close()


def review_window(qtbot, store, tmp_path):
    repo = Repository(open_store(store), "rev")
    w = make_window(qtbot, repo, tmp_path, store)
    w.open_article(ART1)
    w.review.toggle.trigger()
    qtbot.waitUntil(w.review.dock.isVisible, timeout=3000)
    return w, repo


def row_of(panel, quote: str) -> int:
    return next(r for r in range(panel.list.count()) if f"“{quote}”" in panel.list.item(r).text())


def test_command_line_decisions_are_the_windows(qtbot, stores, tmp_path):
    cli, win = stores
    settle(cli, "accept", "ben", unit_name(cli, "Taipei"))
    settle(cli, "reject", unit_name(cli, "China"))
    settle(cli, "agreed", "--article", ART1)

    w, repo = review_window(qtbot, win, tmp_path)
    panel = w.review.panel
    panel.list.setFocus()
    panel.list.setCurrentRow(row_of(panel, "Taipei"))
    qtbot.keyClick(panel.list, Qt.Key.Key_2)  # Ben's version
    panel.list.setCurrentRow(row_of(panel, "China"))
    qtbot.keyClick(panel.list, Qt.Key.Key_R)
    assert panel.accept_agreed() == 1
    repo.close()

    got, want = records(cli), records(win)
    assert len(got["decisions"]) == 3 and len(got["gold"]) == 2
    assert got == want


def test_the_window_reopens_a_decision_made_on_the_command_line(qtbot, stores, tmp_path):
    cli, _ = stores
    settle(cli, "accept", "ben", unit_name(cli, "Taipei"))
    settle(cli, "agreed", "--article", ART1)
    before = records(cli)
    w, repo = review_window(qtbot, cli, tmp_path)
    panel = w.review.panel
    gold = repo.annotator_by_name("gold")
    kept = {a.uid for a in repo.list_annotations(ART1, [gold.uid])}
    assert len(kept) == 2
    for quote in ("Taipei", "Beijing"):  # a unit to review, and an agreed one
        row = row_of(panel, quote)
        assert panel.list.item(row).text().startswith("✓")
        panel.list.setCurrentRow(row)
        panel.list.setFocus()
        qtbot.keyClick(panel.list, Qt.Key.Key_O)
    # Taipei is open again; Beijing, agreed and no longer decided, leaves the list.
    assert panel.list.item(row_of(panel, "Taipei")).text().startswith("≠")
    assert not any("“Beijing”" in panel.list.item(r).text() for r in range(panel.list.count()))
    assert repo.list_annotations(ART1, [gold.uid]) == []
    assert panel.review.decisions(ART1) == []
    w.undo_stack.undo()
    w.undo_stack.undo()
    assert {a.uid for a in repo.list_annotations(ART1, [gold.uid])} == kept  # same uids
    assert panel.list.item(row_of(panel, "Taipei")).text().startswith("✓")
    w.undo_stack.redo()
    assert len(repo.list_annotations(ART1, [gold.uid])) == 1
    w.undo_stack.undo()
    repo.close()
    after = records(cli)
    assert after["decisions"] == before["decisions"] and after["gold"] == before["gold"]
