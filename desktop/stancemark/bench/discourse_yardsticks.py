"""Yardsticks of the discourse figures: the plain way of doing the same job.

- table_raw: sqlite3, the stance table's first screen the obvious way: a count of the
  live stances, then the first 60 rows with holder, target, polarity, date, article,
  quote and annotator joined in.
- filter_raw: the same, for each filter of the filter figure, written as plain SQL
  (names matched with LIKE through the joins, the date as coalesce(stance date, the
  article's date)).
- network_nx: networkx alone building the actor x topic graph of the whole corpus:
  the stances read with sqlite3, one weighted edge per actor and topic with its
  polarity counts (no layout, no drawing).
- step_nx: networkx building the graph of one three-month window from stances already
  in memory (what one step of the window redoes).
- window_rss: the resident memory of the main window on the same store, without the
  Discourse window.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from stancemark.bench.discourse_probe import FILTERS
from stancemark.bench.launch import rss_mb

LIVE = "an.kind = 'stance' AND an.deleted_at IS NULL"
FIRST_SCREEN = f"""
SELECT h.name, coalesce(t.name, ta.name), an.polarity,
       coalesce(an.stance_date, ar.published), ar.title, ar.published, an.quote, n.name
FROM annotations an
JOIN articles ar ON ar.id = an.article_id
JOIN annotators n ON n.id = an.annotator_id
LEFT JOIN actors h ON h.id = an.holder_id
LEFT JOIN topics t ON t.id = an.target_topic_id
LEFT JOIN actors ta ON ta.id = an.target_actor_id
WHERE {LIVE} AND {{where}} ORDER BY an.id LIMIT 60"""  # noqa: S608 - fixed text
COUNT = f"""
SELECT count(*) FROM annotations an
JOIN articles ar ON ar.id = an.article_id
LEFT JOIN actors h ON h.id = an.holder_id
LEFT JOIN topics t ON t.id = an.target_topic_id
LEFT JOIN actors ta ON ta.id = an.target_actor_id
WHERE {LIVE} AND {{where}}"""  # noqa: S608 - fixed text


def _plain(f: dict[str, Any]) -> tuple[str, list[Any]]:
    """A filter of the filter figure as plain SQL over the joins above."""
    if "holder" in f:
        return "h.name LIKE ?", [f"%{f['holder']}%"]
    if "polarity" in f:
        return "an.polarity = ?", [f["polarity"][0]]
    if "target" in f:
        return "coalesce(t.name, ta.name) LIKE ?", [f"%{f['target']}%"]
    return ("coalesce(an.stance_date, ar.published) BETWEEN ? AND ?",
            [f["date_from"], f["date_to"] + "\uffff"])


def _screen(conn: sqlite3.Connection, where: str, params: list[Any]) -> int:
    n = conn.execute(COUNT.format(where=where), params).fetchone()[0]
    conn.execute(FIRST_SCREEN.format(where=where), params).fetchall()
    return int(n)


def table_raw(params: dict, runs: int) -> dict:
    conn = sqlite3.connect(params["store"])
    times, n = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        n = _screen(conn, "1", [])
        times.append(time.perf_counter() - t0)
    conn.close()
    return {"times": times, "info": {"stances": n}}


def filter_raw(params: dict, runs: int) -> dict:
    conn = sqlite3.connect(params["store"])
    _screen(conn, "1", [])  # the file opened and its pages cached, as for the window
    times, counts = [], {}
    for run in range(runs * len(FILTERS)):
        f = FILTERS[run % len(FILTERS)]
        where, values = _plain(f)
        t0 = time.perf_counter()
        counts[repr(f)] = _screen(conn, where, values)
        times.append(time.perf_counter() - t0)
    conn.close()
    return {"times": times, "info": {"rows": counts}}


STANCES = f"""
SELECT an.holder_id, an.target_topic_id, an.polarity,
       coalesce(an.stance_date, ar.published)
FROM annotations an JOIN articles ar ON ar.id = an.article_id
WHERE {LIVE} AND an.holder_id IS NOT NULL AND an.target_topic_id IS NOT NULL"""  # noqa: S608


def _graph(rows: Any) -> Any:
    import networkx as nx

    g: Any = nx.Graph()
    for h, t, pol, _ in rows:
        a, b = ("actor", h), ("topic", t)
        if g.has_edge(a, b):
            d = g[a][b]
            d["weight"] += 1
            d[pol] = d.get(pol, 0) + 1
        else:
            g.add_edge(a, b, weight=1, **{pol: 1})
    return g


def network_nx(params: dict, runs: int) -> dict:
    conn = sqlite3.connect(params["store"])
    times, building = [], []
    g: Any = None
    for _ in range(runs):
        t0 = time.perf_counter()
        rows = conn.execute(STANCES).fetchall()
        t1 = time.perf_counter()
        g = _graph(rows)
        times.append(time.perf_counter() - t0)
        building.append(time.perf_counter() - t1)
    conn.close()
    return {"times": times, "series": {"building": building},
            "info": {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}}


def step_nx(params: dict, runs: int) -> dict:
    """The probe's windows (three months, one month apart, from the first stance)."""
    import networkx  # noqa: F401 - imported outside the clock, as the window has it

    from stancemark.core.periods import day_of, windows

    conn = sqlite3.connect(params["store"])
    rows = [(h, t, p, day_of(d)) for h, t, p, d in conn.execute(STANCES)]
    conn.close()
    days = [d for *_, d in rows if d]
    spans = windows(min(days), max(days), "month", 3)
    times = []
    for run in range(runs * 4):
        lo, hi = spans[1 + run % (len(spans) - 1)]
        t0 = time.perf_counter()
        _graph(r for r in rows if lo <= r[3] <= hi)
        times.append(time.perf_counter() - t0)
    return {"times": times}


def window_rss(params: dict, runs: int) -> dict:
    from stancemark.bench.window_probe import _window

    with tempfile.TemporaryDirectory() as tmp:
        app, repo, window = _window(Path(params["store"]), Path(tmp))
        app.processEvents()
        memory = rss_mb()
        window.close()
        repo.close()
    return {"times": [0.0], "info": {"rss_mb": [memory]}}
