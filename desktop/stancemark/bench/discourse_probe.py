"""The measured side of the discourse figures: the real Discourse window (offscreen) on
the discourse store (100,000 articles, 2,000,000 annotations, a register of thousands
of actors and topics: bench/discourse.py).

- table_app: View ▸ Discourse opened, timed to the stance table's first paint with
  its rows (the network and timeline load on the next turn of the event loop).
- filter_app: a filter typed in the stance table (holder, polarity, target, date
  range in turn), timed to the table's repaint with the new rows.
- network_app: the whole corpus's actor x topic network: stances read, counted, laid
  out and drawn (to the canvas's paint); series: reading, and congruence instead.
- step_app: one step of a moving window (three months, one month apart), to the
  canvas's repaint.
Each reports the process's resident memory with the window and the views open.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancemark.bench.launch import rss_mb

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from stancemark.store.repository import Repository
    from stancemark.ui.analysis.window import DiscourseWindow
    from stancemark.ui.window.main_window import MainWindow

FILTERS: tuple[dict[str, Any], ...] = (
    {"holder": "council"}, {"polarity": ("oppose",)}, {"target": "trade"},
    {"date_from": "2021", "date_to": "2021"})


def _discourse(store: Path, tmp: Path) -> tuple[QApplication, Repository, MainWindow]:
    from stancemark.bench.window_probe import _window

    app, repo, window = _window(store, tmp)
    return app, repo, window


def _open(app: QApplication, window: MainWindow) -> DiscourseWindow:
    from stancemark.bench.qt_timing import first_paint
    from stancemark.ui.analysis.window import DiscourseWindow

    d = DiscourseWindow(window.discourse.context(), window)
    d.resize(1280, 800)
    d.show()
    first_paint(d.stances.view.viewport())
    return d


def _settle(app: QApplication, d: DiscourseWindow) -> None:
    """Let the deferred loads (network, timeline) finish."""
    for _ in range(5):
        app.processEvents()


def table_app(params: dict, runs: int) -> dict:
    times, rows = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        app, repo, window = _discourse(Path(params["store"]), Path(tmp))
        for _ in range(runs):
            t0 = time.perf_counter()
            d = _open(app, window)
            times.append(time.perf_counter() - t0)
            rows = d.stances.model.total
            _settle(app, d)
            d.close()
            d.deleteLater()
            app.processEvents()
        memory = rss_mb()
        window.close()
        repo.close()
    return {"times": times, "info": {"stances": rows, "rss_mb": [memory]}}


def filter_app(params: dict, runs: int) -> dict:
    from stancemark.bench.qt_timing import first_paint
    from stancemark.core.stance_filter import StanceFilter

    times, counts = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        app, repo, window = _discourse(Path(params["store"]), Path(tmp))
        d = _open(app, window)
        _settle(app, d)
        table = d.stances
        for run in range(runs * len(FILTERS)):
            f = StanceFilter(**FILTERS[run % len(FILTERS)])
            t0 = time.perf_counter()
            table.apply_filter(f)
            first_paint(table.view.viewport())
            times.append(time.perf_counter() - t0)
            counts[repr(FILTERS[run % len(FILTERS)])] = table.model.total
            table.apply_filter(StanceFilter())
            _settle(app, d)
        memory = rss_mb()
        d.close()
        window.close()
        repo.close()
    return {"times": times, "info": {"rows": counts, "rss_mb": [memory]}}


def network_app(params: dict, runs: int) -> dict:
    from stancemark.bench.qt_timing import first_paint
    from stancemark.core.stance_filter import StanceFilter
    from stancemark.ui.analysis.window import DiscourseData

    times: list[float] = []
    reading: list[float] = []
    congruence: list[float] = []
    info: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        app, repo, window = _discourse(Path(params["store"]), Path(tmp))
        d = _open(app, window)
        _settle(app, d)
        panel = d.network
        canvas = panel.canvas.viewport()
        for _ in range(runs):
            t0 = time.perf_counter()
            data = DiscourseData.load(repo, StanceFilter())
            t1 = time.perf_counter()
            panel.set_data(data)
            first_paint(canvas)
            times.append(time.perf_counter() - t0)
            reading.append(t1 - t0)
            t0 = time.perf_counter()
            panel.set_options(kind="congruence")
            first_paint(canvas)
            congruence.append(time.perf_counter() - t0)
            info["congruence_edges"] = len(panel.net.edges) if panel.net else 0
            panel.set_options(kind="two-mode")
        net = panel.net
        info.update(stances=len(data.statements), nodes=len(net.nodes) if net else 0,
                    edges=len(net.edges) if net else 0, drawn_edges=len(panel.shown),
                    rss_mb=[rss_mb()])
        d.close()
        window.close()
        repo.close()
    return {"times": times, "series": {"reading": reading, "congruence": congruence},
            "info": info}


def step_app(params: dict, runs: int) -> dict:
    from stancemark.bench.qt_timing import first_paint

    times = []
    with tempfile.TemporaryDirectory() as tmp:
        app, repo, window = _discourse(Path(params["store"]), Path(tmp))
        d = _open(app, window)
        _settle(app, d)
        panel = d.network
        panel.set_options(unit="month", size=3)
        canvas = panel.canvas.viewport()
        for _ in range(runs * 4):
            if panel.slider.value() >= panel.slider.maximum():
                panel.slider.setValue(0)
            t0 = time.perf_counter()
            panel.step(1)
            first_paint(canvas)
            times.append(time.perf_counter() - t0)
        info = {"windows": len(panel.spans), "rss_mb": [rss_mb()],
                "last_window_stances": panel.net.statements if panel.net else 0}
        d.close()
        window.close()
        repo.close()
    return {"times": times, "info": info}
