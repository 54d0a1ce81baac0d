"""Stancemark native JSONL: the complete, versioned, lossless reference format.

One JSON object per line, UTF-8, LF line ends. Offsets are Unicode code points,
end-exclusive (Python slicing). Records, in this order:

    {"type": "stancemark", "version": 1 or 2}
    {"type": "codebook", "kinds": [...], "article_variables": [...]}  version 2 only
    {"type": "annotator", "uid", "name", "colour", "is_gold"}           one per annotator
    {"type": "actor", "uid", "name", "kind", "country", "description", "aliases", "deleted_at",
     "colour"}  (colour: "#RRGGBB" chosen by the user; left out when automatic)
    {"type": "topic", "uid", "name", "description", "deleted_at"}
    {"type": "article", "uid", "title", "source", "url", "author", "published", "language",
     "text", "sha256", "added_at", "meta", "deleted_at",
     "status": {annotator_uid: status},
     "annotations": [{"uid", "annotator_uid", "kind", "start", "end", "quote", "actor_uid",
                      "date_value", "date_granularity", "holder_uid", "target_topic_uid",
                      "target_actor_uid", "polarity", "stance_date", "note", "meta",
                      "created_at", "updated_at", "deleted_at",
                      "attributes": {attribute uid: value}  (version 2, when set)}],
     "variables": {annotator_uid: {variable uid: value}}  (version 2, when set)}
    {"type": "suggestion_decision", "uid", "article_uid", "annotator_uid", "kind", "start",
     "end", "decision", "actor_uid", "date_value", "alias", "annotation_uid", "created_at",
     "updated_at", "deleted_at"}  one per decision on a suggestion, after the articles
     (accept or reject: a rejected suggestion stays rejected for that annotator there)
    {"type": "review_decision", "uid", "article_uid", "kind", "start", "end", "decision",
     "source_uids", "chosen_annotator_uid", "gold_uid", "reviewer_uid", "decided_at",
     "note"}  one per review decision (accept, edit, reject of a unit), after those, in
     an export of every annotator (a unit's sources are several annotators' tags)

Version 2 is written when the store's codebook is not the built-in one: the codebook
record (the shape of a codebook file, formats/codebook_file.py, every uid given) and
attribute values keyed by attribute uid, a choice by its value's uid. A store using
only the built-in kinds writes version 1, byte for byte as before the codebook, which
older Stancemarks read; this version reads both.

Nothing machine- or time-of-export-specific is written, so export -> import into an
empty store -> export gives identical bytes. Trashed annotations travel too
(deleted_at set) so nothing is lost.

Import matches annotators, actors and topics by uid (then annotators by name),
articles by text hash, and skips annotations and decisions whose uid is already present
(a decision goes to the article its file's article was matched with). The
codebook record merges into the store's by uid (core/codebook_merge.py: additions
added, a differing definition kept as mine and noted in the report). An annotation
whose kind, attribute or value the codebook lacks is refused naming it, unless the
`extend_codebook` option (--extend-codebook) adds it (formats/codebook_extend.py);
the report lists what was added. Article variables are set where the store has none
for that article and annotator.
Everything is validated first; a bad line aborts the import with file and line.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator
from dataclasses import asdict, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancemark.core.adjudication import DECISIONS as REVIEW_DECISIONS
from stancemark.core.adjudication import Decision as ReviewDecision
from stancemark.core.builtin_kinds import BUILTIN_KINDS
from stancemark.core.codebook import Codebook
from stancemark.core.errors import InputError, IntegrityError, StancemarkError
from stancemark.core.model import Annotation, Article, annotation_fields
from stancemark.core.palette import check_colour
from stancemark.core.suggestion_decisions import DECISIONS, SuggestionDecision
from stancemark.core.text import check_span, normalise_newlines, text_sha256
from stancemark.formats.codebook_extend import require_in_codebook
from stancemark.formats.codebook_file import codebook_data, codebook_from_record
from stancemark.formats.common import (
    ExportReport,
    ImportReport,
    Progress,
    Scope,
    atomic_write,
    iter_files,
    tick,
)

if TYPE_CHECKING:
    from stancemark.store.repository import Repository

VERSION = 2  # the newest this code reads and writes; 1 without a codebook (see above)
SUFFIXES = (".jsonl",)
_ANN_KEYS = [f for f in annotation_fields() if f != "article_uid"]
_ART_KEYS = [f.name for f in fields(Article)]
# the annotation fields that hold text (or nothing) in the file
_ANN_TEXT_KEYS = [f for f in _ANN_KEYS if f not in ("start", "end", "meta", "attributes")]
_DECISION_KEYS = [f.name for f in fields(SuggestionDecision)]
_REVIEW_KEYS = [f.name for f in fields(ReviewDecision)]
_DECISION_TEXT_KEYS = ("actor_uid", "date_value", "alias", "annotation_uid", "created_at",
                       "updated_at", "deleted_at")


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _dump_sorted(obj: Any) -> str:
    """_dump for data whose dicts are all in sorted key order already."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def export(repo: Repository, out: Path, scope: Scope | None = None,
           progress: Progress | None = None) -> ExportReport:
    """Streams: article order, statuses and the annotators used come from one query
    each, then one article at a time goes to the file. SQLite writes the article lines
    (store/export_json.py) when it writes JSON as Python does; Python writes them
    otherwise (store/export_rows.py), with the same bytes."""
    from stancemark.store import export_json

    # SQLite writes whole articles: a scope of chosen annotations goes through Python
    if (scope is None or scope.annotation_uids is None) \
            and export_json.json_matches_python(repo.conn):
        try:
            return _export(repo, out, scope, progress, in_sql=True)
        except export_json.NotInSQL:
            pass  # a value only Python writes (see NotInSQL): the file was not replaced
    return _export(repo, out, scope, progress, in_sql=False)


