"""A light read of one article's annotations for drawing and listing them: only the
columns a view needs, no joins, ids mapped to uids in Python. For a 1 MB article with
20,000 annotations this is several times faster than Repository.list_annotations,
which builds full Annotation records (fetch those one at a time, when shown)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple


class SpanRow(NamedTuple):
    uid: str
    kind: str
    start: int
    end: int
    quote: str
    annotator_uid: str
    actor_uid: str | None
    polarity: str | None


def span_rows(repo: Any, article_uid: str,
              annotator_uids: Iterable[str] | None = None) -> list[SpanRow]:
    """Live annotations of an article, by start; annotator_uids=None means everyone."""
    conn = repo.conn
    row = conn.execute("SELECT id FROM articles WHERE uid = ?", [article_uid]).fetchone()
    if row is None:
        return []
    annotators = dict(conn.execute("SELECT id, uid FROM annotators").fetchall())
    actors = dict(conn.execute("SELECT id, uid FROM actors").fetchall())
    sql = ('SELECT uid, kind, start, "end", quote, annotator_id, actor_id, polarity '
           "FROM annotations WHERE article_id = ? AND deleted_at IS NULL")
    params: list[Any] = [row[0]]
    if annotator_uids is not None:
        wanted = set(annotator_uids)
        ids = [i for i, u in annotators.items() if u in wanted]
        if not ids:
            return []
        sql += f" AND annotator_id IN ({','.join('?' * len(ids))})"
        params += ids
    sql += ' ORDER BY start, "end", id'
    get_ann, get_actor = annotators.get, actors.get
    return [SpanRow(r[0], r[1], r[2], r[3], r[4], get_ann(r[5]), get_actor(r[6]), r[7])
            for r in conn.execute(sql, params)]
