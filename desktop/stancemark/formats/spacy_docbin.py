"""spaCy DocBin (`.spacy`): export only, behind the optional extra `spacy`.

One `Doc` per article, built on the tokenizer of `spacy.blank("xx")` (the language-neutral
pipeline, no model download) and then split further so that every annotation boundary is a
token boundary: spaCy spans are token ranges, and this way every span keeps its exact
character offsets. `doc.text` is the stored article text exactly.

Offsets: spaCy counts characters = Unicode code points, like Stancemark, so no conversion;
emoji and CJK keep their offsets (`span.start_char`, `span.end_char`).

Field mapping:
- `doc.spans["sc"]`: every annotation in scope, overlapping or not, in (start, end, uid)
  order; label `ACTOR`, `DATE` or `STANCE`, a custom kind's name; `span.id_` = annotation
  uid; `span.kb_id_` = the actor uid for actor mentions (entity-linking convention), the
  holder uid for stances.
- `doc.spans[<kind name>]`: the same spans, one key per span kind of the codebook used in
  the document (`actor`, `date`, `stance`, `frame`, ...), for spancat per kind.
- `doc.ents`: actor and date mentions only (labels `ACTOR`, `DATE`), made non-overlapping
  by spaCy's own rule (`spacy.util.filter_spans`): the longest span wins, ties go to the
  earliest. Identical spans from several annotators become one entity.
- `doc.user_data["stancemark"]`: `{"version", "article": {uid, title, source, url, author,
  published, language}, "annotations": [{uid, annotator, kind, start, end, quote, actor,
  date_value, date_granularity, holder, target_topic, target_actor, polarity, stance_date,
  note, attributes}], "actors": {uid: name}, "topics": {uid: name}, "annotators":
  {uid: name}, "variables": {annotator name: {variable name: value}}}`, with register uids resolved to names
  alongside. A custom kind's `kind` is its name; `attributes` (any kind) holds the
  attribute values by name, typed as formats.span_attributes says; "variables" the
  article variables. On import they are checked against the codebook: a kind, attribute
  or value it lacks is refused naming file and document, unless `extend_codebook`. Stance attributes live here (not in `Span._` extensions, which key on
  offsets and so collide when two annotators tag the same span). DocBin stores user data
  with msgpack: lists come back as tuples.

Import reads such a DocBin back (uids kept; actors and topics missing from the store are
created from their names, with kind "other"); from a DocBin made elsewhere (no
`stancemark` user data) it imports the texts only and says so in the report's notes.
Every document's user data is checked first (formats/spacy_user_data.py: a version
this code reads, each value of the type and shape the export writes, no unknown
fields, no annotation uid twice), and a file that is no DocBin at all is refused as
one: errors name the file and the document number (1-based) in place of a line, and
nothing is imported.

Loses: nothing of the annotations themselves, but actor kinds/aliases, topic descriptions,
statuses, trash and the audit history are not carried (use native JSONL).
"""

from __future__ import annotations

import bisect
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancemark.core.codebook import Codebook
from stancemark.core.errors import InputError, IntegrityError, StancemarkError
from stancemark.core.model import Annotation, Article
from stancemark.formats.common import (
    ExportReport,
    ImportReport,
    Progress,
    Scope,
    atomic_write,
    iter_files,
    tick,
)
from stancemark.formats.spacy_user_data import VERSION, checked_user_data

if TYPE_CHECKING:
    from stancemark.store.repository import Repository

SUFFIXES = (".spacy",)

LABELS = {"actor": "ACTOR", "date": "DATE", "stance": "STANCE"}
ENTITY_KINDS = ("actor", "date")


def _spacy() -> Any:
    try:
        import spacy
    except ImportError:
        raise StancemarkError("the spaCy export needs the optional extra: "
                              "pip install 'stancemark[spacy]'") from None
    return spacy


