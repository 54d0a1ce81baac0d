"""Merging a colleague's store file into mine (formats.merge_input adds JSONL exports).

Set-based: their file is ATTACHed read-only and rows move with INSERT ... SELECT
joined on uids, so 200,000 annotations cost a few statements, not 200,000 calls.

Matching rules:
- articles by text hash (sha256): same text with other metadata keeps mine and notes
  theirs under meta["merged_metadata"];
- annotators by uid, then by name (names are unique in a store);
- actors, topics and annotations by uid;
- actors with another uid but the same name or alias (ignoring case) as one of mine
  are *proposed* for merging in the report, never merged here.

An annotation present in both with different content keeps the later edit
(updated_at, or deleted_at for a move to the trash), except that annotations of
the current annotator are never changed by a merge; either way both versions are
written to the audit log. The whole merge is one transaction, so merging the same
file twice adds nothing the second time, and a failure leaves my store unchanged.
A backup of my store is taken first.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from stancemark.core.errors import IntegrityError, StancemarkError, StoreError
from stancemark.core.model import EDITABLE_ANNOTATION_FIELDS, Annotation, new_uid, now_iso
from stancemark.core.text import file_name_text
from stancemark.store import merge_checks, merge_codebook, span_check
from stancemark.store.background import Background
from stancemark.store.backups import BackupInfo, backup_before_file
from stancemark.store.columns import ANNOTATION_FIELDS, ARTICLE_COLUMNS, annotation_select
from stancemark.store.db import _inspect, database_file, input_uri
from stancemark.store.fts_buffer import bulk_article_terms
from stancemark.store.repository import Repository, _annotation
from stancemark.store.suggestion_store import merge_their_decisions

_SPAN_TRIGGER = "annotations_span_insert"
# Their annotations read as the repository reads mine, from the attached file.
_THEIR_ANNOTATIONS = annotation_select("theirs")
# Their annotation rows inserted into mine: their row ids mapped to mine (temp tables
# made by the merge), every other column as it is.
_MAPPED_IDS = {"article_id": "ma.mine_id", "annotator_id": "mn.mine_id",
               "actor_id": "ac.mine_id", "holder_id": "ho.mine_id",
               "target_topic_id": "tt.mine_id", "target_actor_id": "ta.mine_id"}
_ANNOTATION_COLUMNS = ", ".join(f.column for f in ANNOTATION_FIELDS)
_THEIR_VALUES = ", ".join(_MAPPED_IDS.get(f.column, f"t.{f.column}") for f in ANNOTATION_FIELDS)
_ARTICLE_COLUMNS_BUT_UID = ARTICLE_COLUMNS.removeprefix("uid, ")
# What a merge copies when their version of an annotation is the later edit.
_TAKEN_FIELDS = (*EDITABLE_ANNOTATION_FIELDS, "updated_at", "deleted_at")
_META_FIELDS = ("title", "source", "url", "author", "published", "language")


@dataclass(frozen=True)
class ActorProposal:
    """Two actors that look like the same one (same name or alias), to merge by hand."""

    mine_uid: str
    mine_name: str
    theirs_uid: str
    theirs_name: str
    shared: str  # the name or alias they share

    def describe(self) -> str:
        return (f"actor “{self.theirs_name}” ({self.theirs_uid[:8]}) looks like "
                f"“{self.mine_name}” ({self.mine_uid[:8]}): both known as “{self.shared}”")


@dataclass
class MergeReport:
    source: str
    articles_added: int = 0
    articles_matched: int = 0  # same text already here
    metadata_noted: int = 0  # same text, other metadata: theirs noted in meta
    annotators_added: int = 0
    actors_added: int = 0
    aliases_added: int = 0
    topics_added: int = 0
    annotations_added: int = 0
    annotations_updated: int = 0  # theirs was the later edit
    annotations_kept: int = 0  # both edited, mine kept (later, or my own)
    statuses_added: int = 0
    statuses_updated: int = 0  # theirs was the later change
    registers_updated: int = 0  # actors and topics they edited later
    decisions_added: int = 0
    suggestion_decisions_added: int = 0
    suggestion_decisions_updated: int = 0  # theirs was the later change (an undo, a redo)
    codebook_added: int = 0  # their kinds, attributes and values new here
    codebook_conflicts: list[str] = field(default_factory=list)  # same uid, other definition
    variables_added: int = 0  # article-variable rows (article, annotator) written
    proposals: list[ActorProposal] = field(default_factory=list)
    backup: str = ""

    @property
    def added_anything(self) -> bool:
        return any((self.articles_added, self.annotators_added, self.actors_added,
                    self.aliases_added, self.topics_added, self.annotations_added,
                    self.annotations_updated, self.statuses_added, self.decisions_added,
                    self.metadata_noted, self.statuses_updated, self.registers_updated,
                    self.codebook_added, self.variables_added,
                    self.suggestion_decisions_added, self.suggestion_decisions_updated))

    def summary(self) -> str:
        parts = [f"merged {self.source}:",
                 f"{self.articles_added} article(s) added",
                 f"{self.articles_matched} already here"]
        for label, n in (("metadata note(s)", self.metadata_noted),
                         ("annotator(s) added", self.annotators_added),
                         ("actor(s) added", self.actors_added),
                         ("alias(es) added", self.aliases_added),
                         ("topic(s) added", self.topics_added),
                         ("status(es) added", self.statuses_added),
                         ("status(es) updated to their later change", self.statuses_updated),
                         ("actor(s)/topic(s) updated to their later edit",
                          self.registers_updated),
                         ("review decision(s) added", self.decisions_added),
                         ("suggestion decision(s) added", self.suggestion_decisions_added),
                         ("suggestion decision(s) updated to their later change",
                          self.suggestion_decisions_updated),
                         ("codebook entr(y/ies) added", self.codebook_added),
                         ("article variable row(s) merged", self.variables_added),
                         ("annotation(s) updated to their later edit", self.annotations_updated),
                         ("annotation(s) edited on both sides, mine kept", self.annotations_kept)):
            if n:
                parts.append(f"{n} {label}")
        parts.append(f"{self.annotations_added} annotation(s) added")
        lines = [" ".join(parts[:1]) + " " + ", ".join(parts[1:])]
        if self.proposals:
            lines.append(f"{len(self.proposals)} actor merge(s) proposed (not done; use the "
                         "actor register to merge):")
            lines += ["  " + p.describe() for p in self.proposals]
        if self.codebook_conflicts:
            lines.append(f"{len(self.codebook_conflicts)} codebook conflict(s), mine kept:")
            lines += ["  " + c for c in self.codebook_conflicts]
        return "\n".join(lines)


Progress = Callable[[int, int, str], Any]


def merge_store(repo: Repository, path: Path | str, *, backup: bool = True,
                progress: Progress | None = None) -> MergeReport:
    """Merge the Stancemark store file at `path` into `repo` (see module docstring).

    Their file is only read, and nothing is written beside it (store.db.input_uri), so
    a store on read-only media merges too. Every row of it is checked first
    (store.merge_checks): a bad one refuses the merge before my store is touched."""
    path = Path(path).expanduser().resolve()
    mine = Path(filename) if (filename := database_file(repo.conn)) else None
    if mine is not None and mine.resolve() == path:
        raise StancemarkError(f"{path}: cannot merge a store into itself")
    conn = repo.conn
    if conn.in_transaction:
        raise StoreError("cannot merge inside another change; finish it first")
    with input_uri(path) as uri:
        _inspect(path, uri)  # refuses a foreign file or a newer schema
        try:
            conn.execute("ATTACH DATABASE ? AS theirs", [uri])
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{path}: cannot open for reading ({exc})") from None
        try:
            return merge_attached(repo, str(path), backup=backup and mine is not None,
                                  progress=progress, their_uri=uri)
        finally:
            if conn.in_transaction:  # pragma: no cover - tx() rolled back already
                conn.execute("ROLLBACK")
            conn.execute("DETACH DATABASE theirs")


def merge_attached(repo: Repository, source: str, *, backup: bool = False,
                   progress: Progress | None = None, action: str = "merge",
                   after_begin: Callable[[], Any] | None = None,
                   before_commit: Callable[[MergeReport], Any] | None = None,
                   their_uri: str | None = None) -> MergeReport:
    """Merge the store-shaped schema attached as `theirs` into `repo`: the merge of a
    file, and the hub's pull (store.hub), which lays the hub's rows out in a scratch
    schema so that one set of checks and rules serves both. `after_begin` and
    `before_commit` (given the report) run inside the merge's transaction (the hub's
    cursor moves with the rows it pulled). `their_uri` (a read-only URI of the attached
    file, which nothing writes during the merge) lets their spans be checked beside the
    merge."""
    try:
        return _checked_merge(repo, source, backup, progress, action, after_begin,
                              before_commit, their_uri)
    except (sqlite3.DatabaseError, IntegrityError) as exc:
        # My store refused a row (the transaction rolled back): name it, with the
        # rules my store enforces itself (merge_checks.ON_FAILURE).
        merge_checks.check_store(repo.conn, source, thorough=True)
        raise StoreError(f"{source}: refused ({exc}); nothing was merged") from None


def _checked_merge(repo: Repository, path: str, backup: bool, progress: Progress | None,
                   action: str, after_begin: Callable[[], Any] | None,
                   before_commit: Callable[[MergeReport], Any] | None, their_uri: str | None
                   ) -> MergeReport:
    conn = repo.conn
    their_uid = conn.execute(
        "SELECT value FROM theirs.store_info WHERE key = 'store_uid'").fetchone()
    if their_uid and their_uid[0] == repo.store_uid():
        raise StancemarkError(f"{path}: is a copy of this very store; nothing to merge")
    # Their store is input: every row is checked before anything is written, naming
    # the first bad one (a reference to a missing row, a wrong type, a bad hash ...).
    merge_checks.check_store(conn, str(path), uri=their_uri)
    their_tables = {r[0] for r in conn.execute(
        "SELECT name FROM theirs.sqlite_master WHERE type = 'table'")}
    report = MergeReport(str(path))
    # Beside the merge, on connections of their own (store.background): the backup
    # (it reads my store as it was before the merge) and, for a file, the check of
    # their spans against their texts (equal to mine by hash). The merge commits only
    # once both are done, and rolls back if either failed.
    beside: list[Background[Any]] = []
    if backup and (mine := database_file(conn)):
        beside.append(Background("backup", lambda: backup_before_file(Path(mine), "merge")))
    if their_uri is not None:
        uri = their_uri
        beside.append(Background("spans", lambda: span_check.check_file_spans(uri, path)))
    # A bigger page cache for the bulk statements (index pages of 200,000 rows do not
    # fit the default 2 MB); restored afterwards.
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute("PRAGMA cache_size = -131072")
    try:
        # Every row id the merge writes comes from a join with an existing row, so the
        # per-row foreign-key lookups (five per annotation) are skipped; the pragma only
        # takes effect outside a transaction, hence here. One check of the whole result
        # before COMMIT (about 0.2 s for 400,000 annotations) keeps the guarantee.
        conn.execute("PRAGMA foreign_keys = OFF")
        with repo.tx():
            if after_begin is not None:
                after_begin()
            _merge(repo, report, their_tables, their_uid[0] if their_uid else "", progress,
                   action, spans_checked=their_uri is not None)
            _refuse_dangling(conn, "main", f"merging {path} was refused, nothing changed")
            if before_commit is not None:
                before_commit(report)
            for work in beside:
                done = work.result()
                if isinstance(done, BackupInfo):
                    report.backup = str(done.path)
    finally:
        for work in beside:
            work.wait()  # never leave a copy or a check running behind a failed merge
        if conn.in_transaction:  # pragma: no cover - tx() rolled back already
            conn.execute("ROLLBACK")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA cache_size = {int(cache)}")
    return report


def _refuse_dangling(conn: sqlite3.Connection, schema: str, context: str) -> None:
    """StoreError when a row of `schema` refers to a row that does not exist."""
    rows = conn.execute(f"PRAGMA {schema}.foreign_key_check").fetchall()  # noqa: S608 - fixed names
    if rows:
        table, rowid, parent, _ = rows[0]
        raise StoreError(f"{context}: {len(rows)} reference(s) to missing rows, e.g. "
                         f"{table} row {rowid} points at a missing {parent} row")


def _tick(progress: Progress | None, step: int, message: str) -> None:
    """Report a step; a progress callback returning False cancels (the merge rolls back)."""
    if progress is not None and progress(step, 6, message) is False:
        from stancemark.core.errors import Cancelled

        raise Cancelled("merge cancelled; nothing was changed")


def _count(conn: sqlite3.Connection, sql: str, params: list[Any] | None = None) -> int:
    return conn.execute(sql, params or []).rowcount


def _merge(repo: Repository, report: MergeReport, their_tables: set[str], their_store: str,
           progress: Progress | None, action: str = "merge", spans_checked: bool = False
           ) -> None:
    conn = repo.conn
    _tick(progress, 0, "annotators")
    _merge_annotators(conn, report, their_tables)
    _tick(progress, 1, "actors and topics")
    conn.execute("CREATE TEMP TABLE merge_known_actors AS SELECT uid FROM actors")
    _merge_register(conn, report)
    _later_register_edits(repo, report)
    _tick(progress, 2, "articles")
    _merge_articles(repo, report, their_store)
    _tick(progress, 3, "annotations")
    report.codebook_added, report.codebook_conflicts = merge_codebook.merge_their_codebook(
        repo, their_tables, report.source)
    _merge_annotations(repo, report, spans_checked)
    report.variables_added = merge_codebook.merge_their_variables(repo, their_tables, report.source)
    report.suggestion_decisions_added, report.suggestion_decisions_updated = \
        merge_their_decisions(repo, their_tables)
    _tick(progress, 4, "status")
    _later_statuses(repo, report)
    report.statuses_added = _count(conn, """
        INSERT INTO article_status (article_id, annotator_id, status, updated_at)
        SELECT ma.mine_id, mn.mine_id, s.status, s.updated_at
        FROM theirs.article_status s
        JOIN temp.merge_articles ma ON ma.their_id = s.article_id
        JOIN temp.merge_annotators mn ON mn.their_id = s.annotator_id
        WHERE true
        ON CONFLICT (article_id, annotator_id) DO NOTHING""")
    if "review_decisions" in their_tables and _has_table(conn, "main", "review_decisions"):
        report.decisions_added = _count(conn, """
            INSERT INTO review_decisions (uid, article_uid, kind, start, "end", decision,
                source_uids, chosen_annotator_uid, gold_uid, reviewer_uid, decided_at, note)
            SELECT uid, article_uid, kind, start, "end", decision, source_uids,
                   chosen_annotator_uid, gold_uid, reviewer_uid, decided_at, note
            FROM theirs.review_decisions t
            WHERE t.uid NOT IN (SELECT uid FROM review_decisions)
              AND t.article_uid IN (SELECT uid FROM articles)""")
    _tick(progress, 5, "proposals")
    report.proposals = _actor_proposals(conn)
    for name in ("merge_annotators", "merge_articles", "merge_known_actors", "merge_actors",
                 "merge_topics"):
        conn.execute(f"DROP TABLE temp.{name}")  # noqa: S608 - fixed names
    repo.audit(action, "store", their_store or file_name_text(report.source), None,
               {"source": file_name_text(Path(report.source).name), **_counts(report)})
    _tick(progress, 6, "done")


def _counts(report: MergeReport) -> dict[str, Any]:
    d = asdict(report)
    d.pop("source")
    d.pop("backup")
    d["proposals"] = len(report.proposals)
    d["codebook_conflicts"] = len(report.codebook_conflicts)
    return d


def _has_table(conn: sqlite3.Connection, schema: str, name: str) -> bool:
    return conn.execute(f"SELECT 1 FROM {schema}.sqlite_master WHERE type = 'table' "  # noqa: S608
                        "AND name = ?", [name]).fetchone() is not None


def _merge_annotators(conn: sqlite3.Connection, report: MergeReport,
                      their_tables: set[str]) -> None:
    # Only annotators their data refers to: opening a store creates its user.
    decided = ("OR t.id IN (SELECT annotator_id FROM theirs.suggestion_decisions)"
               if "suggestion_decisions" in their_tables else "")
    report.annotators_added = _count(conn, f"""
        INSERT INTO annotators (uid, name, colour, is_gold)
        SELECT t.uid, t.name, t.colour, t.is_gold FROM theirs.annotators t
        WHERE t.uid NOT IN (SELECT uid FROM annotators)
          AND t.name NOT IN (SELECT name FROM annotators)
          AND (t.id IN (SELECT annotator_id FROM theirs.annotations)
               OR t.id IN (SELECT annotator_id FROM theirs.article_status) {decided})""")  # noqa: S608
    conn.execute("""
        CREATE TEMP TABLE merge_annotators AS
        SELECT t.id AS their_id, coalesce(byuid.id, byname.id) AS mine_id
        FROM theirs.annotators t
        LEFT JOIN annotators byuid ON byuid.uid = t.uid
        LEFT JOIN annotators byname ON byname.name = t.name
        WHERE coalesce(byuid.id, byname.id) IS NOT NULL""")


def _merge_register(conn: sqlite3.Connection, report: MergeReport) -> None:
    stamp = now_iso()
    colour = "colour" if merge_checks.their_actor_colours(conn) else "''"
    report.actors_added = _count(conn, f"""
        INSERT INTO actors (uid, name, kind, country, description, colour, created_at,
                            updated_at, deleted_at)
        SELECT uid, name, kind, country, description, {colour}, created_at, ?, deleted_at
        FROM theirs.actors WHERE uid NOT IN (SELECT uid FROM actors)""", [stamp])  # noqa: S608
    # Aliases: the union, so an actor known under a new name here keeps it. The report
    # counts only new aliases of actors I already had (new actors bring theirs along).
    alias_sql = """
        INSERT OR IGNORE INTO actor_aliases (actor_id, alias)
        SELECT m.id, ta.alias FROM theirs.actor_aliases ta
        JOIN theirs.actors t ON t.id = ta.actor_id
        JOIN actors m ON m.uid = t.uid
        WHERE NOT EXISTS (SELECT 1 FROM actor_aliases x WHERE x.actor_id = m.id
                          AND x.alias = ta.alias)
          AND ta.alias != m.name
          AND t.uid {} (SELECT uid FROM temp.merge_known_actors)"""
    _count(conn, alias_sql.format("NOT IN"))
    report.aliases_added = _count(conn, alias_sql.format("IN"))
    report.topics_added = _count(conn, """
        INSERT INTO topics (uid, name, description, created_at, updated_at, deleted_at)
        SELECT uid, name, description, created_at, ?, deleted_at
        FROM theirs.topics WHERE uid NOT IN (SELECT uid FROM topics)""", [stamp])


# Register columns a later edit of theirs carries over (the uid and times stay mine).
_REGISTER_COLUMNS = {"actors": ("name", "kind", "country", "description", "colour",
                                "deleted_at"),
                     "topics": ("name", "description", "deleted_at")}


def _later_register_edits(repo: Repository, report: MergeReport) -> None:
    """An actor or topic in both stores that they edited later (renamed, re-described,
    trashed or restored) takes their version; both versions go to the audit log."""
    conn = repo.conn
    for table, columns in _REGISTER_COLUMNS.items():
        if table == "actors" and not merge_checks.their_actor_colours(conn):
            columns = tuple(c for c in columns if c != "colour")  # an older store: mine stays
        entity = table[:-1]
        cols = ", ".join(columns)
        theirs_cols = ", ".join("t." + c for c in columns)
        differs = " OR ".join(f"t.{c} IS NOT m.{c}" for c in columns)
        sql = (f"SELECT m.uid, {theirs_cols}, t.updated_at FROM theirs.{table} t "  # noqa: S608
               f"JOIN main.{table} m ON m.uid = t.uid "
               f"WHERE t.updated_at > m.updated_at AND ({differs})")
        for uid, *values in conn.execute(sql).fetchall():
            read_mine = f"SELECT {cols}, updated_at FROM main.{table} WHERE uid = ?"  # noqa: S608
            mine = conn.execute(read_mine, [uid]).fetchone()
            sets = ", ".join(f"{c} = ?" for c in (*columns, "updated_at"))
            conn.execute(f"UPDATE main.{table} SET {sets} WHERE uid = ?",  # noqa: S608
                         [*values, uid])
            names = (*columns, "updated_at")
            repo.audit("merge-update", entity, uid, dict(zip(names, mine, strict=True)),
                        dict(zip(names, values, strict=True)))
            report.registers_updated += 1


def _later_statuses(repo: Repository, report: MergeReport) -> None:
    """A status both stores hold that they changed later takes their value, except the
    current annotator's own (as for annotations)."""
    me = repo.conn.execute("SELECT id FROM annotators WHERE uid = ?",
                           [repo.annotator.uid]).fetchone()
    report.statuses_updated = _count(repo.conn, """
        UPDATE article_status SET status = t.status, updated_at = t.updated_at
        FROM theirs.article_status t
        JOIN temp.merge_articles ma ON ma.their_id = t.article_id
        JOIN temp.merge_annotators mn ON mn.their_id = t.annotator_id
        WHERE article_status.article_id = ma.mine_id
          AND article_status.annotator_id = mn.mine_id
          AND article_status.annotator_id IS NOT ?
          AND t.updated_at > article_status.updated_at
          AND t.status IS NOT article_status.status""", [me[0] if me else None])