def _export(repo: Repository, out: Path, scope: Scope | None, progress: Progress | None,
            in_sql: bool) -> ExportReport:
    from stancemark.store import export_json, export_rows

    scope = scope or Scope(include_trash=True, kinds=None)
    report = ExportReport(Path(out))
    ann_uids = scope.annotator_uids(repo)
    uids = export_rows.article_order(repo, scope.articles(repo))
    annotators = [a for a in repo.list_annotators() if ann_uids is None or a.uid in ann_uids]
    statuses = export_rows.statuses(repo, uids, [a.uid for a in annotators])
    # Only annotators the exported data refers to: opening a store creates its user,
    # and an export must not depend on who opened the store.
    used = export_rows.annotators_used(repo, uids, ann_uids, scope.kinds, scope.include_trash)
    used |= {uid for st in statuses.values() for uid in st}
    decisions = _decisions(repo, uids, ann_uids, scope)
    used |= {d.annotator_uid for d in decisions}
    reviews = _review_decisions(repo, uids, ann_uids, scope)
    known = {a.uid for a in annotators}
    used |= {u for r in reviews for u in (r.reviewer_uid, r.chosen_annotator_uid) if u in known}
    book = repo.codebook()
    custom = book != Codebook(BUILTIN_KINDS)
    variables: dict[str, dict[str, Any]] = {}
    if custom:
        wanted = set(uids)
        for art_uid, ann_uid, values, _at in repo.iter_article_variables():
            if art_uid in wanted and (ann_uids is None or ann_uid in ann_uids):
                variables.setdefault(art_uid, {})[ann_uid] = values
                used.add(ann_uid)
    # Written as bytes: SQLite's lines arrive as UTF-8 and go to the file as they are
    # (decoding them to str and encoding them back cost a sixth of an export).
    with atomic_write(Path(out), mode="wb") as fh:
        def put(line: str) -> None:
            fh.write(line.encode("utf-8") + b"\n")

        put(_dump({"type": "stancemark", "version": VERSION if custom else 1}))
        if custom:
            data = codebook_data(book)
            del data["stancemark_codebook"]
            put(_dump({"type": "codebook", **data}))
        for a in sorted(annotators, key=lambda a: a.uid):
            if a.uid in used:
                put(_dump({"type": "annotator", **asdict(a)}))
        for actor in sorted(repo.list_actors(include_deleted=True), key=lambda a: a.uid):
            d = asdict(actor)
            d["aliases"] = list(actor.aliases)
            if not actor.colour:  # automatic: written as before colours existed
                del d["colour"]
            put(_dump({"type": "actor", **d}))
        for topic in sorted(repo.list_topics(include_deleted=True), key=lambda t: t.uid):
            put(_dump({"type": "topic", **asdict(topic)}))
        if in_sql:
            lines = export_json.article_lines(repo.conn, uids, ann_uids,
                                              [a.uid for a in annotators], scope.kinds,
                                              scope.include_trash)
            for i, (uid, line) in enumerate(zip(uids, lines, strict=False)):
                tick(progress, i, len(uids), "exporting")
                if uid in variables:  # "variables" sorts last among an article's keys
                    line = (line[:-1] + b',"variables":' + _dump(variables[uid]).encode("utf-8")
                            + b"}")
                fh.write(line + b"\n")
                report.articles += 1
            report.annotations = export_json.count_annotations(
                repo.conn, uids, ann_uids, scope.kinds, scope.include_trash)
        else:
            for i, uid in enumerate(uids):
                tick(progress, i, len(uids), "exporting")
                art = repo.get_article(uid)
                if art is None:
                    continue
                anns = export_rows.annotation_records(
                    repo, uid, ann_uids, scope.kinds, scope.include_trash)
                if scope.annotation_uids is not None:  # only the filtered rows
                    anns = [a for a in anns if a["uid"] in scope.annotation_uids]
                rec = {f: getattr(art, f) for f in _ART_KEYS}
                rec.update(type="article", meta=export_rows.sorted_deep(art.meta),
                           status=export_rows.sorted_deep(statuses.get(uid, {})),
                           annotations=anns)
                if uid in variables:
                    rec["variables"] = export_rows.sorted_deep(variables[uid])
                # Every dict is built in sorted key order, so the writer need not sort:
                # the same bytes as _dump.
                put(_dump_sorted({k: rec[k] for k in sorted(rec)}))
                report.articles += 1
                report.annotations += len(anns)
        for decision in decisions:
            put(_dump({"type": "suggestion_decision", **asdict(decision)}))
        for review in reviews:
            put(_dump({"type": "review_decision", **asdict(review)}))
        tick(progress, len(uids), len(uids), "done")
    return report


