"""Review data in the store: spans for agreement, review decisions, the gold layer,
adjudication progress. Works on a Repository, like store.merge."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from stancemark.core.adjudication import Decision
from stancemark.core.agreement import LABEL_FIELDS, Span, attribute_label, review_units
from stancemark.core.builtin_kinds import ACTOR, DATE, STANCE
from stancemark.core.errors import IntegrityError, StancemarkError, StoreError
from stancemark.core.model import GOLD_ANNOTATOR, Annotator
from stancemark.store.repository import Repository

if TYPE_CHECKING:
    from stancemark.core.attribute_agreement_columns import KindValues

    _Read = tuple[KindValues, dict[str, Any] | None]  # a kind's columns, its figures if asked
    from stancemark.core.codebook import Codebook
    from stancemark.core.span_table import SpanTable

_DECISION_COLUMNS = ('uid, article_uid, kind, start, "end", decision, source_uids, '
                     "chosen_annotator_uid, gold_uid, reviewer_uid, decided_at, note")

# Labels are compared for equality only, so row ids serve (no joins to actors/topics);
# a stance target is "t<id>" for a topic or "a<id>" for an actor, built in Python for
# stance rows only (a CASE in the query cost every row a string concatenation).
_SPAN_SELECT = """
SELECT an.uid, an.article_id, an.annotator_id, an.kind, an.start, an."end", an.actor_id,
       an.date_value, an.polarity, an.target_topic_id, an.target_actor_id, an.holder_id,
       an.attributes
FROM annotations an
WHERE an.deleted_at IS NULL
"""


# The same labels as columns, for agreement over a whole store (span_table): each
# label's SQL and whether it is a whole number (read as integers, -1 for NULL) or any
# other value (read as a JSON array, NULL as None). A stance target is a topic's row id
# times 2 or an actor's times 2 plus 1: equal exactly when the "t<id>"/"a<id>" are.
_LABEL_COLUMNS: dict[str, tuple[str, bool]] = {
    "actor": ("an.actor_id", True),
    "date": ("an.date_value", False),
    "polarity": ("an.polarity", False),
    "target": ("coalesce(2 * an.target_topic_id, 2 * an.target_actor_id + 1)", True),
    "holder": ("an.holder_id", True),
}


def _ints(sql: str) -> str:
    return f"group_concat(coalesce({sql}, -1))"


def _hashable(value: Any) -> Any:
    """A multiple choice's list as a set of values: compared for equality in any order."""
    return frozenset(value) if isinstance(value, list) else value


# attribute_columns: the spans' ids, articles, annotators, starts and ends
_KIND_VALUE_COLUMNS = ", ".join(_ints(c) for c in ("an.id", "an.article_id", "an.annotator_id",
                                                    "an.start", 'an."end"'))


def _decision(row: tuple) -> Decision:
    r = list(row)
    r[6] = tuple(json.loads(r[6] or "[]"))
    return Decision(*r)


