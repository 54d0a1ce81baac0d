"""What the span-based exchange formats (doccano, brat, CoNLL, Label Studio, CSV) share.

Label scheme, used wherever a format has a single label string per span:

    ACTOR:<actor name>     an actor mention, linked to the register entry of that name
    DATE                   a date expression (its ISO value travels beside, see `details`)
    STANCE:<polarity>      a stance span: support, oppose or neutral
    <kind name>            a span of a custom kind of the codebook (its attributes travel
                           beside, see formats.span_attributes)

`details` gives the attributes a label cannot hold (date value and granularity; stance
holder, target topic or actor, stance date, note) as a small JSON-ready dict, so the
formats with a place for metadata keep them.

Importers parse files into `ArticleRecord`s holding `SpanRecord`s with names (and uids
where the format carries them), validate every record with `validate` (offsets are code
points into the LF-normalised text), and only then call `write_records`, which writes
everything inside one transaction: actors and topics are found by uid, then by exact
name, else created; an article whose text is already stored receives the spans; a span
equal to one already stored for the same annotator is skipped.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator, Sized
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancemark.core.attribute_values import values_json
from stancemark.core.builtin_kinds import BUILTIN_KIND_UIDS
from stancemark.core.dates import (
    granularity_of,
    granularity_problem,
    is_future,
    is_iso_value,
    needs_reference,
    normalise_date,
)
from stancemark.core.errors import InputError, StancemarkError
from stancemark.core.model import POLARITIES, Annotation, new_uid, now_iso
from stancemark.core.text import check_span
from stancemark.formats.common import ImportReport, Progress, iter_files, tick
from stancemark.store.bulk import bulk_load

if TYPE_CHECKING:
    from stancemark.formats.span_attributes import CodebookCheck
    from stancemark.store.repository import Repository

DETAIL_KEYS = ("date_value", "date_granularity", "holder", "target_topic", "target_actor",
               "stance_date", "note")


@dataclass
class SpanRecord:
    kind: str
    start: int
    end: int
    line: int | None = None
    uid: str | None = None
    annotator: str | None = None
    actor: str | None = None
    actor_uid: str | None = None
    date_value: str | None = None
    date_granularity: str | None = None
    holder: str | None = None
    holder_uid: str | None = None
    target_topic: str | None = None
    target_topic_uid: str | None = None
    target_actor: str | None = None
    target_actor_uid: str | None = None
    polarity: str | None = None
    stance_date: str | None = None
    note: str = ""
    created_at: str = ""
    updated_at: str = ""
    # {attribute name (or uid): typed value or text}, mapped onto the codebook when
    # written (formats.span_attributes)
    attributes: dict[str, Any] = field(default_factory=dict)
    where: str | None = None  # its file, when not the article's (CSV's annotations.csv)
    actor_from_text: bool = False  # actor named by the span's text, not by the file
    # A stance's holder / target actor given as an actor mention of the file (brat's event
    # arguments): they follow that mention's actor, once it is resolved.
    holder_mention: SpanRecord | None = field(default=None, repr=False, compare=False)
    target_mention: SpanRecord | None = field(default=None, repr=False, compare=False)


def resolve_register_actors(repo: Repository, rec: ArticleRecord) -> None:
    """Actor mentions named only by their text: the register's actor with that name or
    alias (when exactly one), as a mention tagged in the window would be; then stances
    whose holder or target is such a mention follow it."""
    for s in rec.spans:
        if s.actor_from_text and s.actor:
            found = repo.actors_by_alias(s.actor)
            if len(found) == 1:
                s.actor, s.actor_uid = found[0].name, found[0].uid
    for s in rec.spans:
        if s.holder_mention is not None:
            s.holder, s.holder_uid = s.holder_mention.actor, s.holder_mention.actor_uid
        if s.target_mention is not None:
            s.target_actor, s.target_actor_uid = (s.target_mention.actor,
                                                  s.target_mention.actor_uid)


@dataclass
class ArticleRecord:
    text: str
    where: str
    line: int | None = None
    uid: str | None = None
    title: str = ""
    source: str = ""
    url: str = ""
    author: str = ""
    published: str = ""
    language: str = ""
    added_at: str | None = None
    spans: list[SpanRecord] = field(default_factory=list)
    # {annotator name (None: the import's annotator): {variable name: value}}
    variables: dict[str | None, dict[str, Any]] = field(default_factory=dict)
    variables_where: str | None = None  # the file holding them, when not `where`


class Names:
    """uid -> name of every actor and topic (including trashed ones), and the codebook,
    for exports."""

    def __init__(self, repo: Repository):
        self.actors = {a.uid: a.name for a in repo.list_actors(include_deleted=True)}
        self.topics = {t.uid: t.name for t in repo.list_topics(include_deleted=True)}
        self.book = repo.codebook()

    def attributes(self, a: Annotation, text: bool = False) -> dict[str, Any]:
        """{attribute name: value} of an annotation (formats.span_attributes)."""
        from stancemark.formats.span_attributes import named_values

        return named_values(self.book, a.attributes, text=text)

    def actor(self, uid: str | None) -> str | None:
        return self.actors.get(uid) if uid else None

    def topic(self, uid: str | None) -> str | None:
        return self.topics.get(uid) if uid else None


def label_of(a: Annotation, names: Names) -> str:
    if a.kind == "actor":
        return f"ACTOR:{names.actor(a.actor_uid)}"
    if a.kind == "date":
        return "DATE"
    if a.kind == "stance":
        return f"STANCE:{a.polarity}"
    return names.book.name(a.kind)


def parse_label(label: Any) -> tuple[str, str]:
    """Label -> (kind, value): ("actor", name), ("date", ""), ("stance", polarity), or
    (label, "") for any other label: a custom kind's name, checked against the codebook
    when written."""
    if not isinstance(label, str):
        raise ValueError(f"label {label!r} is not text")
    if not label.strip():
        raise ValueError("empty label")
    head, _, value = label.partition(":")
    kind = head.strip().lower()
    if kind == "actor" and value.strip():
        return "actor", value.strip()
    if kind == "date" and not value:
        return "date", ""
    if kind == "stance" and value.strip() in POLARITIES:
        return "stance", value.strip()
    if kind in BUILTIN_KIND_UIDS:
        raise ValueError(f"unknown label {label!r} (use ACTOR:<name>, DATE or STANCE:<polarity>)")
    return label.strip(), ""


def span_from_label(label: Any, start: Any, end: Any, line: int | None) -> SpanRecord:
    kind, value = parse_label(label)
    span = SpanRecord(kind, start, end, line)
    if kind == "actor":
        span.actor = value
    elif kind == "stance":
        span.polarity = value
    return span


def details(a: Annotation, names: Names) -> dict[str, Any]:
    """Attributes a label does not carry; empty values left out."""
    d: dict[str, Any] = {}
    if a.kind == "date":
        d = {"date_value": a.date_value, "date_granularity": a.date_granularity}
    elif a.kind == "stance":
        d = {"holder": names.actor(a.holder_uid), "target_topic": names.topic(a.target_topic_uid),
             "target_actor": names.actor(a.target_actor_uid), "stance_date": a.stance_date}
    if a.note:
        d["note"] = a.note
    return {k: v for k, v in d.items() if v}


def apply_details(span: SpanRecord, d: Any, where: str, line: int | None) -> None:
    if d is None:
        return
    if not isinstance(d, dict):
        raise InputError("span details must be an object", where, line)
    for key, value in d.items():
        if key == "attributes":  # {attribute name: typed value} (formats.span_attributes)
            if not isinstance(value, dict):
                raise InputError("span detail 'attributes' must be an object", where, line)
            span.attributes = value
            continue
        if key not in DETAIL_KEYS:
            raise InputError(f"unknown span detail {key!r}", where, line)
        if value is not None and not isinstance(value, str):
            raise InputError(f"span detail {key!r} must be text", where, line)
        setattr(span, key, value or ("" if key == "note" else None))


class MentionIndex:
    """Actor mentions of one article by actor, sorted, to find the mention a stance's
    relation starts at (holder) or points to (target) with a binary search."""

    def __init__(self, anns: list[Annotation]):
        # keyed by actor_uid, which every actor mention has (validated when stored)
        self._by_actor: dict[str | None, list[Annotation]] = {}
        for a in sorted(anns, key=lambda a: (a.start, a.end)):
            if a.kind == "actor":
                self._by_actor.setdefault(a.actor_uid, []).append(a)
        self._starts = {k: [a.start for a in v] for k, v in self._by_actor.items()}

    def nearest(self, actor_uid: str | None, stance: Annotation) -> Annotation | None:
        """The mention nearest the stance: overlapping it, else the closest before it,
        else the closest after it; ties go to the earlier mention."""
        mentions = self._by_actor.get(actor_uid or "")
        if not mentions:
            return None
        starts = self._starts[actor_uid]
        lo = max(0, bisect.bisect_left(starts, stance.start) - 2)
        hi = min(len(mentions), bisect.bisect_left(starts, stance.end) + 1)

        def distance(m: Annotation) -> tuple[int, int, int]:
            if m.end <= stance.start:
                return (stance.start - m.end, 0, m.start)
            if m.start >= stance.end:
                return (m.start - stance.end, 1, m.start)
            return (0, 0, m.start)

        return min(mentions[lo:hi], key=distance)

    def stance_relations(self, anns: list[Annotation]
                         ) -> Iterator[tuple[Annotation, Annotation, str | None]]:
        """(source, destination, type) of the binary relations the span formats write
        for each stance in `anns`: holder mention -> stance typed by the polarity, and
        stance -> target actor mention typed "target" (doccano, Label Studio)."""
        for a in anns:
            if a.kind != "stance":
                continue
            holder = self.nearest(a.holder_uid, a)
            if holder is not None:
                yield holder, a, a.polarity
            target = self.nearest(a.target_actor_uid, a)
            if target is not None:
                yield a, target, "target"


def sort_key(a: Annotation, names: Names) -> tuple:
    """A content order (not uids, which differ between stores) so exports are stable."""
    return (a.start, a.end, a.kind, label_of(a, names), sorted(details(a, names).items()),
            values_json(a.attributes))


def validate(art: ArticleRecord) -> None:
    """Check an article and its spans before anything is written; InputError otherwise."""
    where = art.where
    if not isinstance(art.text, str) or not art.text.strip():
        raise InputError("article text is empty", where, art.line)
    for s in art.spans:
        line = s.line if s.line is not None else art.line
        if not isinstance(s.kind, str) or not s.kind.strip():
            raise InputError(f"unknown annotation kind {s.kind!r}", where, line)
        problem = check_span(art.text, s.start, s.end)
        if problem:
            raise InputError(f"{s.kind} span: {problem}", where, line)
        quote = art.text[s.start:s.end]
        if s.kind == "actor" and not (s.actor or s.actor_uid):
            raise InputError(f"actor span {quote!r} names no actor", where, line)
        if s.kind == "date":
            if not s.date_value:
                found = normalise_date(quote, art.published or None,
                                       is_future(art.text, s.start, s.end))
                if found is None and not art.published and needs_reference(quote):
                    raise InputError(f"cannot normalise date {quote!r}: the article has no date; "
                                     "give its ISO value", where, line)
                if found is None:
                    raise InputError(f"cannot normalise date {quote!r}; give its ISO value", where, line)
                s.date_value, s.date_granularity = found
            if not is_iso_value(s.date_value):
                raise InputError(f"date value {s.date_value!r} is not ISO 8601", where, line)
            s.date_granularity = s.date_granularity or granularity_of(s.date_value)
            problem = granularity_problem(s.date_value, s.date_granularity)
            if problem:
                raise InputError(f"date {quote!r}: {problem}", where, line)
        if s.kind == "stance" and s.polarity not in POLARITIES:
            raise InputError(f"unknown polarity {s.polarity!r} (support, oppose, neutral)", where, line)
        if (s.target_topic or s.target_topic_uid) and (s.target_actor or s.target_actor_uid):
            raise InputError("a stance targets a topic or an actor, not both", where, line)
        if s.stance_date and not is_iso_value(s.stance_date):
            raise InputError(f"stance date {s.stance_date!r} is not ISO 8601", where, line)


class _Resolver:
    """Finds or creates register entries by uid, then by name, inside the import."""

    def __init__(self, repo: Repository, report: ImportReport):
        self.repo = repo
        self.report = report
        self.actors: dict[str, str] = {}
        self.topics: dict[str, str] = {}
        self.known: set[str] = set()  # actor and topic uids already seen in the store
        live = repo.list_actors()
        for a in sorted(live, key=lambda a: a.uid):
            self.actors.setdefault(a.name, a.uid)
        for t in repo.list_topics():
            self.topics.setdefault(t.name, t.uid)

    def actor(self, name: str | None, uid: str | None) -> str | None:
        if uid and (uid in self.known or self.repo.get_actor(uid) is not None):
            self.known.add(uid)
            return uid
        if not name:
            if uid:
                raise StancemarkError(f"unknown actor {uid} and no name to create it")
            return None
        if name not in self.actors:
            self.actors[name] = self.repo.add_actor(name, "other", uid=uid or None).uid
            self.report.actors_added += 1
        return self.actors[name]

    def topic(self, name: str | None, uid: str | None) -> str | None:
        if uid and (uid in self.known or self.repo.get_topic(uid) is not None):
            self.known.add(uid)
            return uid
        if not name:
            if uid:
                raise StancemarkError(f"unknown topic {uid} and no name to create it")
            return None
        if name not in self.topics:
            self.topics[name] = self.repo.add_topic(name, uid=uid or None).uid
            self.report.topics_added += 1
        return self.topics[name]


def _content_key(a: Annotation) -> tuple:
    return (a.kind, a.start, a.end, a.actor_uid, a.date_value, a.holder_uid, a.target_topic_uid,
            a.target_actor_uid, a.polarity, a.stance_date, values_json(a.attributes))


class Records:
    """The records of every file, read again each time they are iterated: a first pass
    validates them all (so a bad line imports nothing and leaves the store's bytes as
    they were), the writing pass reads them once more. Only one record is in memory at a
    time, whatever the files' sizes (JSONL and CoNLL readers stream, formats.lines)."""

    def __init__(self, files: list[Path], read_file: Callable[[Path], Iterable[ArticleRecord]],
                 progress: Progress | None = None):
        self.files = files
        self.read_file = read_file
        self.progress = progress
        self.count = 0

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[ArticleRecord]:
        for f in self.files:
            yield from self.read_file(f)

    def validate(self) -> Records:
        self.count = 0
        for i, f in enumerate(self.files):
            tick(self.progress, i, len(self.files), f"reading {f.name}")
            for _ in self.read_file(f):
                self.count += 1
        return self


