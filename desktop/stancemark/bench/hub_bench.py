"""The hub's figures, on a real local PostgreSQL server (bench.pg_cluster, or the one
named by $STANCEMARK_BENCH_HUB_URL), with their yardsticks: PostgreSQL's own COPY of the
same rows, and SQLite's own insert of them.

- hub_push: a store that has synced its 10,000 articles and 200,000 annotations adds N
  new annotations; timed: the sync that pushes them (and pulls nothing new).
- hub_pull: a hub holding M annotations (pushed once from a cached store, outside the
  clock); timed: a fresh store's first sync pulling all of them; series "idle": a sync
  with nothing new right after.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from stancemark.core.errors import existing
from stancemark.core.model import Annotation, new_uid
from stancemark.store import Repository, open_store


def _database(server: str) -> tuple[str, str]:
    """A fresh database on the benchmark's server: (its name, the owner's URL to it)."""
    import psycopg

    name = "bench_" + secrets.token_hex(5)
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    head, _, query = server.partition("?")
    return name, f"{head.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")


def _drop(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _hub(server: str, *members: str) -> tuple[str, str, dict[str, str]]:
    """A fresh hub with these analysts: (database, owner URL, member URLs)."""
    from stancemark.store.hub import add_member, init_hub, save_password

    name, url = _database(server)
    init_hub(url)
    urls = {}
    for who in members:
        new = add_member(url, f"{who}_{name}", reviewer=False, annotator=who, new_password=True)
        save_password(new.url, new.password or "")
        urls[who] = new.url
    return name, url, urls


def _copies(repo: Repository, n: int, tag: str) -> list[Annotation]:
    """n new annotations (fresh uids) on spans the store already tags."""
    rows = repo.conn.execute("SELECT uid FROM annotations ORDER BY id LIMIT ?", [n]).fetchall()
    out = []
    for (uid,) in rows:
        a = existing(repo.get_annotation(uid), "annotation", uid)
        out.append(a.with_changes(uid=new_uid(), note=tag, created_at="", updated_at=""))
    return out


def hub_push(params: dict, runs: int) -> dict:
    from stancemark.bench.stores import copy_store
    from stancemark.store.bulk import bulk_load
    from stancemark.store.hub import sync

    server, n = params["server"], params["annotations"]
    db, _, urls = _hub(server, "ana")
    times: list[float] = []
    info: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = copy_store(Path(params["store"]), Path(tmp) / "ana.sqlite")
            repo = Repository(open_store(path), "ana")
            t0 = time.perf_counter()
            first = sync(repo, urls["ana"])
            info["first_push_s"] = round(time.perf_counter() - t0, 2)
            info["first_push"] = dict(first.pushed)
            for run in range(runs):
                new = _copies(repo, n, f"run {run}")
                bulk_load(repo, annotations=[a.with_changes(created_at="2026-01-01T00:00:00",
                                                            updated_at="2026-01-01T00:00:00")
                                             for a in new])
                t0 = time.perf_counter()
                report = sync(repo, urls["ana"])
                times.append(time.perf_counter() - t0)
                info["pushed"] = dict(report.pushed)
            repo.close()
    finally:
        _drop(server, db)
    return {"times": times, "info": info}


def hub_pull(params: dict, runs: int) -> dict:
    from stancemark.store.hub import sync

    server = params["server"]
    db, _, urls = _hub(server, "ana", *(f"bo{run}" for run in range(runs)))
    times: list[float] = []
    idle: list[float] = []
    info: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            from stancemark.bench.stores import copy_store

            source = copy_store(Path(params["store"]), Path(tmp) / "ana.sqlite")
            ana = Repository(open_store(source), "ana")
            t0 = time.perf_counter()
            first = sync(ana, urls["ana"])
            info["first_push_s"] = round(time.perf_counter() - t0, 2)
            info["hub_annotations"] = first.pushed["annotation"]
            ana.close()
            for run in range(runs):
                who = f"bo{run}"
                repo = Repository(open_store(Path(tmp) / f"{who}.sqlite"), who)
                t0 = time.perf_counter()
                report = sync(repo, urls[who])
                times.append(time.perf_counter() - t0)
                info["pulled"] = dict(report.pulled)
                info["annotations_after"] = repo.stats()["annotations"]
                for _ in range(3):
                    t0 = time.perf_counter()
                    sync(repo, urls[who])
                    idle.append(time.perf_counter() - t0)
                repo.close()
                Path(tmp, f"{who}.sqlite").unlink()
    finally:
        _drop(server, db)
    return {"times": times, "series": {"idle": idle}, "info": info}


# ---------------------------------------------------------------------- yardsticks
_ROW_SQL = """
SELECT 'annotation', an.uid, n.name, an.updated_at,
       json_object('uid', an.uid, 'article_id', ar.sha256, 'annotator_id', n.uid,
                   'kind', an.kind, 'start', an.start, 'end', an."end", 'quote', an.quote,
                   'actor_id', ac.uid, 'date_value', an.date_value,
                   'date_granularity', an.date_granularity, 'holder_id', h.uid,
                   'target_topic_id', t.uid, 'target_actor_id', ta.uid,
                   'polarity', an.polarity, 'stance_date', an.stance_date, 'note', an.note,
                   'meta', an.meta, 'created_at', an.created_at, 'updated_at', an.updated_at,
                   'deleted_at', an.deleted_at)
