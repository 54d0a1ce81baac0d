"""Check spans that arrived in bulk, where the per-row trigger was suspended for speed.

A merge copies a colleague's annotations set-based, trusting that their store checked
each quote against the text. A damaged or crafted store breaks that trust, so the rows
a bulk insert added are checked afterwards, inside the same transaction, in Python
(slicing is cheap; SQLite's substr() rescans long texts from the start): offsets within
the text, start before end, and the quote equal to the text it points at.
"""

from __future__ import annotations

import sqlite3

from stancemark.core.errors import InputError


def max_annotation_id(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT coalesce(max(id), 0) FROM annotations").fetchone()[0]


def check_added_spans(conn: sqlite3.Connection, after_id: int, where: str) -> int:
    """Raise InputError (naming `where`) if any annotation with id > after_id does not
    match its article's text; returns how many were checked."""
    rows = conn.execute('SELECT article_id, uid, start, "end", quote FROM annotations '
                        "WHERE id > ? ORDER BY article_id", [after_id])
    return _check(conn, rows, where)


def check_file_spans(uri: str, where: str) -> int:
    """The same for every annotation of the store file at `uri` (read-only), against its
    own texts, on a connection of its own: a merge runs it beside its insert (their
    texts are mine, equal by hash, so this checks what the insert adds)."""
    conn = sqlite3.connect(uri, uri=True)
    try:
        rows = conn.execute('SELECT article_id, uid, start, "end", quote FROM annotations '
                            "ORDER BY article_id")
        return _check(conn, rows, where)
    finally:
        conn.close()


def _check(conn: sqlite3.Connection, rows: sqlite3.Cursor, where: str) -> int:
    texts: dict[int, str | None] = {}
    checked = 0
    try:
        for article_id, uid, start, end, quote in rows:
            if article_id not in texts:
                texts.clear()  # one article's text in memory at a time
                row = conn.execute("SELECT text FROM articles WHERE id = ?",
                                   [article_id]).fetchone()
                texts[article_id] = row[0] if row else None
            text = texts[article_id]
            if text is None or not isinstance(start, int) or not isinstance(end, int) \
                    or not (0 <= start < end <= len(text)) or text[start:end] != quote:
                raise InputError(f"annotation {uid}: span {start}-{end} and its quote do not "
                                 "match the article text (damaged or crafted store); nothing "
                                 "was merged", where)
            checked += 1
    finally:
        rows.close()  # an open statement would keep the attached store locked
    return checked
