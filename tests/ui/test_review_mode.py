"""Review mode in the real window: compare Ana and Ben, walk disagreements with N / P,
accept, edit, reject into gold, undo; the Agreement panel; File ▸ Merge."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from window_fixtures import make_window

from review_data import ART1, CHINA, merged_store
from stancemark.store import Repository, open_store
from stancemark.store.review import ReviewStore


@pytest.fixture
def rev(tmp_path):
    repo = merged_store(tmp_path)
    yield repo
    repo.close()


@pytest.fixture
def window(qtbot, rev, tmp_path):
    w = make_window(qtbot, rev, tmp_path, tmp_path / "rev.sqlite")
    w.open_article(ART1)
    w.review.toggle.trigger()  # Review ▸ Review mode
    qtbot.waitUntil(w.review.dock.isVisible, timeout=3000)
    return w


def _gold(repo):
    gold = repo.annotator_by_name("gold")
    return repo.list_annotations(ART1, [gold.uid]) if gold else []


def test_units_are_marked_and_walked_with_n_and_p(qtbot, window):
    panel = window.review.panel
    assert [window.repo.annotator_by_name(n).uid for n in ("ana", "ben")] == panel.annotator_uids
    # 4 units in the article: Beijing agrees; Trump (span), Taipei (actor) disagree;
    # China only Ana: 3 to review.
    assert [u.status for u in panel.units].count("agree") == 1
    assert panel.list.count() == 3
    texts = [panel.list.item(i).text() for i in range(3)]
    assert "differ: span" in texts[0] and "differ: actor" in texts[1] and "only ana" in texts[2]
    panel.list.setFocus()
    first = panel.current_unit()
    qtbot.keyClick(panel.list, Qt.Key.Key_N)
    assert panel.current_unit() is not first and panel.list.currentRow() == 1
    qtbot.keyClick(panel.list, Qt.Key.Key_N)
    qtbot.keyClick(panel.list, Qt.Key.Key_N)  # wraps to the first
    assert panel.list.currentRow() == 0
    qtbot.keyClick(panel.list, Qt.Key.Key_P)
    assert panel.list.currentRow() == 2
    # Each annotator's span is drawn in its annotator's colour, each unit to review marked.
    index = panel.view.index
    for unit in panel.units:
        for s in unit.spans:
            assert index.span(s.uid) == (s.start, s.end, ("ann", panel.colours[s.annotator]))
    marks = [index.span(f"unit:{i}") for i in range(len(panel.units))]
    assert [m[2][1] if m else None for m in marks].count("#D55E00") == 2  # disagreements
    assert panel.colours[panel.annotator_uids[0]] != panel.colours[panel.annotator_uids[1]]
    i = next(k for k, u in enumerate(panel.units) if "actor" in u.reasons)  # Taipei
    taipei = panel.units[i]
    tips = [panel.describe(s.uid) for s in taipei.spans]
    assert any("ana" in t and "actor Taiwan" in t for t in tips)
    assert any("ben" in t and "actor China" in t for t in tips)
    assert "differ: actor" in panel.describe(f"unit:{i}")


def test_accept_edit_reject_and_undo(qtbot, window):
    repo = window.repo
    panel = window.review.panel
    ana, ben = panel.annotator_uids
    # Taipei (row 1): accept Ben's version with key 2.
    panel.list.setCurrentRow(1)
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_2)
    (g,) = _gold(repo)
    assert g.quote == "Taipei" and g.actor_uid == CHINA
    assert g.meta["adjudicated_by"] == "rev" and len(g.meta["sources"]) == 2
    assert panel.list.item(1).text().startswith("✓")
    # Trump (row 0): Ana's version edited to Ben's narrower span.
    panel.list.setCurrentRow(0)
    src = repo.get_annotation(panel.version_of(ana))
    assert panel.edit(ana, {"start": src.start + 7})
    edited = next(a for a in _gold(repo) if a.quote == "Trump")
    assert edited.start == src.start + 7 and edited.actor_uid == src.actor_uid
    # China only Ana (row 2): reject with R.
    panel.list.setCurrentRow(2)
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_R)
    decisions = ReviewStore(repo).decisions(ART1)
    assert sorted(d.decision for d in decisions) == ["accept", "edit", "reject"]
    assert len(_gold(repo)) == 2
    assert panel.progress.text().startswith(
        "<b>4</b> unit(s): 1 agreed, <b>2</b> to review (2 decided, 0 open), "
        "1 only one (1 decided, 0 open)")
    # Undo the reject and the edit through the window's undo stack.
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert [d.decision for d in ReviewStore(repo).decisions(ART1)] == ["accept"]
    assert [a.quote for a in _gold(repo)] == ["Taipei"]
    assert panel.list.item(0).text().startswith("≠")  # open again: its state shows
    window.undo_stack.redo()
    assert sorted(a.quote for a in _gold(repo)) == ["Taipei", "Trump"]
    # The annotators' own tags never changed.
    assert len(repo.list_annotations(ART1, [ana, ben])) == 7


def test_edit_dialog_builds_the_changes(qtbot, window):
    from stancemark.ui.review.edit_dialog import EditVersionDialog

    panel = window.review.panel
    panel.list.setCurrentRow(1)  # Taipei: Ana says Taiwan, Ben China
    unit = panel.current_unit()
    dlg = EditVersionDialog(panel, window.repo, unit, panel.names, panel.view.article.text)
    qtbot.addWidget(dlg)
    dlg.version.setCurrentIndex(dlg.version.findData(panel.annotator_uids[0]))
    dlg.actor.setCurrentIndex(dlg.actor.findData(CHINA))
    who, changes = dlg.result_changes()
    assert who == panel.annotator_uids[0] and changes == {"actor_uid": CHINA}
    assert dlg.quote.text() == "Taipei"


def test_accept_all_agreed_and_agreement_panel(qtbot, window):
    mode = window.review
    assert mode.panel.accept_agreed() == 1
    assert [a.quote for a in _gold(window.repo)] == ["Beijing"]
    mode.agreement_toggle.trigger()
    qtbot.waitUntil(mode.agreement_dock.isVisible, timeout=3000)
    mode.agreement.refresh()
    # The worked example of the review scenario: actor F1 (exact) = 4/7, kappa 0.5.
    assert mode.agreement.value("f1_exact", "actor") == pytest.approx(4 / 7)
    table = mode.agreement.table
    rows = {(table.item(r, 0).text(), table.item(r, 1).text()): table.item(r, 3).text()
            for r in range(table.rowCount())}
    assert rows[("actor", "kappa_actor")] == "0.500"
    assert rows[("actor", "f1_exact")] == "0.571"
    # Adjudication progress per article: the agreed unit of ART1 is decided.
    assert mode.agreement.progress[ART1] == (1, 4, 3)
    assert "Adjudicated: 1 of 6 unit(s)" in mode.agreement.caption.text()


def _merge(qtbot, w, path):
    runner = w.review.merge_dialog(str(path))
    with qtbot.waitSignal(runner.finished, timeout=30_000) as blocker:
        pass
    assert runner.wait()
    return blocker.args


def test_merge_from_the_menu_adds_a_colleague(qtbot, tmp_path, rev):
    other = Repository(open_store(tmp_path / "solo.sqlite"), "solo")
    w = make_window(qtbot, other, tmp_path, tmp_path / "solo.sqlite")
    w.review.quiet = True
    assert w.review.merge_action in w.menus["file"].actions()
    report, error, cancelled = _merge(qtbot, w, tmp_path / "rev.sqlite")
    assert (error, cancelled) == ("", False)
    assert report.annotations_added == 11 and report.annotators_added == 2
    assert w.list.model.rowCount() == 3
    assert {w.review.panel.names[u] for u in w.review.panel.annotator_uids} == {
        "ana", "ben"}
    report, _, _ = _merge(qtbot, w, tmp_path / "rev.sqlite")
    assert report.annotations_added == 0
    _, error, _ = _merge(qtbot, w, tmp_path / "nothing.sqlite")
    assert "no such file" in error
    other.close()


def test_decisions_do_not_count_as_the_reviewers_own_tags(qtbot, window):
    panel = window.review.panel
    panel.list.setCurrentRow(1)
    panel.accept(panel.annotator_uids[0])
    panel.accept(panel.annotator_uids[1])  # a new verdict replaces the first
    window.undo_stack.undo()
    window.undo_stack.undo()
    row = next(r for r in window.list.model.rows if r.uid == ART1)
    assert (row.annotation_count, row.status) == (0, "new")
    assert window.repo.get_status(ART1) == "new"


def test_gold_from_review_exports_in_every_format_through_the_window(qtbot, window, tmp_path):
    import importlib.util

    from stancemark.formats import FORMATS
    from stancemark.formats.common import Scope

    window.review.quiet = True
    panel = window.review.panel
    panel.accept_agreed()
    panel.list.setCurrentRow(1)
    panel.accept(panel.annotator_uids[1])
    gold = _gold(window.repo)
    assert len(gold) == 2
    exported = []
    for name, info in FORMATS.items():
        if not info.can_export or (info.extra and importlib.util.find_spec(
                {"spacy": "spacy", "docs": "docx"}.get(info.extra, info.extra)) is None):
            continue
        out = tmp_path / "gold" / f"gold-{name}{info.suffixes[0] if info.suffixes else ''}"
        runner = window.exchange.export((name, out, Scope(annotators="gold")))
        with qtbot.waitSignal(runner.finished, timeout=30_000) as blocker:
            pass
        report, error, _ = blocker.args
        assert error == "", (name, error)
        # Only the two gold actor mentions (Ana and Ben hold 11); networks draw stances only.
        assert report.annotations in (2, 0) and out.exists(), name
        if report.annotations == 0:
            assert name in ("graphml", "gexf", "network-csv"), name
        exported.append(name)
    assert {"jsonl", "csv"} <= set(exported)


def test_the_panel_redraws_its_own_decision_once_and_an_undo_from_the_bus(qtbot, window):
    """The review panel initiated its decision and redraws it itself: review mode skips
    that change record; an undo (initiated by the undo stack) it redraws from the bus."""
    panel = window.review.panel
    redraws: list[int] = []
    real = panel._refresh_list
    panel._refresh_list = lambda keep_row=None: (redraws.append(1), real(keep_row))[1]
    panel.list.setCurrentRow(1)
    panel.accept(panel.annotator_uids[1])
    assert len(redraws) == 1
    window.undo_stack.undo()
    assert len(redraws) == 2 and not _gold(window.repo)


def test_review_layout_gives_the_text_the_room_and_is_remembered(qtbot, rev, tmp_path):
    """At 1280x720 with the Agreement figures open, the review text and the versions take
    most of the width at full height; the figures sit under the article list; the sizes
    given in review mode come back next time, and the normal layout's when it ends."""
    w = make_window(qtbot, rev, tmp_path, tmp_path / "rev.sqlite")
    w.resize(1280, 720)
    w.open_article(ART1)
    normal = w.splitter.sizes()
    w.review.toggle.trigger()
    w.review.agreement_toggle.trigger()
    review, agreement, listed = w.review.dock, w.review.agreement_dock, w.list
    # the layout settles once the docks that just appeared are laid out
    qtbot.waitUntil(lambda: agreement.isVisible() and review.width() >= 0.65 * w.width(),
                    timeout=3000)
    assert review.height() >= 0.8 * w.centralWidget().height()  # full height, not halved
    assert listed.width() <= 0.35 * w.width()
    # the figures under the article list, not under the text
    assert agreement.geometry().right() <= review.geometry().left()
    assert agreement.geometry().top() >= listed.mapTo(w, listed.rect().bottomLeft()).y() - 5
    text = w.review.panel.view.text
    assert text.width() >= 0.4 * w.width()
    # the reviewer narrows the dock; it is remembered for review mode only
    w.resizeDocks([review], [800], Qt.Orientation.Horizontal)
    qtbot.wait(20)
    chosen = review.width()
    w.review.toggle.trigger()  # leave review mode
    qtbot.waitUntil(lambda: not review.isVisible(), timeout=3000)
    assert w.centre.isVisible() and w.inspector.isVisible()
    qtbot.waitUntil(lambda: abs(w.splitter.sizes()[0] - normal[0]) <= 2,  # the list as it was
                    timeout=3000)
    w.review.toggle.trigger()
    qtbot.waitUntil(lambda: review.isVisible() and abs(review.width() - chosen) <= 12,
                    timeout=3000)