def _words(nlp: Any, text: str, starts: set[int], ends: set[int]) -> tuple[list[str], list[bool]]:
    """Tokenize, then split tokens at every span start and end, so that every
    annotation boundary falls between tokens."""
    cuts = starts | ends
    from spacy.attrs import IDX, LENGTH, SPACY

    # Token attributes as one array: walking Token objects costs ~10x more per article.
    rows = nlp.tokenizer(text).to_array([IDX, LENGTH, SPACY]).tolist()
    order = sorted(cuts)
    words: list[str] = []
    spaces: list[bool] = []
    for start, length, space in rows:
        end = start + length
        # A span starting at a token's trailing space or ending after it: the space
        # becomes a token of its own (spaCy spans are token ranges; trailing whitespace
        # belongs to no token).
        own_space = bool(space) and (end in starts or (end + 1) in ends)
        space = space and not own_space
        i = bisect.bisect_right(order, start)
        if i == len(order) or order[i] >= end:  # no cut inside this token
            words.append(text[start:end])
            spaces.append(bool(space))
            if own_space:
                words.append(text[end])
                spaces.append(False)
            continue
        bounds = [start]
        while i < len(order) and order[i] < end:
            bounds.append(order[i])
            i += 1
        bounds.append(end)
        for k in range(len(bounds) - 1):
            words.append(text[bounds[k]:bounds[k + 1]])
            spaces.append(bool(space) and k == len(bounds) - 2)
        if own_space:
            words.append(text[end])
            spaces.append(False)
    return words, spaces


def article_doc(nlp: Any, art: Article, anns: list[Annotation],
                actor_names: dict[str, str], topic_names: dict[str, str],
                book: Codebook | None = None) -> Any:
    """The spaCy Doc for one article with its annotations."""
    from stancemark.core.builtin_kinds import BUILTIN_KINDS
    from stancemark.formats.span_attributes import named_values

    book = book or Codebook(BUILTIN_KINDS)
    from spacy.tokens import Doc
    from spacy.util import filter_spans

    words, spaces = _words(nlp, art.text, {a.start for a in anns}, {a.end for a in anns})
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    if doc.text != art.text:  # a tokenizer bug would shift every offset: refuse, loudly
        raise StancemarkError(f"article {art.uid}: spaCy tokens do not rebuild the text")
    anns = sorted(anns, key=lambda a: (a.start, a.end, a.uid))
    spans = []
    for a in anns:
        kb = a.actor_uid if a.kind == "actor" else a.holder_uid if a.kind == "stance" else None
        label = LABELS.get(a.kind) or book.name(a.kind)
        span = doc.char_span(a.start, a.end, label=label, kb_id=kb or "", span_id=a.uid)
        if span is None:  # cannot happen: every boundary was cut into the tokens
            raise StancemarkError(f"annotation {a.uid}: span {a.start}-{a.end} not on tokens")
        spans.append(span)
    doc.spans["sc"] = spans
    for kind in book.kinds:
        mine = [s for s, a in zip(spans, anns, strict=True) if a.kind == kind.uid]
        if mine:
            doc.spans[kind.name] = mine
    doc.ents = filter_spans([s for s, a in zip(spans, anns, strict=True) if a.kind in ENTITY_KINDS])
    used_actors = {u for a in anns for u in (a.actor_uid, a.holder_uid, a.target_actor_uid) if u}
    used_topics = {a.target_topic_uid for a in anns if a.target_topic_uid}
    doc.user_data["stancemark"] = {
        "version": VERSION,
        "article": {"uid": art.uid, "title": art.title, "source": art.source, "url": art.url,
                    "author": art.author, "published": art.published, "language": art.language},
        "annotations": [{
            "uid": a.uid, "annotator": a.annotator_uid, "start": a.start,
            "end": a.end, "quote": a.quote, "actor": a.actor_uid, "date_value": a.date_value,
            "kind": book.name(a.kind) if a.kind not in LABELS else a.kind,
            "date_granularity": a.date_granularity, "holder": a.holder_uid,
            "target_topic": a.target_topic_uid, "target_actor": a.target_actor_uid,
            "polarity": a.polarity, "stance_date": a.stance_date, "note": a.note,
            **({"attributes": named_values(book, a.attributes)} if a.attributes else {}),
        } for a in anns],
        "actors": {u: actor_names.get(u, "") for u in sorted(used_actors)},
        "topics": {u: topic_names.get(u, "") for u in sorted(used_topics)},
    }
    return doc