def read_span_files(paths: list[Path], suffixes: tuple[str, ...],
                    read_file: Callable[[Path], Iterable[ArticleRecord]],
                    progress: Progress | None = None) -> tuple[int, Records]:
    """(number of files, their records): every file under `paths` parsed and validated
    by `read_file` before anything is written, so a bad line imports nothing."""
    files = iter_files(paths, suffixes)
    return len(files), Records(files, read_file, progress).validate()


# Annotations are written in batches of this many (one executemany each), so that a
# file's size never decides how many are held in memory.
ANNOTATION_BATCH = 5_000


def write_records(repo: Repository, articles: Iterable[ArticleRecord], report: ImportReport,
                  annotator_name: str | None = None, progress: Progress | None = None,
                  prepare: Callable[[ArticleRecord], None] | None = None,
                  extend_codebook: bool = False) -> None:
    """Write validated records in one transaction (see the module docstring);
    `prepare(record)` runs on each just before it is written. Kinds, attributes and
    values are checked against the codebook (extended with `extend_codebook`:
    formats.span_attributes)."""
    from stancemark.formats.span_attributes import CodebookCheck

    total = len(articles) if isinstance(articles, Sized) else 0
    with repo.tx():
        default_annotator = (repo.ensure_annotator(annotator_name).uid if annotator_name
                             else repo.annotator.uid)
        known_annotators = {a.name: a.uid for a in repo.list_annotators()}
        resolve = _Resolver(repo, report)
        check = CodebookCheck(repo, extend_codebook, report.notes)
        new: list[Annotation] = []
        i = 0
        for i, rec in enumerate(articles):
            tick(progress, i, total, "storing")
            if prepare is not None:
                prepare(rec)
            try:
                new += _write_article(repo, rec, report, default_annotator, known_annotators,
                                      resolve, check)
            except StancemarkError as exc:
                if isinstance(exc, InputError):
                    raise
                raise InputError(str(exc), rec.where, rec.line) from None
            if len(new) >= ANNOTATION_BATCH:
                _load(repo, new, rec.where, report)
        # One executemany per batch of spans: a 1 MB article with 20,000 spans would
        # otherwise pay a text fetch and a trigger scan of the text per insert.
        if new:
            _load(repo, new, rec.where, report)
        tick(progress, total or i, total or i, "done")


