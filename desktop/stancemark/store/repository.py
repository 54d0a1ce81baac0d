"""Typed repository over the store: every write is one transaction and one audit entry.

Functions take and return core dataclasses with text uids; integer rowids stay here.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import Any

from sqlite_utils import Database

from stancemark.core.attribute_values import values_json
from stancemark.core.builtin_kinds import builtin_problem
from stancemark.core.codebook import Codebook, CodebookError
from stancemark.core.errors import IntegrityError, StancemarkError, StoreError, existing
from stancemark.core.model import (
    EDITABLE_ANNOTATION_FIELDS,
    STATUSES,
    Annotation,
    Annotator,
    Article,
    ArticleRow,
    AuditEntry,
    new_uid,
    now_iso,
)
from stancemark.core.palette import annotator_colour
from stancemark.core.text import check_span
from stancemark.store import json_text
from stancemark.store.article_add import _AUDIT_INSERT, ArticleAddMixin
from stancemark.store.article_edits import ArticleEditsMixin
from stancemark.store.article_queue import ArticleQueue
from stancemark.store.codebook_store import CodebookMixin
from stancemark.store.columns import (
    ANNOTATION_FIELDS,
    ANNOTATION_INSERT,
    ANNOTATION_SELECT,
    ANNOTATION_UPDATABLE,
    ANNOTATION_UPDATE,
    ARTICLE_COLUMNS,
)
from stancemark.store.file_guard import FileGuard
from stancemark.store.registers import RegistersMixin
from stancemark.store.suggestion_store import SuggestionMixin

# Tables whose rows carry an updated_at edit time.
_EDIT_TIMED = frozenset({"annotations", "actors", "topics"})


def _annotation(row: sqlite3.Row | tuple) -> Annotation:
    r = list(row)
    r[16] = json.loads(r[16]) if r[16] and r[16] != "{}" else {}  # most metas are empty
    if len(r) > 20:
        r[20] = json.loads(r[20]) if r[20] and r[20] != "{}" else {}
    return Annotation(*r)


def _article(row: tuple) -> Article:
    r = list(row)
    r[10] = json.loads(r[10]) if r[10] else {}
    return Article(*r)


def _audit_json(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "__dataclass_fields__"):
        value = asdict(value)
    return json_text.sorted_keys(value)


def _why(exc: sqlite3.Error) -> str:
    """SQLite's error with a hint at the usual cause, for a one-line message."""
    text = str(exc)
    hints = {"readonly": "the store file or its folder is read-only; check permissions",
             "disk is full": "the disk is full; free some space",
             "disk I/O error": "the disk refused the write (full, removed or failing?)",
             "locked": "another Stancemark is writing to this store; try again"}
    hint = next((h for k, h in hints.items() if k in text), "")
    return f"{text} ({hint})" if hint else text


def os_user_name() -> str:
    try:
        return getpass.getuser() or "analyst"
    except Exception:  # no user name in some containers
        return "analyst"


