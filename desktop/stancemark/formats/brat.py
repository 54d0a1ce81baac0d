"""brat standoff: a folder brat serves as a collection.

Export layout (OUT is a folder):

    OUT/annotation.conf, OUT/visual.conf          the schema, Okabe-Ito colours (core.palette)
    OUT/<annotator>/<article uid>.txt             the text, UTF-8, LF line ends
    OUT/<annotator>/<article uid>.ann             the annotations of that annotator
    OUT/<annotator>/<article uid>.meta.json       title, published, source, url, author, language

brat has no annotators, so each annotator gets a sub-collection (brat finds the conf files in
the parent folder); every article in scope is in every annotator's folder, an empty .ann
where they tagged nothing. .ann lines (ids numbered in text order):

    T1  Actor 0 7  Beijing                      an actor mention
    N1  Reference T1 Stancemark:<actor uid>  China     ...pointing at the actor register
    T2  Date 29 38  January 9
    #1  AnnotatorNotes T2  date=2021-01-09      the normalised value (then " | note=..." if any)
    T3  Stance 47 82  opposes any US ...        the stance span (event trigger)
    E1  Stance:T3 Holder:T1 Target:T5           Holder / Target: the nearest mention, if any
    A1  Polarity E1 oppose
    N2  Reference E1 Holder:<actor uid>  China  the authoritative holder, target actor
    N3  Reference E1 Topic:<topic uid>  Arms sales to Taiwan    (TargetActor:) or topic
    #2  AnnotatorNotes E1  date=2021-01-09 | note=...           stance date and note
    T6  frame 46 59  economic cost              a span of a custom kind
    A2  frame_type T6 economic                  a single choice, yes/no, small integer range
    #3  AnnotatorNotes T6  attributes={"tags":["cost"],"comment":"..."}   the other values

Custom kinds and attribute values as formats/brat_codebook.py says (annotation.conf and
visual.conf generated from the codebook; a multiple choice, text, numbers, dates and
references in the notes, brat's attributes holding one value of a list); article
variables in the .meta.json under "variables". A kind, attribute or value the codebook
lacks is refused naming file and line unless `extend_codebook` adds it.

Offsets: Unicode code points into the .txt file as written, end-exclusive (brat's unit).
On import a .txt with CRLF line ends is normalised and the offsets shifted with it.

Import reads a folder (recursively) or .ann files (the .txt beside each). A file in a
sub-folder goes to the annotator named like that folder; files at the top, or named
directly, go to the current annotator (or the `annotator_name` option). Actor mentions
without an N line are linked to the register's actor whose name or alias is their text
(when exactly one), else to an actor named like their text. A stance's Holder and Target
arguments take their mention's actor (its N line, else that look-up); the event's own N
lines (Holder:, TargetActor:, Topic:) win over its arguments. Not supported on import:
discontinuous spans and relation (R) lines. Loses: actor kinds, countries and aliases,
topic descriptions, statuses, trash and timestamps; annotator names are folder names
(characters a file name cannot hold become "_").
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancemark.core.codebook import Codebook
from stancemark.core.errors import InputError
from stancemark.core.model import POLARITIES
from stancemark.core.newlines import NewlineMap
from stancemark.core.palette import KIND_COLOURS
from stancemark.formats.brat_codebook import Names as BratNames
from stancemark.formats.brat_codebook import (
    a_value,
    a_values,
    brat_name,
    conf_lines,
    kind_type,
    notes_part,
)
from stancemark.formats.common import (
    ExportReport,
    ImportReport,
    Progress,
    Scope,
    atomic_dir,
    decode_bytes,
    tick,
)
from stancemark.formats.span_attributes import all_variables, named_values
from stancemark.formats.span_records import (
    ArticleRecord,
    MentionIndex,
    Names,
    SpanRecord,
    resolve_register_actors,
    sort_key,
    validate,
    write_records,
)

if TYPE_CHECKING:
    from stancemark.store.repository import Repository

# What `out` names, for a user interface choosing it: brat writes a folder (replaced
# as a whole when it exists), never a file.
EXPORT_TARGET = "folder"

ANNOTATION_CONF = """\
# Stancemark schema for brat. Actor mentions link to the actor register by N lines
# (Reference ... Stancemark:<actor uid>); stances are events with a Polarity.
[entities]
Actor
Date

[relations]
<OVERLAP>\tArg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>

[events]
Stance\tHolder?:Actor, Target?:Actor

