"""The measured side of the window figures: the real main window, driven as a user
drives it (offscreen).

- startup_app: `stancemark --store S --annotator ana` in a fresh process, timed until
  its main window is shown and its event queue has run once (the probe wraps
  QApplication.exec to notice that moment, then quits).
- paint_app: MainWindow.open_article on the long article, to the viewport's first
  paint; then one page of scrolling to the next paint.
- tag_app: a word selected, A pressed (the actor popup opens), then Enter: timed from
  the Enter key to the annotation committed in the store and the view repainted.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from stancemark.bench.launch import report_more, report_shown, rss_mb, time_launch

if TYPE_CHECKING:  # nothing of the application at the top: the launch child loads it
    from PySide6.QtWidgets import QApplication

    from stancemark.store.repository import Repository
    from stancemark.ui.window.main_window import MainWindow

WINDOW_SIZE = (1400, 900)


def startup_app(params: dict, runs: int) -> dict:
    times, rss, rss_full = [], [], []
    cmd = [sys.executable, "-m", "stancemark.bench.window_probe", "launch", params["store"]]
    for _ in range(runs):
        seconds, info = time_launch(cmd)
        times.append(seconds)
        rss.append(info["rss_mb"])
        rss_full.append(info.get("rss_full_mb", info["rss_mb"]))
    return {"times": times, "info": {"rss_mb": rss, "rss_full_mb": rss_full,
                                     "articles_listed": info.get("articles"),
                                     "articles_after_scroll": info.get("articles_full")}}


def _launch_child(store: str) -> int:
    """Child side of startup_app: the real command line, with exec() watched. This
    module imports nothing of the application at its top, so the child loads only
    what `stancemark` itself loads."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    real_exec = QApplication.exec

    def watched_exec(*_args: object) -> int:
        app = QApplication.instance()
        assert isinstance(app, QApplication)  # exec() runs on the application made

        def shown() -> None:
            from stancemark.ui.window.main_window import MainWindow  # loaded by now

            app.processEvents()
            windows = [w for w in app.topLevelWidgets()
                       if w.isVisible() and isinstance(w, MainWindow)]
            count = windows[0].list.model.rowCount() if windows else None
            report_shown(windows=len(windows), articles=count)
            if windows:  # then the whole article list paged in, as a long scroll does
                model = windows[0].list.model
                while model.canFetchMore():
                    model.fetchMore()
                app.processEvents()
                report_more(rss_full_mb=rss_mb(), articles_full=model.rowCount())
            app.quit()
        QTimer.singleShot(0, shown)
        return real_exec()

    QApplication.exec = watched_exec  # type: ignore[method-assign]  # watch the real start
    from stancemark.cli import main

    return main(["--store", store, "--annotator", "ana"])


def _window(store: Path, tmp: Path) -> tuple[QApplication, Repository, MainWindow]:
    """A MainWindow on `store`, shown, with window settings in `tmp`."""
    from PySide6.QtCore import QSettings

    from stancemark.store import Repository, open_store
    from stancemark.ui.window.app import application, build_window, settle_heap

    app = application([])
    repo = Repository(open_store(store), "ana")
    settings = QSettings(str(tmp / "window.ini"), QSettings.Format.IniFormat)
    window = build_window(repo, store, settings)
    window.resize(*WINDOW_SIZE)
    window.show()
    settle_heap()  # as the application's run() does once its window is shown
    app.processEvents()
    return app, repo, window


def paint_app(params: dict, runs: int) -> dict:
    """First paint: open_article, then the viewport's paint forced at once (what the
    event loop does next). Settled: the event loop then runs until the window's
    deferred work (the rest of the annotations) is done. Scroll: one page, repainted."""
    from stancemark.bench.qt_timing import PaintCounter, first_paint, settle_painted

    times, settled, scrolls, forced = [], [], [], 0
    with tempfile.TemporaryDirectory() as tmp:
        app, repo, window = _window(Path(params["store"]), Path(tmp))
        uid = next(repo.iter_articles()).uid
        view = window.view.text
        counter = PaintCounter(view.viewport())
        for _ in range(runs):
            window.view.show_empty("", "")
            app.processEvents()
            t0 = time.perf_counter()
            window.open_article(uid)
            first_paint(view.viewport())
            times.append(time.perf_counter() - t0)
            app.processEvents()
            app.processEvents()
            settled.append(time.perf_counter() - t0)
            bar = view.verticalScrollBar()
            before = counter.count
            t0 = time.perf_counter()
            bar.setValue(bar.value() + bar.pageStep())
            forced += not settle_painted(app, view.viewport(), counter, before)
            scrolls.append(time.perf_counter() - t0)
        shown = len(repo.list_annotations(uid, [repo.annotator.uid]))
        window.close()
        repo.close()
    return {"times": times, "series": {"scroll": scrolls, "settled": settled},
            "info": {"annotations_shown": shown, "forced_repaints": forced}}


# Register names and aliases standing alone (not inside "pro-Taiwan", which the
# selection would snap to and the popup would offer as a new actor).
_TAGGABLE = re.compile(r"(?<![\w’'-])(Taiwan|China|Beijing|Trump|Washington|Taipei)(?![\w’'-])")


def tag_app(params: dict, runs: int) -> dict:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from stancemark.bench.qt_timing import PaintCounter, settle_painted
    from stancemark.bench.stores import copy_store

    times, popups, forced = [], [], 0
    with tempfile.TemporaryDirectory() as tmp:
        store = copy_store(Path(params["store"]), Path(tmp) / "tag.sqlite")
        app, repo, window = _window(store, Path(tmp))
        art = window.view.article
        if art is None:
            raise RuntimeError("the window opened no article")
        view = window.view.text
        # A coder tags after reading: the view's idle-time highlighting has finished.
        finish = getattr(window.view, "finish_highlighting", None)
        if finish is not None:
            finish()
        app.processEvents()
        counter = PaintCounter(view.viewport())
        # words the register knows, early in the text so they are on screen
        spans = [m.span() for m in _TAGGABLE.finditer(art.text, 0, 20_000)]
        before_count = repo.stats()["annotations"]
        actors = len(repo.list_actors())
        for run in range(runs):
            start, end = spans[run % len(spans)]
            window.activateWindow()  # focus back from the closed popup, as on screen
            window.view.select_span(start, end)
            view.setFocus()
            app.processEvents()
            t0 = time.perf_counter()
            QTest.keyClick(view, Qt.Key.Key_A)
            app.processEvents()
            popup = window.tagger.popup
            if popup is None:
                raise RuntimeError(f"run {run}: pressing A opened no popup")
            popups.append(time.perf_counter() - t0)
            before = counter.count
            t0 = time.perf_counter()
            focus = popup.focusWidget()  # None before the popup has focus
            QTest.keyClick(focus if focus is not None else popup, Qt.Key.Key_Return)
            forced += not settle_painted(app, view.viewport(), counter, before)
            times.append(time.perf_counter() - t0)
        added = repo.stats()["annotations"] - before_count
        new_actors = len(repo.list_actors()) - actors
        window.close()
        repo.close()
    if added != runs or new_actors:
        raise RuntimeError(f"{runs} tags made, {added} committed, {new_actors} new actor(s)")
    return {"times": times, "series": {"popup": popups},
            "info": {"committed": added, "forced_repaints": forced,
                     "characters": len(art.text)}}


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "launch":
        sys.exit(_launch_child(sys.argv[2]))
    sys.exit("usage: python -m stancemark.bench.window_probe launch STORE")
