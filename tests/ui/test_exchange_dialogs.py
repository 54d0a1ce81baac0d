"""File > Export options per format (network view and date range), folder outputs named
as folders, and File > Import of folders with a chosen format and the table column map."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QMessageBox
from window_fixtures import make_window

from helpers import find
from stancemark.core.model import Annotation
from stancemark.formats.common import Scope
from stancemark.ui.dialogs import exchange as io
from stancemark.ui.dialogs.import_articles import ImportDialog


def run(qtbot, runner):
    results = []
    runner.finished.connect(lambda *r: results.append(r))
    qtbot.waitUntil(lambda: bool(results), timeout=30_000)
    assert runner.wait()
    return results[0]


def stances(repo) -> int:
    actors = {a.name: a.uid for a in repo.list_actors()}
    topic = next(t.uid for t in repo.list_topics() if t.name == "Taiwan independence")
    n = 0
    for row in repo.list_articles():
        art = repo.get_article(row.uid)
        if "Taiwan" in art.text:
            s, e = find(art.text, "Taiwan")
            repo.add_annotation(Annotation("", art.uid, repo.annotator.uid, "stance", s, e,
                                           "Taiwan", holder_uid=actors["China"],
                                           target_topic_uid=topic, polarity="oppose",
                                           stance_date="2018-01"))
            n += 1
    return n


@pytest.fixture
def win(qtbot, seeded, store_path, tmp_path):
    return make_window(qtbot, seeded, tmp_path, store_path)


def dialog(qtbot, fmt):
    d = io.ExportDialog(["ana"])
    qtbot.addWidget(d)
    d.format.setCurrentIndex(d.format.findData(fmt))
    return d


# --------------------------------------------------------------------- export
def test_network_formats_show_their_options_and_others_none(qtbot):
    d = dialog(qtbot, "graphml")
    assert set(d.option_widgets) == {"view", "normalisation", "duplicates", "date_from",
                                     "date_to"}
    view = d.option_widgets["view"]
    assert [view.itemText(i) for i in range(view.count())] == [
        "stance", "two-mode", "congruence", "conflict", "subtract"]
    assert not d.options_box.isHidden()
    d.format.setCurrentIndex(d.format.findData("jsonl"))
    assert d.option_widgets == {} and d.options_box.isHidden()
    d.format.setCurrentIndex(d.format.findData("gexf"))
    assert set(d.option_widgets) == {"view", "normalisation", "duplicates", "date_from",
                                     "date_to"}


def test_options_reach_the_exporter_through_the_worker(qtbot, win, seeded, tmp_path):
    import networkx as nx

    assert stances(seeded) > 0
    d = dialog(qtbot, "graphml")
    d.option_widgets["view"].setCurrentText("two-mode")
    d.out.setText(str(tmp_path / "net.graphml"))
    fmt, out, scope, options = d.choice()
    assert options == {"view": "two-mode", "normalisation": "none", "duplicates": "all"}
    result, error, cancelled = run(qtbot, win.exchange.export((fmt, out, scope, options)))
    assert not error
    g = nx.read_graphml(out)
    assert {d.get("bipartite") for _, d in g.nodes(data=True)} == {0, 1}  # actors x topics
    # a date range that excludes every stance leaves no edge
    d.option_widgets["view"].setCurrentText("stance")
    d.option_widgets["date_to"].setText("2001")
    _, out2, scope, options = d.choice()
    assert options == {"view": "stance", "normalisation": "none", "duplicates": "all",
                       "date_to": "2001"}
    run(qtbot, win.exchange.export(("graphml", tmp_path / "none.graphml", scope, options)))
    assert nx.read_graphml(tmp_path / "none.graphml").number_of_edges() == 0


def test_a_bad_date_option_is_refused(qtbot, tmp_path):
    d = dialog(qtbot, "gexf")
    d.out.setText(str(tmp_path / "n.gexf"))
    d.option_widgets["date_from"].setText("last spring")
    assert "not an ISO date" in d.problem()
    d.option_widgets["date_from"].setText("2020-03")
    assert d.problem() is None


def test_folder_formats_ask_for_a_folder_name_without_a_suffix(qtbot, monkeypatch, tmp_path):
    asked = []

    def save(parent, caption, name, filters):
        asked.append((caption, name, filters))
        return str(tmp_path / Path(name).name), filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save))
    d = dialog(qtbot, "brat")
    assert "folder" in d.target_hint.text() and not d.target_hint.isHidden()
    d._browse()
    assert Path(asked[-1][1]).name == "stancemark-brat" and "folder" in asked[-1][0].lower()
    assert d.out.text() == str(tmp_path / "stancemark-brat")
    # a file name typed for another format loses its suffix when brat is chosen
    d.format.setCurrentIndex(d.format.findData("jsonl"))
    d.out.setText(str(tmp_path / "export.jsonl"))
    d.format.setCurrentIndex(d.format.findData("brat"))
    assert d.out.text() == str(tmp_path / "export")
    (tmp_path / "afile").write_text("x")
    d.out.setText(str(tmp_path / "afile"))
    assert "is a file" in d.problem()


def test_csv_export_is_a_folder_or_a_zip(qtbot, monkeypatch, tmp_path):
    d = dialog(qtbot, "csv")
    assert ".zip" in d.target_hint.text()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(
        lambda p, c, name, filters: (str(tmp_path / Path(name).name), filters.split(";;")[1])))
    d._browse()
    assert d.out.text() == str(tmp_path / "stancemark-csv.zip")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(
        lambda p, c, name, filters: (str(tmp_path / "stancemark-csv"), filters.split(";;")[0])))
    d._browse()
    assert d.out.text() == str(tmp_path / "stancemark-csv")
    d.format.setCurrentIndex(d.format.findData("jsonl"))
    assert d.out.text() == str(tmp_path / "stancemark-csv.jsonl")
    (tmp_path / "folder.jsonl").mkdir()
    d.out.setText(str(tmp_path / "folder.jsonl"))
    assert "is a folder" in d.problem()


def test_brat_export_from_the_window_writes_the_named_folder(qtbot, win, seeded, tmp_path,
                                                             monkeypatch):
    stances(seeded)
    out = tmp_path / "brat-out"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a: (str(out), "Folder (*)")))

    def fill() -> None:
        d = QApplication.activeModalWidget()
        d.format.setCurrentIndex(d.format.findData("brat"))
        d._browse()
        d.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, fill)
    win.actions_["export"].trigger()
    result, error, cancelled = run(qtbot, win.exchange.last_job)
    assert not error and out.is_dir()
    assert (out / "annotation.conf").exists() and list(out.rglob("*.ann"))
    assert not (tmp_path / "brat-out.ann").exists()


# --------------------------------------------------------------------- import
def brat_folder(repo, tmp_path) -> Path:
    from stancemark.formats import brat

    stances(repo)
    brat.export(repo, tmp_path / "bratdir", Scope(), None)
    return tmp_path / "bratdir"


def test_import_dialog_defaults_to_the_guess_and_shows_the_column_map_for_tables(qtbot, tmp_path):
    table = tmp_path / "rows.csv"
    table.write_text("headline,body\nOne,First body\n", encoding="utf-8")
    d = ImportDialog([table])
    qtbot.addWidget(d)
    assert d.fmt() == "table"
    assert not d.column_map.isHidden()
    d.column_map.setText("title=headline,text=body")
    assert d.options() == {"table": {"column_map": "title=headline,text=body"}}
    d.format.setCurrentIndex(d.format.findData("text"))
    assert d.column_map.isHidden() and d.options() == {}
    odd = tmp_path / "notes.xyz"
    odd.write_text("x")
    d.add_path(odd)
    assert d.fmt() is None  # no single guess: guess per path
    assert "unknown" in d.guessed.text()
    assert "Cannot tell the format of notes.xyz" in d.groups()
    d.format.setCurrentIndex(d.format.findData("text"))
    assert d.groups() == {"text": [table, odd]}


def test_import_a_table_with_a_column_map_from_the_dialog(qtbot, win, seeded, tmp_path,
                                                          monkeypatch):
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: pytest.fail(str(a[-1])))
    table = tmp_path / "rows.csv"
    table.write_text("headline,body\nMapped title,A mapped body about Kinmen.\n",
                     encoding="utf-8")

    def fill() -> None:
        d = QApplication.activeModalWidget()
        assert isinstance(d, ImportDialog)
        d.add_path(table)
        d.column_map.setText("title=headline,text=body")
        d.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, fill)
    win.actions_["import"].trigger()
    result, error, cancelled = run(qtbot, win.exchange.last_job)
    assert not error, error
    [row] = seeded.list_articles(query="Kinmen")
    assert row.title == "Mapped title"


def test_import_a_brat_folder_from_the_window(qtbot, seeded, tmp_path):
    from stancemark.store import Repository, open_store

    folder = brat_folder(seeded, tmp_path)
    # into a fresh store, so every article is new
    fresh_path = tmp_path / "fresh.sqlite"
    fresh = Repository(open_store(fresh_path), "ana")
    (tmp_path / "w2").mkdir()
    window = make_window(qtbot, fresh, tmp_path / "w2", fresh_path)
    result, error, cancelled = run(qtbot, window.exchange.import_files(choice=({"brat": [folder]}, {})))
    assert not error, error
    assert fresh.count_articles() == len(list(folder.rglob("*.ann")))
    assert sum(len(fresh.list_annotations(r.uid)) for r in fresh.list_articles()) > 0
    assert window.list.model.total == fresh.count_articles()  # the window re-read the store


def test_native_export_from_the_window_keeps_custom_kinds(qtbot):
    """Every kind box ticked means every kind of the codebook for native JSONL and the
    span formats that carry custom kinds (custom kinds are not listed as boxes yet); the
    other formats keep the built-in kinds."""
    from stancemark.formats import ALL_KINDS_FORMATS
    # (the span formats still to carry custom kinds, if any)

    d = dialog(qtbot, "jsonl")
    assert d.scope().kinds is None
    next(iter(d.kinds.values())).setChecked(False)
    assert d.scope().kinds == ("date", "stance")
    assert "doccano" in ALL_KINDS_FORMATS
    for fmt in sorted(ALL_KINDS_FORMATS - {"jsonl"}):
        assert dialog(qtbot, fmt).scope().kinds is None, fmt
    others = [f for f in ("csv", "spacy", "qdpx") if f not in ALL_KINDS_FORMATS]
    if others:
        assert dialog(qtbot, others[0]).scope().kinds == ("actor", "date", "stance")
