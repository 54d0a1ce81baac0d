"""Adding one article (Repository mixin): add_article, its INSERT and audit entry, and
the queue that writes the articles an import adds in one transaction together
(store/article_queue.py says why)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from stancemark.core.errors import IntegrityError, StoreError
from stancemark.core.model import Annotator, Article, new_uid, now_iso
from stancemark.core.text import normalise_newlines, text_sha256
from stancemark.store import json_text
from stancemark.store.article_queue import STATEMENT_CHARS, ArticleQueue
from stancemark.store.columns import ARTICLE_COLUMNS

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

_AUDIT_INSERT = ("INSERT INTO audit_log (at, annotator_uid, action, entity, uid, before, after) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)")
# A text already stored (same sha256) is left alone: no row, no error, no trigger.
_ARTICLE_INSERT_NEW = (f"INSERT INTO articles ({ARTICLE_COLUMNS}) "  # noqa: S608 - fixed columns
                       "VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (sha256) DO NOTHING")
# Nothing the INSERT would meet: no stored copy of the text, its uid unused, meta
# that the CHECK accepts (SQLite's own json_valid, as the CHECK calls it).
_ARTICLE_CLEAR = ("SELECT NOT EXISTS (SELECT 1 FROM articles WHERE sha256 = ?1) "
                  "AND NOT EXISTS (SELECT 1 FROM articles WHERE uid = ?2) AND json_valid(?3)")


class ArticleAddMixin:
    conn: sqlite3.Connection
    _conn: sqlite3.Connection
    _queue: ArticleQueue
    _annotator: Annotator

    if TYPE_CHECKING:
        def tx(self) -> AbstractContextManager[None]: ...
        def article_by_sha(self, sha256: str) -> Article | None: ...

    def add_article(self, text: str, title: str = "", *, source: str = "", url: str = "",
                    author: str = "", published: str = "", language: str = "",
                    meta: dict[str, Any] | None = None, uid: str | None = None,
                    added_at: str | None = None) -> tuple[Article, bool]:
        """Add an article; returns (article, added). A text already in the store
        (same sha256) is not added again: the existing article comes back."""
        text = normalise_newlines(text)
        if not text or text.isspace():  # as `not text.strip()`, without a copy
            raise IntegrityError("article text is empty")
        if "\x00" in text:  # a JSON escape can carry what every file reader refuses
            raise IntegrityError("article text holds NUL characters")
        sha = text_sha256(text)
        inside = self._conn.in_transaction  # (self.conn would write the queue)
        if not inside:  # a text already stored needs no write lock
            existing = self.article_by_sha(sha)
            if existing:
                return existing, False
        art = Article(uid or new_uid(), title.strip(), text, sha, source, url, author, published,
                      language, added_at or now_iso(), dict(meta or {}))
        if inside:
            # Inside the caller's transaction (an import): no savepoint of its own. A
            # savepoint made SQLite copy every page the insert touches to a statement
            # journal that spilled to a temporary file (twice the yardstick's bytes, a
            # fifth of an import's time). The INSERT itself finds a stored copy of the
            # text (one lookup fewer per article); the audit row follows it, and if
            # that fails the article is taken back: the same all-or-nothing. Better
            # still, an article whose INSERT cannot be refused is queued and written
            # with the next ones (store/article_queue.py).
            if self._queue_article(art):
                return art, True
            added = self._insert_article(art)
        else:
            with self.tx():
                added = self._insert_article(art)
        if not added:
            stored = self.article_by_sha(sha)
            if stored is None:  # cannot happen: the INSERT has just met it
                raise StoreError(f"article with sha256 {sha} vanished")
            return stored, False
        return art, True

    def _insert_article(self, art: Article) -> bool:
        """Store the article and its audit entry; False (nothing written) when a text
        with the same sha256 is already stored."""
        try:
            cur = self.conn.execute(_ARTICLE_INSERT_NEW, [
                art.uid, art.title, art.text, art.sha256, art.source, art.url, art.author,
                art.published, art.language, art.added_at, json_text.plain(art.meta), None])
        except sqlite3.IntegrityError as exc:  # e.g. an imported uid already used
            # SQLite checks meta (CHECK) before the copy: a stored copy still wins,
            # as when it was looked up first.
            if self.article_by_sha(art.sha256) is not None:
                return False
            raise IntegrityError(f"article {art.uid}: {exc}") from None
        if cur.rowcount == 0:
            return False
        try:
            self.conn.execute(_AUDIT_INSERT, self._article_audit(art))
        except BaseException:
            # An I/O error can end the whole transaction: then there is nothing left
            # to take back. The article's id is a plain rowid: the next one reuses it.
            if self.conn.in_transaction:
                self.conn.execute("DELETE FROM articles WHERE id = ?", [cur.lastrowid])
            raise
        return True

    def _article_audit(self, art: Article) -> list[Any]:
        # audit(..., {"title": ..., "sha256": ...}) spelled out: the same JSON text
        # (sorted keys, the encoder's own string escaping) at a fifth of the cost.
        return [now_iso(), self._annotator.uid if hasattr(self, "_annotator") else "",
                "create", "article", art.uid, None,
                f'{{"sha256": "{art.sha256}", "title": {json_text.string(art.title)}}}']

    def _queue_article(self, art: Article) -> bool:
        """Queue the article when its INSERT cannot be refused and write its audit
        entry; False, with nothing done, when it could be (add_article then inserts
        it at once, after the queue, and gives what it always gave)."""
        queue = self._queue
        if art.sha256 in queue.shas or art.uid in queue.uids or len(art.text) > STATEMENT_CHARS:
            return False
        fields = (art.uid, art.title, art.source, art.url, art.author, art.published,
                  art.language, art.added_at)
        if any(type(f) is not str for f in fields):  # NOT NULL, and what SQLite converts
            return False
        meta = json_text.plain(art.meta)
        for f in fields:  # what cannot be bound raises here as the INSERT would raise
            if not f.isascii():
                f.encode("utf-8")
        conn = self._conn
        clear = conn.execute(_ARTICLE_CLEAR, [art.sha256, art.uid, meta]).fetchone()[0]
        if not clear:
            return False
        audit_id = conn.execute(_AUDIT_INSERT, self._article_audit(art)).lastrowid or 0
        row = (art.uid, art.title, art.text, art.sha256, art.source, art.url, art.author,
               art.published, art.language, art.added_at, meta, None)
        if queue.add(row, audit_id):
            queue.write(conn)
        return True
