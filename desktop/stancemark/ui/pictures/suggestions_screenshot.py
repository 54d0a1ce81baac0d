"""Make the README screenshot of suggestions: a sample article with its suggestions
(dotted violet outlines) beside a few accepted ones (tags), one rejected, and the current
suggestion (solid outline) named in the status bar. Run it under a display (Xvfb with a
window manager for the README):

    python -m stancemark.ui.pictures.suggestions_screenshot --store demo.sqlite \\
        --out suggestions.png [--size 1280x720] [--dark]

The store is seeded with the sample articles if empty; the decisions are made with the
window's own keys (Enter accepts, Backspace rejects), as an analyst makes them.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--store", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--size", default="1280x720")
    p.add_argument("--article", default="Pompeo", help="open the article whose title starts so")
    p.add_argument("--dark", action="store_true", help="the dark theme")
    args = p.parse_args(argv)
    if args.dark:
        os.environ["STANCEMARK_THEME"] = "dark"

    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from stancemark.formats.seed import seed
    from stancemark.ui.pictures.screenshot import save_and_quit
    from stancemark.ui.window.app import application, build_window, open_repo

    app = application()
    repo = open_repo(args.store, "ana")
    if not repo.stats()["articles"]:
        seed(repo)
    settings = QSettings(str(args.out.with_suffix(".ini")), QSettings.Format.IniFormat)
    window = build_window(repo, args.store, settings)
    w, h = (int(x) for x in args.size.split("x"))
    window.resize(w, h)
    target = next((r for r in repo.list_articles() if r.title.startswith(args.article)), None)
    window.show()
    if target:
        window.open_article(target.uid)
    text = window.view.text

    def key(k: Qt.Key) -> None:
        for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
            QApplication.sendEvent(text, QKeyEvent(kind, k, Qt.KeyboardModifier.NoModifier))

    def decide() -> None:
        text.setFocus()
        window.suggestions.compute()
        # accept the first four (actors and a date), reject the fifth: tags, a rejected
        # one gone, and the rest still proposed, with the current one outlined solid
        for k in (Qt.Key.Key_Tab, Qt.Key.Key_Return, Qt.Key.Key_Return, Qt.Key.Key_Return,
                  Qt.Key.Key_Return, Qt.Key.Key_Backspace, Qt.Key.Key_Tab):
            key(k)
        window.view.finish_highlighting()
        text.verticalScrollBar().setValue(0)
        QTimer.singleShot(300, lambda: save_and_quit(app, window, args.out))

    QTimer.singleShot(600, decide)
    code = app.exec()
    repo.close()
    args.out.with_suffix(".ini").unlink(missing_ok=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
