"""Suggestions in the real main window (offscreen): the long article opened with a
register of 5,000 actors and 20,000 names (bench/suggest_bench.py's), timed from the
viewport's first paint to its first paint with the suggestions' outlines (the first
screen's, drawn before the window loads the rest of the tags), and, as a second series,
to the whole article's suggestions set and painted (computed next, settled by the tags
in the store, still before the window has loaded the rest of its own).

The register is added to a private copy of the long store, outside the clock; the window
opens the article once before the runs (building the register's matcher, which a
session does once, and waits for the suggestion worker to build it too; that first
opening is reported in "info", with how many of the runs' answers came from the worker
and its memory).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path


def _add_register(store: Path, actors: int, aliases: int) -> int:
    """The synthetic register's actors that the store does not have yet."""
    from stancemark.bench.suggest_bench import register_names
    from stancemark.store import Repository, open_store

    repo = Repository(open_store(store), "ana")
    have = {a.uid for a in repo.list_actors()}
    by_actor: dict[str, list[str]] = {}
    for uid, name in register_names(actors, aliases):
        if uid not in have:
            by_actor.setdefault(uid, []).append(name)
    with repo.tx():
        for uid, (first, *rest) in by_actor.items():
            repo.add_actor(first, "other", aliases=rest, uid=uid)
    count = len(repo.list_actors())
    repo.close()
    return count


def suggest_window(params: dict, runs: int) -> dict:
    from PySide6.QtCore import QEvent, QObject

    from stancemark.bench.qt_timing import first_paint
    from stancemark.bench.stores import copy_store
    from stancemark.bench.window_probe import _window

    class Painted(QObject):
        """When the viewport first painted with outlines on it."""

        def __init__(self, viewport: QObject, marks: object):
            super().__init__(viewport)
            self.marks = marks
            self.at: float | None = None
            self.count = 0  # outlines drawn then
            viewport.installEventFilter(self)

        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint and self.at is None and self.marks.spans:  # type: ignore[attr-defined]
                self.at = time.perf_counter()
                self.count = len(self.marks.spans)  # type: ignore[attr-defined]
            return False

    times, whole, first_open = [], [], 0.0
    with tempfile.TemporaryDirectory() as tmp:
        store = copy_store(Path(params["store"]), Path(tmp) / "suggest.sqlite")
        actors = _add_register(store, params["actors"], params["aliases"])
        t0 = time.perf_counter()
        app, repo, window = _window(store, Path(tmp))
        uid = next(repo.iter_articles()).uid
        sug, view = window.suggestions, window.view.text
        if not sug.visible:
            sug.set_visible(True)

        def settle() -> None:
            while sug.article_uid != uid:
                app.processEvents()
            app.processEvents()  # the outlines' repaint

        if window.current_article_uid() != uid:
            window.open_article(uid)
        settle()
        # the worker process (store/suggest_worker.py), started by that first opening,
        # builds the register once too; a session waits for it once, as for the matcher
        deadline = time.perf_counter() + 60
        while not sug.remote.link.ready(sug.remote.stamp) and not sug.remote.link.down \
                and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.005)
        worker = sug.remote.link.worker
        first_open = time.perf_counter() - t0
        painted = Painted(view.viewport(), view.marks)
        first_count = 0
        done: list[float] = []

        def computed(_uid: str) -> None:
            # the whole article's set: painted now (the first screen's already were;
            # this draws what they are now), and timed
            view.viewport().repaint()
            done.append(time.perf_counter())

        sug.computed.connect(computed)
        taken = 0
        take = sug.take_remote

        def counted(*args: object) -> None:
            nonlocal taken
            taken += 1
            take(*args)  # type: ignore[arg-type]

        sug.take_remote = counted  # type: ignore[method-assign,assignment]
        for _ in range(runs):
            window.view.show_empty("", "")
            app.processEvents()
            window.open_article(uid)
            first_paint(view.viewport())
            painted.at = None
            done.clear()
            t0 = time.perf_counter()
            app.processEvents()
            settle()
            if painted.at is None:
                view.viewport().repaint()
            times.append((painted.at or time.perf_counter()) - t0)
            first_count = painted.count
            whole.append((done[0] if done else time.perf_counter()) - t0)
        count = len(sug.items)
        asked = sug.remote.requests
        worker_rss = _rss_mb(worker.pid) if worker is not None and worker.pid else None
        window.close()
        repo.close()
    return {"times": times, "series": {"whole": whole},
            "info": {"actors": actors, "suggestions": count,
                     "first_screen_suggestions": first_count,
                     "first_open_with_matcher_ms": round(first_open * 1000),
                     "worker_answers_taken": taken, "worker_requests": asked,
                     "worker_rss_mb": worker_rss}}


def _rss_mb(pid: int) -> float | None:
    """The worker process's resident memory (Linux /proc; None elsewhere)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None
