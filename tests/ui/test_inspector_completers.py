"""The inspector's name completers are made when an annotation is shown, not when an
article opens (their fields are hidden until then), and made again after a register
change, at once while an annotation is shown."""

from __future__ import annotations

import pytest
from window_fixtures import window_on_article

from helpers import find
from stancemark.core.commands import AddAnnotation
from stancemark.core.model import Annotation, new_uid
from stancemark.core.register_commands import AddActor


@pytest.fixture
def win(qtbot, seeded, tmp_path):
    return window_on_article(qtbot, seeded, tmp_path)


def _labels(line_edit):
    model = line_edit.completer().model()
    return {model.index(r, 0).data() for r in range(model.rowCount())}


def test_completers_wait_for_an_annotation_and_follow_the_register(qtbot, win, seeded):
    editor = win.inspector.editor
    assert editor.current is None and editor.actor.completer() is None  # the article opened
    s, e = find(win.view.article.text, "Taiwan")
    a = Annotation(new_uid(), win.current_article_uid(), win.repo.annotator.uid, "actor", s, e,
                   "Taiwan", actor_uid=seeded.actors_by_alias("Taiwan")[0].uid)
    assert win.run_command(AddAnnotation(a))
    win.inspector.select(a.uid)
    assert editor.current is not None and editor.current.uid == a.uid
    assert any(label.startswith("Taiwan") for label in _labels(editor.actor))
    assert not any("Ruritania" in label for label in _labels(editor.holder))
    assert win.run_command(AddActor("Ruritania", "state", aliases=("Ruritanian government",)))
    for field in (editor.actor, editor.holder, editor.target):  # shown: made again at once
        assert any("Ruritanian government" in label for label in _labels(field))
