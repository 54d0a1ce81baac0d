"""doccano JSONL, both layouts doccano imports for sequence labelling.

Offsets: Unicode code points, end-exclusive, as doccano (Python) counts them. Stored
text is LF-only; a text with CRLF in an imported file is normalised and its offsets
shifted with it.

Layout "doccano" (one JSON object per article and line):

    {"text": "...", "label": [[start, end, "ACTOR:China"], [s, e, "DATE"], [s, e, "STANCE:oppose"]],
     "uid", "title", "published", "source", "url", "language",
     "stancemark": {"<start>-<end>-<label>": {"date_value", "date_granularity", "holder",
                                              "target_topic", "target_actor", "stance_date", "note",
                                              "attributes": {attribute name: value}}},
     "variables": {annotator name: {article variable name: value}}}

Layout "doccano-rel" (doccano's "relation" projects):

    {"text": "...", "entities": [{"id": 1, "start_offset", "end_offset", "label"}],
     "relations": [{"id": 1, "from_id", "to_id", "type"}], ...same extra keys...}

Relations: from a mention of the stance holder to the stance span, typed by the polarity
(support / oppose / neutral), and from the stance span to a mention of its target actor,
typed "target". The mention chosen is the holder's (target's) mention nearest the stance.

Codebook: a custom span kind's label is the kind's name (e.g. [s, e, "frame"]); the
attribute values of any span (custom and built-in kinds) go in its "stancemark" details
under "attributes", by attribute name, typed (a choice by value name, a multiple choice
as a list of names, numbers, true/false, text, ISO dates; formats.span_attributes);
article variables in the line's "variables" key, by annotator name (imported as that
annotator's, though the spans go to one annotator). A kind, attribute or value the
codebook lacks is refused naming file and line, unless `extend_codebook` adds it.
Nothing of the codebook's definition travels: import into a store with the same
codebook (`stancemark codebook export` / `import`).

Labels follow formats.span_records: ACTOR:<actor name>, DATE, STANCE:<polarity>. doccano
keeps the extra keys as the example's metadata, so the "stancemark" details (date values,
stance holder and target names) survive a trip through doccano; they are keyed by span
and label (`#2`, `#3` ... added for further spans with the same offsets and label), so spans added or changed in doccano simply have none. Without details a DATE is
normalised again from its text and the article's "published" date, and a stance has no
holder or target unless a relation gives them.

Loses: annotator identity (the import goes to one annotator: the current one or the
`annotator_name` option), actor uids, kinds, countries and aliases (actors are matched and
created by name), topic descriptions, statuses, trash and timestamps.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancemark.core.errors import InputError
from stancemark.core.model import POLARITIES
from stancemark.core.newlines import NewlineMap
from stancemark.formats.common import (
    ExportReport,
    ImportReport,
    Progress,
    Scope,
    atomic_write,
)
from stancemark.formats.span_attributes import all_variables, named_values
from stancemark.formats.span_records import (
    ArticleRecord,
    MentionIndex,
    Names,
    SpanRecord,
    apply_details,
    details,
    int_field,
    label_of,
    read_jsonl,
    read_span_files,
    sort_key,
    span_from_label,
    text_field,
    validate,
    write_records,
)

if TYPE_CHECKING:
    from stancemark.store.repository import Repository

SUFFIXES = (".jsonl", ".json")
_META = ("uid", "title", "published", "source", "url", "language")


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))


def export(repo: Repository, out: Path, scope: Scope | None = None, progress: Progress | None = None,
           *, relations: bool = False) -> ExportReport:
    scope = scope or Scope()
    names = Names(repo)
    report = ExportReport(Path(out))
    annotators = {a.uid: a.name for a in repo.list_annotators()}
    variables = all_variables(repo, scope.articles(repo), scope.annotator_uids(repo))
    with atomic_write(Path(out), newline="\n") as fh:
        for art, anns in scope.iter(repo, progress):
            anns = sorted(anns, key=lambda a: sort_key(a, names))
            rec: dict[str, Any] = {"text": art.text}
            extra: dict[str, dict] = {}
            seen: dict[str, int] = {}
            for a in anns:
                key = _detail_key(a.start, a.end, label_of(a, names), seen)
                d = details(a, names)
                if a.attributes:
                    d["attributes"] = names.attributes(a)
                if d:
                    extra[key] = d
            if relations:
                rec.update(_entities_and_relations(anns, names))
            else:
                rec["label"] = [[a.start, a.end, label_of(a, names)] for a in anns]
            rec.update({k: getattr(art, k) for k in _META})
            rec["stancemark"] = extra
            if art.uid in variables:  # only with a codebook's variables: older files unchanged
                rec["variables"] = dict(sorted(
                    (annotators.get(who, who), named_values(names.book, values))
                    for who, values in variables[art.uid].items()))
            fh.write(_dump(rec) + "\n")
            report.articles += 1
            report.annotations += len(anns)
    return report


def _detail_key(start: int, end: int, label: str, seen: dict[str, int]) -> str:
    """The "stancemark" key of a span: `start-end-label`, and `start-end-label#N` for the
    N-th span (N >= 2, in the file's span order) with the same offsets and label, e.g. two
    stances with one polarity on one span but different holders; one key each, so neither
    overwrites the other's details. Files without `#N` keys read as before."""
    base = f"{start}-{end}-{label}"
    n = seen[base] = seen.get(base, 0) + 1
    return base if n == 1 else f"{base}#{n}"


def _entities_and_relations(anns: list, names: Names) -> dict[str, list]:
    ids = {a.uid: i for i, a in enumerate(anns, 1)}
    entities = [{"id": ids[a.uid], "start_offset": a.start, "end_offset": a.end,
                 "label": label_of(a, names)} for a in anns]
    relations = [{"id": i, "from_id": ids[src.uid], "to_id": ids[dst.uid], "type": rtype}
                 for i, (src, dst, rtype) in enumerate(MentionIndex(anns).stance_relations(anns), 1)]
    return {"entities": entities, "relations": relations}


# ---------------------------------------------------------------------- import

def parse_record(rec: Any, where: str, line: int) -> ArticleRecord:
    """One doccano line (either layout) -> a validated ArticleRecord."""
    if not isinstance(rec, dict):
        raise InputError("each line must be a JSON object", where, line)
    raw = rec.get("text")
    if not isinstance(raw, str):
        raise InputError("missing or non-text field 'text'", where, line)
    nl = NewlineMap(raw)
    fields: dict[str, Any] = {k: text_field(rec, k, where, line) for k in _META}
    art = ArticleRecord(nl.text, where, line, **fields)
    art.uid = art.uid or None
    extra = rec.get("stancemark") or {}
    if not isinstance(extra, dict):
        raise InputError("field 'stancemark' must be an object", where, line)
    by_id: dict[Any, SpanRecord] = {}
    if "entities" in rec:
        items = rec["entities"]
        if not isinstance(items, list):
            raise InputError("field 'entities' must be a list", where, line)
        triples = []
        for e in items:
            if not isinstance(e, dict):
                raise InputError("each entity must be an object", where, line)
            triples.append((e.get("start_offset"), e.get("end_offset"), e.get("label"), e.get("id")))
    else:
        items = rec.get("label", [])
        if not isinstance(items, list):
            raise InputError("field 'label' must be a list of [start, end, label]", where, line)
        triples = []
        for t in items:
            if not isinstance(t, list) or len(t) != 3:
                raise InputError(f"label item {str(t)[:40]} is not [start, end, label]", where, line)
            triples.append((*t, None))
    seen: dict[str, int] = {}
    for start, end, label, ident in triples:
        start = int_field(start, "span start", where, line)
        end = int_field(end, "span end", where, line)
        try:
            span = span_from_label(label, start, end, line)
        except ValueError as exc:
            raise InputError(str(exc), where, line) from None
        apply_details(span, extra.get(_detail_key(start, end, str(label), seen)), where, line)
        if not (0 <= start < end <= nl.raw_length):
            raise InputError(f"span {start}-{end} is outside the text ({nl.raw_length} characters)",
                             where, line)
        span.start, span.end = nl.to_normalised(start), nl.to_normalised(end)
        art.spans.append(span)
        if ident is not None:
            if not _is_id(ident):
                raise InputError(f"entity id {ident!r} must be a number or a string", where, line)
            if ident in by_id:
                raise InputError(f"duplicate entity id {ident!r}", where, line)
            by_id[ident] = span
    _apply_relations(rec.get("relations"), by_id, where, line)
    art.variables = _variables(rec.get("variables"), where, line)
    validate(art)
    return art


def _variables(value: Any, where: str, line: int) -> dict[str | None, dict[str, Any]]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise InputError("field 'variables' must be {annotator name: {variable: value}}", where, line)
    return {str(k): v for k, v in value.items()}


def _is_id(value: Any) -> bool:
    """An entity id doccano writes: a number (not a boolean) or a string."""
    return isinstance(value, (int, str)) and not isinstance(value, bool)


def _apply_relations(rels: Any, by_id: dict, where: str, line: int) -> None:
    if rels is None:
        return
    if not isinstance(rels, list):
        raise InputError("field 'relations' must be a list", where, line)
    for r in rels:
        if not isinstance(r, dict):
            raise InputError("each relation must be an object", where, line)
        ends = r.get("from_id"), r.get("to_id")
        if not all(_is_id(e) for e in ends):
            raise InputError(f"relation {r.get('id')!r}: from_id and to_id must be entity ids "
                             "(numbers or strings)", where, line)
        src, dst, rtype = by_id.get(ends[0]), by_id.get(ends[1]), r.get("type")
        if src is None or dst is None:
            raise InputError(f"relation {r.get('id')!r} points at an unknown entity", where, line)
        if rtype in POLARITIES:
            holder, stance = src, dst
        elif rtype == "target":
            stance, holder = src, dst
        else:
            raise InputError(f"unknown relation type {rtype!r} (support, oppose, neutral, target)",
                             where, line)
        if stance.kind != "stance" or holder.kind != "actor":
            raise InputError(f"relation {r.get('id')!r} must link an actor mention and a stance",
                             where, line)
        if rtype == "target":
            stance.target_actor = holder.actor
        else:
            stance.holder = holder.actor


def read_file(path: Path) -> Iterator[ArticleRecord]:
    """One record at a time (span_records.Records reads the file twice: check, write)."""
    for n, rec in read_jsonl(path):
        yield parse_record(rec, str(path), n)


def import_paths(repo: Repository, paths: list[Path], progress: Progress | None = None,
                 annotator_name: str | None = None, extend_codebook: bool = False,
                 **_: Any) -> ImportReport:
    count, records = read_span_files(paths, SUFFIXES, read_file, progress)
    report = ImportReport(files=count)
    write_records(repo, records, report, annotator_name, progress,
                  extend_codebook=extend_codebook)
    return report
