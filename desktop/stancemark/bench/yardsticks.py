"""Reference implementations each figure is compared with: the plain way of doing the
same job, with no application code in between.

These are the only place outside store/ and ui/ that speaks SQL or imports Qt, on
purpose: a yardstick must not go through the layers it measures.

- import_raw: sqlite3 executemany of the same article rows into a fresh store of the
  same schema (same full-text index triggers), one transaction.
- export_raw: one plain query building each article's JSON line (with its annotations)
  with json_object / json_group_array, written to a file.
- startup_bare: a process showing an empty QMainWindow in a bare QApplication.
- paint_extrasel: the 1 MB article in a QTextEdit with one ExtraSelection per
  annotation (the usual approach), to first paint (forced at once, as for the
  window), until the event loop is idle, and one scroll repaint.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from stancemark.bench.launch import time_launch
from stancemark.bench.measures import first_article_uids, fresh_repo, import_articles

_ARTICLE_INSERT = (
    "INSERT INTO articles (uid, title, text, sha256, source, url, author, published, language, "
    "added_at, meta, deleted_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")


def import_raw(params: dict, runs: int) -> dict:
    arts = import_articles(params["articles"])
    rows = [(a.uid, a.title, a.text, a.sha256, a.source, a.url, a.author, a.published,
             a.language, a.added_at, json.dumps(a.meta), None) for a in arts]
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            fresh_repo(Path(tmp), f"run{run}").close()  # the schema, made by the app
            conn = sqlite3.connect(Path(tmp) / f"run{run}.sqlite", isolation_level=None)
            t0 = time.perf_counter()
            conn.execute("BEGIN")
            conn.executemany(_ARTICLE_INSERT, rows)
            conn.execute("COMMIT")
            times.append(time.perf_counter() - t0)
            count = conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
            conn.close()
    return {"times": times, "info": {"articles": count}}


_ANNOTATION_JSON = """json_object(
    'uid', an.uid, 'annotator_uid', ann.uid, 'kind', an.kind, 'start', an.start,
    'end', an."end", 'quote', an.quote, 'actor_uid', ac.uid, 'date_value', an.date_value,
    'date_granularity', an.date_granularity, 'holder_uid', h.uid,
    'target_topic_uid', tt.uid, 'target_actor_uid', ta.uid, 'polarity', an.polarity,
    'stance_date', an.stance_date, 'note', an.note, 'meta', json(an.meta),
    'created_at', an.created_at, 'updated_at', an.updated_at, 'deleted_at', an.deleted_at)"""

EXPORT_SQL = f"""
SELECT json_object(
    'type', 'article', 'uid', a.uid, 'title', a.title, 'source', a.source, 'url', a.url,
    'author', a.author, 'published', a.published, 'language', a.language, 'text', a.text,
    'sha256', a.sha256, 'added_at', a.added_at, 'meta', json(a.meta),
    'deleted_at', a.deleted_at, 'status', json_object(),
    'annotations', (SELECT json_group_array(json(j)) FROM (
        SELECT {_ANNOTATION_JSON} AS j
        FROM annotations an
        JOIN annotators ann ON ann.id = an.annotator_id
        LEFT JOIN actors ac ON ac.id = an.actor_id
        LEFT JOIN actors h ON h.id = an.holder_id
        LEFT JOIN topics tt ON tt.id = an.target_topic_id
        LEFT JOIN actors ta ON ta.id = an.target_actor_id
        WHERE an.article_id = a.id ORDER BY an.start, an."end", an.uid)))
FROM articles a WHERE a.uid IN (SELECT value FROM json_each(?))
ORDER BY a.added_at, a.uid"""  # noqa: S608 - fixed text, no user input


def export_raw(params: dict, runs: int) -> dict:
    conn = sqlite3.connect(params["store"], isolation_level=None)
    from stancemark.store import Repository, open_store

    repo = Repository(open_store(params["store"]), "ana")
    uids = json.dumps(first_article_uids(repo, params["articles"]))
    repo.close()
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            out = Path(tmp) / f"raw{run}.jsonl"
            t0 = time.perf_counter()
            with open(out, "w", encoding="utf-8", newline="\n") as fh:
                fh.write('{"type":"stancemark","version":1}\n')
                for (line,) in conn.execute(EXPORT_SQL, [uids]):
                    fh.write(line + "\n")
            times.append(time.perf_counter() - t0)
            size = out.stat().st_size
            out.unlink()
    conn.close()
    return {"times": times, "info": {"bytes": size}}


BARE_WINDOW = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow()
w.resize(1200, 800)
w.show()
app.processEvents()
from stancemark.bench.launch import report_shown
report_shown()
"""


def startup_bare(params: dict, runs: int) -> dict:
    times, rss = [], []
    for _ in range(runs):
        seconds, info = time_launch([sys.executable, "-c", BARE_WINDOW])
        times.append(seconds)
        rss.append(info["rss_mb"])
    return {"times": times, "info": {"rss_mb": rss}}


def paint_extrasel(params: dict, runs: int) -> dict:
    """Open the long article in a QTextEdit with one ExtraSelection per annotation."""
    from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
    from PySide6.QtWidgets import QApplication, QTextEdit

    from stancemark.bench.qt_timing import PaintCounter, first_paint, settle_painted
    from stancemark.core.palette import KIND_COLOURS
    from stancemark.core.text import OffsetMap
    from stancemark.store import Repository, open_store

    repo = Repository(open_store(params["store"]), "ana")
    art = next(repo.iter_articles())
    anns = repo.list_annotations(art.uid)
    repo.close()
    app = QApplication.instance() or QApplication([])
    formats = {}
    for kind, colour in KIND_COLOURS.items():
        f = QTextCharFormat()
        f.setBackground(QColor(colour))
        formats[kind] = f
    omap = OffsetMap(art.text)
    times, settled, scrolls, forced = [], [], [], 0
    for _ in range(runs):
        edit = QTextEdit()
        edit.setReadOnly(True)
        edit.resize(1000, 720)
        edit.show()
        app.processEvents()
        counter = PaintCounter(edit.viewport())
        t0 = time.perf_counter()
        edit.setPlainText(art.text)
        sels = []
        for a in anns:
            sel = QTextEdit.ExtraSelection()
            cur = QTextCursor(edit.document())
            cur.setPosition(omap.to_utf16(a.start))
            cur.setPosition(omap.to_utf16(a.end), QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cur
            sel.format = formats[a.kind]
            sels.append(sel)
        edit.setExtraSelections(sels)
        first_paint(edit.viewport())
        times.append(time.perf_counter() - t0)
        app.processEvents()
        app.processEvents()
        settled.append(time.perf_counter() - t0)
        bar = edit.verticalScrollBar()
        before = counter.count
        t0 = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        forced += not settle_painted(app, edit.viewport(), counter, before)
        scrolls.append(time.perf_counter() - t0)
        edit.close()
        edit.deleteLater()
        app.processEvents()
    return {"times": times, "series": {"scroll": scrolls, "settled": settled},
            "info": {"annotations": len(anns), "characters": len(art.text),
                     "forced_repaints": forced}}
