"""Label Studio JSON tasks with annotations, plus the matching labeling config.

Export writes OUT (a JSON list, one task per line) and, beside it, OUT-stem.config.xml:
the labeling config to paste into the Label Studio project, generated from the codebook
(formats/labelstudio_config.py): every label used and every custom kind, each
attribute a per-region control, each article variable a control of the task.

    {"id": 1, "data": {"text", "uid", "title", "published", "source", "url", "language"},
     "meta": {"stancemark_annotators": {"1": "ana", "2": "ben"}},
     "annotations": [{"id": 1, "completed_by": 1, "result": [ ...one per annotator... ],
                      "was_cancelled": false, "ground_truth": false, "task": 1}],
     "predictions": []}

Task ids number the tasks in export order and annotation ids run across the file, as in
Label Studio's own exports (its converter, label-studio-converter, needs both);
ground_truth is true for the gold layer. Import ignores the ids.

Result items (to_name "text"):
- each span: {"id": "r<n>", "from_name": "label", "type": "labels",
  "value": {"start", "end", "text": <quote>, "labels": ["ACTOR:China" | "DATE" | "STANCE:oppose"]}};
- per-region values sharing the span's id (shown when the region is selected):
  textarea "date_value", "holder", "target_actor", "stance_date", "note" and choices
  "target_topic" (value {"start", "end", "text": [value]} or {"choices": [topic]});
- relations for stances, {"type": "relation", "from_id", "to_id", "direction": "right",
  "labels": [polarity]} from a holder mention to the stance, and labels ["target"] from
  the stance to a mention of the target actor. On import a relation overrides the
  per-region holder / target_actor text;
- a custom kind's span is labelled with the kind's name; each attribute value of a span
  is a per-region result sharing its id, from_name the attribute's control
  (formats.labelstudio_config): a choice {"choices": [value names]}, yes/no
  {"choices": ["yes"|"no"]}, integer and number {"number": n}, a date {"datetime":
  ISO}, text and references {"text": [text]};
- each article variable of an annotator: a result of the annotation without a region
  (the same value shapes, no start/end), as Label Studio writes a classification.

On import, a per-region result whose control the codebook lacks for that region's kind
(a text area, choices, number, rating or date of another project), and a task-level
one that is no article variable, is refused naming file and line unless
`extend_codebook` adds it (formats.span_attributes); results of other types (e.g. a
rectangle) are not ours and are skipped.

Offsets: Unicode code points, end-exclusive, as Label Studio's Python side counts them
(its browser side counts UTF-16 units: check emoji-bearing texts after a trip through the
web UI). CRLF texts are normalised on import and their offsets shifted.

completed_by is an integer (Label Studio's own exports use user ids); the annotator names
travel in the task's meta. Imported annotations whose completed_by has no name there go to
the current annotator (or the `annotator_name` option), as do predictions, which are
not imported. Loses: actor uids, kinds, countries and aliases (matched and created by name),
topic descriptions, statuses, trash and timestamps; the codebook's own definition beyond
what the config says (descriptions of values, required, defaults, ordered). Labels as in
formats.span_records.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancemark.core.codebook import Codebook
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
from stancemark.formats.labelstudio_config import TEXTAREAS as _TEXTAREAS
from stancemark.formats.labelstudio_config import (
    control_names,
    control_of,
    labeling_config,
    labels_of,
)
from stancemark.formats.span_attributes import all_variables, typed_value
from stancemark.formats.span_records import (
    ArticleRecord,
    MentionIndex,
    Names,
    SpanRecord,
    details,
    int_field,
    label_of,
    read_json_list,
    read_span_files,
    sort_key,
    span_from_label,
    text_field,
    validate,
    write_records,
)

if TYPE_CHECKING:
    from stancemark.store.repository import Repository

SUFFIXES = (".json",)
_DATA = ("uid", "title", "published", "source", "url", "language")
_VALUE_TYPES = {"choices": "choices", "number": "number", "rating": "rating",
                "textarea": "text", "datetime": "datetime"}


def config_path(out: Path) -> Path:
    return Path(out).with_name(Path(out).stem + ".config.xml")


def export(repo: Repository, out: Path, scope: Scope | None = None,
           progress: Progress | None = None) -> ExportReport:
    scope = scope or Scope()
    names = Names(repo)
    annotators = {a.uid: a.name for a in repo.list_annotators()}
    items = list(scope.iter(repo, progress))
    book = names.book
    controls = control_of(book)
    variables = all_variables(repo, [art.uid for art, _ in items], scope.annotator_uids(repo))
    used = sorted({annotators[a.annotator_uid] for _, anns in items for a in anns}
                  | {annotators[w] for v in variables.values() for w in v})
    number = {name: i for i, name in enumerate(used, 1)}
    report = ExportReport(Path(out), files=2)
    labels: set[str] = set()
    gold = {a.name for a in repo.list_annotators() if a.is_gold}
    next_id = 0
    with atomic_write(Path(out), newline="\n") as fh:
        fh.write("[\n")
        for k, (art, anns) in enumerate(items):
            by_annotator: dict[str, list] = {}
            for a in anns:
                by_annotator.setdefault(annotators[a.annotator_uid], []).append(a)
            mine = {annotators[w]: v for w, v in variables.get(art.uid, {}).items()}
            for n in mine:
                by_annotator.setdefault(n, [])
            # Numeric ids as Label Studio's own exports carry them (its converter and
            # SDK key on them): tasks numbered in export order, annotations across the file.
            annotations = []
            for n in sorted(by_annotator):
                next_id += 1
                annotations.append({"id": next_id, "completed_by": number[n],
                                    "result": _results(by_annotator[n], names, labels, controls)
                                    + _variable_results(book, mine.get(n), controls),
                                    "was_cancelled": False, "ground_truth": n in gold,
                                    "task": k + 1})
            task = {"id": k + 1,
                    "data": {"text": art.text, **{f: getattr(art, f) for f in _DATA}},
                    "meta": {"stancemark_annotators": {str(number[n]): n for n in sorted(by_annotator)}},
                    "annotations": annotations, "predictions": []}
            fh.write(json.dumps(task, ensure_ascii=False) + (",\n" if k < len(items) - 1 else "\n"))
            report.articles += 1
            report.annotations += len(anns)
        fh.write("]\n")
    topics = sorted(t.name for t in repo.list_topics())
    with atomic_write(config_path(out), newline="\n") as fh:
        # Every live actor gets a label, so new mentions can be tagged in Label Studio too.
        labels |= {"DATE"} | {f"ACTOR:{a.name}" for a in repo.list_actors()} | set(labels_of(book))
        fh.write(labeling_config(book, labels, topics))
    return report


def _value(book: Codebook, uid: str, value: object) -> tuple[str, dict]:
    """(result type, value) of a stored attribute value (see the module docstring)."""
    a = book.attribute(uid)
    if a is None:
        return "textarea", {"text": [str(value)]}
    if a.type == "choice":
        v = typed_value(a, value)
        return "choices", {"choices": v if isinstance(v, list) else [v]}
    if a.type == "boolean":
        return "choices", {"choices": ["yes" if value else "no"]}
    if a.type in ("integer", "number"):
        return "number", {"number": value}
    if a.type == "date":
        return "datetime", {"datetime": value}
    return "textarea", {"text": [value]}


def _variable_results(book: Codebook, values: dict | None, controls: dict[str, str]) -> list[dict]:
    out = []
    for i, (uid, value) in enumerate(sorted((values or {}).items(),
                                            key=lambda kv: controls.get(kv[0], kv[0])), 1):
        rtype, v = _value(book, uid, value)
        out.append({"id": f"v{i}", "from_name": controls.get(uid, uid), "to_name": "text",
                    "type": rtype, "value": v})
    return out


def _results(anns: list, names: Names, labels: set[str], controls: dict[str, str]) -> list[dict]:
    anns = sorted(anns, key=lambda a: sort_key(a, names))
    ids = {a.uid: f"r{i}" for i, a in enumerate(anns, 1)}
    out: list[dict] = []
    for a in anns:
        label = label_of(a, names)
        labels.add(label)
        span = {"start": a.start, "end": a.end}
        out.append({"id": ids[a.uid], "from_name": "label", "to_name": "text", "type": "labels",
                    "value": {**span, "text": a.quote, "labels": [label]}})
        for key, value in details(a, names).items():
            if key == "date_granularity":
                continue  # follows from the value
            if key == "target_topic":
                out.append({"id": ids[a.uid], "from_name": key, "to_name": "text", "type": "choices",
                            "value": {**span, "choices": [value]}})
            else:
                out.append({"id": ids[a.uid], "from_name": key, "to_name": "text", "type": "textarea",
                            "value": {**span, "text": [value]}})
        for uid in sorted(a.attributes, key=lambda u: controls.get(u, u)):
            result_type, v = _value(names.book, uid, a.attributes[uid])
            out.append({"id": ids[a.uid], "from_name": controls.get(uid, uid), "to_name": "text",
                        "type": result_type, "value": {**span, **v}})
    for src, dst, rtype in MentionIndex(anns).stance_relations(anns):
        out.append({"type": "relation", "from_id": ids[src.uid], "to_id": ids[dst.uid],
                    "direction": "right", "labels": [rtype]})
    return out


# ---------------------------------------------------------------------- import

def parse_task(task: Any, where: str, line: int, book: Codebook | None = None) -> ArticleRecord:
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        raise InputError("each task must be an object with a 'data' object", where, line)
    data = task["data"]
    raw = data.get("text")
    if not isinstance(raw, str):
        raise InputError("task data has no text field 'text'", where, line)
    nl = NewlineMap(raw)
    fields: dict[str, Any] = {k: text_field(data, k, where, line) for k in _DATA}
    art = ArticleRecord(nl.text, where, line, **fields)
    art.uid = art.uid or None
    meta = task.get("meta") or {}
    who = meta.get("stancemark_annotators") if isinstance(meta, dict) else None
    who = who if isinstance(who, dict) else {}
    annotations = task.get("annotations") or []
    if not isinstance(annotations, list):
        raise InputError("'annotations' must be a list", where, line)
    for ann in annotations:
        if not isinstance(ann, dict) or not isinstance(ann.get("result", []), list):
            raise InputError("each annotation must be an object with a 'result' list", where, line)
        if ann.get("was_cancelled"):
            continue
        name = who.get(str(ann.get("completed_by")))
        annotator = name if isinstance(name, str) and name.strip() else None
        art.spans += _parse_result(ann.get("result", []), nl, where, line, annotator,
                                   _Controls(book), art.variables.setdefault(annotator, {}))
    art.variables = {k: v for k, v in art.variables.items() if v}
    validate(art)
    return art


class _Controls:
    """A result's from_name -> the attribute (uid) it holds for a kind, by the controls
    of the importing store's codebook (formats.labelstudio_config); a name it does not
    know stays a name (checked, or added, when written)."""

    def __init__(self, book: Codebook | None):
        self.book = book
        self.names = control_names(book) if book is not None else {}

    def attribute(self, from_name: str, kind: str | None) -> str:
        for a in self.names.get(from_name, ()):
            if self.book is not None and (a.kind_uid == kind or (
                    kind is not None and a.kind_uid is not None
                    and self.book.kind_by_name(kind) == self.book.kind(a.kind_uid))):
                return a.uid
        return from_name


def _result_value(item: dict, where: str, line: int) -> Any:
    """The typed value of a control's result: choices a list of names, a number, a
    rating, a text (several texts joined by line breaks), a date."""
    rtype = item.get("type")
    value = item.get("value")
    key = _VALUE_TYPES[str(rtype)]
    got = value.get(key) if isinstance(value, dict) else None
    name = item.get("from_name")
    if key == "choices":
        if not isinstance(got, list) or not all(isinstance(c, str) for c in got):
            raise InputError(f"result {name!r}: 'choices' must be a list of texts", where, line)
        return got
    if key == "text":
        if isinstance(got, str):
            return got
        if not isinstance(got, list) or not all(isinstance(c, str) for c in got):
            raise InputError(f"result {name!r}: 'text' must be a list of texts", where, line)
        return "\n".join(got)
    if key == "datetime":
        if not isinstance(got, str):
            raise InputError(f"result {name!r}: 'datetime' must be text", where, line)
        return got
    if isinstance(got, bool) or not isinstance(got, int | float):
        raise InputError(f"result {name!r}: {key!r} must be a number", where, line)
    return got


def _parse_result(result: list, nl: NewlineMap, where: str, line: int,
                  annotator: str | None, controls: _Controls,
                  variables: dict[str, Any]) -> list[SpanRecord]:
    regions: dict[object, SpanRecord] = {}  # looked up by whatever ids the file holds
    extras: list[dict] = []
    relations: list[dict] = []
    for item in result:
        if not isinstance(item, dict):
            raise InputError("each result item must be an object", where, line)
        kind = item.get("type")
        if kind == "relation":
            relations.append(item)
            continue
        if kind != "labels":
            extras.append(item)
            continue
        value = item.get("value")
        if not isinstance(value, dict) or not isinstance(value.get("labels"), list) \
                or len(value["labels"]) != 1:
            raise InputError(f"region {item.get('id')!r} needs exactly one label", where, line)
        start = int_field(value.get("start"), "region start", where, line)
        end = int_field(value.get("end"), "region end", where, line)
        if not (0 <= start < end <= nl.raw_length):
            raise InputError(f"region {start}-{end} is outside the text ({nl.raw_length} characters)",
                             where, line)
        try:
            span = span_from_label(value["labels"][0], nl.to_normalised(start), nl.to_normalised(end), line)
        except ValueError as exc:
            raise InputError(str(exc), where, line) from None
        span.annotator = annotator
        rid = item.get("id")
        if not isinstance(rid, str) or rid in regions:
            raise InputError(f"region id {rid!r} is missing or repeated", where, line)
        regions[rid] = span
    def region_of(rid: object) -> SpanRecord | None:
        # region ids are strings (checked above): a list or an object in the file is no
        # region, where a dict lookup would fail on it as unhashable
        return regions.get(rid) if isinstance(rid, str) else None

    for item in extras:
        region = region_of(item.get("id"))
        name = item.get("from_name")
        raw_value = item.get("value")
        value = raw_value if isinstance(raw_value, dict) else {}
        if item.get("type") not in _VALUE_TYPES or not isinstance(name, str):
            continue  # results of other controls (a rectangle, a taxonomy) are not ours
        if region is None and "start" in value:
            raise InputError(f"per-region {name!r} of {item.get('id')!r} points at an unknown region",
                             where, line)
        if region is None:  # a task-level control: an article variable
            variables[controls.attribute(name, None)] = _result_value(item, where, line)
            continue
        if name not in (*_TEXTAREAS, "target_topic"):
            region.attributes[controls.attribute(name, region.kind)] = _result_value(item, where, line)
            continue
        values = value.get("choices" if item.get("type") == "choices" else "text")
        if not isinstance(values, list) or len(values) != 1 or not isinstance(values[0], str):
            raise InputError(f"per-region {name!r} of {item.get('id')!r} must hold one text", where, line)
        setattr(region, name, values[0])
    for rel in relations:
        src, dst = region_of(rel.get("from_id")), region_of(rel.get("to_id"))
        rtype = rel.get("labels") or []
        if src is None or dst is None:
            raise InputError("relation points at an unknown region", where, line)
        if rtype == ["target"] and src.kind == "stance" and dst.kind == "actor":
            src.target_actor = dst.actor
        elif len(rtype) == 1 and rtype[0] in POLARITIES and src.kind == "actor" and dst.kind == "stance":
            dst.holder = src.actor
        else:
            raise InputError(f"relation labelled {rtype!r} must run holder -> stance (polarity) "
                             "or stance -> target actor ('target')", where, line)
    return list(regions.values())


def read_file(path: Path, book: Codebook | None = None) -> list[ArticleRecord]:
    return [parse_task(t, str(path), n, book) for n, t in read_json_list(path)]


def import_paths(repo: Repository, paths: list[Path], progress: Progress | None = None,
                 annotator_name: str | None = None, extend_codebook: bool = False,
                 **_: Any) -> ImportReport:
    book = repo.codebook()
    count, records = read_span_files(paths, SUFFIXES, lambda p: read_file(p, book), progress)
    report = ImportReport(files=count)
    write_records(repo, records, report, annotator_name, progress,
                  extend_codebook=extend_codebook)
    return report