[attributes]
Polarity\tArg:Stance, Value:support|oppose|neutral
"""

VISUAL_CONF = f"""\
[labels]
Actor | Actor | Act
Date | Date | D
Stance | Stance | St
Holder | Holder
Target | Target
Polarity | Polarity

[drawing]
Actor\tbgColor:{KIND_COLOURS["actor"]}
Date\tbgColor:{KIND_COLOURS["date"]}
Stance\tbgColor:{KIND_COLOURS["stance"]}
Polarity\tglyph:+|−|○
"""

_META = ("title", "published", "source", "url", "author", "language")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def folder_name(annotator: str) -> str:
    name = _UNSAFE.sub("_", annotator).strip()
    return "_" + name if name.startswith(".") or not name else name


def _one_line(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def annotation_conf(book: Codebook) -> str:
    """ANNOTATION_CONF with the codebook's custom kinds and A-line attributes."""
    entities, attributes, _ = conf_lines(book)
    conf = ANNOTATION_CONF.replace("Actor\nDate\n", "".join(f"{e}\n" for e in ["Actor", "Date", *entities]))
    return conf + "".join(f"{line}\n" for line in attributes)


def visual_conf(book: Codebook) -> str:
    _, _, drawing = conf_lines(book)
    return VISUAL_CONF.replace("Polarity\tglyph", "".join(f"{d}\n" for d in drawing) + "Polarity\tglyph")


def _notes(value: str | None, note: str, attributes: str | None = None) -> str | None:
    parts = [f"date={value}"] if value else []
    if attributes:
        parts.append(attributes)
    if note:
        parts.append(f"note={_one_line(note)}")
    return " | ".join(parts) or None


def ann_text(anns: list, names: Names) -> str:
    """The .ann file for one article and annotator."""
    anns = sorted(anns, key=lambda a: sort_key(a, names))
    tid = {a.uid: f"T{i}" for i, a in enumerate(anns, 1)}
    lines: list[str] = []
    counters = {"N": 0, "#": 0, "E": 0, "A": 0}

    def nxt(prefix: str) -> str:
        counters[prefix] += 1
        return f"{prefix}{counters[prefix]}"

    book = names.book

    def attributes(a: Any, ref: str) -> str | None:
        """A lines of `a` (on `ref`), and the notes part of its other values."""
        rest: dict[str, Any] = {}
        for attr in book.attributes_of(a.kind):
            if attr.uid not in a.attributes:
                continue
            value = a.attributes[attr.uid]
            if a_values(attr) is not None:
                lines.append(f"{nxt('A')}\t{brat_name(attr.name)} {ref} {a_value(attr, value)}")
            else:
                rest[attr.uid] = value
        rest.update((u, v) for u, v in a.attributes.items() if book.attribute(u) is None)
        return notes_part(named_values(book, rest))

    mentions = MentionIndex(anns)
    for a in anns:
        kind = kind_type(book, a.kind)
        lines.append(f"{tid[a.uid]}\t{kind} {a.start} {a.end}\t{_one_line(a.quote)}")
        if a.kind == "actor":
            lines.append(f"{nxt('N')}\tReference {tid[a.uid]} Stancemark:{a.actor_uid}\t"
                         f"{names.actor(a.actor_uid)}")
        if a.kind != "stance":
            part = attributes(a, tid[a.uid])
            if n := _notes(a.date_value, a.note, part):
                lines.append(f"{nxt('#')}\tAnnotatorNotes {tid[a.uid]}\t{n}")
    for a in anns:
        if a.kind != "stance":
            continue
        eid = nxt("E")
        args = [f"Stance:{tid[a.uid]}"]
        for role, actor_uid in (("Holder", a.holder_uid), ("Target", a.target_actor_uid)):
            m = mentions.nearest(actor_uid, a)
            if m is not None:
                args.append(f"{role}:{tid[m.uid]}")
        lines.append(f"{eid}\t{' '.join(args)}")
        lines.append(f"{nxt('A')}\tPolarity {eid} {a.polarity}")
        part = attributes(a, eid)
        for db, uid, name in (("Holder", a.holder_uid, names.actor(a.holder_uid)),
                              ("TargetActor", a.target_actor_uid, names.actor(a.target_actor_uid)),
                              ("Topic", a.target_topic_uid, names.topic(a.target_topic_uid))):
            if uid:
                lines.append(f"{nxt('N')}\tReference {eid} {db}:{uid}\t{name}")
        if n := _notes(a.stance_date, a.note, part):
            lines.append(f"{nxt('#')}\tAnnotatorNotes {eid}\t{n}")
    return "".join(line + "\n" for line in lines)