def _load(repo: Repository, new: list[Annotation], where: str, report: ImportReport) -> None:
    try:
        bulk_load(repo, annotations=new)
    except StancemarkError as exc:
        raise InputError(str(exc), where) from None
    report.annotations_added += len(new)
    new.clear()


def _annotator(repo: Repository, name: str | None, default: str, known: dict[str, str],
               report: ImportReport) -> str:
    if not name:
        return default
    if name not in known:
        known[name] = repo.ensure_annotator(name).uid
        report.annotators_added += 1
    return known[name]


def _write_article(repo: Repository, rec: ArticleRecord, report: ImportReport, default_annotator: str,
                   known_annotators: dict[str, str], resolve: _Resolver,
                   check: CodebookCheck) -> list[Annotation]:
    """Add the article (or find it by its text) and return its new annotations."""
    uid = rec.uid if rec.uid and repo.get_article(rec.uid) is None else None
    art, added = repo.add_article(rec.text, rec.title, source=rec.source, url=rec.url,
                                  author=rec.author, published=rec.published,
                                  language=rec.language, uid=uid, added_at=rec.added_at or None)
    if added:
        report.articles_added += 1
    else:
        report.articles_skipped += 1
    existing: dict[str, set[tuple]] = {}
    out: list[Annotation] = []
    stamp = now_iso()
    for who, raw in rec.variables.items():
        ann_uid = _annotator(repo, who, default_annotator, known_annotators, report)
        values = check.values(None, raw, rec.variables_where or rec.where,
                              None if rec.variables_where else rec.line)
        if values and not repo.article_variables(art.uid, ann_uid):
            repo.set_article_variables(art.uid, values, ann_uid)
    for s in rec.spans:
        ann_uid = _annotator(repo, s.annotator, default_annotator, known_annotators, report)
        line = s.line if s.line is not None else rec.line
        where = s.where or rec.where
        kind = check.kind(s.kind, where, line)
        attributes = check.values(kind, s.attributes, where, line)
        if ann_uid not in existing:
            existing[ann_uid] = {_content_key(a) for a in repo.list_annotations(art.uid, [ann_uid])}
        if s.uid and repo.get_annotation(s.uid) is not None:
            report.annotations_skipped += 1
            continue
        a = Annotation(
            s.uid or new_uid(), art.uid, ann_uid, kind, s.start, s.end, art.text[s.start:s.end],
            actor_uid=resolve.actor(s.actor, s.actor_uid) if s.kind == "actor" else None,
            date_value=s.date_value if s.kind == "date" else None,
            date_granularity=s.date_granularity if s.kind == "date" else None,
            holder_uid=resolve.actor(s.holder, s.holder_uid),
            target_topic_uid=resolve.topic(s.target_topic, s.target_topic_uid),
            target_actor_uid=resolve.actor(s.target_actor, s.target_actor_uid),
            polarity=s.polarity if s.kind == "stance" else None,
            stance_date=s.stance_date, note=s.note or "", created_at=s.created_at or stamp,
            updated_at=s.updated_at or stamp, attributes=attributes)
        if _content_key(a) in existing[ann_uid]:
            report.annotations_skipped += 1
            continue
        out.append(a)
    return out