def test_versions_side_by_side_and_taking_one_adjudicates(qtbot, window):
    panel = window.review.panel
    ana, ben = (window.repo.annotator_by_name(n).uid for n in ("ana", "ben"))
    # the unit where they chose different actors for "Taipei"
    row = next(i for i in range(panel.list.count()) if "differ: actor" in panel.list.item(i).text())
    panel.list.setCurrentRow(row)
    versions = panel.versions
    assert set(versions.columns) == {ana, ben}
    assert versions.columns[ana]["Quote"] == versions.columns[ben]["Quote"] == "“Taipei”"
    assert versions.columns[ana]["Actor"] != versions.columns[ben]["Actor"]
    assert "Actor" in versions.differing and "Quote" not in versions.differing
    assert versions.isVisible() and versions.take_buttons[ben].isEnabled()
    unit = panel.current_unit()
    ben_version = next(s.uid for s in unit.spans if s.annotator == ben)
    versions.take_buttons[ben].click()
    gold = _gold(window.repo)
    taken = [g for g in gold if g.quote == "Taipei"]
    assert len(taken) == 1
    assert taken[0].actor_uid == window.repo.get_annotation(ben_version).actor_uid
    # a unit only Ana marked: Ben's column says so and cannot be taken
    row = next(i for i in range(panel.list.count()) if "only ana" in panel.list.item(i).text())
    panel.list.setCurrentRow(row)
    assert versions.columns[ben] == {} and not versions.take_buttons[ben].isEnabled()
