"""Refuse to write when the store file was deleted, moved or replaced while open.

SQLite keeps writing to the file it opened even after that file was deleted or its
folder removed: every commit would succeed, and everything would vanish when the
window closes. So before each write transaction the Repository checks, with one
stat(), that the path still names the file it opened; if not, the write is refused
with a clear message and nothing is shown as saved.
"""

from __future__ import annotations

import os
import sqlite3

from stancemark.core.errors import StoreError
from stancemark.store.db import database_file


class FileGuard:
    def __init__(self, conn: sqlite3.Connection):
        self.path: str | None = database_file(conn)
        self.identity: tuple[int, int] | None = None
        if self.path:
            try:
                st = os.stat(self.path)
                self.identity = (st.st_dev, st.st_ino)
            except OSError:
                self.path = None

    def check(self) -> None:
        """Raise StoreError if the store file is no longer where it was opened."""
        if self.path is None:
            return
        try:
            st = os.stat(self.path)
        except OSError:
            raise StoreError(f"the change was not saved: the store file {self.path} is gone "
                             "(deleted, moved, or its drive removed); reopen the store") from None
        if (st.st_dev, st.st_ino) != self.identity:
            raise StoreError(f"the change was not saved: the store file {self.path} was replaced "
                             "by another file while open; reopen the store")