class ReviewStore:
    """Decisions and the gold layer of one store (the DecisionStore of core.adjudication)."""

    def __init__(self, repo: Repository):
        self.repo = repo
        self.conn = repo.conn

    # ------------------------------------------------------------- annotators
    def gold_annotator(self) -> Annotator:
        """The gold layer's annotator, created on first use."""
        existing = self.repo.annotator_by_name(GOLD_ANNOTATOR)
        if existing is not None:
            if not existing.is_gold:
                raise StancemarkError(f"an annotator called {GOLD_ANNOTATOR!r} exists but is "
                                      "not the gold layer; rename it first")
            return existing
        return self.repo.ensure_annotator(GOLD_ANNOTATOR, colour="#000000", is_gold=True)

    def annotators_by_names(self, names: Iterable[str]) -> list[Annotator]:
        out = []
        for name in names:
            ann = self.repo.annotator_by_name(name.strip())
            if ann is None:
                raise StancemarkError(f"no annotator called {name.strip()!r} in this store")
            out.append(ann)
        return out

    def annotators_with_annotations(self) -> list[Annotator]:
        """Annotators (not gold) with at least one live annotation, in store order."""
        rows = self.conn.execute(
            "SELECT uid, name, colour, is_gold FROM annotators n WHERE is_gold = 0 AND EXISTS "
            "(SELECT 1 FROM annotations a WHERE a.annotator_id = n.id AND a.deleted_at IS NULL)"
            " ORDER BY id").fetchall()
        return [Annotator(r[0], r[1], r[2], bool(r[3])) for r in rows]

    # ----------------------------------------------------------------- spans
    def spans(self, annotator_uids: Sequence[str], kinds: Sequence[str] | None = None,
              article_uid: str | None = None) -> list[Span]:
        """Live annotations of these annotators as agreement Spans, in one query."""
        ann_ids = {}
        for uid in annotator_uids:
            row = self.conn.execute("SELECT id FROM annotators WHERE uid = ?", [uid]).fetchone()
            if row:
                ann_ids[row[0]] = uid
        if not ann_ids:
            return []
        sql = _SPAN_SELECT + f" AND an.annotator_id IN ({','.join('?' * len(ann_ids))})"
        params: list[Any] = list(ann_ids)
        if kinds:
            sql += f" AND an.kind IN ({','.join('?' * len(kinds))})"
            params += list(kinds)
        if article_uid:
            sql += " AND an.article_id = (SELECT id FROM articles WHERE uid = ?)"
            params.append(article_uid)
            articles = dict(self.conn.execute(
                "SELECT id, uid FROM articles WHERE uid = ? AND deleted_at IS NULL",
                [article_uid]).fetchall())
        else:
            articles = dict(self.conn.execute(
                "SELECT id, uid FROM articles WHERE deleted_at IS NULL").fetchall())
        out: list[Span] = []
        append = out.append
        get_article = articles.get
        # One str object per kind for every span (SQLite hands back a fresh copy per row),
        # so grouping by kind later hashes and compares identical objects.
        kind_names: dict[str, str] = {}
        for uid, art, ann, kind, start, end, actor, date, polarity, topic, target_actor, \
                holder, attributes in self.conn.execute(sql, params):
            art_uid = get_article(art)
            if art_uid is None:  # article in the trash
                continue
            kind = kind_names.setdefault(kind, kind)
            if kind == ACTOR:
                labels: dict[str, Any] = {"actor": actor}
            elif kind == DATE:
                labels = {"date": date}
            elif kind != STANCE:  # a custom kind: its attributes are compared per attribute
                labels = {}
            else:
                target = (f"t{topic}" if topic is not None
                          else f"a{target_actor}" if target_actor is not None else None)
                labels = {"polarity": polarity, "target": target, "holder": holder}
            if attributes and attributes != "{}":  # compared per attribute (review_units)
                for key, value in json.loads(attributes).items():
                    labels[attribute_label(key)] = _hashable(value)
            append(Span(art_uid, ann_ids[ann], kind, start, end, labels, uid))
        return out

    def span_table(self, annotator_uids: Sequence[str], kinds: Sequence[str]) -> SpanTable:
        """Live annotations of these annotators and kinds (in live articles) as columns,
        for agreement over the store. One query: each column comes back as one
        aggregate string SQLite builds in C and NumPy or json parses in one call, not
        as a tuple per row (a third of the time of reading 200,000 spans that way)."""
        import numpy as np

        from stancemark.core.span_table import SpanTable

        if not annotator_uids or not kinds:
            return SpanTable.empty(kinds)
        ann_ids = dict(self.conn.execute(
            f"SELECT id, uid FROM annotators WHERE uid IN ({','.join('?' * len(annotator_uids))})",  # noqa: S608
            list(annotator_uids)).fetchall())
        if not ann_ids:
            return SpanTable.empty(kinds)
        names = [n for n in dict.fromkeys(n for k in kinds for n in LABEL_FIELDS.get(k, ()))
                 if n in _LABEL_COLUMNS]
        kind_code = "CASE an.kind " + " ".join(
            f"WHEN ? THEN {i}" for i in range(len(kinds))) + " END"
        columns = [_ints("an.article_id"), _ints("an.annotator_id"), _ints(kind_code),
                   _ints("an.start"), _ints('an."end"')]
        for n in names:
            sql, whole = _LABEL_COLUMNS[n]
            columns.append(_ints(sql) if whole else f"json_group_array({sql})")
        sql = (f"SELECT count(*), {', '.join(columns)} FROM annotations an "  # noqa: S608
               f"WHERE an.deleted_at IS NULL AND an.annotator_id IN ({','.join('?' * len(ann_ids))}) "
               f"AND an.kind IN ({','.join('?' * len(kinds))})")
        count, *values = self.conn.execute(sql, [*kinds, *ann_ids, *kinds]).fetchone()
        if not count:
            return SpanTable.empty(kinds)
        cols = []
        for text in values:
            if text is None or text.startswith("["):
                cols.append(json.loads(text or "[]"))
            else:
                cols.append(np.fromstring(text, dtype=np.int64, sep=","))
            if len(cols[-1]) != count:
                raise StoreError("an annotation's start, end or reference is not a whole "
                                 "number (damaged store)")
        article, annotator, kind, start, end = cols[:5]
        labels = dict(zip(names, cols[5:], strict=True))
        # Articles in the trash drop out, as in spans().
        ids = np.unique(article)
        live = self.conn.execute(
            "SELECT id, uid FROM articles WHERE deleted_at IS NULL AND id IN "
            "(SELECT value FROM json_each(?)) ORDER BY id", [json.dumps(ids.tolist())]).fetchall()
        live_ids = np.array([r[0] for r in live], dtype=np.int64)
        keep = np.isin(article, live_ids)
        if not keep.all():
            at = np.flatnonzero(keep)
            article, annotator, kind, start, end = (c[at] for c in (article, annotator, kind,
                                                                    start, end))
            labels = {n: (v[at] if isinstance(v, np.ndarray) else [v[i] for i in at.tolist()])
                      for n, v in labels.items()}
        ann_order = sorted(ann_ids)
        return SpanTable([r[1] for r in live], [ann_ids[i] for i in ann_order], list(kinds),
                         np.searchsorted(live_ids, article),
                         np.searchsorted(np.array(ann_order, dtype=np.int64), annotator),
                         kind, start, end, labels)

    def attribute_columns(self, annotator_uids: Sequence[str], book: Codebook) -> list[KindValues]:
        """The attribute values of these annotators' live spans (in live articles) as
        columns, one KindValues per span kind with attributes that have a metric (see
        _kind_values)."""
        return self.attribute_reader(annotator_uids, book).result()

    def attribute_reader(self, annotator_uids: Sequence[str], book: Codebook,
                         figures: bool = False) -> AttributeReader:
        """attribute_columns begun now, finished by the reader's result(). SQLite releases
        Python's lock while it reads, so with a store file and no change under way a
        thread starts taking the kinds one by one at once, on a read-only connection of
        its own (store.background): the second core reads while the caller computes
        something else (the span figures); result() takes the kinds still left on this
        connection, waits for the thread and hands back the columns. With figures=True
        each kind's attribute figures are computed right after it is read, in the
        thread that read it, and figures() hands them back (computing all of them after
        the last kind was read took a fifth of the codebook store's agreement, the
        second core idle)."""
        import numpy as np

        from stancemark.store.db import database_file

        ann_ids = [r[0] for r in self.conn.execute(
            f"SELECT id FROM annotators WHERE uid IN ({','.join('?' * len(annotator_uids))})",  # noqa: S608
            list(annotator_uids)).fetchall()] if annotator_uids else []
        wanted: dict[str, list[str]] = {}
        for attr in book.attributes:
            if attr.kind_uid is not None and attr.metric is not None:
                wanted.setdefault(attr.kind_uid, []).append(attr.uid)
        jobs = list(wanted.items()) if ann_ids else []
        # Articles in the trash drop out after the reading, by id: joining each span to
        # its article reads the article's row, past its text, to test deleted_at (a
        # tenth of the reading). The partial index of live articles holds every id.
        live = np.array([r[0] for r in self.conn.execute(
            "SELECT id FROM articles INDEXED BY articles_live WHERE deleted_at IS NULL "
            "ORDER BY id")], dtype=np.int64) if jobs else None
        file = database_file(self.conn)
        beside = file if len(jobs) > 1 and file and not self.conn.in_transaction else None
        return AttributeReader(self.conn, jobs, ann_ids, live, beside, book, figures)

    def lengths(self, article_uids: Iterable[str]) -> dict[str, int]:
        """Text lengths in code points (SQLite's length() counts characters)."""
        # Only the articles asked for: length() reads the whole text, and a store may hold
        # many more articles than the annotators tagged.
        wanted = sorted(set(article_uids))
        out: dict[str, int] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            out.update(self.conn.execute(
                f"SELECT uid, length(text) FROM articles WHERE deleted_at IS NULL "  # noqa: S608
                f"AND uid IN ({','.join('?' * len(chunk))})", chunk).fetchall())
        return out

    # ------------------------------------------------------------- decisions
    def add_decision(self, d: Decision) -> Decision:
        with self.repo.tx():
            try:
                self.conn.execute(
                    f"INSERT INTO review_decisions ({_DECISION_COLUMNS}) "  # noqa: S608
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    [d.uid, d.article_uid, d.kind, d.start, d.end, d.decision,
                     json.dumps(list(d.source_uids)), d.chosen_annotator_uid, d.gold_uid,
                     d.reviewer_uid, d.decided_at, d.note])
            except Exception as exc:  # sqlite3.IntegrityError: a CHECK or the uid
                raise IntegrityError(f"review decision {d.uid}: {exc}") from None
            self.repo.audit("create", "review_decision", d.uid, None, d)
        return d

    def remove_decision(self, uid: str) -> None:
        before = self.get_decision(uid)
        if before is None:
            raise IntegrityError(f"unknown review decision {uid}")
        with self.repo.tx():
            self.conn.execute("DELETE FROM review_decisions WHERE uid = ?", [uid])
            self.repo.audit("purge", "review_decision", uid, before, None)

    def get_decision(self, uid: str) -> Decision | None:
        row = self.conn.execute(f"SELECT {_DECISION_COLUMNS} FROM review_decisions "  # noqa: S608
                                "WHERE uid = ?", [uid]).fetchone()
        return _decision(row) if row else None

    def decisions(self, article_uid: str | None = None) -> list[Decision]:
        sql = f"SELECT {_DECISION_COLUMNS} FROM review_decisions"  # noqa: S608
        params: list[Any] = []
        if article_uid:
            sql += " WHERE article_uid = ?"
            params.append(article_uid)
        return [_decision(r) for r in self.conn.execute(sql + " ORDER BY start, id", params)]

    def decisions_for(self, source_uids: tuple[str, ...]) -> list[Decision]:
        """Decisions whose unit shared an annotation with these (an earlier verdict)."""
        if not source_uids:
            return []
        wanted = set(source_uids)
        rows = self.conn.execute(
            f"SELECT DISTINCT {', '.join('d.' + c.strip() for c in _DECISION_COLUMNS.split(','))} "  # noqa: S608
            "FROM review_decisions d, json_each(d.source_uids) j "
            f"WHERE j.value IN ({','.join('?' * len(wanted))})", list(wanted)).fetchall()
        return [_decision(r) for r in rows]

    # -------------------------------------------------------------- progress
    def progress(self, article_uid: str, annotator_uids: Sequence[str]) -> tuple[int, int, int]:
        """(units decided, units, units still open: in disagreement or marked by one
        annotator only, and not decided yet). Open is what the window's list has left."""
        units = review_units(self.spans(annotator_uids, article_uid=article_uid), annotator_uids)
        decided_sources = {u for d in self.decisions(article_uid) for u in d.source_uids}
        return _counts(units, decided_sources)

    def corpus_progress(self, annotator_uids: Sequence[str]) -> dict[str, tuple[int, int, int]]:
        """progress() for every article any of the annotators tagged, in one pass."""
        by_article: dict[str, list[Span]] = defaultdict(list)
        for s in self.spans(annotator_uids):
            by_article[s.article].append(s)
        decided_sources: dict[str, set[str]] = defaultdict(set)
        for d in self.decisions():
            decided_sources[d.article_uid].update(d.source_uids)
        return {art: _counts(review_units(spans, annotator_uids), decided_sources.get(art, set()))
                for art, spans in by_article.items()}