def read_jsonl(path: Any) -> Iterator[tuple[int, Any]]:
    """(line number, parsed value) for each non-blank line, one line in memory at a time
    (formats.lines); InputError on bad JSON or UTF-8, or a line over the record limit."""
    from stancemark.formats.lines import json_lines

    where = str(path)
    seen = False
    for n, value in json_lines(path, where):
        seen = True
        yield n, value
    if not seen:
        raise InputError("no records", where)


def text_field(rec: dict, key: str, where: str, line: int | None) -> str:
    """An optional text field of a record ("" when missing)."""
    value = rec.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"field {key!r} must be text", where, line)
    return value


def int_field(value: Any, what: str, where: str, line: int | None) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InputError(f"{what} must be an integer, not {value!r}"[:120], where, line)
    return value


def read_json_list(path: Any) -> list[tuple[int, Any]]:
    """A JSON file holding a list: (line where the item starts, item) for each item,
    so an error in any item can name its line."""
    import json

    where = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", where) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", where) from None
    decoder = json.JSONDecoder()
    i = _skip_space(text, 0)
    if i >= len(text) or text[i] != "[":
        raise InputError("expected a JSON list of tasks", where, text.count("\n", 0, i) + 1)
    i = _skip_space(text, i + 1)
    out: list[tuple[int, Any]] = []
    while True:
        line = text.count("\n", 0, i) + 1
        if i < len(text) and text[i] == "]" and not out:
            i += 1
            break
        try:
            item, i = decoder.raw_decode(text, i)
        except (ValueError, RecursionError) as exc:
            raise InputError(f"not valid JSON ({str(exc).split(':')[0][:80]})", where, line) from None
        out.append((line, item))
        i = _skip_space(text, i)
        if i < len(text) and text[i] == ",":
            i = _skip_space(text, i + 1)
            continue
        if i < len(text) and text[i] == "]":
            i += 1
            break
        raise InputError("expected ',' or ']' after a list item", where, text.count("\n", 0, i) + 1)
    if text[i:].strip():
        raise InputError("extra data after the list", where, text.count("\n", 0, i) + 1)
    return out


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i