def export(repo: Repository, out: Path, scope: Scope | None = None,
           progress: Progress | None = None) -> ExportReport:
    scope = scope or Scope()
    names = Names(repo)
    annotators = {a.uid: a.name for a in repo.list_annotators()}
    items = list(scope.iter(repo, progress))
    variables = all_variables(repo, [art.uid for art, _ in items], scope.annotator_uids(repo))
    who = sorted({annotators[a.annotator_uid] for _, anns in items for a in anns}
                 | {annotators[w] for v in variables.values() for w in v}) \
        or [repo.annotator.name]
    report = ExportReport(Path(out), files=2)
    with atomic_dir(Path(out)) as tmp:
        (tmp / "annotation.conf").write_text(annotation_conf(names.book), encoding="utf-8",
                                             newline="\n")
        (tmp / "visual.conf").write_text(visual_conf(names.book), encoding="utf-8", newline="\n")
        for name in who:
            folder = tmp / folder_name(name)
            folder.mkdir()
            for art, anns in items:
                mine = [a for a in anns if annotators[a.annotator_uid] == name]
                (folder / f"{art.uid}.txt").write_text(art.text, encoding="utf-8", newline="\n")
                (folder / f"{art.uid}.ann").write_text(ann_text(mine, names), encoding="utf-8",
                                                       newline="\n")
                meta: dict[str, Any] = {k: getattr(art, k) for k in _META}
                mine_vars = {annotators[w]: v for w, v in variables.get(art.uid, {}).items()}
                if name in mine_vars:
                    meta["variables"] = named_values(names.book, mine_vars[name])
                (folder / f"{art.uid}.meta.json").write_text(
                    json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                    encoding="utf-8", newline="\n")
                report.files += 3
        report.articles = len(items)
        report.annotations = sum(len(anns) for _, anns in items)
    return report


# ---------------------------------------------------------------------- import

_T = re.compile(r"^(T\d+)\t(\S+) (\d+) (\d+)\t(.*)$")
_DISCONTINUOUS = re.compile(r"^T\d+\t\S+ \d+ \d+;")
_E = re.compile(r"^(E\d+)\t(\S+):(T\d+)((?: \S+:[TE]\d+)*)\s*$")
_A = re.compile(r"^([AM]\d+)\t(\S+) ([TE]\d+)(?: (\S+))?\s*$")
_N = re.compile(r"^(N\d+)\tReference ([TE]\d+) ([^:\s]+):(\S+)\t(.*)$")
_NOTE = re.compile(r"^(#\d+)\tAnnotatorNotes ([TE]\d+)\t(.*)$")


def _parse_notes(text: str, where: str = "", line: int | None = None
                 ) -> tuple[str | None, str, dict[str, Any]]:
    """(date value, note, {attribute name: value}) of an AnnotatorNotes text, read in
    the order written: `date=` | `attributes={JSON}` (read whole: it may hold " | " or
    "note=") | `note=` (the rest); other texts the old way (a date= part anywhere)."""
    value: str | None = None
    attributes: dict[str, Any] = {}
    pos = 0
    if text.startswith("date="):
        cut = text.find(" | ")
        value = (text[5:] if cut < 0 else text[5:cut]).strip()
        pos = len(text) if cut < 0 else cut + 3
    if text.startswith("attributes=", pos):
        try:
            found, pos = json.JSONDecoder().raw_decode(text, pos + len("attributes="))
        except (ValueError, RecursionError):
            raise InputError("AnnotatorNotes: attributes={...} is not valid JSON", where, line) from None
        if not isinstance(found, dict):
            raise InputError("AnnotatorNotes: attributes must be a JSON object", where, line)
        attributes = found
        pos += 3 if text.startswith(" | ", pos) else 0
    rest = text[pos:]
    if rest.startswith("note="):
        return value, _unescape(rest[5:]), attributes
    note = ""
    head, sep, tail = rest.partition("note=")
    if sep and (not head or head.endswith(" | ")):
        note = _unescape(tail)
        rest = head[:-3] if head else ""
    for part in rest.split(" | "):
        if part.startswith("date="):
            value = part[5:].strip()
    return value, note, attributes


