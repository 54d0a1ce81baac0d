"""PySide6 6.12.0 on CPython 3.11 drops a reference to None on every call of a method
returning nothing, and the process aborts ("none_dealloc") after a few thousand calls.
The dependency is constrained against it; this proves the installed pair survives."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import sys
    from PySide6.QtGui import QTextCursor, QTextDocument
    from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTextEdit
    app = QApplication([])
    doc = QTextDocument("x" * 200)
    cursor = QTextCursor(doc)
    edit = QPlainTextEdit()
    sel = QTextEdit.ExtraSelection()
    before = sys.getrefcount(None)
    for i in range(10_000):
        cursor.setPosition(i % 200)          # returns None
        sel.cursor = cursor                  # attribute assignment returning None
        if i % 500 == 0:
            edit.setPlainText("abc")         # returns None
    print("ok", before, sys.getrefcount(None))
""")


def test_ten_thousand_none_returning_calls_do_not_abort():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                            timeout=120, env={"QT_QPA_PLATFORM": "offscreen",
                                              **__import__("os").environ})
    assert result.returncode == 0, result.stderr[-1000:]
    assert result.stdout.startswith("ok")


def test_installed_pyside_respects_the_constraint():
    from importlib.metadata import version

    qt = tuple(int(x) for x in version("PySide6-Essentials").split(".")[:2])
    if sys.version_info < (3, 12):
        assert qt < (6, 12), "PySide6 6.12 crashes on Python 3.11 (none_dealloc)"