def _counts(units: Sequence[Any], decided_sources: set[str]) -> tuple[int, int, int]:
    """(decided, units, open): a unit is decided when a decision names one of its spans;
    open when it is not agreed and not decided (settling one lowers the count)."""
    decided = [any(s.uid in decided_sources for s in u.spans) for u in units]
    return (sum(decided), len(units),
            sum(1 for u, done in zip(units, decided, strict=True) if u.status != "agree" and not done))



class AttributeReader:
    """ReviewStore.attribute_reader: the kinds to read in a queue both threads take from.
    With figures=True, whoever reads a kind computes its attribute figures at once."""

    def __init__(self, conn: Any, jobs: list[tuple[str, list[str]]], ann_ids: list[int],
                 live: Any, beside: str | None, book: Codebook, figures: bool = False):
        import queue

        from stancemark.store.background import Background

        self._conn, self._ann_ids, self._live, self._book = conn, ann_ids, live, book
        self._order = [kind for kind, _attrs in jobs]
        self._jobs: queue.SimpleQueue[tuple[str, list[str]]] = queue.SimpleQueue()
        for job in jobs:
            self._jobs.put(job)
        self._with_figures = figures  # each kind's figures computed as it is read
        self._beside: Background[list[_Read]] | None = None
        if beside is not None:
            file = beside

            def read_beside() -> list[_Read]:
                from pathlib import Path

                from stancemark.store.db import _connect

                conn = _connect(Path(file), readonly=True)
                try:
                    return self._take(conn)
                finally:
                    conn.close()

            self._beside = Background("attribute-values", read_beside)

    def _take(self, conn: Any) -> list[_Read]:
        import queue

        from stancemark.core.attribute_agreement_columns import kind_attribute_figures

        out: list[_Read] = []
        while True:
            try:
                kind, attrs = self._jobs.get_nowait()
            except queue.Empty:
                return out
            kv = _kind_values(conn, kind, attrs, self._ann_ids, self._live)
            if kv is not None:
                out.append((kv, kind_attribute_figures(self._book, kv) if self._with_figures
                             else None))

    def _finish(self) -> list[_Read]:
        try:
            out = self._take(self._conn)
            if self._beside is not None:
                out += self._beside.result() or []
        finally:
            self.close()
        return sorted(out, key=lambda r: self._order.index(r[0].kind))

    def result(self) -> list[KindValues]:
        """The columns, in codebook order of their kinds."""
        return [kv for kv, _figures in self._finish()]

    def figures(self) -> list[Any]:
        """span_attribute_figures_columns of the columns: every span attribute's figure
        in codebook order, each kind's computed by the thread that read it when the
        reader was made with figures=True (here otherwise)."""
        from stancemark.core.attribute_agreement_columns import span_attribute_figures_columns

        read = self._finish()
        done = {kv.kind: figures for kv, figures in read if figures is not None}
        return span_attribute_figures_columns(self._book, [kv for kv, _f in read], done)

    def close(self) -> None:
        """Wait for the thread without its result (the caller failed meanwhile)."""
        if self._beside is not None:
            self._beside.wait()


