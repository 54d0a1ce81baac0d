"""The network and the timeline of the Discourse window: they show the seed corpus, a
click filters the table, they follow tags and undo through the change records, and
what is shown is what is exported."""

from __future__ import annotations

import csv

import networkx as nx
import pytest
from discourse_fixtures import discourse_store
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from test_discourse_table import open_discourse, rows

from stancemark.core.commands import AddAnnotation, UpdateAnnotation
from stancemark.core.model import Annotation
from stancemark.core.periods import iso


@pytest.fixture
def views(qtbot, repo, store_path, tmp_path):
    data = discourse_store(repo)
    window, discourse = open_discourse(qtbot, repo, tmp_path, store_path)
    yield window, discourse, data
    # A change a test made (a codebook edit) is caught up a moment later: let it finish
    # before the store closes, or the catch-up reads a closed store during teardown.
    from shiboken6 import isValid

    def idle() -> bool:
        timers = (discourse._follow, discourse._views_timer)
        return not any(isValid(t) and t.isActive() for t in timers)

    qtbot.waitUntil(idle, timeout=5000)


def test_network_and_timeline_show_the_seed_corpus(views):
    _, d, _ = views
    net = d.network.net
    assert len(net.nodes) >= 15 and len(net.edges) >= 20
    assert len(d.network.canvas.item.nodes) == len(net.nodes)
    assert len(d.network.canvas.item.edges) == len(net.edges)
    kinds = {n.key[0] for n in d.network.canvas.item.nodes}
    assert kinds == {"actor", "topic"}
    assert "nodes" in d.network.status.text()
    t = d.timeline.chart.data
    assert t.periods and t.total() + t.undated == len(d.data.statements)


def _node(d, kind, name):
    key = next(k for k, v in d.data.names.items() if k[0] == kind and v[1] == name)
    return next(n for n in d.network.canvas.item.nodes if n.key == key)


def test_clicking_a_node_or_an_edge_filters_the_table(qtbot, views):
    _, d, data = views
    before = len(d.network.net.nodes)
    china = _node(d, "actor", "China")
    d.network.canvas.click_at(QPointF(china.x, china.y))
    qtbot.waitUntil(lambda: d.stances.filters.chips.isVisible(), timeout=3000)
    shown = rows(d.stances)
    assert shown and {r.holder_uid for r in shown} == {data["china"].uid}
    assert len(d.network.net.nodes) == before  # the network highlights, it does not shrink
    assert d.network.canvas.item.selected == {china.key}
    # an actor x topic edge: that actor's stances on that topic
    index = next(i for i, e in enumerate(d.network.net.edges)
                 if e.source == china.key and d.data.names[e.target][1] == "Reunification")
    edge = next(e for e in d.network.canvas.item.edges if e.index == index)
    a, b = d.network.canvas.item.nodes[edge.a], d.network.canvas.item.nodes[edge.b]
    d.network.canvas.click_at(QPointF(a.x + (b.x - a.x) * 0.5, a.y + (b.y - a.y) * 0.5))
    qtbot.waitUntil(lambda: {(r.holder, r.target) for r in rows(d.stances)}
                    == {("China", "Reunification")}, timeout=3000)
    # the background lets go
    d.network.canvas.click_at(QPointF(10_000, 10_000))
    qtbot.waitUntil(lambda: not d.stances.filters.chips.isVisible(), timeout=3000)


def test_a_one_mode_edge_lists_the_stances_behind_it(qtbot, views):
    _, d, _ = views
    d.network.set_options(kind="congruence")
    net = d.network.net
    e = net.edges[0]
    topics = {d.data.names[("topic", t)][1] for t in net.topics_between(e.source, e.target)}
    d.network._edge_clicked(0)
    qtbot.waitUntil(lambda: d.stances.filters.chips.isVisible(), timeout=3000)
    got = rows(d.stances)
    names = {d.data.names[e.source][1], d.data.names[e.target][1]}
    assert got and {r.holder for r in got} == names and {r.target for r in got} <= topics


def test_a_period_in_the_timeline_filters_table_and_network(qtbot, views):
    _, d, _ = views
    chart = d.timeline.chart
    d.timeline.choose(unit="year")
    t = chart.data
    i = max(range(len(t.periods)), key=lambda k: sum(t.counts[k]))
    bar = chart._bars[i]
    QTest.mouseClick(chart, Qt.MouseButton.LeftButton, pos=bar.center().toPoint())
    first, last = t.bounds(i)
    qtbot.waitUntil(lambda: d.stances.model.total == sum(t.counts[i]), timeout=3000)
    assert all(iso(first) <= r.date[:10].ljust(10, "0") or r.date.startswith(iso(first)[:4])
               for r in rows(d.stances))
    assert d.network.range_days == (first, last)
    assert d.network.net.statements + d.network.net.left_out == sum(t.counts[i])
    assert len(chart.data.periods) == len(t.periods)  # the timeline keeps every period
    QTest.mouseClick(chart, Qt.MouseButton.LeftButton, pos=bar.center().toPoint())
    qtbot.waitUntil(lambda: not d.stances.filters.chips.isVisible(), timeout=3000)


