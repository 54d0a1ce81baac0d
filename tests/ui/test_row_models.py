"""The article list and the inspector's table share one model base: header labels, the
row's uid under UserRole and right-aligned number columns come from it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from window_fixtures import window_on_article

from stancemark.core.commands import AddAnnotation
from stancemark.core.model import Annotation
from stancemark.ui.widgets.row_model import RIGHT, RowTableModel


def test_list_and_inspector_tables_answer_alike(qtbot, seeded, tmp_path):
    win = window_on_article(qtbot, seeded, tmp_path)
    text = win.view.article.text
    start = text.index("Beijing")
    china = seeded.actors_by_alias("China")[0]
    assert win.run_command(AddAnnotation(Annotation(
        "", win.current_article_uid(), "", "actor", start, start + 7, "Beijing",
        actor_uid=china.uid)))
    for model, uid in ((win.list.model, win.list.model.rows[0].uid),
                       (win.inspector.model, win.inspector.model.items[0].uid)):
        assert isinstance(model, RowTableModel)
        headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in
                   range(model.columnCount())]
        assert headers == list(model.columns)
        assert model.headerData(0, Qt.Orientation.Vertical) is None
        assert model.index(0, 0).data(Qt.ItemDataRole.UserRole) == uid
        for c in model.right_aligned:
            assert model.index(0, c).data(Qt.ItemDataRole.TextAlignmentRole) == RIGHT
    assert win.inspector.model.index(0, 1).data() == "Beijing"