def _kind_values(conn: Any, kind: str, attrs: list[str], ann_ids: list[int],
                 live: Any) -> KindValues | None:
    """One kind's spans (in the articles whose ids are in the sorted array `live`) with
    their values of `attrs`: one query, each column one aggregate string parsed in one
    call (as span_table), the values one JSON array per attribute (json_extract: a
    yes/no comes back as 1/0, equal to true/false as a category)."""
    import numpy as np

    from stancemark.core.attribute_agreement_columns import KindValues

    values = ", ".join("json_group_array(json_extract(an.attributes, ?))" for _ in attrs)
    sql = (f"SELECT count(*), {_KIND_VALUE_COLUMNS}, {values} "  # noqa: S608
           "FROM annotations an WHERE an.deleted_at IS NULL AND an.kind = ? "
           f"AND an.annotator_id IN ({','.join('?' * len(ann_ids))}) "
           "AND an.attributes != '{}'")
    # a uid in a JSON path: quoted (uids hold hyphens), passed as a parameter
    paths = ['$."' + a.replace('"', "") + '"' for a in attrs]
    count, *cols = conn.execute(sql, [*paths, kind, *ann_ids]).fetchone()
    if not count:
        return None
    ints = [np.fromstring(c, dtype=np.int64, sep=",") for c in cols[:5]]
    if any(len(c) != count for c in ints):
        raise StoreError("an annotation's start, end or reference is not a whole "
                         "number (damaged store)")
    ids, article, annotator, start, end = ints
    by_attr: dict[str, list[Any]] = {
        a: json.loads(text) for a, text in zip(attrs, cols[5:], strict=True)}
    keep = np.isin(article, live)
    if not keep.all():  # spans of articles in the trash
        at = np.flatnonzero(keep)
        if not len(at):
            return None
        ids, article, annotator, start, end = (c[at] for c in ints)
        by_attr = {a: [v[i] for i in at.tolist()] for a, v in by_attr.items()}
    return KindValues(kind, ids, article, annotator, start, end, values=by_attr)
