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
    texts: dict[int, str] = {}
    checked = 0
    rows = conn.execute('SELECT article_id, uid, start, "end", quote FROM annotations '
                        "WHERE id > ? ORDER BY article_id", [after_id])
    try:
        for article_id, uid, start, end, quote in rows:
            text = texts.get(article_id)
            if text is None:
                texts.clear()  # one article's text in memory at a time
                text = texts[article_id] = conn.execute(
                    "SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()[0]
            if not (0 <= start < end <= len(text)) or text[start:end] != quote:
                raise InputError(f"annotation {uid}: span {start}-{end} and its quote do not "
                                 "match the article text (damaged or crafted store); nothing "
                                 "was merged", where)
            checked += 1
    finally:
        rows.close()  # an open statement would keep the attached store locked
    return checked