def _decisions(repo: Repository, uids: list[str], ann_uids: list[str] | None,
               scope: Scope) -> list[SuggestionDecision]:
    """The decisions on suggestions in the exported articles, of the exported annotators
    and kinds (trashed ones with the trash); none for a choice of single annotations."""
    if scope.annotation_uids is not None:
        return []
    found = repo.all_suggestion_decisions()
    if not found:
        return []
    articles, annotators = set(uids), None if ann_uids is None else set(ann_uids)
    return [d for d in found if d.article_uid in articles
            and (annotators is None or d.annotator_uid in annotators)
            and (scope.kinds is None or d.kind in scope.kinds)
            and (scope.include_trash or d.deleted_at is None)]


# ---------------------------------------------------------------------- import

def _need(rec: dict, key: str, typ: type | tuple, where: str, line: int, optional: bool = False) -> Any:
    if key not in rec or rec[key] is None:
        if optional:
            return None
        raise InputError(f"missing field {key!r}", where, line)
    val = rec[key]
    if not isinstance(val, typ) or (typ is int and isinstance(val, bool)):
        raise InputError(f"field {key!r} has the wrong type ({type(val).__name__})", where, line)
    return val


def read_records(path: Path) -> Iterator[tuple[int, dict]]:
    """Parse and validate a native JSONL file; yields (line number, record) pairs, one
    line in memory at a time (formats.lines: bounded per record, not per file)."""
    from stancemark.formats.lines import json_lines

    where = str(path)
    seen_uids: dict[str, int] = {}
    header = False
    for n, rec in json_lines(path, where, objects=True):
        if not header:
            if rec.get("type") != "stancemark":
                raise InputError("not a Stancemark JSONL file (first line must be the header)",
                                 where, n)
            if not isinstance(rec.get("version"), int) or rec["version"] > VERSION:
                raise InputError(f"format version {rec.get('version')!r} is newer than this "
                                 f"Stancemark reads ({VERSION})", where, n)
            header = True
            continue
        _validate(rec, where, n, seen_uids)
        yield n, rec
    if not header:
        raise InputError("no records", where)