class Repository(ArticleAddMixin, RegistersMixin, ArticleEditsMixin, CodebookMixin,
                 SuggestionMixin):
    """The store's API. `annotator` is the current user's name: their edits carry it.

    Adding an article lives in store/article_add.py (ArticleAddMixin), the actor and
    topic registers' methods in store/registers.py (RegistersMixin),
    article metadata edits in store/article_edits.py (ArticleEditsMixin), the codebook's
    and attribute values' in store/codebook_store.py (CodebookMixin), decisions on
    suggestions in store/suggestion_store.py (SuggestionMixin)."""

    def __init__(self, db: Database, annotator: str | None = None):
        self._db = db
        self._conn = db.conn
        self._queue = ArticleQueue()  # articles add_article accepted in this transaction
        self._file = FileGuard(db.conn)  # no silent writes into a deleted store file
        self._last_text: tuple[str, str] = ("", "")  # (sha256, text) of the last article checked
        self._codebook_seen: str | None = None  # codebook_version read with the last article
        self.closed = False  # deferred work of a window (suggestions) reads nothing after
        self._annotator = self.ensure_annotator(annotator or os_user_name())
        self.codebook()  # loaded once here, so the first tag reads no more than the others

    # ------------------------------------------------------------------ plumbing
    @property
    def conn(self) -> sqlite3.Connection:
        """The store's connection. Articles add_article has queued are written first,
        so whatever runs next sees them (store/article_queue.py)."""
        self._write_queue()
        return self._conn

    @conn.setter
    def conn(self, conn: sqlite3.Connection) -> None:
        self._write_queue()
        self._conn = conn

    @property
    def db(self) -> Database:
        self._write_queue()
        return self._db

    def _write_queue(self) -> None:
        if self._queue.rows:
            self._queue.write(self._conn)

    @property
    def annotator(self) -> Annotator:
        return self._annotator

    def set_annotator(self, name: str) -> Annotator:
        self._annotator = self.ensure_annotator(name)
        return self._annotator

    def close(self) -> None:
        self.closed = True
        self._queue.discard()  # its transaction ends uncommitted with the connection
        self._db.close()

    @contextlib.contextmanager
    def tx(self) -> Iterator[None]:
        """One write transaction. BEGIN IMMEDIATE takes the write lock up front, so a
        second writer waits (busy timeout) instead of failing half-way; nested calls
        become savepoints."""
        if self.conn.in_transaction:
            # A savepoint named by its depth, not sqlite-utils' random name: the same
            # statement text every time, so sqlite3's statement cache prepares it once
            # (a random name cost two fresh prepares per add_article in an import).
            depth = getattr(self, "_savepoints", 0) + 1
            name = f"stancemark_sp{depth}"
            self.conn.execute(f"SAVEPOINT {name}")
            self._savepoints = depth
            try:
                yield
            except BaseException:
                # A RAISE(ROLLBACK) trigger or a failed COMMIT can end the whole
                # transaction, savepoints included: then there is nothing to undo here.
                # Articles still queued were all added inside the savepoint (the queue
                # was written as it began): they go with it.
                self._queue.discard()
                if self._conn.in_transaction:
                    self._conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    self._conn.execute(f"RELEASE SAVEPOINT {name}")
                raise
            else:
                self.conn.execute(f"RELEASE SAVEPOINT {name}")
            finally:
                self._savepoints = depth - 1
            return
        self._file.check()
        self._queue.discard()  # nothing is queued outside a transaction
        self._queue.failed = ""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot write to the store: {_why(exc)}") from None
        try:
            yield
            conn = self.conn  # writes the articles add_article queued
        except sqlite3.OperationalError as exc:
            # Disk full, read-only file, I/O error in the middle of a write: one clear
            # line for the user, never a traceback, and nothing half-saved.
            self._rollback()
            raise StoreError(f"the change was not saved: {_why(exc)}") from None
        except BaseException:
            self._rollback()
            raise
        if self._queue.failed:  # queued articles were lost: store none of it
            self._rollback()
            raise StoreError(f"the change was not saved: {self._queue.failed}")
        try:
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self._rollback()
            raise StoreError(f"the change was not saved: {_why(exc)}") from None

    def _rollback(self) -> None:
        # SQLite may already have rolled back (SQLITE_FULL, I/O errors); a failing
        # ROLLBACK must not hide the error that caused it. Queued articles go with it.
        self._queue.discard()
        if self._conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")

    def _one(self, sql: str, params: Iterable[Any] = ()) -> tuple | None:
        return self.conn.execute(sql, list(params)).fetchone()

    def _scalar(self, sql: str, params: Iterable[Any] = ()) -> Any:
        """The first column of a query that always yields a row (count(*), a row
        this connection just read or wrote)."""
        row = self._one(sql, params)
        if row is None:
            raise StoreError(f"the store returned no row for: {sql}")
        return row[0]

    def _id(self, table: str, uid: str | None, what: str) -> int | None:
        if uid is None:
            return None
        row = self._one(f"SELECT id FROM {table} WHERE uid = ?", [uid])  # noqa: S608 - fixed names
        if row is None:
            raise IntegrityError(f"unknown {what} {uid}")
        return row[0]

    def audit(self, action: str, entity: str, uid: str, before: Any = None,
              after: Any = None) -> None:
        """Write the audit entry of a change, in the transaction that makes the change:
        the one way any module writes to the audit log. Outside a transaction it refuses
        (an entry committed apart from its change could record what never happened)."""
        self.audit_each(action, entity, [(uid, before, after)])

    def audit_each(self, action: str, entity: str,
                   entries: Iterable[tuple[str, Any, Any]]) -> None:
        """audit() for many entries of one kind (uid, before, after), one executemany."""
        if not self.conn.in_transaction:
            raise StoreError(f"audit entry for {entity} outside a transaction")
        who = self._annotator.uid if hasattr(self, "_annotator") else ""
        self.conn.executemany(
            _AUDIT_INSERT,
            [(now_iso(), who, action, entity, uid, _audit_json(before), _audit_json(after))
             for uid, before, after in entries])

    def history(self, uid: str) -> list[AuditEntry]:
        rows = self.conn.execute(
            "SELECT at, annotator_uid, action, entity, uid, before, after FROM audit_log "
            "WHERE uid = ? ORDER BY id", [uid]).fetchall()
        return [AuditEntry(r[0], r[1], r[2], r[3], r[4],
                           json.loads(r[5]) if r[5] else None,
                           json.loads(r[6]) if r[6] else None) for r in rows]

    def store_uid(self) -> str:
        row = self._one("SELECT value FROM store_info WHERE key = 'store_uid'")
        return row[0] if row else ""

    # ---------------------------------------------------------------- annotators
    def ensure_annotator(self, name: str, *, uid: str | None = None, colour: str | None = None,
                         is_gold: bool = False) -> Annotator:
        name = name.strip()
        if not name:
            raise IntegrityError("annotator name is empty")
        row = self._one("SELECT uid, name, colour, is_gold FROM annotators WHERE name = ?", [name])
        if row is None and uid:
            row = self._one("SELECT uid, name, colour, is_gold FROM annotators WHERE uid = ?", [uid])
        if row:
            return Annotator(row[0], row[1], row[2], bool(row[3]))
        count = self._scalar("SELECT count(*) FROM annotators")
        ann = Annotator(uid or new_uid(), name, colour or annotator_colour(count), is_gold)
        with self.tx():
            self.conn.execute("INSERT INTO annotators (uid, name, colour, is_gold) VALUES (?,?,?,?)",
                              [ann.uid, ann.name, ann.colour, int(ann.is_gold)])
            self.audit("create", "annotator", ann.uid, None, ann)
        return ann

    def list_annotators(self) -> list[Annotator]:
        rows = self.conn.execute("SELECT uid, name, colour, is_gold FROM annotators ORDER BY id")
        return [Annotator(r[0], r[1], r[2], bool(r[3])) for r in rows]

    def annotator_by_name(self, name: str) -> Annotator | None:
        row = self._one("SELECT uid, name, colour, is_gold FROM annotators WHERE name = ?", [name])
        return Annotator(row[0], row[1], row[2], bool(row[3])) if row else None

    # ------------------------------------------------------------------ articles
    def get_article(self, uid: str) -> Article | None:
        row = self._one(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE uid = ?", [uid])  # noqa: S608
        return _article(row) if row else None

    def article_by_sha(self, sha256: str) -> Article | None:
        row = self._one(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE sha256 = ?", [sha256])  # noqa: S608
        return _article(row) if row else None

    def iter_articles(self, uids: Iterable[str] | None = None,
                      include_deleted: bool = False) -> Iterator[Article]:
        if uids is None:
            where = "" if include_deleted else "WHERE deleted_at IS NULL"
            for row in self.conn.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles {where} ORDER BY id"):  # noqa: S608
                yield _article(row)
        else:
            for uid in uids:
                art = self.get_article(uid)
                if art and (include_deleted or art.deleted_at is None):
                    yield art

    def _article_filter(self, query: str | None, status: str | None,
                        annotator_uid: str) -> tuple[str, list[Any]]:
        where = ["a.deleted_at IS NULL"]
        params: list[Any] = []
        if query and query.strip():
            where.append("a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            params.append(fts_query(query))
        if status:
            if status not in STATUSES:
                raise StancemarkError(f"unknown status {status!r} (use one of {', '.join(STATUSES)})")
            where.append("coalesce((SELECT s.status FROM article_status s JOIN annotators n "
                         "ON n.id = s.annotator_id WHERE s.article_id = a.id AND n.uid = ?), 'new') = ?")
            params += [annotator_uid, status]
        return " AND ".join(where), params

    def list_articles(self, query: str | None = None, status: str | None = None,
                      offset: int = 0, limit: int = -1) -> list[ArticleRow]:
        """Rows for the article list, for the current annotator, in store order."""
        me = self._annotator.uid
        where, params = self._article_filter(query, status, me)
        sql = f"""
            SELECT a.uid, a.title, a.published, a.source,
              (SELECT count(*) FROM annotations x JOIN annotators n ON n.id = x.annotator_id
                WHERE x.article_id = a.id AND n.uid = ? AND x.deleted_at IS NULL),
              coalesce((SELECT s.status FROM article_status s JOIN annotators n
                ON n.id = s.annotator_id WHERE s.article_id = a.id AND n.uid = ?), 'new')
            FROM articles a WHERE {where} ORDER BY a.id LIMIT ? OFFSET ?"""  # noqa: S608
        try:
            rows = self.conn.execute(sql, [me, me, *params, limit, offset]).fetchall()
        except sqlite3.OperationalError as exc:
            raise StancemarkError(f"bad search query {query!r}: {exc}") from None
        return [ArticleRow(*r) for r in rows]

    def count_articles(self, query: str | None = None, status: str | None = None) -> int:
        where, params = self._article_filter(query, status, self._annotator.uid)
        # Unfiltered, the count is answered by the live-articles index (m004): with
        # statistics (ANALYZE) SQLite's planner takes a text row for as small as an index
        # entry and scans the table instead, reading every article's text (0.1 s CPU and
        # more waiting for the disk at 100,000 articles, twice per start).
        source = "articles a" if params else "articles a INDEXED BY articles_live"
        try:
            return self._scalar(f"SELECT count(*) FROM {source} WHERE {where}", params)  # noqa: S608
        except sqlite3.OperationalError as exc:
            raise StancemarkError(f"bad search query {query!r}: {exc}") from None

    def article_uids(self, query: str | None = None, status: str | None = None) -> list[str]:
        where, params = self._article_filter(query, status, self._annotator.uid)
        return [r[0] for r in self.conn.execute(
            f"SELECT a.uid FROM articles a WHERE {where} ORDER BY a.id", params)]  # noqa: S608

    def article_ids(self, query: str | None = None, status: str | None = None) -> list[int]:
        """article_uids' row ids; unfiltered, read from the live-articles index."""
        where, params = self._article_filter(query, status, self._annotator.uid)
        table = "articles a" if params else "articles a INDEXED BY articles_live"
        return [r[0] for r in self.conn.execute(
            f"SELECT a.id FROM {table} WHERE {where} ORDER BY a.id", params)]  # noqa: S608

    def delete_article(self, uid: str) -> None:
        self._soft("articles", "article", uid, delete=True)

    def restore_article(self, uid: str) -> None:
        self._soft("articles", "article", uid, delete=False)

    def _soft(self, table: str, entity: str, uid: str, delete: bool) -> str | None:
        """Move a row to the trash or out of it; returns the new deleted_at."""
        now = now_iso()
        stamp = now if delete else None
        # A move to or from the trash is an edit: tables with an edit time get it, so
        # "the later edit wins" (merge, hub sync) sees a restore as later than the trash.
        sets = "deleted_at = ?, updated_at = ?" if table in _EDIT_TIMED else "deleted_at = ?"
        params = [stamp, now] if table in _EDIT_TIMED else [stamp]
        with self.tx():
            cur = self.conn.execute(
                f"UPDATE {table} SET {sets} WHERE uid = ?",  # noqa: S608 - fixed names
                [*params, uid])
            if cur.rowcount == 0:
                raise IntegrityError(f"unknown {entity} {uid}")
            self.audit("delete" if delete else "restore", entity, uid, None, None)
        return stamp

    # ------------------------------------------------------------------- status
    def set_status(self, article_uid: str, status: str, annotator_uid: str | None = None) -> str:
        """Set an article's status for the current annotator (or the one named); returns
        the status it had before."""
        if status not in STATUSES:
            raise IntegrityError(f"unknown status {status!r}")
        annotator_uid = annotator_uid or self._annotator.uid
        with self.tx():
            before = self.get_status(article_uid, annotator_uid)
            cur = self.conn.execute(
                "INSERT INTO article_status (article_id, annotator_id, status, updated_at) "
                "SELECT a.id, n.id, ?, ? FROM articles a, annotators n "
                "WHERE a.uid = ? AND n.uid = ? "
                "ON CONFLICT (article_id, annotator_id) DO UPDATE SET "
                "status = excluded.status, updated_at = excluded.updated_at",
                [status, now_iso(), article_uid, annotator_uid])
            if cur.rowcount == 0:
                self._id("articles", article_uid, "article")  # names which one is unknown
                self._id("annotators", annotator_uid, "annotator")
            self.audit("status", "article", article_uid, {"status": before}, {"status": status})
        return before

    def get_status(self, article_uid: str, annotator_uid: str | None = None) -> str:
        row = self._one(
            "SELECT s.status FROM article_status s JOIN articles a ON a.id = s.article_id "
            "JOIN annotators n ON n.id = s.annotator_id WHERE a.uid = ? AND n.uid = ?",
            [article_uid, annotator_uid or self._annotator.uid])
        return row[0] if row else "new"

    # -------------------------------------------------------------- annotations
    def _validate(self, a: Annotation, text: str, book: Codebook) -> Annotation:
        """Check an annotation against the codebook and its article's text; returns it
        with its attribute values in stored form."""
        if not book.has_kind(a.kind):
            raise IntegrityError(f"unknown annotation kind {a.kind!r} (not in the codebook)")
        problem = check_span(text, a.start, a.end, a.quote) or builtin_problem(a)
        if problem:
            raise IntegrityError(problem)
        try:
            attributes = book.check_attributes(a.kind, a.attributes)
        except CodebookError as exc:
            raise IntegrityError(str(exc)) from None
        self.check_references(book, attributes)
        return a if attributes == a.attributes else a.with_changes(attributes=attributes)

    def _values(self, a: Annotation, article_id: int) -> dict[str, Any]:
        """The column values of `a` by field name (ANNOTATION_FIELDS), references as row
        ids; unknown references raise IntegrityError."""
        values = {f.name: getattr(a, f.name) for f in ANNOTATION_FIELDS}
        values.update(
            article_uid=article_id,
            annotator_uid=self._id("annotators", a.annotator_uid, "annotator"),
            actor_uid=self._id("actors", a.actor_uid, "actor"),
            holder_uid=self._id("actors", a.holder_uid, "holder actor"),
            target_topic_uid=self._id("topics", a.target_topic_uid, "topic"),
            target_actor_uid=self._id("actors", a.target_actor_uid, "target actor"),
            note=a.note or "",
            meta=json_text.sorted_keys(a.meta or {}),
            attributes=values_json(a.attributes))
        return values

    @staticmethod
    def _as_stored(a: Annotation, values: dict[str, Any]) -> Annotation:
        """`a` as get_annotation would read it back (note and meta normalised), so a
        write returns the new row without reading it again."""
        meta = values["meta"]
        return a.with_changes(note=values["note"], meta=json.loads(meta) if meta != "{}" else {})

    def _article_text(self, uid: str) -> tuple[int, str] | None:
        """(row id, text) of an article, for checking spans. Tagging one long article
        again and again would read its whole text (2 ms for 1 MB) per tag: the last text
        is kept, keyed by its content hash, so it is valid whatever happened to the uid."""
        # The codebook's version comes along (Repository._codebook_at): no extra statement.
        row = self._one("SELECT id, sha256, (SELECT value FROM store_info "
                        "WHERE key = 'codebook_version') FROM articles WHERE uid = ?", [uid])
        if row is None:
            return None
        self._codebook_seen = row[2]
        if self._last_text[0] != row[1]:
            text = self._scalar("SELECT text FROM articles WHERE id = ?", [row[0]])
            self._last_text = (row[1], text)
        return row[0], self._last_text[1]

    def add_annotation(self, a: Annotation) -> Annotation:
        """Insert an annotation with its own uid (undo/redo and imports keep uids).
        Missing uid, annotator or times are filled in. Returns the row as stored."""
        art = self._article_text(a.article_uid)
        if art is None:
            raise IntegrityError(f"unknown article {a.article_uid}")
        stamp = now_iso()
        a = a.with_changes(uid=a.uid or new_uid(), annotator_uid=a.annotator_uid or self._annotator.uid,
                           created_at=a.created_at or stamp, updated_at=a.updated_at or stamp,
                           note=a.note or "", meta=dict(a.meta or {}),
                           attributes=self._codebook_at(self._codebook_seen)
                           .with_defaults(a.kind, a.attributes))
        a = self._validate(a, art[1], self._codebook_at(self._codebook_seen))
        with self.tx():
            values = self._values(a, art[0])
            try:
                self.conn.execute(ANNOTATION_INSERT, [values[f.name] for f in ANNOTATION_FIELDS])
            except sqlite3.IntegrityError as exc:
                raise IntegrityError(f"annotation {a.uid}: {exc}") from None
            a = self._as_stored(a, values)
            self.audit("create", "annotation", a.uid, None, a)
        return a

    def get_annotation(self, uid: str) -> Annotation | None:
        row = self._one(ANNOTATION_SELECT + " WHERE an.uid = ?", [uid])
        return _annotation(row) if row else None

    def update_annotation(self, uid: str, **changes: Any) -> Annotation:
        """Change the EDITABLE_ANNOTATION_FIELDS of an annotation; returns it as stored.
        A merge taking a colleague's later version as it is also passes its updated_at
        and deleted_at (the time of their edit, their move to the trash)."""
        bad = set(changes) - set(EDITABLE_ANNOTATION_FIELDS) - {"updated_at", "deleted_at"}
        if bad:
            raise IntegrityError(f"cannot change annotation field(s) {', '.join(sorted(bad))}")
        with self.tx():
            before = existing(self.get_annotation(uid), "annotation", uid)
            after = before.with_changes(**changes)
            if "updated_at" not in changes:
                after = after.with_changes(updated_at=now_iso())
            art = existing(self._article_text(before.article_uid), "article", before.article_uid)
            after = self._validate(after, art[1], self._codebook_at(self._codebook_seen))
            values = self._values(after, art[0])
            try:
                self.conn.execute(ANNOTATION_UPDATE,
                                  [*(values[f.name] for f in ANNOTATION_UPDATABLE), uid])
            except sqlite3.IntegrityError as exc:
                raise IntegrityError(f"annotation {uid}: {exc}") from None
            after = self._as_stored(after, values)
            self.audit("update", "annotation", uid, before, after)
        return after

    def update_annotations(self, changes: dict[str, dict[str, Any]]) -> list[Annotation]:
        """Several updates (uid -> changes) in one transaction: all or none."""
        with self.tx():
            return [self.update_annotation(uid, **c) for uid, c in changes.items()]

    def delete_annotation(self, uid: str) -> Annotation:
        """Move to the trash (soft delete); restorable. Returns it as stored."""
        return self._soft_annotation(uid, delete=True)

    def restore_annotation(self, uid: str) -> Annotation:
        return self._soft_annotation(uid, delete=False)

    def _soft_annotation(self, uid: str, delete: bool) -> Annotation:
        with self.tx():
            self._soft("annotations", "annotation", uid, delete=delete)
            return existing(self.get_annotation(uid), "annotation", uid)

    def purge_annotation(self, uid: str) -> Annotation:
        """Remove for good (undo of a creation, emptying the trash); returns what it was."""
        with self.tx():
            before = existing(self.get_annotation(uid), "annotation", uid)
            self.conn.execute("DELETE FROM annotations WHERE uid = ?", [uid])
            self.audit("purge", "annotation", uid, before, None)
        return before

    def list_annotations(self, article_uid: str, annotator_uids: Iterable[str] | None = None, *,
                         kinds: Iterable[str] | None = None,
                         include_deleted: bool = False) -> list[Annotation]:
        """Annotations of one article, by start. annotator_uids=None means every annotator."""
        sql = ANNOTATION_SELECT + " WHERE ar.uid = ?"
        params: list[Any] = [article_uid]
        if annotator_uids is not None:
            uids = list(annotator_uids)
            sql += f" AND ann.uid IN ({','.join('?' * len(uids))})"
            params += uids
        if kinds is not None:
            ks = list(kinds)
            sql += f" AND an.kind IN ({','.join('?' * len(ks))})"
            params += ks
        if not include_deleted:
            sql += " AND an.deleted_at IS NULL"
        sql += ' ORDER BY an.start, an."end", an.id'
        return [_annotation(r) for r in self.conn.execute(sql, params)]

    def trash(self, article_uid: str | None = None) -> list[Annotation]:
        sql = ANNOTATION_SELECT + " WHERE an.deleted_at IS NOT NULL"
        params: list[Any] = []
        if article_uid:
            sql += " AND ar.uid = ?"
            params.append(article_uid)
        return [_annotation(r) for r in self.conn.execute(sql + " ORDER BY an.deleted_at DESC", params)]

    # -------------------------------------------------------------------- stats
    def stats(self) -> dict[str, Any]:
        one = self._scalar
        by_kind = dict(self.conn.execute(
            "SELECT kind, count(*) FROM annotations WHERE deleted_at IS NULL GROUP BY kind").fetchall())
        return {
            "articles": one("SELECT count(*) FROM articles WHERE deleted_at IS NULL"),
            "annotations": one("SELECT count(*) FROM annotations WHERE deleted_at IS NULL"),
            "by_kind": {k: by_kind.get(k, 0) for k in self.codebook().kind_uids()},
            "in_trash": one("SELECT count(*) FROM annotations WHERE deleted_at IS NOT NULL"),
            "actors": one("SELECT count(*) FROM actors WHERE deleted_at IS NULL"),
            "topics": one("SELECT count(*) FROM topics WHERE deleted_at IS NULL"),
            "annotators": one("SELECT count(*) FROM annotators"),
        }


def fts_query(text: str) -> str:
    """Turn what a user types into a safe FTS5 query: each word a quoted prefix term,
    so punctuation and operators in titles never break the search."""
    words = [w for w in text.replace('"', " ").split() if w]
    return " ".join(f'"{w}"*' for w in words) or '""'
