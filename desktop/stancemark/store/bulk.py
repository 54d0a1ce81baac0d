"""Bulk loading of articles and annotations: executemany in batches, one transaction.

add_articles: what Repository.add_article does, for many articles at once (the text
importers): same checks, same duplicate rule, one audit entry per article, but one
multi-row INSERT and one audit executemany per batch instead of an INSERT per article.
Every statement that writes the full-text index has FTS5 write out the terms it holds
in memory as a new index segment and has SQLite copy the pages it changes to a
statement journal; per batch, that is done 500 times less often.

bulk_load: for large synthetic or migrated corpora (the benchmark's stores hold 100,000
articles and 2,000,000 annotations), where one `Repository.add_article` /
`add_annotation` call per row would spend most of its time in per-row lookups and
audit entries. The same rules hold as for the repository: every span is checked against its
article's text (code points, end-exclusive, quote equal to the slice) and the whole
load is one transaction, so a bad row leaves the store unchanged. One audit entry
records the load.

The span-checking insert trigger is suspended for the load and recreated before the
commit: SQLite's length() and substr() walk UTF-8 text from its first byte, so on a
1 MB article each checked insert would scan megabytes. The check is done here in
Python instead, on the text already in hand.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from stancemark.core.attribute_values import values_json
from stancemark.core.codebook import CodebookError
from stancemark.core.errors import IntegrityError
from stancemark.core.model import Annotation, Article, new_uid, now_iso
from stancemark.core.text import check_span, normalise_newlines, text_sha256
from stancemark.store import json_text
from stancemark.store.article_queue import insert_rows
from stancemark.store.columns import ANNOTATION_INSERT, ARTICLE_COLUMNS
from stancemark.store.repository import Repository, _article

_SPAN_TRIGGER = "annotations_span_insert"


@dataclass
class BulkReport:
    articles: int = 0
    annotations: int = 0


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


class _Ids:
    """uid -> rowid for one table, filled on demand (the register is small; articles
    are looked up as their annotations arrive)."""

    def __init__(self, repo: Repository, table: str):
        self.conn = repo.conn
        self.table = table
        self.map: dict[str, int] = {}

    def get(self, uid: str | None, what: str) -> int | None:
        if uid is None:
            return None
        rowid = self.map.get(uid)
        if rowid is None:
            row = self.conn.execute(
                f"SELECT id FROM {self.table} WHERE uid = ?", [uid]).fetchone()  # noqa: S608 - fixed names
            if row is None:
                raise IntegrityError(f"unknown {what} {uid}")
            rowid = self.map[uid] = row[0]
        return rowid


_ARTICLE_FIELDS = frozenset({"text", "title", "source", "url", "author", "published", "language",
                             "meta", "uid", "added_at"})


def add_articles(repo: Repository, items: Iterable[dict[str, Any]], batch_size: int = 500,
                 progress: Any = None) -> list[tuple[Article, bool]]:
    """Repository.add_article(**item) for each item, batched; returns (article, added)
    per item in order. A text already in the store, or earlier in `items`, is not added
    again: the existing article comes back with added=False. All or nothing."""
    results: list[tuple[Article, bool]] = []
    conn = repo.conn
    with repo.tx():
        for batch in _batches(items, batch_size):
            prepared = []
            for item in batch:
                unknown = set(item) - _ARTICLE_FIELDS
                if unknown:
                    raise TypeError(f"add_articles: unknown field(s) {', '.join(sorted(unknown))}")
                text = normalise_newlines(item["text"])
                if not text or text.isspace():  # as `not text.strip()`, without a copy
                    raise IntegrityError("article text is empty")
                if "\x00" in text:  # a JSON escape can carry what every file reader refuses
                    raise IntegrityError("article text holds NUL characters")
                prepared.append((item, text, text_sha256(text)))
            known = {art.sha256: art for art in _articles_by_sha(repo, [p[2] for p in prepared])}
            rows, new = [], []
            for item, text, sha in prepared:
                if sha in known:
                    results.append((known[sha], False))
                    continue
                art = Article(item.get("uid") or new_uid(), (item.get("title") or "").strip(),
                              text, sha, item.get("source", ""), item.get("url", ""),
                              item.get("author", ""), item.get("published", ""),
                              item.get("language", ""), item.get("added_at") or now_iso(),
                              dict(item.get("meta") or {}))
                known[sha] = art
                rows.append((art.uid, art.title, art.text, art.sha256, art.source, art.url,
                             art.author, art.published, art.language, art.added_at,
                             json_text.plain(art.meta), None))
                new.append(art)
                results.append((art, True))
            try:
                insert_rows(conn, rows)  # one statement per batch: store/article_queue.py
            except sqlite3.IntegrityError as exc:  # e.g. an imported uid used by another text
                raise IntegrityError(f"articles from {new[0].uid}: {exc}") from None
            # One executemany per batch instead of one statement per article (a tenth
            # of a large import's time).
            repo.audit_each("create", "article", [
                (art.uid, None, {"title": art.title, "sha256": art.sha256}) for art in new])
            if progress is not None:
                progress(len(results))
    return results


def _articles_by_sha(repo: Repository, shas: list[str]) -> list[Article]:
    rows = repo.conn.execute(
        f"SELECT {ARTICLE_COLUMNS} FROM articles "  # noqa: S608 - fixed column list
        "WHERE sha256 IN (SELECT value FROM json_each(?))", [json.dumps(shas)])
    return [_article(r) for r in rows]


def bulk_load(repo: Repository, articles: Iterable[Article] = (),
              annotations: Iterable[Annotation] = (), batch_size: int = 5_000) -> BulkReport:
    """Insert articles, then annotations (best grouped by article), in one transaction.

    Articles must be new (their sha256 and uid not in the store) and carry their
    sha256; annotations must carry uid, annotator, and times. Raises IntegrityError
    naming the first bad row; nothing is written then.
    """
    report = BulkReport()
    conn = repo.conn
    with _bulk_settings(conn), repo.tx():
        for batch in _batches(articles, batch_size):
            conn.executemany(
                f"INSERT INTO articles ({ARTICLE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",  # noqa: S608
                [(a.uid, a.title, a.text, a.sha256, a.source, a.url, a.author, a.published,
                  a.language, a.added_at, json_text.plain(a.meta), a.deleted_at)
                 for a in batch])
            report.articles += len(batch)
        trigger = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                               [_SPAN_TRIGGER]).fetchone()
        if trigger:
            conn.execute(f"DROP TRIGGER {_SPAN_TRIGGER}")
        report.annotations = _load_annotations(repo, annotations, batch_size)
        if trigger:
            conn.execute(trigger[0])
        repo.audit("bulk-load", "store", repo.store_uid(), None,
                    {"articles": report.articles, "annotations": report.annotations})
    return report


@contextlib.contextmanager
def _bulk_settings(conn: sqlite3.Connection) -> Iterator[None]:
    """Foreign keys unchecked by SQLite and a bigger page cache for one bulk load.

    Every row id an annotation row gets comes from a lookup in the load's own
    transaction (the article, annotator, actor and topic by uid, the kind in the
    codebook's table), so SQLite's per-row checks of the same references (seven per
    annotation) only repeat them: about a tenth of the inserts' time. The pragma takes
    effect only outside a transaction; inside a caller's, the checks stay on. The page
    cache is enlarged by _load_annotations once a load proves large; both settings are
    restored afterwards."""
    outside = not conn.in_transaction
    keys = outside and conn.execute("PRAGMA foreign_keys").fetchone()[0]
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    if keys:
        conn.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        if outside and conn.in_transaction:  # pragma: no cover - tx() has ended it already
            conn.execute("ROLLBACK")
        if keys:
            conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA cache_size = {int(cache)}")


# The indexes of a few hundred thousand new annotations (the uid index is written in
# random order) do not fit the default 2 MB page cache, which then spills pages to the
# journal midway: a quarter of the inserts' CPU. A load of more than one batch gets the
# merge's cache; a small one (an import's record) keeps the memory it had.
_BULK_CACHE_KIB = 131_072
_BULK_CACHE = f"PRAGMA cache_size = -{_BULK_CACHE_KIB}"


def _meta_json(meta: dict[str, Any] | None) -> str:
    """json.dumps(meta, ensure_ascii=False, sort_keys=True), the same text, without the
    encoder's setup for the common one-string-entry meta (a suggestion's)."""
    if not meta:
        return "{}"
    if len(meta) == 1:
        ((key, value),) = meta.items()
        if type(key) is str and type(value) is str:
            return f"{{{json_text.string(key)}: {json_text.string(value)}}}"
    return json_text.sorted_keys(meta)


def _load_annotations(repo: Repository, annotations: Iterable[Annotation], batch_size: int) -> int:
    conn = repo.conn
    actors, topics = _Ids(repo, "actors"), _Ids(repo, "topics")
    annotators = _Ids(repo, "annotators")
    book = repo.codebook()
    kinds: set[str] = set()  # checked in the codebook and its table
    current: tuple[str, int, str] | None = None  # the last article seen: uid, rowid, text
    count = 0
    for batch in _batches(annotations, batch_size):
        if count:  # a second batch: a large load
            cache = conn.execute("PRAGMA cache_size").fetchone()[0]
            if cache > -_BULK_CACHE_KIB:
                conn.execute(_BULK_CACHE)
        rows = []
        for a in batch:
            if current is None or current[0] != a.article_uid:
                row = conn.execute("SELECT id, text FROM articles WHERE uid = ?",
                                   [a.article_uid]).fetchone()
                if row is None:
                    raise IntegrityError(f"annotation {a.uid}: unknown article {a.article_uid}")
                current = (a.article_uid, row[0], row[1])
            if a.kind not in kinds:
                if not book.has_kind(a.kind) or conn.execute(
                        "SELECT 1 FROM codebook_kinds WHERE uid = ?", [a.kind]).fetchone() is None:
                    raise IntegrityError(f"annotation {a.uid}: unknown kind {a.kind!r}")
                kinds.add(a.kind)
            attributes = None
            if a.attributes:
                try:
                    attributes = book.check_attributes(a.kind, a.attributes)
                except CodebookError as exc:
                    raise IntegrityError(f"annotation {a.uid}: {exc}") from None
                if attributes:
                    repo.check_references(book, attributes)
            problem = check_span(current[2], a.start, a.end, a.quote)
            if problem:
                raise IntegrityError(f"annotation {a.uid}: {problem}")
            rows.append((
                a.uid, current[1], annotators.get(a.annotator_uid, "annotator"), a.kind,
                a.start, a.end, a.quote,
                None if a.actor_uid is None else actors.get(a.actor_uid, "actor"),
                a.date_value, a.date_granularity,
                None if a.holder_uid is None else actors.get(a.holder_uid, "holder actor"),
                None if a.target_topic_uid is None else topics.get(a.target_topic_uid, "topic"),
                None if a.target_actor_uid is None else actors.get(a.target_actor_uid,
                                                                   "target actor"),
                a.polarity, a.stance_date, a.note or "", _meta_json(a.meta),
                a.created_at, a.updated_at, a.deleted_at,
                values_json(attributes) if attributes else "{}"))
        try:
            conn.executemany(ANNOTATION_INSERT, rows)
        except sqlite3.IntegrityError as exc:  # name the batch's first row
            raise IntegrityError(f"annotations from {batch[0].uid}: {exc}") from None
        count += len(rows)
    return count
