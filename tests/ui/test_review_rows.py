"""The review list at a glance: each annotator's version inline, a symbol and a colour per
state (agree / disagree / only one), a filter by kind of disagreement, and a progress line
whose counts add up."""

from __future__ import annotations

import pytest
from window_fixtures import make_window

from review_data import ART1, merged_store
from stancemark.ui.review.unit_rows import STATES


@pytest.fixture
def panel(qtbot, tmp_path):
    repo = merged_store(tmp_path)
    w = make_window(qtbot, repo, tmp_path, tmp_path / "rev.sqlite")
    w.open_article(ART1)
    w.review.toggle.trigger()
    qtbot.waitUntil(w.review.dock.isVisible, timeout=3000)
    yield w.review.panel
    repo.close()


def rows(panel) -> list[str]:
    return [panel.list.item(i).text() for i in range(panel.list.count())]


def show(panel, key: str) -> list[str]:
    panel.filter.setCurrentIndex(panel.filter.findData(key))
    return rows(panel)


def test_each_annotators_version_inline_with_its_state(panel):
    trump, taipei, china = rows(panel)
    assert "ana: Taiwan | ben: China" in taipei  # what each chose, not only "differ: actor"
    assert "ana: “Donald Trump” Donald Trump | ben: “Trump” Donald Trump" in trump
    assert "ana: China | ben: —" in china and "only ana" in china
    assert taipei.startswith("≠") and china.startswith("½")
    colours = {panel.list.item(i).foreground().color().name() for i in range(3)}
    assert colours == {STATES["disagree"].colour.lower(), STATES["single"].colour.lower()}
    assert panel.list.item(0).font().bold() and not panel.list.item(2).font().bold()
    assert len({s.symbol for s in STATES.values()}) == 3
    assert len({s.colour for s in STATES.values()}) == 3


def test_filter_by_kind_of_disagreement(panel):
    assert len(rows(panel)) == 3  # to review: two disagreements, one only-one
    assert [r[0] for r in show(panel, "disagree")] == ["≠", "≠"]
    assert [r[0] for r in show(panel, "single")] == ["½"]
    (agreed,) = show(panel, "agree")
    assert agreed.startswith("=") and "“Beijing”" in agreed and "ana: China | ben: China" in agreed
    assert len(show(panel, "all")) == 4
    # Deciding one unit takes it out of "open" and marks it in "all".
    show(panel, "disagree")
    panel.list.setCurrentRow(1)
    assert panel.accept(panel.annotator_uids[1])
    assert show(panel, "disagree")[1].startswith("✓")
    assert len(show(panel, "open")) == 3
    assert all("“Taipei”" not in r for r in rows(panel))


def test_progress_adds_up(panel):
    assert panel.progress.text().startswith(
        "<b>4</b> unit(s): 1 agreed, <b>2</b> to review (0 decided, 2 open), "
        "1 only one (0 decided, 1 open)")
    panel.list.setCurrentRow(1)
    panel.accept(panel.annotator_uids[0])
    assert "<b>2</b> to review (1 decided, 1 open)" in panel.progress.text()
    assert panel.filter.currentData() == "review"


def test_a_unit_differing_on_an_attribute_says_what_each_chose(qtbot, tmp_path):
    from review_data import attribute_store

    repo, art, _intensity, _frame = attribute_store(tmp_path / "rev.sqlite")
    w = make_window(qtbot, repo, tmp_path, tmp_path / "rev.sqlite")
    w.open_article(art.uid)
    w.review.toggle.trigger()
    qtbot.waitUntil(w.review.dock.isVisible, timeout=3000)
    [stance] = rows(w.review.panel)  # the frame: agreed, not in the list to settle
    assert stance.startswith("≠ stance")
    assert "intensity: ana 4 | ben 2" in stance and "(differ: intensity)" in stance
    # what differs first, and the version they share once (not pushed out of sight)
    assert "“warned”   intensity: ana 4 | ben 2   both: − tariffs by Beijing" in stance
    frame = next(r for r in show(w.review.panel, "all") if "frame" in r)
    assert frame.startswith("= frame") and "frame_type: economic" in frame  # names, no uids
    repo.close()


def test_edit_into_gold_changes_an_attribute_and_keeps_the_others(qtbot, tmp_path):
    from review_data import attribute_store
    from stancemark.ui.review.edit_dialog import EditVersionDialog

    repo, art, intensity, frame = attribute_store(tmp_path / "rev.sqlite")
    w = make_window(qtbot, repo, tmp_path, tmp_path / "rev.sqlite")
    w.open_article(art.uid)
    w.review.toggle.trigger()
    qtbot.waitUntil(w.review.dock.isVisible, timeout=3000)
    panel = w.review.panel
    show(panel, "all")
    units = {u.kind: u for u in panel.units}
    ben = repo.annotator_by_name("ben").uid
    dlg = EditVersionDialog(panel, repo, units["stance"], panel.names, art.text)
    qtbot.addWidget(dlg)
    dlg.version.setCurrentIndex(dlg.version.findData(ben))
    assert dlg.attrs.field("intensity").value() == 2  # Ben's, loaded with his version
    dlg.attrs.field("intensity").widget.setValue(3)
    assert dlg.result_changes() == (ben, {"attributes": {intensity.uid: 3}})
    # a custom kind: no stance fields, its own attributes; unchanged means no changes
    framed = EditVersionDialog(panel, repo, units[frame.uid], panel.names, art.text)
    qtbot.addWidget(framed)
    assert framed.attrs.field("frame_type") is not None
    assert framed.result_changes()[1] == {}
    repo.close()