def _merge_articles(repo: Repository, report: MergeReport, their_store: str) -> None:
    conn = repo.conn
    # A uid taken here by another text (vanishingly rare) gets a fresh uid.
    clashes = conn.execute("""
        SELECT t.id FROM theirs.articles t JOIN articles m ON m.uid = t.uid
        WHERE m.sha256 != t.sha256
          AND t.sha256 NOT IN (SELECT sha256 FROM articles)""").fetchall()
    with bulk_article_terms(conn):  # their texts indexed in a few large segments
        report.articles_added = _count(conn, f"""
            INSERT INTO articles ({ARTICLE_COLUMNS}) SELECT {ARTICLE_COLUMNS}
            FROM theirs.articles t
            WHERE t.sha256 NOT IN (SELECT sha256 FROM articles)
              AND t.id NOT IN ({','.join(str(c[0]) for c in clashes) or '-1'})""")  # noqa: S608
        for (their_id,) in clashes:
            conn.execute(f"INSERT INTO articles ({ARTICLE_COLUMNS}) "  # noqa: S608 - fixed names
                         f"SELECT ?, {_ARTICLE_COLUMNS_BUT_UID} FROM theirs.articles "
                         "WHERE id = ?", [new_uid(), their_id])
            report.articles_added += 1
    conn.execute("""
        CREATE TEMP TABLE merge_articles AS
        SELECT t.id AS their_id, m.id AS mine_id FROM theirs.articles t
        JOIN articles m ON m.sha256 = t.sha256""")
    conn.execute("CREATE UNIQUE INDEX temp.merge_articles_their ON merge_articles(their_id)")
    total = conn.execute("SELECT count(*) FROM temp.merge_articles").fetchone()[0]
    report.articles_matched = total - report.articles_added
    # Same text, other metadata: keep mine, note theirs once.
    diff = " OR ".join(f"m.{f} != t.{f}" for f in _META_FIELDS) + " OR m.uid != t.uid"
    rows = conn.execute(f"""
        SELECT m.id, m.meta, t.uid, {', '.join('t.' + f for f in _META_FIELDS)}
        FROM temp.merge_articles ma
        JOIN articles m ON m.id = ma.mine_id JOIN theirs.articles t ON t.id = ma.their_id
        WHERE {diff}""").fetchall()  # noqa: S608 - fixed names
    for mine_id, meta_text, their_uid, *values in rows:
        meta = json.loads(meta_text or "{}")
        note = {"store": their_store, "uid": their_uid, **dict(zip(_META_FIELDS, values,
                                                                    strict=True))}
        notes = meta.setdefault("merged_metadata", [])
        # The store uid of a JSONL export's scratch store changes each time: compare the rest.
        if any({**n, "store": ""} == {**note, "store": ""} for n in notes):
            continue
        notes.append(note)
        conn.execute("UPDATE articles SET meta = ? WHERE id = ?",
                     [json.dumps(meta, ensure_ascii=False, sort_keys=True), mine_id])
        report.metadata_noted += 1