def _validate(rec: dict, where: str, n: int, seen_uids: dict[str, int]) -> None:
    kind = rec.get("type")
    if kind == "annotator":
        _need(rec, "uid", str, where, n)
        _need(rec, "name", str, where, n)
    elif kind == "actor":
        _need(rec, "uid", str, where, n)
        _need(rec, "name", str, where, n)
        _need(rec, "kind", str, where, n)
        aliases = _need(rec, "aliases", list, where, n, optional=True) or []
        if not all(isinstance(a, str) for a in aliases):
            raise InputError("actor aliases must be strings", where, n)
        try:
            check_colour(rec.get("colour"))
        except ValueError as exc:
            raise InputError(f"actor {exc}", where, n) from None
    elif kind == "topic":
        _need(rec, "uid", str, where, n)
        _need(rec, "name", str, where, n)
    elif kind == "article":
        _validate_article(rec, where, n, seen_uids)
    elif kind == "codebook":
        codebook_from_record({k: v for k, v in rec.items() if k != "type"}, where, n)
    elif kind == "suggestion_decision":
        _validate_decision(rec, where, n)
    elif kind == "review_decision":
        _validate_review(rec, where, n)
    else:
        raise InputError(f"unknown record type {kind!r}", where, n)


def _validate_article(rec: dict, where: str, n: int, seen_uids: dict[str, int]) -> None:
    _need(rec, "uid", str, where, n)
    text = _need(rec, "text", str, where, n)
    if not text.strip():
        raise InputError("article text is empty", where, n)
    if "\r" in text:
        raise InputError("article text holds CR characters (native JSONL text is LF-normalised)", where, n)
    sha = rec.get("sha256")
    if sha is not None and sha != text_sha256(text):
        raise InputError("sha256 does not match the article text", where, n)
    for key in ("title", "source", "url", "author", "published", "language"):
        _need(rec, key, str, where, n, optional=True)
    _need(rec, "meta", dict, where, n, optional=True)
    _need(rec, "status", dict, where, n, optional=True)
    variables = _need(rec, "variables", dict, where, n, optional=True) or {}
    if not all(isinstance(v, dict) for v in variables.values()):
        raise InputError("article variables must be objects per annotator", where, n)
    anns = _need(rec, "annotations", list, where, n, optional=True) or []
    for i, a in enumerate(anns):
        if not isinstance(a, dict):
            raise InputError(f"annotation {i} is not an object", where, n)
        uid = _need(a, "uid", str, where, n)
        if uid in seen_uids:
            raise InputError(f"duplicate annotation uid {uid} (also on line {seen_uids[uid]})", where, n)
        seen_uids[uid] = n
        _need(a, "kind", str, where, n)
        start = _need(a, "start", int, where, n)
        end = _need(a, "end", int, where, n)
        quote = _need(a, "quote", str, where, n)
        problem = check_span(text, start, end, quote)
        if problem:
            raise InputError(f"annotation {uid}: {problem}", where, n)
        _need(a, "attributes", dict, where, n, optional=True)
        _need(a, "meta", dict, where, n, optional=True)
        for key in _ANN_TEXT_KEYS:  # uids, values and times: a list there was a TypeError
            _need(a, key, str, where, n, optional=True)
        unknown = set(a) - set(_ANN_KEYS)
        if unknown:
            raise InputError(f"annotation {uid}: unknown field(s) {', '.join(sorted(unknown))}", where, n)


def _review_decisions(repo: Repository, uids: list[str], ann_uids: list[str] | None,
                      scope: Scope) -> list[ReviewDecision]:
    """The review decisions on the exported articles' units, in an export of every
    annotator's tags of the kinds decided (a unit's sources are several annotators')."""
    from stancemark.store.review import ReviewStore

    if ann_uids is not None or scope.annotation_uids is not None:
        return []
    found = ReviewStore(repo).decisions()
    if not found:
        return []
    articles = set(uids)
    return sorted((d for d in found if d.article_uid in articles
                   and (scope.kinds is None or d.kind in scope.kinds)), key=lambda d: d.uid)


def _validate_review(rec: dict, where: str, n: int) -> None:
    for key in ("uid", "article_uid", "kind", "reviewer_uid", "decided_at"):
        _need(rec, key, str, where, n)
    _check_decision(rec, "review decision", REVIEW_DECISIONS, ", ", where, n)
    sources = _need(rec, "source_uids", list, where, n)
    if not all(isinstance(u, str) for u in sources):
        raise InputError(f"review decision {rec['uid']}: source_uids must be annotation uids",
                         where, n)
    for key in ("chosen_annotator_uid", "gold_uid", "note"):
        _need(rec, key, str, where, n, optional=True)
    _no_unknown(rec, "review decision", _REVIEW_KEYS, where, n)