FROM annotations an JOIN articles ar ON ar.id = an.article_id
JOIN annotators n ON n.id = an.annotator_id
LEFT JOIN actors ac ON ac.id = an.actor_id LEFT JOIN actors h ON h.id = an.holder_id
LEFT JOIN topics t ON t.id = an.target_topic_id LEFT JOIN actors ta ON ta.id = an.target_actor_id
ORDER BY an.id LIMIT ?"""
_PLAIN = ("CREATE TABLE plain (entity text, key text, owner text, edited text, data jsonb, "
          "PRIMARY KEY (entity, key))")


def _rows(store: str, n: int) -> list[tuple]:
    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        return conn.execute(_ROW_SQL, [n]).fetchall()
    finally:
        conn.close()


def _copy_in(url: str, rows: list[tuple]) -> float:
    import psycopg

    with psycopg.connect(url) as conn:
        conn.execute("DROP TABLE IF EXISTS plain")
        conn.execute(_PLAIN)
        conn.commit()
        t0 = time.perf_counter()
        with conn.cursor().copy("COPY plain FROM STDIN") as copy:
            for r in rows:
                copy.write_row(r)
        conn.commit()
        return time.perf_counter() - t0


def copy_in(params: dict, runs: int) -> dict:
    """PostgreSQL's COPY of the same annotation rows (as JSON) into a plain table with
    the hub's key, no triggers, no row-level security."""
    server = params["server"]
    rows = _rows(params["store"], params["annotations"])
    db, url = _database(server)
    try:
        times = [_copy_in(url, rows) for _ in range(runs)]
    finally:
        _drop(server, db)
    return {"times": times, "info": {"rows": len(rows)}}


def copy_out_sqlite_in(params: dict, runs: int) -> dict:
    """The pull's plain way: PostgreSQL's COPY of the same rows out, then SQLite's
    executemany of them into a table of the store's annotation columns."""
    import psycopg

    server = params["server"]
    rows = _rows(params["store"], params["annotations"])
    db, url = _database(server)
    times: list[float] = []
    out_s: list[float] = []
    try:
        _copy_in(url, rows)
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as tmp, psycopg.connect(url) as conn:
                t0 = time.perf_counter()
                got = []
                with conn.cursor().copy("COPY (SELECT data FROM plain) TO STDOUT") as copy:
                    for (data,) in copy.rows():
                        got.append(json.loads(data))
                t1 = time.perf_counter()
                lite = sqlite3.connect(str(Path(tmp) / "y.sqlite"), isolation_level=None)
                cols = list(got[0])
                lite.execute(f"CREATE TABLE annotations (id INTEGER PRIMARY KEY, "  # noqa: S608
                             f"{', '.join(repr(c) for c in cols)})")
                lite.execute("BEGIN")
                lite.executemany(
                    f"INSERT INTO annotations ({', '.join(repr(c) for c in cols)}) "  # noqa: S608
                    f"VALUES ({', '.join('?' * len(cols))})",
                    [[d[c] for c in cols] for d in got])
                lite.execute("COMMIT")
                lite.close()
                times.append(time.perf_counter() - t0)
                out_s.append(t1 - t0)
    finally:
        _drop(server, db)
    return {"times": times, "info": {"rows": len(rows),
                                     "copy_out_s": [round(x, 2) for x in out_s]}}