def _merge_annotations(repo: Repository, report: MergeReport, spans_checked: bool) -> None:
    """Their annotations I lack, inserted set-based. Their spans are checked beside the
    merge (`spans_checked`: every one of theirs, against their text) or, when the merge
    has no file to read them from, the rows added here, against mine."""
    conn = repo.conn
    # Their actor and topic row ids -> mine, joined once instead of by uid per row.
    conn.execute("""CREATE TEMP TABLE merge_actors AS SELECT t.id AS their_id, m.id AS mine_id
                    FROM theirs.actors t JOIN actors m ON m.uid = t.uid""")
    conn.execute("CREATE UNIQUE INDEX temp.merge_actors_their ON merge_actors(their_id)")
    conn.execute("""CREATE TEMP TABLE merge_topics AS SELECT t.id AS their_id, m.id AS mine_id
                    FROM theirs.topics t JOIN topics m ON m.uid = t.uid""")
    conn.execute("CREATE UNIQUE INDEX temp.merge_topics_their ON merge_topics(their_id)")
    # Texts are equal by hash and their store checked each quote against that text, so
    # the per-row span trigger (which rescans the text) is suspended for the bulk insert.
    trigger = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                           [_SPAN_TRIGGER]).fetchone()
    if trigger:
        conn.execute(f"DROP TRIGGER {_SPAN_TRIGGER}")
    first_new = span_check.max_annotation_id(conn)
    # a store older than the codebook has no attribute values: '{}' for each of its rows
    their_values = _THEIR_VALUES.replace("t.attributes", merge_codebook.their_attributes_column(repo))
    try:
        # An annotation I have already (same uid) is skipped by the insert itself: the
        # uid index it updates anyway answers, with no lookup of 200,000 uids before.
        # DO NOTHING applies to that uniqueness only; any other refusal aborts.
        report.annotations_added = _count(conn, f"""
            INSERT INTO annotations ({_ANNOTATION_COLUMNS}) SELECT {their_values}
            FROM theirs.annotations t
            JOIN temp.merge_articles ma ON ma.their_id = t.article_id
            JOIN temp.merge_annotators mn ON mn.their_id = t.annotator_id
            LEFT JOIN temp.merge_actors ac ON ac.their_id = t.actor_id
            LEFT JOIN temp.merge_actors ho ON ho.their_id = t.holder_id
            LEFT JOIN temp.merge_topics tt ON tt.their_id = t.target_topic_id
            LEFT JOIN temp.merge_actors ta ON ta.their_id = t.target_actor_id
            WHERE true ON CONFLICT (uid) DO NOTHING""")  # noqa: S608 - fixed names
        # Their store is input like any other: a damaged or crafted one is refused.
        if not spans_checked:
            span_check.check_added_spans(conn, first_new, report.source)
        merge_codebook.check_added_attributes(repo, first_new, report.source)
    finally:
        if trigger:
            conn.execute(trigger[0])
    theirs_total = conn.execute("SELECT count(*) FROM theirs.annotations").fetchone()[0]
    if report.annotations_added < theirs_total:  # some were mine already
        _resolve_conflicts(repo, report, first_new)


