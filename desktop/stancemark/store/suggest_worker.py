"""A long article's suggestions computed in a process of their own, beside the window.

Why a process: the whole article's suggestions for a 1 MB article take ~40 ms of
pure-Python work (the automaton's pass and the rules over ~26,000 hits), and the
window must show them within 50 ms of its first paint without delaying that paint. A
thread cannot: the computation holds the interpreter lock through the automaton's
pass, so the opening's own Python work would wait for it. A process runs on the
other core from the moment the article is asked for, while the window builds and
paints it, and sends its answer as arrays (core.suggest.Proposed with the actors'
hits compacted: a few hundred kilobytes, not ~17,000 objects to pickle).

The worker reads what it needs from the store file on a read-only connection of its
own, in one read transaction (a consistent snapshot): the article's text and date,
the annotator's tags and rejections. What it cannot read is the register as the
window knows it (names, aliases, the learnt muted aliases): the window sends it
(`register`), stamped; each request names the stamp it expects, and the pipe keeps
messages in order, so a request is always answered with the register sent before it.

Messages (tuples, pickled by multiprocessing's Connection):
- to the worker: ("register", stamp, names, muted); ("suggest", request, stamp,
  store path, article uid, annotator uid, kinds); ("stop",)
- from it: ("ready", stamp); ("result", request, article sha256, Proposed);
  ("failed", request, one line)

The window falls back to computing in its own process whenever the worker is not
there, not ready, failed, or answered for a store that has changed since (ui side:
ui/window/suggestion_worker.py). A worker whose window died sees its pipe close and
ends.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
from collections.abc import Collection, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import quote

from stancemark.core.suggest import AliasMatcher, Proposed, propose
from stancemark.core.suggest.date_patterns import TRIGGER_WORDS
from stancemark.store.annotation_spans import tag_spans_in
from stancemark.store.suggestion_store import rejected_keys

# A text that sends every date pattern through its first compilation and the matcher
# through its array path once, so the first real request does not pay for them.
_WARM_UP = " ".join(sorted(TRIGGER_WORDS)) + " on 3 May 2021, last Monday. " * 2


def serve(conn: Connection) -> None:
    """The worker's loop (the process's target): answer requests until told to stop
    or the window's end of the pipe closes."""
    matcher: AliasMatcher | None = None
    stamp: Any = None
    reader = _Reader()
    try:
        while True:
            try:
                msg = conn.recv()
            except (EOFError, OSError):
                return
            if msg[0] == "stop":
                return
            if msg[0] == "register":
                _, stamp, names, muted = msg
                matcher = AliasMatcher(names, muted)
                propose(_WARM_UP * (20_000 // len(_WARM_UP) + 1), matcher, "2021-05-10")
                conn.send(("ready", stamp))
            elif msg[0] == "suggest":
                _, request, want, path, article_uid, annotator_uid, kinds = msg
                try:
                    if want != stamp or matcher is None:
                        raise LookupError("the register it was asked with is not the worker's")
                    sha, proposed = reader.propose(Path(path), article_uid, annotator_uid,
                                                   matcher, kinds)
                    conn.send(("result", request, sha, proposed))
                # A process boundary: whatever went wrong is told to the window, which
                # then computes the suggestions itself; the worker stays up.
                except Exception as exc:  # noqa: BLE001
                    conn.send(("failed", request, f"{type(exc).__name__}: {exc}"))
    finally:
        reader.close()
        conn.close()


class _Reader:
    """Read-only connections to the store files asked about, kept open."""

    def __init__(self) -> None:
        self._conns: dict[Path, sqlite3.Connection] = {}

    def _conn(self, path: Path) -> sqlite3.Connection:
        conn = self._conns.get(path)
        if conn is None:
            # read-only and autocommit: the worker never writes; BEGIN below makes the
            # reads one snapshot
            conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True,
                                   isolation_level=None)
            self._conns[path] = conn
        return conn

    def propose(self, path: Path, article_uid: str, annotator_uid: str,
                matcher: AliasMatcher, kinds: Sequence[str]) -> tuple[str, Proposed]:
        conn = self._conn(path)
        conn.execute("BEGIN")
        try:
            row = conn.execute("SELECT text, published, sha256 FROM articles "
                               "WHERE uid = ? AND deleted_at IS NULL", [article_uid]).fetchone()
            if row is None:
                raise LookupError(f"no live article {article_uid}")
            text, published, sha = row
            tags = tag_spans_in(conn, article_uid, annotator_uid, kinds)
            rejected = rejected_keys(conn, article_uid, annotator_uid)
        finally:
            conn.execute("COMMIT")
        proposed = propose(text, matcher, published or None, kinds=kinds, existing=tags,
                           rejected=rejected)
        if proposed.hits is not None:
            proposed = proposed._replace(hits=proposed.hits.compact())
        return sha, proposed

    def close(self) -> None:
        for conn in self._conns.values():
            conn.close()
        self._conns.clear()


class SuggestWorker:
    """The window's end: starts the worker process, sends it the register and requests,
    and reads its answers (`fileno` for the event loop to watch, `receive` when it is
    readable). Stamps are the caller's (any picklable value)."""

    def __init__(self) -> None:
        # spawn, not fork: the window's process has Qt's threads, which a fork copies
        # in no known state
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._process = ctx.Process(target=serve, args=(child,), daemon=True,
                                    name="stancemark-suggestions")
        self._process.start()
        child.close()
        self.sent_stamp: Any = None  # the register the worker has been sent
        self.ready_stamp: Any = None  # ... and has built
        self.closed = False

    def fileno(self) -> int:
        return self._conn.fileno()

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def alive(self) -> bool:
        return not self.closed and self._process.is_alive()

    def send_register(self, stamp: Any, names: list[tuple[str, str]],
                      muted: Collection[str]) -> None:
        self._send(("register", stamp, names, sorted(muted)))
        self.sent_stamp = stamp

    def request(self, request: int, store: Path, article_uid: str, annotator_uid: str,
                kinds: Sequence[str]) -> None:
        self._send(("suggest", request, self.sent_stamp, str(store), article_uid,
                    annotator_uid, list(kinds)))

    def _send(self, msg: tuple[Any, ...]) -> None:
        try:
            self._conn.send(msg)
        except (OSError, ValueError):  # the worker is gone: the caller falls back
            self.close()
            raise ConnectionError("the suggestion worker has stopped") from None

    def wait(self, seconds: float) -> bool:
        """Block until a message is there (True) or `seconds` pass (False)."""
        try:
            return self._conn.poll(seconds)
        except (OSError, ValueError):
            return True  # receive() says the worker is gone

    def receive(self) -> tuple[Any, ...] | None:
        """The next message if one is there (None if not); a "ready" one is noted here.
        ConnectionError once the worker is gone."""
        try:
            if not self._conn.poll():
                return None
            msg = self._conn.recv()
        except (EOFError, OSError, ValueError):
            self.close()
            raise ConnectionError("the suggestion worker has stopped") from None
        if msg[0] == "ready":
            self.ready_stamp = msg[1]
        return msg

    def close(self) -> None:
        """Stop the worker (told to; ended if it does not within a second)."""
        if self.closed:
            return
        self.closed = True
        try:
            self._conn.send(("stop",))
        except (OSError, ValueError):
            pass
        self._conn.close()
        self._process.join(1.0)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(1.0)
