"""What `stancemark suggest` reads and writes: articles in scope streamed in one query,
the suggestions annotator's spans, its annotations stored through the bulk path.

A stored suggestion is an ordinary annotation of a separate annotator ("suggestions"
by default), marked in its meta ({"suggested": "<alias or date>"}), with a uid derived
from (article, annotator, suggestion key): a second run finds the same uids and adds
nothing, even where a reviewer has trashed one.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from stancemark.core.model import Annotation, Article, now_iso
from stancemark.store.bulk import bulk_load
from stancemark.store.columns import ARTICLE_COLUMNS
from stancemark.store.repository import Repository, _article

SUGGESTION_NAMESPACE = uuid.UUID("0b6c7c8e-2f4e-4d2a-9a57-5d3c1e0f7a15")


def suggestion_uid(article_uid: str, annotator_uid: str, key: str) -> str:
    return str(uuid.uuid5(SUGGESTION_NAMESPACE, f"{article_uid}|{annotator_uid}|{key}"))


def articles_in_scope(repo: Repository, query: str | None, status: str | None,
                      batch: int = 2_000) -> Iterator[Article]:
    """Live articles matching the search and status (of the session's annotator), in
    store order, read in batches so a 100,000-article store streams."""
    uids = repo.article_uids(query, status)
    for i in range(0, len(uids), batch):
        rows = repo.conn.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE uid IN "  # noqa: S608 - fixed columns
            "(SELECT value FROM json_each(?)) ORDER BY id", [json.dumps(uids[i:i + batch])])
        for row in rows:
            yield _article(row)


def articles_with_spans(repo: Repository, annotator_uid: str) -> set[str]:
    """Articles where the annotator has any annotation, trashed ones included."""
    return {r[0] for r in repo.conn.execute(
        "SELECT DISTINCT ar.uid FROM annotations an JOIN articles ar ON ar.id = an.article_id "
        "JOIN annotators n ON n.id = an.annotator_id WHERE n.uid = ?", [annotator_uid])}


def spans_of(repo: Repository, article_uid: str, annotator_uid: str
             ) -> tuple[list[tuple[str, int, int, str | None]], set[str]]:
    """The annotator's live (kind, start, end, actor uid) in the article, and the uids
    of all its annotations there, trashed ones included."""
    spans, uids = [], set()
    for a in repo.list_annotations(article_uid, [annotator_uid], include_deleted=True):
        uids.add(a.uid)
        if a.deleted_at is None:
            spans.append((a.kind, a.start, a.end, a.actor_uid))
    return spans, uids


def holds_own_work(repo: Repository, annotator_uid: str) -> bool:
    """Whether the annotator has an annotation that no suggestion run stored (a
    person's layer, which `suggest --apply` must not write into)."""
    row = repo.conn.execute(
        "SELECT 1 FROM annotations an JOIN annotators n ON n.id = an.annotator_id "
        "WHERE n.uid = ? AND json_extract(an.meta, '$.suggested') IS NULL LIMIT 1",
        [annotator_uid]).fetchone()
    return row is not None


def store_suggestions(repo: Repository, annotations: Iterable[Annotation]) -> int:
    """Store through the bulk path (one transaction, every span checked)."""
    return bulk_load(repo, annotations=annotations).annotations


def as_annotation(article: Article, annotator_uid: str, kind: str, start: int, end: int,
                  quote: str, key: str, fields: dict[str, Any], mark: str) -> Annotation:
    stamp = now_iso()
    return Annotation(suggestion_uid(article.uid, annotator_uid, key), article.uid,
                      annotator_uid, kind, start, end, quote, meta={"suggested": mark},
                      created_at=stamp, updated_at=stamp, **fields)