def parse_ann(ann_path: Path, text_raw: str, meta: Mapping[str, Any],
              book: Codebook | None = None) -> ArticleRecord:
    """One .ann with its raw .txt content -> an ArticleRecord (validated); `book`, the
    importing store's codebook, tells how its names were written (brat_codebook)."""
    where = str(ann_path)
    bnames = BratNames(book)
    nl = NewlineMap(text_raw)
    stem = ann_path.stem
    try:
        uid = str(uuid.UUID(stem)) if str(uuid.UUID(stem)) == stem else None
    except ValueError:
        uid = None
    variables = meta.get("variables")
    art = ArticleRecord(nl.text, where, None, uid, **{k: v for k, v in meta.items() if k in _META})
    if variables:
        art.variables = {None: dict(variables)}
        art.variables_where = str(ann_path.with_name(ann_path.stem + ".meta.json"))
    spans: dict[str, SpanRecord] = {}
    events: dict[str, SpanRecord] = {}
    pending: list[tuple[int, str]] = []
    try:
        content = ann_path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", where) from None
    for n, line in enumerate(content.replace("\r\n", "\n").split("\n"), 1):
        if not line.strip():
            continue
        if _DISCONTINUOUS.match(line):
            raise InputError("discontinuous spans are not supported", where, n)
        m = _T.match(line)
        if m:
            tid, kind, s, e, quote = m.groups()
            start, end = int(s), int(e)
            if not (0 <= start < end <= nl.raw_length):
                raise InputError(f"span {start}-{end} is outside the text ({nl.raw_length} characters)",
                                 where, n)
            raw_quote = text_raw[start:end]
            if _one_line(raw_quote.replace("\r\n", "\n")) != quote and raw_quote != quote:
                raise InputError(f"text {quote!r} does not match the .txt at {start}-{end} "
                                 f"({raw_quote!r})", where, n)
            if tid in spans:
                raise InputError(f"id {tid} is used twice", where, n)
            spans[tid] = SpanRecord(bnames.kind(kind), nl.to_normalised(start), nl.to_normalised(end), n)
            if kind == "Actor":
                spans[tid].actor = quote
                spans[tid].actor_from_text = True  # until an N line links it
        elif line.startswith(("E", "A", "M", "N", "#")):
            pending.append((n, line))
        elif line.startswith(("R", "*")):
            raise InputError("relation lines are not part of the Stancemark schema", where, n)
        else:
            raise InputError(f"unrecognised line {line[:40]!r}", where, n)
    for n, line in sorted(pending, key=lambda p: not p[1].startswith("E")):
        _apply_line(line, n, where, spans, events, bnames)
    for span in events.values():
        # Event arguments name a mention: the stance's holder / target actor is that
        # mention's actor (its N line, else the register entry for its text, resolved
        # when written: span_records.resolve_register_actors), unless the event's own
        # N line names the holder or the target.
        if span.holder is not None or span.holder_uid is not None:
            span.holder_mention = None
        elif span.holder_mention is not None:
            span.holder, span.holder_uid = span.holder_mention.actor, span.holder_mention.actor_uid
        if any((span.target_actor, span.target_actor_uid, span.target_topic,
                span.target_topic_uid)):
            span.target_mention = None
        elif span.target_mention is not None:
            span.target_actor = span.target_mention.actor
            span.target_actor_uid = span.target_mention.actor_uid
    with_event = {id(span) for span in events.values()}
    for tid, span in spans.items():
        if span.kind == "stance" and id(span) not in with_event:
            raise InputError(f"stance {tid} has no event line (E) with its polarity", where, span.line)
    art.spans = list(spans.values())
    validate(art)
    return art