def test_views_follow_a_tag_its_edit_and_its_undo(qtbot, views):
    window, d, data = views
    art = window.view.article
    start = art.text.index("Beijing")
    taiwan = next(a for a in window.repo.list_actors() if a.name == "Taiwan")
    one_china = next(t for t in window.repo.list_topics() if t.name == "One China policy")
    total, stances = d.stances.model.total, len(d.data.statements)
    dated = d.timeline.chart.data.total()
    cmd = AddAnnotation(Annotation("", art.uid, window.repo.annotator.uid, "stance", start,
                                   start + 7, "Beijing", holder_uid=taiwan.uid,
                                   target_topic_uid=one_china.uid, polarity="oppose",
                                   stance_date="2019-05-04"))
    assert window.run_command(cmd)
    qtbot.waitUntil(lambda: d.stances.model.total == total + 1, timeout=3000)
    assert len(d.data.statements) == stances + 1
    assert d.timeline.chart.data.total() == dated + 1
    pair = [e for e in d.network.net.edges if d.data.names[e.source][1] == "Taiwan"
            and d.data.names[e.target][1] == "One China policy"]
    assert pair and pair[0].oppose >= 1
    # an edit: the holder changes, the network follows
    uid = cmd.annotation.uid
    assert window.run_command(UpdateAnnotation(uid, {"holder_uid": data["china"].uid}))
    qtbot.waitUntil(lambda: any(
        d.data.names[e.source][1] == "China" and d.data.names[e.target][1] == "One China policy"
        and e.oppose >= 1 for e in d.network.net.edges), timeout=3000)
    # undo both: the views are as before
    window.undo_stack.undo()
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: d.stances.model.total == total, timeout=3000)
    qtbot.waitUntil(lambda: len(d.data.statements) == stances, timeout=3000)
    assert d.timeline.chart.data.total() == dated


def test_options_windows_and_exports_of_what_is_shown(qtbot, views, tmp_path):
    _, d, _ = views
    panel = d.network
    panel.set_options(kind="subtract", normalisation="jaccard", duplicates="article")
    assert panel.net.kind == "subtract" and panel.net.normalisation == "jaccard"
    panel.set_options(unit="year", size=2)
    assert panel.spans and "1/" in panel.period.text()
    first = panel.current_days()
    panel.step(1)
    assert panel.current_days() != first
    panel.max_edges.setValue(10)
    panel.redraw()
    drawn = {(e.a, e.b) for e in panel.canvas.item.edges}
    assert len(drawn) <= 10
    out = panel.export_shown(tmp_path / "shown.graphml")
    g = nx.read_graphml(out)
    names = {n.key: d.data.names[n.key][0] for n in panel.canvas.item.nodes}
    assert set(g.nodes) == set(names.values())
    assert g.number_of_edges() == len(drawn)
    csv_out = panel.export_shown(tmp_path / "shown.csv")
    with csv_out.open(encoding="utf-8", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == len(drawn)
    assert panel.export_shown(tmp_path / "shown.gexf").exists()
    png = panel.save_picture(tmp_path / "net.png")
    svg = panel.save_picture(tmp_path / "net.svg")
    assert png.stat().st_size > 1000 and b"<svg" in svg.read_bytes()[:2000]


def test_an_import_shows_in_the_views(qtbot, views, tmp_path):
    window, d, _ = views
    total = d.stances.model.total
    from stancemark.core.model import Annotation as A

    art, _ = window.repo.add_article("Beijing rejects the talks again.", "Another")
    china = next(a for a in window.repo.list_actors() if a.name == "China")
    window.repo.add_annotation(A("", art.uid, window.repo.annotator.uid, "stance", 0, 7,
                                 "Beijing", holder_uid=china.uid, polarity="oppose",
                                 target_topic_uid=window.repo.list_topics()[0].uid))
    window.reload_all()  # what File ▸ Import and Merge end with
    qtbot.waitUntil(lambda: d.stances.model.total == total + 1, timeout=3000)
    qtbot.waitUntil(lambda: d.data is not None, timeout=3000)  # then network and timeline
    assert len(d.data.statements) == total + 1


def test_a_register_edit_shows_in_the_table_and_network(qtbot, views):
    from stancemark.core.register_commands import UpdateActor

    window, d, data = views
    china = data["china"]
    assert window.run_command(UpdateActor(china.uid, {"name": "PRC"}))
    qtbot.waitUntil(lambda: d.data is not None and any(
        v[1] == "PRC" for v in d.data.names.values()), timeout=3000)
    qtbot.waitUntil(lambda: "PRC" in {r.holder for r in rows(d.stances)}, timeout=3000)
    assert "China" not in {r.holder for r in rows(d.stances)}
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: "China" in {r.holder for r in rows(d.stances)}, timeout=3000)


def _intensity(window):
    """A codebook attribute of stances, added as the codebook editor does (undoable)."""
    from stancemark.core.codebook_commands import AddAttribute, new_attribute

    assert window.run_command(AddAttribute(new_attribute(
        "intensity", "choice", "stance", values=("high", "low"))))
    return window.repo.codebook().attribute_by_name("stance", "intensity")


