"""Long operations (import, export) off the UI thread, with progress and cancel.

A job opens its OWN connection to the store inside the worker thread (SQLite
connections must not cross threads). Cancelling makes the progress callback return
False, the format raises Cancelled, and the job's transaction rolls back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from stancemark.core.errors import Cancelled, StancemarkError

if TYPE_CHECKING:
    from stancemark.formats.common import Scope
    from stancemark.store.repository import Repository

# progress(done, total, message) -> False when the user cancelled
Progress = Callable[[int, int, str], bool]
# work(repo, progress) -> result: the job's own connection to the store; the result
# (reports of any kind) goes back through a Qt signal as an object.
Work = Callable[["Repository", Progress], Any]


class Job(QObject):
    progressed = Signal(int, int, str)
    # (result or None, error message or "", cancelled)
    done = Signal(object, str, bool)

    def __init__(self, store_path: Path, annotator: str, work: Work):
        super().__init__()
        self.store_path = store_path
        self.annotator = annotator
        self.work = work
        self.worker: QThread | None = None  # its thread, for a caller without a JobRunner
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int, message: str = "") -> bool:
        self.progressed.emit(done, total, message)
        return not self._cancel.is_set()

    @Slot()
    def run(self) -> None:
        from stancemark.store import Repository, open_store

        repo = None
        try:
            repo = Repository(open_store(self.store_path, create=False), self.annotator)
            if self._cancel.is_set():
                raise Cancelled("cancelled; nothing was changed")
            result = self.work(repo, self._progress)
        except Cancelled:
            self.done.emit(None, "cancelled; nothing was changed", True)
        except (StancemarkError, OSError) as exc:
            self.done.emit(None, str(exc), False)
        except Exception as exc:  # noqa: BLE001 - a worker must always report back
            self.done.emit(None, f"{type(exc).__name__}: {exc}", False)
        else:
            self.done.emit(result, "", False)
        finally:
            if repo is not None:
                repo.close()


def start(job: Job, parent: QObject) -> QThread:
    """Run `job` in a new thread (owned by `parent`); the thread quits when the job is done."""
    thread = QThread(parent)
    job.moveToThread(thread)
    thread.started.connect(job.run)
    # Direct: quit from the worker itself, so a UI thread blocked in wait() cannot deadlock.
    job.done.connect(thread.quit, Qt.ConnectionType.DirectConnection)
    thread.start()
    return thread


def import_work(groups: dict[str, list[Path]],
                options: dict[str, dict[str, Any]] | None = None) -> Work:
    """Import every group in one transaction: any bad file means nothing is imported.
    `options` holds keyword options per format name (the table's column_map ...)."""

    def work(repo: Repository, progress: Progress) -> list[Any]:
        from stancemark.formats import get_format
        from stancemark.store.backups import backup_before

        backup_before(repo.db, "import")  # the state before a bulk change stays restorable
        reports = []
        with repo.tx():
            for fmt, paths in groups.items():
                reports.append(get_format(fmt).load().import_paths(
                    repo, paths, progress, **(options or {}).get(fmt, {})))
        return reports

    return work


def export_work(fmt: str, out: Path, scope: Scope,
                options: dict[str, Any] | None = None) -> Work:
    """`options`: the format's keyword options (EXPORT_OPTIONS of its module)."""

    def work(repo: Repository, progress: Progress) -> Any:
        from stancemark.formats import get_format

        return get_format(fmt).load().export(repo, out, scope, progress, **(options or {}))

    return work