def _apply_line(line: str, n: int, where: str, spans: dict, events: dict, bnames: BratNames) -> None:
    if m := _E.match(line):
        eid, etype, trigger, rest = m.groups()
        span = spans.get(trigger)
        if etype != "Stance" or span is None or span.kind != "stance":
            raise InputError(f"event {eid} must be a Stance on a Stance span", where, n)
        events[eid] = span
        for arg in rest.split():
            role, _, ref = arg.partition(":")
            mention = spans.get(ref)
            if role.rstrip("0123456789") not in ("Holder", "Target") or mention is None \
                    or mention.kind != "actor":
                raise InputError(f"event argument {arg!r} must be Holder or Target on an Actor", where, n)
            # Only noted here: the mention's own N line may come later in the file.
            if role.startswith("Holder"):
                span.holder_mention = span.holder_mention or mention
            else:
                span.target_mention = span.target_mention or mention
    elif m := _A.match(line):
        _, name, ref, value = m.groups()
        if name != "Polarity":
            target = spans.get(ref) if ref.startswith("T") else events.get(ref)
            if target is None:
                raise InputError(f"attribute {name!r} points at unknown {ref}", where, n)
            attr_name, v = bnames.attribute(target.kind, name, value)
            target.attributes[attr_name] = v
        elif ref not in events or value not in POLARITIES:
            raise InputError(f"attribute must be Polarity of a stance event with support, oppose or "
                             f"neutral: {line[:60]!r}", where, n)
        else:
            events[ref].polarity = value
    elif m := _N.match(line):
        _, ref, db, ident, name = m.groups()
        target = spans.get(ref) if ref.startswith("T") else events.get(ref)
        if target is None:
            raise InputError(f"normalisation points at unknown {ref}", where, n)
        key = {("actor", "Stancemark"): "actor", ("stance", "Holder"): "holder",
               ("stance", "TargetActor"): "target_actor", ("stance", "Topic"): "target_topic"}.get(
            (target.kind, db))
        if key is None:
            raise InputError(f"normalisation {db}: does not apply to a {target.kind}", where, n)
        setattr(target, key, name or None)
        setattr(target, key + "_uid", ident)
        if key == "actor":
            target.actor_from_text = False
    elif m := _NOTE.match(line):
        _, ref, text = m.groups()
        target = spans.get(ref) if ref.startswith("T") else events.get(ref)
        if target is None:
            raise InputError(f"note points at unknown {ref}", where, n)
        value, target.note, attributes = _parse_notes(text, where, n)
        target.attributes.update(attributes)
        if target.kind == "date":
            target.date_value = value
        elif target.kind == "stance":
            target.stance_date = value
    else:
        raise InputError(f"unrecognised line {line[:40]!r}", where, n)


def _read_meta(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # RecursionError: deep nesting
        raise InputError(f"bad metadata ({str(exc)[:60]})", str(path)) from None
    if not isinstance(data, dict):
        raise InputError("metadata must be a JSON object", str(path), 1)
    out: dict[str, Any] = {k: data[k] for k in _META if isinstance(data.get(k), str)}
    if "variables" in data:
        if not isinstance(data["variables"], dict):
            raise InputError("metadata 'variables' must be a JSON object", str(path), 1)
        out["variables"] = data["variables"]
    return out


def _collect(paths: list[Path]) -> list[tuple[Path, str | None]]:
    """(.ann file, annotator name or None) for every .ann to import."""
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            for ann in sorted(p.rglob("*.ann")):
                rel = ann.relative_to(p)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                out.append((ann, rel.parts[0] if len(rel.parts) > 1 else None))
        elif p.suffix == ".txt" and p.with_suffix(".ann").exists():
            out.append((p.with_suffix(".ann"), None))
        elif p.exists():
            out.append((p, None))
        else:
            raise InputError("no such file or folder", str(p))
    return out


def read_article(ann: Path, book: Codebook | None = None) -> ArticleRecord:
    txt = ann.with_suffix(".txt")
    if ann.suffix != ".ann" or not txt.exists():
        raise InputError("expected a brat .ann file with its .txt beside it", str(ann))
    raw = txt.read_bytes()
    if not raw.strip():
        raise InputError("empty text file", str(txt))
    text = decode_bytes(raw, str(txt))
    return parse_ann(ann, text, _read_meta(ann.with_name(ann.stem + ".meta.json")), book)


def import_paths(repo: Repository, paths: list[Path], progress: Progress | None = None,
                 annotator_name: str | None = None, extend_codebook: bool = False,
                 **_: Any) -> ImportReport:
    files = _collect(paths)
    book = repo.codebook()
    report = ImportReport(files=len(files))
    records: list[ArticleRecord] = []
    for i, (ann, who) in enumerate(files):
        tick(progress, i, len(files), f"reading {ann.name}")
        rec = read_article(ann, book)
        for s in rec.spans:
            s.annotator = who
        if rec.variables:
            rec.variables = {who: rec.variables[None]}
        records.append(rec)
    write_records(repo, records, report, annotator_name, progress,
                  prepare=lambda rec: resolve_register_actors(repo, rec),
                  extend_codebook=extend_codebook)
    return report
