"""Opening an article does only what its first paint needs before that paint: no
highlighter call per block of the new text, and the previous article's data is freed
after the paint, not before."""

from __future__ import annotations

import weakref

from window_fixtures import make_window

from stancemark.ui.article.highlighter import AnnotationHighlighter
from stancemark.ui.widgets.release_later import release_later


def test_a_new_text_goes_in_without_a_highlighter_call_per_block(qtbot, seeded, tmp_path,
                                                                  monkeypatch):
    art, _ = seeded.add_article("\n".join(f"Paragraph {i} about Beijing." for i in range(3000)),
                                "Three thousand paragraphs")
    calls: list[int] = []
    real = AnnotationHighlighter.highlightBlock

    def counted(self, text):
        calls.append(self.currentBlock().blockNumber())
        return real(self, text)

    # Patched before the window exists: PySide looks a Python override up once.
    monkeypatch.setattr(AnnotationHighlighter, "highlightBlock", counted)
    window = make_window(qtbot, seeded, tmp_path)
    calls.clear()
    window.open_article(art.uid)
    # At most the blocks on screen are highlighted now; setPlainText asked for all 3,000.
    assert len(calls) < 300, len(calls)
    # The highlighter still hears edits of the document afterwards.
    calls.clear()
    assert window.view.highlighter.document() is window.view.text.document()
    cursor = window.view.text.textCursor()
    cursor.insertText("x")
    assert calls


class Marker:
    pass


def test_release_later_keeps_objects_until_the_event_loop_runs(qtbot):
    thing = Marker()
    ref = weakref.ref(thing)
    release_later(thing, None)
    del thing
    assert ref() is not None
    qtbot.wait(10)
    assert ref() is None
