"""Label Studio JSON tasks with annotations, plus the matching labeling config.

Export writes OUT (a JSON list, one task per line) and, beside it, OUT-stem.config.xml:
the labeling config to paste into the Label Studio project, listing every label used.

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
  per-region holder / target_actor text.

Offsets: Unicode code points, end-exclusive, as Label Studio's Python side counts them
(its browser side counts UTF-16 units: check emoji-bearing texts after a trip through the
web UI). CRLF texts are normalised on import and their offsets shifted.

completed_by is an integer (Label Studio's own exports use user ids); the annotator names
travel in the task's meta. Imported annotations whose completed_by has no name there go to
the current annotator (or the `annotator_name` option), as do predictions, which are
not imported. Loses: actor uids, kinds, countries and aliases (matched and created by name),
topic descriptions, statuses, trash and timestamps. Labels as in formats.span_records.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import quoteattr

from stancemark.core.errors import InputError
from stancemark.core.model import POLARITIES
from stancemark.core.newlines import NewlineMap
from stancemark.core.palette import KIND_COLOURS, POLARITY_COLOURS
from stancemark.formats.common import (
    ExportReport,
    ImportReport,
    Progress,
    Scope,
    atomic_write,
)
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
_TEXTAREAS = ("date_value", "holder", "target_actor", "stance_date", "note")


def config_path(out: Path) -> Path:
    return Path(out).with_name(Path(out).stem + ".config.xml")


def export(repo: Repository, out: Path, scope: Scope | None = None,
           progress: Progress | None = None) -> ExportReport:
    scope = scope or Scope()
    names = Names(repo)
    annotators = {a.uid: a.name for a in repo.list_annotators()}
    items = list(scope.iter(repo, progress))
    used = sorted({annotators[a.annotator_uid] for _, anns in items for a in anns})
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
            # Numeric ids as Label Studio's own exports carry them (its converter and
            # SDK key on them): tasks numbered in export order, annotations across the file.
            annotations = []
            for n in sorted(by_annotator):
                next_id += 1
                annotations.append({"id": next_id, "completed_by": number[n],
                                    "result": _results(by_annotator[n], names, labels),
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
        labels |= {"DATE"} | {f"ACTOR:{a.name}" for a in repo.list_actors()}
        fh.write(labeling_config(sorted(labels), topics))
    return report


def _results(anns: list, names: Names, labels: set[str]) -> list[dict]:
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
    for src, dst, rtype in MentionIndex(anns).stance_relations(anns):
        out.append({"type": "relation", "from_id": ids[src.uid], "to_id": ids[dst.uid],
                    "direction": "right", "labels": [rtype]})
    return out


def labeling_config(labels: list[str], topics: list[str]) -> str:
    def colour(label: str) -> str:
        head, _, value = label.partition(":")
        return POLARITY_COLOURS.get(value) or KIND_COLOURS.get(head.lower(), "#999999")

    lines = ['<View>', '  <Relations>']
    lines += [f'    <Relation value={quoteattr(v)}/>' for v in (*POLARITIES, "target")]
    lines += ['  </Relations>', '  <Labels name="label" toName="text">']
    lines += [f'    <Label value={quoteattr(lb)} background={quoteattr(colour(lb))}/>'
              for lb in labels if not lb.startswith("STANCE:")]
    lines += [f'    <Label value={quoteattr("STANCE:" + p)} background={quoteattr(POLARITY_COLOURS[p])}/>'
              for p in POLARITIES]
    lines += ['  </Labels>', '  <Text name="text" value="$text"/>',
              '  <View visibleWhen="region-selected">']
    for name in _TEXTAREAS:
        lines.append(f'    <Header value={quoteattr(name.replace("_", " "))}/>')
        lines.append(f'    <TextArea name="{name}" toName="text" perRegion="true" maxSubmissions="1"/>')
    lines += ['    <Header value="target topic"/>',
              '    <Choices name="target_topic" toName="text" perRegion="true" choice="single">']
    lines += [f'      <Choice value={quoteattr(t)}/>' for t in topics]
    lines += ['    </Choices>', '  </View>', '</View>', '']
    return "\n".join(lines)


# ---------------------------------------------------------------------- import

def parse_task(task: Any, where: str, line: int) -> ArticleRecord:
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
        art.spans += _parse_result(ann.get("result", []), nl, where, line,
                                   name if isinstance(name, str) and name.strip() else None)
    validate(art)
    return art


def _parse_result(result: list, nl: NewlineMap, where: str, line: int,
                  annotator: str | None) -> list[SpanRecord]:
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
    for item in extras:
        region = regions.get(item.get("id"))
        name = item.get("from_name")
        raw_value = item.get("value")
        value = raw_value if isinstance(raw_value, dict) else {}
        values = value.get("choices" if item.get("type") == "choices" else "text")
        if region is None or name not in (*_TEXTAREAS, "target_topic"):
            continue  # results of other controls are not ours
        if not isinstance(values, list) or len(values) != 1 or not isinstance(values[0], str):
            raise InputError(f"per-region {name!r} of {item.get('id')!r} must hold one text", where, line)
        setattr(region, name, values[0])
    for rel in relations:
        src, dst = regions.get(rel.get("from_id")), regions.get(rel.get("to_id"))
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


def read_file(path: Path) -> list[ArticleRecord]:
    return [parse_task(t, str(path), n) for n, t in read_json_list(path)]


def import_paths(repo: Repository, paths: list[Path], progress: Progress | None = None,
                 annotator_name: str | None = None, **_: Any) -> ImportReport:
    count, records = read_span_files(paths, SUFFIXES, read_file, progress)
    report = ImportReport(files=count)
    write_records(repo, records, report, annotator_name, progress)
    return report