def test_the_edit_dialog_refuses_names_and_values_it_does_not_know(qtbot, views):
    from stancemark.store.stance_query import stance_attributes
    from stancemark.ui.analysis.edit_dialog import MultiEditDialog

    window, d, data = views
    intensity = _intensity(window)
    dialog = MultiEditDialog(window.cache, 3, "stance", stance_attributes(window.repo))
    qtbot.addWidget(dialog)
    dialog.holder.setText("Nobody At All")
    assert "no actor" in dialog.changes()
    dialog.holder.setText("Beijing")  # an alias
    dialog.target.setText("No Such Topic")
    assert "no topic or actor" in dialog.changes()
    dialog.target.setText("reunification")
    dialog.attr_name.setCurrentIndex(dialog.attr_name.findData(intensity.uid))
    dialog.attr_value.setText("medium")
    assert "intensity" in dialog.changes()  # not in its vocabulary
    dialog.attr_value.setText("high")
    got = dialog.changes()
    high = intensity.value_by_name("high").uid
    assert got == {"holder_uid": data["china"].uid, "target_topic_uid": data["topic"].uid,
                   "target_actor_uid": None, "attribute": (intensity, high)}
    dialog.holder.clear()
    dialog.target.clear()
    dialog.attr_name.setCurrentIndex(0)
    dialog._accept()
    assert "Nothing to change" in dialog.error.text()


def test_a_codebook_attribute_is_a_column_an_edit_and_a_filter(qtbot, views):
    from stancemark.core.stance_filter import StanceFilter

    window, d, _ = views
    table = d.stances
    intensity = _intensity(window)
    qtbot.waitUntil(lambda: intensity in table.model.attributes(), timeout=3000)
    high = intensity.value_by_name("high").uid
    assert table.apply_edit([0, 1], {"attribute": (intensity, high)})
    qtbot.waitUntil(lambda: not d._follow.isActive(), timeout=3000)  # caught up
    column = [c.title for c in table.model.columns].index("intensity")
    assert table.model.data(table.model.index(0, column)) == "high"
    table.apply_filter(StanceFilter(attributes=(("intensity", "high"),)))
    assert table.model.total == 2
    assert all(r.attributes == {intensity.uid: high} for r in rows(table))
    window.undo_stack.undo()  # the two rows, one step
    qtbot.waitUntil(lambda: table.model.total == 0, timeout=3000)


@pytest.mark.parametrize("size", [(420, 360), (640, 300), (900, 700)])
def test_the_network_is_drawn_below_its_legend(qtbot, views, size):
    """In a narrow pane the legend wraps to two rows: every node and every label is
    still drawn below it (the top node's label was under the legend)."""
    _, d, _ = views
    canvas = d.network.canvas
    canvas.setFixedSize(*size)
    canvas.fit()
    canvas.viewport().grab()  # a paint places the labels
    legend = canvas.legend_bottom()
    scale = canvas.transform().m11()
    tops = [canvas.mapFromScene(QPointF(n.x, n.y)).y() - n.radius * scale
            for n in canvas.item.nodes]
    assert min(tops) >= legend
    assert max(canvas.mapFromScene(QPointF(n.x, n.y)).y() for n in canvas.item.nodes) \
        <= canvas.viewport().height()
    assert canvas.item.drawn_labels
    assert all(box.top() >= legend for _, box in canvas.item.drawn_labels)
    if size[0] == 420:
        from stancemark.ui.analysis.network_canvas import legend_height
        assert legend_height(416, canvas.font()) > 30  # two rows here


def test_leaving_a_large_network_gives_its_memory_back(qtbot, views, monkeypatch):
    """After a network at least LARGE_EDGES large is replaced, the freed heap goes back
    to the system (ui/widgets/free_memory.py); smaller ones leave the allocator alone."""
    from stancemark.ui.analysis import network_panel

    _, d, _ = views
    calls = []
    monkeypatch.setattr(network_panel, "give_back_freed_memory", lambda: calls.append(1))
    panel = d.network
    two_mode = len(panel.net.edges)
    panel.set_options(kind="congruence")
    congruence = len(panel.net.edges)
    panel.set_options(kind="two-mode")
    assert calls == [] and two_mode != congruence  # the seed corpus's networks are small
    monkeypatch.setattr(network_panel, "LARGE_EDGES", max(two_mode, congruence))
    big, small = ("two-mode", "congruence") if two_mode > congruence else ("congruence", "two-mode")
    panel.set_options(kind=small)
    panel.set_options(kind=big)
    assert calls == [1]  # only the large one was left (once)
    panel.set_options(kind=small)
    assert calls == [1, 1]


def test_giving_memory_back_is_harmless():
    from stancemark.ui.widgets.free_memory import give_back_freed_memory

    assert give_back_freed_memory() in (True, False)
    data = [bytes(100_000) for _ in range(50)]
    del data
    assert give_back_freed_memory() == give_back_freed_memory()
