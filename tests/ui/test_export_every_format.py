"""File > Export... in the real window, for every registered export format: the dialog is
filled and accepted like a user does, the job runs in its worker with a progress dialog,
and the file it writes is read back."""

from __future__ import annotations

import importlib.util
import json
import zipfile

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QProgressDialog
from window_fixtures import make_window

from helpers import find
from stancemark.core.model import Annotation
from stancemark.formats import FORMATS

EXPORTS = [name for name, info in FORMATS.items() if info.can_export]
EXTRA_MODULES = {"spacy": "spacy", "docs": "docx"}


def _annotate_seed(repo) -> int:
    """Tag each seed article: China and Taiwan mentions, a year, a stance over a mention."""
    actors = {a.name: a.uid for a in repo.list_actors()}
    topic = next(t.uid for t in repo.list_topics() if t.name == "Taiwan independence")
    me = repo.annotator.uid
    count = 0
    for row in repo.list_articles():
        art = repo.get_article(row.uid)
        spans = []
        for needle, actor in (("Beijing", "China"), ("Taiwan", "Taiwan")):
            if needle in art.text:
                s, e = find(art.text, needle)
                spans.append(Annotation("", art.uid, me, "actor", s, e, needle,
                                        actor_uid=actors[actor]))
        s, e = find(art.text, "Taiwan")
        s2 = max(0, s - 12)
        spans.append(Annotation("", art.uid, me, "stance", s2, e, art.text[s2:e],
                                holder_uid=actors["China"], target_topic_uid=topic,
                                polarity="oppose", stance_date="2018-01"))
        for a in spans:
            if a.quote.strip() == a.quote:
                repo.add_annotation(a)
                count += 1
    return count


def _check_output(fmt: str, out) -> None:
    assert out.exists()
    if out.is_dir():
        assert any(p.is_file() for p in out.rglob("*"))
        return
    assert out.stat().st_size > 0
    if fmt == "spacy":
        import spacy
        from spacy.tokens import DocBin

        docs = list(DocBin().from_disk(out).get_docs(spacy.blank("xx").vocab))
        assert len(docs) == 3 and any(len(d.spans["sc"]) for d in docs)
    elif fmt in ("graphml", "gexf"):
        import networkx as nx

        g = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(out)
        assert g.number_of_edges() >= 1
    elif fmt == "qdpx":
        with zipfile.ZipFile(out) as zf:
            assert "project.qde" in zf.namelist()
    elif out.suffix in (".jsonl",):
        for line in out.read_text(encoding="utf-8").splitlines():
            json.loads(line)
    elif out.suffix == ".json":
        json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt", EXPORTS)
def test_export_seed_corpus_from_the_window(qtbot, seeded, store_path, tmp_path, monkeypatch, fmt):
    info = FORMATS[fmt]
    module = EXTRA_MODULES.get(info.extra)
    if module and importlib.util.find_spec(module) is None:
        pytest.skip(f"optional extra {info.extra!r} not installed")
    assert _annotate_seed(seeded) > 0
    window = make_window(qtbot, seeded, tmp_path, store_path)
    from stancemark.ui.window import main_window

    warnings: list[str] = []
    monkeypatch.setattr(main_window.QMessageBox, "warning",
                        lambda *args: warnings.append(str(args[-1])))
    out = tmp_path / ("export-" + fmt + (info.suffixes[0] if info.suffixes else ""))
    filled: list[str] = []

    def fill_and_accept() -> None:
        dialog = QApplication.activeModalWidget()
        index = dialog.format.findData(fmt)
        assert index >= 0, f"{fmt} is not offered by the export dialog"
        dialog.format.setCurrentIndex(index)
        dialog.out.setText(str(out))
        filled.append(dialog.format.currentText())
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, fill_and_accept)
    window.actions_["export"].trigger()
    assert filled, "the export dialog did not open"
    runner = window.exchange.last_job
    assert isinstance(runner.dialog, QProgressDialog)
    results: list[tuple] = []
    runner.finished.connect(lambda *r: results.append(r))
    qtbot.waitUntil(lambda: bool(results), timeout=60_000)
    result, error, cancelled = results[0]
    assert (error, cancelled, warnings) == ("", False, [])
    assert result.articles == 3
    assert runner.dialog.isHidden()
    _check_output(fmt, out)
    assert result.summary() in window.statusBar().currentMessage()