def _validate_decision(rec: dict, where: str, n: int) -> None:
    for key in ("uid", "article_uid", "annotator_uid", "kind"):
        _need(rec, key, str, where, n)
    _check_decision(rec, "suggestion decision", DECISIONS, " or ", where, n)
    for key in _DECISION_TEXT_KEYS:
        _need(rec, key, str, where, n, optional=True)
    _no_unknown(rec, "suggestion decision", _DECISION_KEYS, where, n)


def _check_decision(rec: dict, what: str, choices: Collection[str], joiner: str, where: str,
                    n: int) -> None:
    """A decision record's span and its decision, one of `choices`."""
    start = _need(rec, "start", int, where, n)
    end = _need(rec, "end", int, where, n)
    if start < 0 or end <= start:
        raise InputError(f"{what} {rec['uid']}: {start}-{end} is not a span", where, n)
    if _need(rec, "decision", str, where, n) not in choices:
        raise InputError(f"{what} {rec['uid']}: decision must be {joiner.join(choices)}",
                         where, n)


def _no_unknown(rec: dict, what: str, keys: Iterable[str], where: str, n: int) -> None:
    unknown = set(rec) - {"type", *keys}
    if unknown:
        raise InputError(f"{what} {rec['uid']}: unknown field(s) {', '.join(sorted(unknown))}",
                         where, n)


def import_paths(repo: Repository, paths: list[Path], progress: Progress | None = None,
                 extend_codebook: bool = False, **_: Any) -> ImportReport:
    """Every file is read twice, one record in memory at a time: first to check all of
    it (a bad line imports nothing, and the store's bytes stay as they were), then to
    write it in one transaction."""
    files = iter_files(paths, SUFFIXES)
    total = 0
    for i, f in enumerate(files):
        tick(progress, i, len(files), f"reading {f.name}")
        total += sum(1 for _ in read_records(f))
    report = ImportReport(files=len(files))
    done = 0
    with repo.tx():
        for f in files:
            ctx = _Importer(repo, report, str(f), extend_codebook)
            for n, rec in read_records(f):
                tick(progress, done, total, f"importing {f.name}")
                done += 1
                try:
                    ctx.apply(rec)
                except (IntegrityError, StancemarkError) as exc:
                    if isinstance(exc, InputError):
                        raise
                    raise InputError(str(exc), str(f), n) from None
    tick(progress, total, total, "done")
    return report