def _resolve_conflicts(repo: Repository, report: MergeReport, first_new: int) -> None:
    """Annotations in both stores (mine from before this merge: id <= first_new) whose
    content differs: the later edit wins."""
    conn = repo.conn
    uids = [r[0] for r in conn.execute("""
        SELECT t.uid FROM theirs.annotations t JOIN annotations m ON m.uid = t.uid
        WHERE m.id <= ? AND (t.updated_at IS NOT m.updated_at
                             OR t.deleted_at IS NOT m.deleted_at)""", [first_new])]
    if not uids:
        return
    me = repo.annotator.uid
    for uid in uids:
        theirs_row = conn.execute(_THEIR_ANNOTATIONS.replace(
            "an.attributes", merge_codebook.their_attributes_column(repo, "an")) + " WHERE an.uid = ?", [uid]).fetchone()
        theirs = _annotation(theirs_row)
        mine = repo.get_annotation(uid)
        if mine is None or _same(mine, theirs):
            continue
        if _edited_at(theirs) > _edited_at(mine) and mine.annotator_uid != me:
            # their version as it is, trash state included (audits mine and theirs)
            repo.update_annotation(uid, **{k: getattr(theirs, k) for k in _TAKEN_FIELDS})
            repo.audit("merge-update", "annotation", uid, mine, theirs)
            report.annotations_updated += 1
        else:
            repo.audit("merge-kept", "annotation", uid, theirs, mine)
            report.annotations_kept += 1


