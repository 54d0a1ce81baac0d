"""A scripted window session the crash harness kills with SIGKILL.

    QT_QPA_PLATFORM=offscreen python window_writer.py STORE SEED COUNT SETTINGS_FILE

Opens the real MainWindow (as `stancemark` does, through ui.app), then tags actor
mentions the way a user does: select a word, press A, press Return in the popup.
After each tag the window reports, it prints `add UID` once the row is in the store
(the window commits before it says "Saved"), so each line is a promise to check.
"""

from __future__ import annotations

import os
import random
import re
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402


def promise(action: str, uid: str) -> None:
    """One write per line (atomic on a pipe), so a kill never cuts a promise in half,
    even with PYTHONUNBUFFERED (where print() writes each piece separately)."""
    sys.stdout.write(f"{action} {uid}\n")
    sys.stdout.flush()


def utf16(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


def main(store: str, seed: int, count: int, settings_file: str) -> None:
    from stancemark.ui.window.app import application, build_window, open_repo

    app = application()
    rng = random.Random(seed)
    repo = open_repo(store, f"window-{seed % 5}")
    window = build_window(repo, None, QSettings(settings_file, QSettings.Format.IniFormat))
    window.show()

    def activate() -> None:
        # Window shortcuts (A) fire only in the active window; a popup takes activation.
        window.raise_()
        window.activateWindow()
        for _ in range(200):
            app.processEvents()
            if window.isActiveWindow():
                return

    articles = [r.uid for r in repo.list_articles()]
    me = repo.annotator.uid
    for _ in range(count):
        activate()
        uid = rng.choice(articles)
        window.open_article(uid)
        text = window.view.article.text
        words = [(m.start(), m.end()) for m in re.finditer(r"\w{4,}", text)]
        start, end = rng.choice(words)
        known = {a.uid for a in repo.list_annotations(uid, [me])}
        cursor = QTextCursor(window.view.text.document())
        cursor.setPosition(utf16(text, start))
        cursor.setPosition(utf16(text, end), QTextCursor.MoveMode.KeepAnchor)
        window.view.text.setTextCursor(cursor)
        window.view.text.setFocus()
        QTest.keyClick(window.view.text, Qt.Key.Key_A)
        popup = window.tagger.popup
        if popup is None:
            continue
        if popup.cache.actor_by_text(popup.name.text()) is None:  # a new actor: ask for it
            QTest.keyClick(popup.name, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClick(popup.name, Qt.Key.Key_Return)
        app.processEvents()
        if not window.saved_label.text().startswith("Saved"):
            continue
        for a in repo.list_annotations(uid, [me]):
            if a.uid not in known:
                promise("add", a.uid)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
