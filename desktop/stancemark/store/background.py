"""Work in a thread beside a bulk change, waited for before the change commits.

A merge spends most of its time in one INSERT inside SQLite, which releases Python's
lock: a second core can meanwhile copy the store for its backup, or check the
colleague's spans, each on a connection of its own. `result()` waits and hands back
the value or re-raises the error in the waiting thread, so the change rolls back when
its backup or a check failed, exactly as if they had run first.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Background(Generic[T]):
    def __init__(self, name: str, work: Callable[[], T]):
        self._work = work
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=f"stancemark-{name}",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._work()
        except BaseException as exc:  # handed to the waiting thread by result()
            self._error = exc

    def wait(self) -> None:
        """Wait without raising (cleaning up after a change that failed anyway)."""
        self._thread.join()

    def result(self) -> T | None:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value
