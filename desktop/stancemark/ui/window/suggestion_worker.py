"""The window's link to the suggestion worker (store/suggest_worker.py): started when
the first long article is opened, watched by the event loop through its pipe (a
QSocketNotifier: no thread, no polling), its messages handed to a callback.

If the worker cannot start or stops, the link says so once and stays down for the
session: the window computes suggestions in its own process, as it does for short
articles, and never starts worker after worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

from stancemark.store.suggest_worker import SuggestWorker

log = logging.getLogger(__name__)


class WorkerLink(QObject):
    def __init__(self, on_message: Callable[[tuple[Any, ...]], None],
                 on_gone: Callable[[], None], parent: QObject):
        super().__init__(parent)
        self.worker: SuggestWorker | None = None
        self.down = False  # failed or stopped: not started again
        self._notifier: QSocketNotifier | None = None
        self._on_message = on_message
        self._on_gone = on_gone

    def get(self) -> SuggestWorker | None:
        """The running worker, started now if it never was; None once it is down."""
        if self.worker is None and not self.down:
            try:
                self.worker = SuggestWorker()
            except OSError as exc:  # no process could be made (limits, a sandbox)
                log.warning("suggestions computed in the window: no worker (%s)", exc)
                self.down = True
                return None
            self._notifier = QSocketNotifier(self.worker.fileno(), QSocketNotifier.Type.Read, self)
            self._notifier.activated.connect(self.read)
        return self.worker

    def ready(self, stamp: Any) -> bool:
        """Whether the worker has built the register `stamp`."""
        return self.worker is not None and self.worker.ready_stamp == stamp

    def read(self) -> None:
        """Hand on every message there is."""
        worker = self.worker
        while worker is not None:
            try:
                msg = worker.receive()
            except ConnectionError:
                log.warning("the suggestion worker stopped; suggestions are computed in the window")
                self._down()
                self._on_gone()
                return
            if msg is None:
                return
            self._on_message(msg)
            worker = self.worker

    def fail(self) -> None:
        """The worker could not be sent a message: down, as if it had stopped."""
        self._down()
        self._on_gone()

    def _down(self) -> None:
        self.down = True
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self.worker is not None:
            self.worker.close()
            self.worker = None

    def stop(self) -> None:
        """The window closes: the worker ends."""
        self._down()


# From this many characters on, an article's whole suggestions are asked of the worker
# (below, computing them in the window takes a few milliseconds: less than a request's
# round trip is worth; a 100,000-character article takes ~4 ms).
WORKER_FROM = 100_000
# A request not answered by then is computed in the window (a worker rebuilding a big
# register, or starved of CPU, must not leave the article without suggestions).
FALLBACK_MS = 1000
# The worker is started this long after the first long article's opening (when the
# window's deferred loading of its other tags, ~0.3 s for 20,000, is done).
START_AFTER_MS = 1000
# How long the window waits, idle, for an answer that is due (RemoteSuggestions.wait):
# the worker's whole computation of a 1 MB article, twice over.
WAIT_S = 0.1


class RemoteSuggestions:
    """The open article's suggestions asked of the worker: which register it has been
    sent (a stamp the Suggestions bump on every register change), the one request in
    flight, and whether the store changed after it was sent (then its answer, read
    from an older snapshot, is dropped and the window computes them itself)."""

    def __init__(self, owner: Any, parent: QObject):
        # owner: ui.window.suggestions.Suggestions (not imported: it imports this)
        self.owner = owner
        self.link = WorkerLink(self._message, self._gone, parent)
        self.stamp = 0  # the register as the window has it
        self.requests = 0  # asked so far
        self._changes = 0  # store changes seen
        # (request, article uid, the store changes seen when it was sent)
        self.pending: tuple[int, str, int] | None = None
        self._starting = False

    def register_changed(self) -> None:
        self.stamp += 1
        if self.link.worker is not None:
            self._schedule()  # built by the worker before the next long article, if idle

    def _schedule(self) -> None:
        """Start the worker and send it the register soon, once however often asked
        (a register change comes in bursts; an opening must not wait for either)."""
        if not self._starting:
            self._starting = True
            QTimer.singleShot(START_AFTER_MS, self.link, self._start)

    def store_changed(self) -> None:
        self._changes += 1

    def ask(self, article: Any) -> bool:
        """Ask for `article`'s suggestions if it is long and the worker can answer
        soon (it has the register built); send it the register if it has not got it
        (built for the next article then). True if asked."""
        self.pending = None
        store = self.owner.session.store_path
        if len(article.text) < WORKER_FROM or store is None or self.link.down:
            return False
        worker = self.link.worker
        if worker is None or worker.sent_stamp != self.stamp:
            # started, or sent the register, once this article's opening is over (a
            # process start, its imports or 20,000 names pickled are no work for the
            # opening to wait for); this article's suggestions are computed in the window
            self._schedule()
            return False
        if worker.ready_stamp != self.stamp:
            return False  # still building it
        try:
            self.requests += 1
            worker.request(self.requests, store, article.uid,
                           self.owner.session.repo.annotator.uid, self.owner.kinds)
        except ConnectionError:
            self.link.fail()
            return False
        self.pending = (self.requests, article.uid, self._changes)
        return True

    def wait(self, uid: str) -> None:
        """Wait (the window idle, at most WAIT_S) for the answer for `uid` and take it:
        the step the window would otherwise spend computing them, before its deferred
        work (a long article's other tags, ~0.3 s) delays the answer's turn."""
        worker = self.link.worker
        if worker is not None and self.waiting_for(uid) and worker.wait(WAIT_S):
            self.link.read()

    def _start(self) -> None:
        """Start the worker and send it the register (it builds it for the next long
        article)."""
        self._starting = False
        worker = self.link.get()
        if worker is not None and worker.sent_stamp != self.stamp:
            try:
                worker.send_register(self.stamp, *self.owner.register_names())
            except ConnectionError:
                self.link.fail()

    def waiting_for(self, uid: str) -> bool:
        return self.pending is not None and self.pending[1] == uid

    def _message(self, msg: tuple[Any, ...]) -> None:
        if msg[0] not in ("result", "failed") or self.pending is None \
                or msg[1] != self.pending[0]:
            return  # "ready", or the answer to a request given up on
        _request, uid, changes = self.pending
        self.pending = None
        if msg[0] == "failed":
            log.warning("suggestion worker: %s; computed in the window", msg[2])
        elif changes == self._changes:
            self.owner.take_remote(uid, msg[2], msg[3])
            return
        self.owner.compute_later(uid)

    def _gone(self) -> None:
        if self.pending is not None:
            uid = self.pending[1]
            self.pending = None
            self.owner.compute_later(uid)

    def stop(self) -> None:
        self.pending = None
        self.link.stop()
