"""Articles written together: the multi-row INSERT of store.bulk.add_articles, and the
queue of articles that Repository.add_article has accepted inside a caller's
transaction (every importer adds its articles one call at a time, in one transaction).

Each statement that writes the full-text index (the articles' insert trigger) opens a
statement journal, and SQLite asks FTS5 to write out the terms it holds in memory as a
new index segment (which later merges rewrite). One statement per article spent about
60% of an import there (1.5 s of 2.4 s for 10,000 news articles, the yardstick's
`executemany` included); one statement per few hundred articles does it that much
less often. Same rows, same order, same rowids, same index content.

The queue keeps add_article's behaviour: an article is queued only when its INSERT
cannot be refused (no stored text or uid like it, in the store or the queue; its meta
is JSON SQLite accepts; every column a str), its audit entry is written at once (as
before: that write failing leaves nothing), and the queue is written before any other
statement runs through the repository (`Repository.conn` writes it first), before a
savepoint and before the commit. What can still fail when it is written is the disk
(or an interrupt): then what it wrote and the queued articles' audit entries are taken
back, and the transaction cannot be committed (`failed`), so an import that goes on
cannot store a part of what it was told was added.
"""

from __future__ import annotations

import contextlib
import sqlite3
from typing import Any

from stancemark.store.columns import ARTICLE_COLUMNS

STATEMENT_CHARS = 8_000_000  # text bound to one statement (SQLite copies what is bound)
QUEUE_ARTICLES = 500  # articles written together at most (as bulk.add_articles' batch)
_ROW = "(?,?,?,?,?,?,?,?,?,?,?,?)"
_ROW_PARAMS = 12


def insert_rows(conn: sqlite3.Connection, rows: list[tuple]) -> None:
    """The articles' rows (ARTICLE_COLUMNS order) in INSERTs of many rows each (fewer
    when the texts are long or the variable limit is low), in order."""
    statement_chars = STATEMENT_CHARS  # read here: tests set it low
    per = max(1, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // _ROW_PARAMS)
    start = 0
    while start < len(rows):
        end, chars = start, 0
        while end < len(rows) and end - start < per and (end == start or chars < statement_chars):
            chars += len(rows[end][2])  # the text column
            end += 1
        chunk = rows[start:end]
        conn.execute(
            f"INSERT INTO articles ({ARTICLE_COLUMNS}) VALUES {','.join([_ROW] * len(chunk))}",  # noqa: S608
            [v for row in chunk for v in row])
        start = end


class ArticleQueue:
    """The articles add_article accepted and has not written yet, in call order."""

    __slots__ = ("audit_ids", "chars", "failed", "rows", "shas", "uids")

    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = []
        self.audit_ids: list[int] = []  # their audit entries, written already
        self.shas: set[str] = set()
        self.uids: set[str] = set()
        self.chars = 0
        self.failed = ""  # why the transaction must not be committed, when it must not

    def add(self, row: tuple[Any, ...], audit_id: int) -> bool:
        """Queue an article's row; True when the queue should now be written."""
        self.rows.append(row)
        self.audit_ids.append(audit_id)
        self.uids.add(row[0])
        self.shas.add(row[3])
        self.chars += len(row[2])
        return len(self.rows) >= QUEUE_ARTICLES or self.chars >= STATEMENT_CHARS

    def discard(self) -> None:
        """Forget the queue (its transaction was rolled back)."""
        self.rows, self.audit_ids = [], []
        self.shas, self.uids = set(), set()
        self.chars = 0

    def write(self, conn: sqlite3.Connection) -> None:
        """Write the queued articles; on failure take back what was written and their
        audit entries, mark the transaction as not to be committed, and re-raise."""
        rows, audit_ids = self.rows, self.audit_ids
        self.discard()  # written or taken back: never twice
        if not rows:
            return
        if not conn.in_transaction:
            # SQLite ended the transaction itself (a full disk, an I/O error): the
            # queued articles went with it, as their audit entries did.
            return
        last = conn.execute("SELECT max(id) FROM articles").fetchone()[0] or 0
        try:
            insert_rows(conn, rows)
        except BaseException as exc:
            self.failed = f"{len(rows)} added article(s) could not be written: {exc!r}"
            # plain rowids: the next articles get these ids again, as after a rollback;
            # a failing take-back must not hide the error (the commit is refused anyway)
            with contextlib.suppress(sqlite3.Error):
                if conn.in_transaction:
                    conn.execute("DELETE FROM articles WHERE id > ?", [last])
                    conn.executemany("DELETE FROM audit_log WHERE id = ?",
                                     [(i,) for i in audit_ids])
            raise