def _edited_at(a: Annotation) -> str:
    return max(a.updated_at or "", a.deleted_at or "")


def _same(a: Annotation, b: Annotation) -> bool:
    skip = {"created_at", "updated_at", "article_uid", "annotator_uid"}
    da, db = asdict(a), asdict(b)
    return all(da[k] == db[k] for k in da if k not in skip)


def _actor_proposals(conn: sqlite3.Connection) -> list[ActorProposal]:
    """Actors this merge brought in sharing a name or alias with one of mine."""
    rows = conn.execute("""
        WITH names AS (
            SELECT a.id, a.uid, a.name, lower(trim(a.name)) AS key FROM actors a
            WHERE a.deleted_at IS NULL
            UNION
            SELECT a.id, a.uid, a.name, lower(trim(x.alias)) FROM actors a
            JOIN actor_aliases x ON x.actor_id = a.id WHERE a.deleted_at IS NULL),
        brought AS (SELECT uid FROM theirs.actors
                    WHERE uid NOT IN (SELECT uid FROM temp.merge_known_actors))
        SELECT DISTINCT m.uid, m.name, t.uid, t.name, m.key
        FROM names t JOIN names m ON m.key = t.key AND m.id != t.id
        WHERE t.uid IN brought AND m.uid NOT IN brought
        ORDER BY m.name, t.name, m.key""").fetchall()
    seen: set[tuple[str, str]] = set()
    out = []
    for mine_uid, mine_name, their_uid, their_name, key in rows:
        if (mine_uid, their_uid) in seen:
            continue
        seen.add((mine_uid, their_uid))
        out.append(ActorProposal(mine_uid, mine_name, their_uid, their_name, key))
    return out
