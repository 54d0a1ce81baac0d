"""The one hub fact the window shows at start-up (File ▸ Sync's label): this store's
latest sync. Outside the hub package, whose import loads the sync engine and the merge
rules (tens of milliseconds a window start does not need)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stancemark.store.repository import Repository


def last_sync(repo: Repository) -> tuple[str, str, str] | None:
    """(url, time, summary) of this store's latest sync, None if it never synced."""
    try:
        row = repo.conn.execute("SELECT url, synced_at, summary FROM hub_state "
                                "WHERE synced_at IS NOT NULL ORDER BY synced_at DESC "
                                "LIMIT 1").fetchone()
    except sqlite3.OperationalError:  # no hub_state: never synced
        return None
    return (row[0], row[1], row[2]) if row else None