def export(repo: Repository, out: Path, scope: Scope | None = None,
           progress: Progress | None = None) -> ExportReport:
    spacy = _spacy()
    from spacy.tokens import DocBin

    scope = scope or Scope()
    nlp = spacy.blank("xx")
    actor_names = {a.uid: a.name for a in repo.list_actors(include_deleted=True)}
    topic_names = {t.uid: t.name for t in repo.list_topics(include_deleted=True)}
    annotator_names = {a.uid: a.name for a in repo.list_annotators()}
    report = ExportReport(Path(out))
    docbin = DocBin(attrs=["ORTH", "SPACY", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID"],
                    store_user_data=True)
    book = repo.codebook()
    from stancemark.formats.span_attributes import all_variables, named_values

    variables = all_variables(repo, scope.articles(repo), scope.annotator_uids(repo))
    for art, anns in scope.iter(repo, progress):
        doc = article_doc(nlp, art, anns, actor_names, topic_names, book)
        doc.user_data["stancemark"]["annotators"] = {
            u: annotator_names.get(u, "") for u in sorted({a.annotator_uid for a in anns})}
        if art.uid in variables:
            doc.user_data["stancemark"]["variables"] = {
                annotator_names.get(u, u): named_values(book, v)
                for u, v in sorted(variables[art.uid].items())}
        docbin.add(doc)
        report.articles += 1
        report.annotations += len(anns)
    with atomic_write(Path(out), "wb") as fh:
        fh.write(docbin.to_bytes())
    return report


# ---------------------------------------------------------------------- import

MAX_UNPACKED = 512 * 1024 * 1024  # a DocBin is zlib data: refuse more than this unpacked


def _refuse_bombs(path: Path, where: str) -> None:
    """DocBin.from_disk inflates the whole file in memory: a 2 MB file of zeros would
    take 4 GB. Inflate in bounded steps first, keeping nothing, and refuse big ones."""
    import zlib

    inflate = zlib.decompressobj()
    total = 0
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                data = chunk
                while data:
                    total += len(inflate.decompress(data, 1 << 24))
                    if total > MAX_UNPACKED:
                        raise InputError(f"unpacks to more than {MAX_UNPACKED >> 20} MB", where)
                    data = inflate.unconsumed_tail
    except zlib.error:
        return  # not zlib data: DocBin says what is wrong with it


def _read_docbin(path: Path) -> list[tuple[int, str, dict[str, Any] | None]]:
    """(document number, text, checked stancemark data or None) for each doc."""
    spacy = _spacy()
    from spacy.tokens import DocBin

    where = str(path)
    _refuse_bombs(path, where)
    try:
        docs = list(DocBin().from_disk(path).get_docs(spacy.blank("xx").vocab))
    except Exception as exc:  # msgpack/zlib/spaCy raise many types for a broken file
        raise InputError(f"not a spaCy DocBin ({type(exc).__name__})", where) from None
    out = []
    seen: dict[str, int] = {}
    for n, doc in enumerate(docs, 1):
        if not doc.text.strip():
            raise InputError("empty document text", where, n)
        # `.get(...) or {}` would take the truth value of whatever msgpack gave (a
        # numpy array's raises): only an absent key or None means a foreign DocBin.
        data = doc.user_data.get("stancemark")
        if data is not None:
            data = checked_user_data(data, doc.text, where, n, seen)
        out.append((n, doc.text, data))
    return out


def import_paths(repo: Repository, paths: list[Path], progress: Progress | None = None,
                 extend_codebook: bool = False, **_: Any) -> ImportReport:
    from stancemark.formats.span_attributes import CodebookCheck

    files = iter_files(paths, SUFFIXES)
    parsed = [(f, _read_docbin(f)) for f in files]  # everything read and checked first
    report = ImportReport(files=len(files))
    total = sum(len(docs) for _, docs in parsed)
    done = 0
    known: dict[str, Any] = {"actors": set(), "topics": set(), "annotators": {}}
    with repo.tx():
        check = CodebookCheck(repo, extend_codebook, report.notes)
        for f, docs in parsed:
            texts_only = 0
            for n, text, data in docs:
                tick(progress, done, total, f"importing {f.name}")
                done += 1
                try:
                    texts_only += _store_doc(repo, text, data, report, known,
                                             partial(_checked, check, where=str(f), n=n))
                except IntegrityError as exc:
                    raise InputError(str(exc), str(f), n) from None
            if texts_only:
                report.notes.append(f"{f}: {texts_only} document(s) without Stancemark data: "
                                    "texts imported, spans not")
    tick(progress, total, total, "done")
    return report


def _checked(check: Any, kind: str | None, values: Any, *, where: str, n: int
             ) -> tuple[str | None, dict[str, Any]]:
    """(kind uid, stored values) of an annotation (kind None: article variables); the
    values' shape is checked already (checked_user_data)."""
    uid = check.kind(kind, where, n) if kind is not None else None
    return uid, check.values(uid, values, where, n)


def _store_doc(repo: Repository, text: str, data: dict[str, Any] | None, report: ImportReport,
               known: dict[str, Any], checked: Any) -> int:
    """Store one document (its user data as checked_user_data gives it); `known`
    caches register entries already checked, since every document repeats the names
    of the actors and topics it uses."""
    art_fields = data["article"] if data else {}
    art, added = repo.add_article(
        text, art_fields.get("title") or "", source=art_fields.get("source") or "",
        url=art_fields.get("url") or "", author=art_fields.get("author") or "",
        published=art_fields.get("published") or "", language=art_fields.get("language") or "",
        uid=art_fields.get("uid"))
    report.articles_added += added
    report.articles_skipped += not added
    if data is None:
        return 1
    for uid, name in data["actors"].items():
        if uid not in known["actors"] and repo.get_actor(uid) is None:
            repo.add_actor(name or uid, "other", uid=uid)
            report.actors_added += 1
        known["actors"].add(uid)
    for uid, name in data["topics"].items():
        if uid not in known["topics"] and repo.get_topic(uid) is None:
            repo.add_topic(name or uid, uid=uid)
            report.topics_added += 1
        known["topics"].add(uid)
    mapped: dict[str, str] = known["annotators"]
    for uid, name in data["annotators"].items():
        if uid not in mapped:
            existed = repo.annotator_by_name(name or uid)
            mapped[uid] = repo.ensure_annotator(name or uid, uid=uid).uid
            report.annotators_added += existed is None
    for name, raw in data["variables"].items():
        _, values = checked(None, raw)
        who = repo.ensure_annotator(name).uid
        if values and not repo.article_variables(art.uid, who):
            repo.set_article_variables(art.uid, values, who)
    for a in data["annotations"]:
        if repo.get_annotation(a["uid"]) is not None:
            report.annotations_skipped += 1
            continue
        kind, attributes = checked(a["kind"], a["attributes"])
        repo.add_annotation(Annotation(
            a["uid"], art.uid, mapped.get(a["annotator"] or "", repo.annotator.uid),
            kind, a["start"], a["end"], a["quote"], attributes=attributes, actor_uid=a["actor"],
            date_value=a["date_value"], date_granularity=a["date_granularity"],
            holder_uid=a["holder"], target_topic_uid=a["target_topic"],
            target_actor_uid=a["target_actor"], polarity=a["polarity"],
            stance_date=a["stance_date"], note=a["note"] or ""))
        report.annotations_added += 1
    return 0