class _Importer:
    def __init__(self, repo: Repository, report: ImportReport, where: str, extend: bool = False):
        self.repo = repo
        self.report = report
        self.where = where
        self.extend = extend
        self.annotator_map: dict[str, str] = {}
        self.article_map: dict[str, str] = {}  # the file's article uid -> the store's

    def apply(self, rec: dict) -> None:
        getattr(self, "_" + rec["type"])(rec)

    def _codebook(self, rec: dict) -> None:
        book = codebook_from_record({k: v for k, v in rec.items() if k != "type"}, self.where, 0)
        plan = self.repo.merge_codebook(book)
        if plan.added:
            self.report.notes.append(f"codebook: {plan.added} kind(s), attribute(s) or "
                                     "value(s) added")
        self.report.notes += [f"codebook conflict: {c}" for c in plan.conflicts]

    def _annotator(self, rec: dict) -> None:
        repo = self.repo
        by_name = repo.annotator_by_name(rec["name"])
        existing = next((a for a in repo.list_annotators() if a.uid == rec["uid"]), None) or by_name
        if existing is None:
            existing = repo.ensure_annotator(rec["name"], uid=rec["uid"], colour=rec.get("colour") or None,
                                             is_gold=bool(rec.get("is_gold")))
            self.report.annotators_added += 1
        self.annotator_map[rec["uid"]] = existing.uid

    def _actor(self, rec: dict) -> None:
        repo = self.repo
        if repo.get_actor(rec["uid"]) is not None:
            return
        repo.add_actor(rec["name"], rec["kind"], country=rec.get("country") or "",
                       description=rec.get("description") or "", aliases=rec.get("aliases") or [],
                       uid=rec["uid"], check_aliases=False,
                       colour=check_colour(rec.get("colour")))
        if rec.get("deleted_at"):
            repo.delete_actor(rec["uid"])
        self.report.actors_added += 1

    def _topic(self, rec: dict) -> None:
        repo = self.repo
        if repo.get_topic(rec["uid"]) is not None:
            return
        repo.add_topic(rec["name"], rec.get("description") or "", uid=rec["uid"])
        if rec.get("deleted_at"):
            repo.delete_topic(rec["uid"])
        self.report.topics_added += 1

    def _article(self, rec: dict) -> None:
        repo = self.repo
        text = normalise_newlines(rec["text"])
        art, added = repo.add_article(
            text, rec.get("title") or "", source=rec.get("source") or "", url=rec.get("url") or "",
            author=rec.get("author") or "", published=rec.get("published") or "",
            language=rec.get("language") or "", meta=rec.get("meta") or {}, uid=rec["uid"],
            added_at=rec.get("added_at") or None)
        if added:
            self.report.articles_added += 1
            if rec.get("deleted_at"):
                repo.delete_article(art.uid)
        else:
            self.report.articles_skipped += 1
        self.article_map[rec["uid"]] = art.uid
        for ann_uid, status in (rec.get("status") or {}).items():
            uid = self.annotator_map.get(ann_uid)
            if uid and status != "new" and repo.get_status(art.uid, uid) == "new":
                repo.set_status(art.uid, status, uid)
        for a in rec.get("annotations") or []:
            if repo.get_annotation(a["uid"]) is not None:
                self.report.annotations_skipped += 1
                continue
            ann_uid = self.annotator_map.get(a.get("annotator_uid") or "", None)
            if ann_uid is None:
                raise IntegrityError(f"annotation {a['uid']} names an annotator not in the file")
            require_in_codebook(repo, a["kind"], a.get("attributes"), self.extend,
                                self.report.notes)
            fields = {k: a.get(k) for k in _ANN_KEYS}
            fields.update(article_uid=art.uid, annotator_uid=ann_uid, note=a.get("note") or "",
                          meta=a.get("meta") or {}, attributes=a.get("attributes") or {},
                          created_at=a.get("created_at") or "",
                          updated_at=a.get("updated_at") or "")
            repo.add_annotation(Annotation(**fields))
            self.report.annotations_added += 1
        for ann_uid, values in (rec.get("variables") or {}).items():
            uid = self.annotator_map.get(ann_uid)
            if uid is None:
                raise IntegrityError(f"article variables of {ann_uid}: no such annotator in the file")
            require_in_codebook(repo, None, values, self.extend, self.report.notes)
            if not repo.article_variables(art.uid, uid):
                repo.set_article_variables(art.uid, values, uid)

    def _suggestion_decision(self, rec: dict) -> None:
        article = self.article_map.get(rec["article_uid"])
        if article is None:
            raise IntegrityError(f"suggestion decision {rec['uid']} names an article not in the file")
        annotator = self.annotator_map.get(rec["annotator_uid"])
        if annotator is None:
            raise IntegrityError(f"suggestion decision {rec['uid']} names an annotator not in the file")
        require_in_codebook(self.repo, rec["kind"], None, self.extend, self.report.notes)
        values: dict[str, Any] = {k: rec.get(k) for k in _DECISION_KEYS}
        d = SuggestionDecision(**values)
        d = d.with_changes(article_uid=article, annotator_uid=annotator, alias=d.alias or "",
                           created_at=d.created_at or "", updated_at=d.updated_at or "")
        if self.repo.import_suggestion_decision(d):
            self.report.decisions_added += 1

    def _review_decision(self, rec: dict) -> None:
        from stancemark.store.review import ReviewStore

        article = self.article_map.get(rec["article_uid"])
        if article is None:
            raise IntegrityError(f"review decision {rec['uid']} names an article not in the file")
        reviews = ReviewStore(self.repo)
        if reviews.get_decision(rec["uid"]) is not None:
            return
        require_in_codebook(self.repo, rec["kind"], None, self.extend, self.report.notes)
        chosen = rec.get("chosen_annotator_uid")
        reviews.add_decision(ReviewDecision(
            rec["uid"], article, rec["kind"], rec["start"], rec["end"], rec["decision"],
            tuple(rec["source_uids"]), self.annotator_map.get(chosen, chosen) if chosen else None,
            rec.get("gold_uid"), self.annotator_map.get(rec["reviewer_uid"], rec["reviewer_uid"]),
            rec["decided_at"], rec.get("note") or ""))
        self.report.decisions_added += 1
