"""REFI-QDA project (`.qdpx`): the exchange standard NVivo, MAXQDA, ATLAS.ti and QualCoder
import. Export and import.

A `.qdpx` is a zip holding `project.qde` (XML, namespace `urn:QDA-XML:project:1.0`, the
REFI-QDA Project schema of 2019) and `sources/` with one UTF-8 text file per article.

Field mapping (export):
- `Users/User`: each annotator in scope (guid = annotator uid, name).
- `CodeBook/Codes`: four groups that cannot be coded themselves (`isCodable="false"`):
  "Actors" (one code per register actor, guid = actor uid), "Topics" (guid = topic uid),
  "Kinds" (actor, date, stance) and "Polarity" (support, oppose, neutral); the group and
  kind/polarity guids are fixed uuid5 values, so every export names them the same way.
- `Sources/TextSource`: one per article, guid = article uid, name = title,
  `plainTextPath="internal://<uid>.txt"` (the text in `sources/<uid>.txt`).
- `PlainTextSelection`: one per annotation, guid = annotation uid, name = quote,
  `startPosition`/`endPosition` = Unicode code points, end-exclusive (the standard counts
  characters), `creatingUser` = annotator uid, `creationDateTime` / `modifiedDateTime`.
  Its `Coding`s point at the kind code, the actor (mentions), the holder, the target topic
  or actor and the polarity (stances).
- Descriptions (of actor and topic codes, sources and selections) hold a readable line and
  a last line `stancemark: {json}` with the fields the codes cannot carry (actor kind,
  country, aliases; article source, url, author, date, language; date values, which
  coded actor is holder and which target, stance date, note). QDA tools show and keep it.

Codebook (formats/refi_qda_codebook.py): custom span kinds are codes of the "Kinds"
group (in the kind's colour); each choice attribute is a group under "Attributes"
("<kind>: <attribute>") whose values are codes, and a selection is coded with the values
chosen (several for a multiple choice). A selection's `stancemark:` line holds its kind
(a custom kind by name) and every attribute value by name, typed as
formats.span_attributes says; yes/no, numbers, text and dates have no code (the schema's
codes carry no values). Article variables are project `Variables` (typeOfVariable Text,
Boolean, Integer, Float or Date; a choice as its value names) with a `VariableValue` on
each text source when one annotator set them (QDA tools show those), and all of them by
annotator in the source's `stancemark:` line, which the import reads.

Import reads our own projects back losslessly (uids kept). From other tools' projects it
imports the text sources and users; a selection comes in only if its codings use our code
system (an "Actors" code: an actor mention), the others are counted in the report's notes.
Zip entries with absolute or `..` paths are refused, as are external sources
(`absolute://`, `relative://`). XML is parsed with defusedxml. Source texts with CRLF are
normalised to LF and selection positions shifted to match.

Loses: statuses, trash, the audit history, actor kinds/aliases only survive through the
`stancemark:` description line (a tool that rewrites descriptions drops them).
"""

from __future__ import annotations

import json
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from stancemark import __version__
from stancemark.core.builtin_kinds import BUILTIN_KIND_UIDS
from stancemark.core.errors import InputError, IntegrityError
from stancemark.core.model import POLARITIES, Annotation
from stancemark.core.newlines import NewlineMap
from stancemark.core.text import check_span
from stancemark.formats.common import (
    ExportReport,
    ImportReport,
    Progress,
    Scope,
    atomic_write,
    decode_bytes,
    iter_files,
    parse_xml,
    tick,
)
from stancemark.formats.refi_qda_codebook import (
    codebook_codes,
    project_variables,
    source_variables,
    value_codes,
)
from stancemark.formats.span_attributes import all_variables, named_values

if TYPE_CHECKING:
    from stancemark.store.repository import Repository

NS = "urn:QDA-XML:project:1.0"
SUFFIXES = (".qdpx",)
_Q = f"{{{NS}}}"
_NAMESPACE = uuid.UUID("0b6f2c4e-8d53-4a7e-9f1e-5a2c3d4b6e70")
MARK = "stancemark: "
MAX_UNPACKED = 512 * 1024 * 1024  # refuse zip bombs


def fixed_guid(name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, name))


_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def guid(uid: str) -> str:
    """The schema wants GUIDs; Stancemark uids are uuids, but one imported from elsewhere
    may not be: such a uid is replaced by a stable uuid5 of itself."""
    return uid if _GUID.match(uid) else fixed_guid("uid:" + uid)


GROUPS = {g: fixed_guid("group:" + g) for g in ("Actors", "Topics", "Kinds", "Polarity")}
KIND_CODES = {k: fixed_guid("kind:" + k) for k in BUILTIN_KIND_UIDS}
POLARITY_CODES = {p: fixed_guid("polarity:" + p) for p in POLARITIES}


def _opt(uid: str | None) -> str | None:
    return guid(uid) if uid else None


def _describe(parent: ET.Element, line: str, data: dict[str, Any]) -> None:
    data = {k: v for k, v in data.items() if v not in (None, "", [], {})}
    text = line + ("\n" + MARK + json.dumps(data, ensure_ascii=False, sort_keys=True)
                   if data else "")
    if text:
        ET.SubElement(parent, "Description").text = text


def _code(parent: ET.Element, code_guid: str, name: str, codable: bool = True) -> ET.Element:
    return ET.SubElement(parent, "Code", guid=guid(code_guid), name=name,
                         isCodable="true" if codable else "false")


def _coding(sel: ET.Element, ann: Annotation, target: str) -> None:
    c = ET.SubElement(sel, "Coding", guid=fixed_guid(f"coding:{ann.uid}:{target}"),
                      creatingUser=guid(ann.annotator_uid))
    if ann.created_at:
        c.set("creationDateTime", ann.created_at)
    ET.SubElement(c, "CodeRef", targetGUID=guid(target))


def build_project(repo: Repository, arts: list[tuple[Any, list[Annotation]]]) -> ET.Element:
    actors = repo.list_actors(include_deleted=True)
    topics = repo.list_topics(include_deleted=True)
    names = {a.uid: a.name for a in actors} | {t.uid: t.name for t in topics}
    root = ET.Element("Project", xmlns=NS, name="Stancemark export",
                      origin=f"Stancemark {__version__}")
    variables = all_variables(repo, [art.uid for art, _ in arts], None)
    used = {a.annotator_uid for _, anns in arts for a in anns}
    used |= {w for v in variables.values() for w in v}
    users = [u for u in repo.list_annotators() if u.uid in used]
    if users:
        el = ET.SubElement(root, "Users")
        for u in sorted(users, key=lambda u: u.uid):
            ET.SubElement(el, "User", guid=guid(u.uid), name=u.name)
    codes = ET.SubElement(ET.SubElement(root, "CodeBook"), "Codes")
    group = _code(codes, GROUPS["Actors"], "Actors", False)
    for actor in sorted(actors, key=lambda a: a.uid):
        c = _code(group, actor.uid, actor.name)
        _describe(c, actor.description, {"kind": actor.kind, "country": actor.country,
                                         "aliases": list(actor.aliases),
                                         "description": actor.description,
                                         "deleted_at": actor.deleted_at})
    group = _code(codes, GROUPS["Topics"], "Topics", False)
    for t in sorted(topics, key=lambda t: t.uid):
        c = _code(group, t.uid, t.name)
        _describe(c, t.description, {"description": t.description, "deleted_at": t.deleted_at})
    group = _code(codes, GROUPS["Kinds"], "Kinds", False)
    for k, code in KIND_CODES.items():
        _code(group, code, k)
    book = repo.codebook()
    kind_code = dict(KIND_CODES) | codebook_codes(book, group, codes, _code)
    group = _code(codes, GROUPS["Polarity"], "Polarity", False)
    for p, code in POLARITY_CODES.items():
        _code(group, code, p)
    project_variables(root, book)
    sources = ET.SubElement(root, "Sources")
    for art, anns in arts:
        src = ET.SubElement(sources, "TextSource", guid=guid(art.uid), name=art.title or art.uid,
                            plainTextPath=f"internal://{guid(art.uid)}.txt")
        _describe(src, " · ".join(x for x in (art.source, art.published, art.url) if x),
                  {"source": art.source, "url": art.url, "author": art.author,
                   "published": art.published, "language": art.language, "meta": art.meta,
                   "variables": {guid(w): named_values(book, v)
                                 for w, v in sorted(variables.get(art.uid, {}).items())}})
        for a in sorted(anns, key=lambda a: (a.start, a.end, a.uid)):
            sel = ET.SubElement(src, "PlainTextSelection", guid=guid(a.uid), name=a.quote,
                                startPosition=str(a.start), endPosition=str(a.end),
                                creatingUser=guid(a.annotator_uid))
            if a.created_at:
                sel.set("creationDateTime", a.created_at)
            if a.updated_at:
                sel.set("modifiedDateTime", a.updated_at)
            target = a.target_topic_uid or a.target_actor_uid
            line = {"actor": f"actor: {names.get(a.actor_uid or '', '')}",
                    "date": f"date: {a.date_value}",
                    "stance": f"stance: {names.get(a.holder_uid or '', '')} {a.polarity} "
                              f"{names.get(target or '', '')}"}.get(a.kind, book.name(a.kind))
            _describe(sel, line, {
                "kind": a.kind if a.kind in KIND_CODES else book.name(a.kind),
                "attributes": named_values(book, a.attributes),
                "actor": _opt(a.actor_uid), "date_value": a.date_value,
                "date_granularity": a.date_granularity, "holder": _opt(a.holder_uid),
                "target_topic": _opt(a.target_topic_uid),
                "target_actor": _opt(a.target_actor_uid),
                "polarity": a.polarity, "stance_date": a.stance_date, "note": a.note,
                "meta": a.meta})
            for code in dict.fromkeys(c for c in (
                    kind_code.get(a.kind), a.actor_uid, a.holder_uid, target,
                    POLARITY_CODES.get(a.polarity or ""), *value_codes(book, a.attributes)) if c):
                _coding(sel, a, code)
        source_variables(src, book, variables.get(art.uid, {}))
    return root


def _zip_entry(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    # A fixed timestamp keeps exports of the same data byte-identical.
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data)


def export(repo: Repository, out: Path, scope: Scope | None = None,
           progress: Progress | None = None) -> ExportReport:
    scope = scope or Scope()
    arts = list(scope.iter(repo, progress))
    root = build_project(repo, arts)
    ET.indent(root)
    xml = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    with atomic_write(Path(out), "wb") as fh:
        with zipfile.ZipFile(fh, "w") as zf:
            _zip_entry(zf, "project.qde", xml)
            for art, _ in arts:
                _zip_entry(zf, f"sources/{guid(art.uid)}.txt", art.text.encode("utf-8"))
    return ExportReport(Path(out), articles=len(arts),
                        annotations=sum(len(anns) for _, anns in arts))


# ---------------------------------------------------------------------- import

def _safe_members(zf: zipfile.ZipFile, where: str) -> dict[str, zipfile.ZipInfo]:
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in zf.infolist():
        name = info.filename
        p = PurePosixPath(name)
        if name.startswith(("/", "\\")) or "\\" in name or ".." in p.parts or ":" in p.parts[0]:
            raise InputError(f"unsafe path in the archive: {name!r}", where)
        total += info.file_size
        if total > MAX_UNPACKED:
            raise InputError("archive unpacks to more than 512 MB", where)
        members[name] = info
    return members


def _stancemark_data(el: ET.Element, where: str, line: int) -> dict[str, Any]:
    desc = el.find(_Q + "Description")
    if desc is None or not desc.text:
        return {}
    last = desc.text.rsplit("\n", 1)[-1]
    if not last.startswith(MARK):
        return {}
    try:
        data = json.loads(last[len(MARK):])
    except (ValueError, RecursionError):  # RecursionError: hostile deep nesting
        raise InputError("bad stancemark: data in a Description", where, line) from None
    if not isinstance(data, dict):
        raise InputError("stancemark: data in a Description must be an object", where, line)
    return data


class _Project:
    """A parsed, validated project: everything the store needs, nothing written yet."""

    def __init__(self, path: Path):
        self.where = str(path)
        self.qde = f"{path}!project.qde"
        self.users: list[tuple[str, str]] = []
        self.actors: list[dict[str, Any]] = []
        self.topics: list[dict[str, Any]] = []
        self.articles: list[dict[str, Any]] = []
        self.skipped = 0
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise InputError(f"not a .qdpx (zip) file: {exc}", self.where) from None
        with zf:
            members = _safe_members(zf, self.where)
            if "project.qde" not in members:
                raise InputError("no project.qde in the archive", self.where)
            root, self.lines = parse_xml(zf.read("project.qde"), self.qde)
            if root.tag != _Q + "Project":
                raise InputError(f"root element is not a REFI-QDA Project in {NS}", self.qde, 1)
            self._read(root, zf, members)

    def _line(self, el: ET.Element) -> int:
        return self.lines.get(id(el), 1)

    def _attr(self, el: ET.Element, name: str) -> str:
        value = el.get(name)
        if value is None or not value.strip():
            raise InputError(f"{el.tag.replace(_Q, '')} without {name}", self.qde, self._line(el))
        return value.strip()

    def _read(self, root: ET.Element, zf: zipfile.ZipFile, members: dict[str, Any]) -> None:
        for u in root.iterfind(f"{_Q}Users/{_Q}User"):
            guid = self._attr(u, "guid").strip("{}").lower()
            self.users.append((guid, (u.get("name") or guid).strip()))
        self.user_names = dict(self.users)
        for group in root.iterfind(f"{_Q}CodeBook/{_Q}Codes/{_Q}Code"):
            target = {"Actors": self.actors, "Topics": self.topics}.get(group.get("name", ""))
            if target is None:
                continue
            for c in group.iterfind(_Q + "Code"):
                data = _stancemark_data(c, self.qde, self._line(c))
                target.append({"uid": self._attr(c, "guid").strip("{}").lower(),
                               "name": self._attr(c, "name"), **data})
        actor_uids = {a["uid"] for a in self.actors}
        topic_uids = {t["uid"] for t in self.topics}
        for src in root.iterfind(f"{_Q}Sources/{_Q}TextSource"):
            self.articles.append(self._source(src, zf, members, actor_uids, topic_uids))

    def _source_text(self, src: ET.Element, zf: zipfile.ZipFile, members: dict[str, Any]) -> str:
        line = self._line(src)
        content = src.find(_Q + "PlainTextContent")
        if content is not None and content.text:
            return content.text
        path = src.get("plainTextPath") or ""
        if not path.startswith("internal://"):
            raise InputError(f"text source {path!r} is not inside the archive", self.qde, line)
        name = "sources/" + path[len("internal://"):]
        if name not in members:
            raise InputError(f"missing source file {name}", self.qde, line)
        return decode_bytes(zf.read(name), f"{self.where}!{name}")

    def _source(self, src: ET.Element, zf: zipfile.ZipFile, members: dict[str, Any],
                actor_uids: set[str], topic_uids: set[str]) -> dict[str, Any]:
        newlines = NewlineMap(self._source_text(src, zf, members))
        shift = newlines.to_normalised
        text = newlines.text
        if not text.strip():
            raise InputError("empty text source", self.qde, self._line(src))
        meta = _stancemark_data(src, self.qde, self._line(src))
        art: dict[str, Any] = {"uid": self._attr(src, "guid").strip("{}").lower(), "text": text,
               "title": src.get("name") or "", "fields": meta, "annotations": [],
               "line": self._line(src)}
        for sel in src.iterfind(_Q + "PlainTextSelection"):
            ann = self._selection(sel, text, shift, actor_uids, topic_uids)
            if ann is None:
                self.skipped += 1
            else:
                art["annotations"].append(ann)
        return art

    def _selection(self, sel: ET.Element, text: str, shift: Any, actor_uids: set[str],
                   topic_uids: set[str]) -> dict[str, Any] | None:
        line = self._line(sel)
        try:
            start = shift(int(self._attr(sel, "startPosition")))
            end = shift(int(self._attr(sel, "endPosition")))
        except ValueError:
            raise InputError("selection positions must be integers", self.qde, line) from None
        problem = check_span(text, start, end)
        if problem:
            raise InputError(f"selection {sel.get('guid')}: {problem}", self.qde, line)
        data = _stancemark_data(sel, self.qde, line)
        codes = [ref.get("targetGUID", "").strip("{}").lower()
                 for ref in sel.iterfind(f"{_Q}Coding/{_Q}CodeRef")]
        if not data:  # another tool's selection: an actor mention if coded with our actor
            actor = next((c for c in codes if c in actor_uids), None)
            if actor is None:
                return None
            data = {"kind": "actor", "actor": actor}
        kind = data.get("kind")
        if not isinstance(kind, str) or not kind.strip():
            raise InputError(f"selection {sel.get('guid')}: unknown kind {kind!r}", self.qde, line)
        if not isinstance(data.get("attributes", {}), dict):
            raise InputError(f"selection {sel.get('guid')}: attributes must be an object",
                             self.qde, line)
        for key, known in (("actor", actor_uids), ("holder", actor_uids),
                           ("target_actor", actor_uids), ("target_topic", topic_uids)):
            if data.get(key) and data[key] not in known:
                raise InputError(f"selection {sel.get('guid')}: {key} {data[key]} is not in "
                                 "the code book", self.qde, line)
        user = (sel.get("creatingUser") or "").strip("{}").lower()
        return {"uid": self._attr(sel, "guid").strip("{}").lower(), "start": start, "end": end,
                "quote": text[start:end], "user": user, "line": line,
                "created_at": sel.get("creationDateTime") or "",
                "updated_at": sel.get("modifiedDateTime") or "", **data}


def import_paths(repo: Repository, paths: list[Path], progress: Progress | None = None,
                 extend_codebook: bool = False, **_: Any) -> ImportReport:
    from stancemark.formats.span_attributes import CodebookCheck

    files = iter_files(paths, SUFFIXES)
    projects = []
    for i, f in enumerate(files):  # parse and validate everything before writing
        tick(progress, i, 2 * max(len(files), 1), f"reading {f.name}")
        projects.append(_Project(f))
    report = ImportReport(files=len(files))
    with repo.tx():
        check = CodebookCheck(repo, extend_codebook, report.notes)
        for i, project in enumerate(projects):
            tick(progress, len(files) + i, 2 * len(files), "storing")
            try:
                _store(repo, project, report, check)
            except IntegrityError as exc:  # e.g. a guid that names another text here
                raise InputError(str(exc), project.where) from None
    tick(progress, 2 * len(files), 2 * len(files), "done")
    return report


def _store(repo: Repository, p: _Project, report: ImportReport, check: Any) -> None:
    users: dict[str, str] = {}
    for guid, name in p.users:
        before = len(repo.list_annotators())
        users[guid] = repo.ensure_annotator(name, uid=guid).uid
        report.annotators_added += len(repo.list_annotators()) - before
    for a in p.actors:
        if repo.get_actor(a["uid"]) is None:
            try:
                repo.add_actor(a["name"], a.get("kind") or "other", country=a.get("country") or "",
                               description=a.get("description") or "",
                               aliases=a.get("aliases") or [], uid=a["uid"], check_aliases=False)
            except IntegrityError as exc:
                raise InputError(str(exc), p.qde) from None
            if a.get("deleted_at"):
                repo.delete_actor(a["uid"])
            report.actors_added += 1
    for t in p.topics:
        if repo.get_topic(t["uid"]) is None:
            try:
                repo.add_topic(t["name"], t.get("description") or "", uid=t["uid"])
            except IntegrityError as exc:
                raise InputError(str(exc), p.qde) from None
            if t.get("deleted_at"):
                repo.delete_topic(t["uid"])
            report.topics_added += 1
    for art in p.articles:
        f = art["fields"]
        stored, added = repo.add_article(
            art["text"], art["title"], source=f.get("source") or "", url=f.get("url") or "",
            author=f.get("author") or "", published=f.get("published") or "",
            language=f.get("language") or "", meta=f.get("meta") or {}, uid=art["uid"])
        report.articles_added += added
        report.articles_skipped += not added
        variables = f.get("variables") or {}
        if not isinstance(variables, dict):
            raise InputError("source variables must be an object", p.qde, art["line"])
        for who, raw in variables.items():
            if not isinstance(raw, dict):
                raise InputError("source variables must be objects", p.qde, art["line"])
            values = check.values(None, raw, p.qde, art["line"])
            annotator = users.get(str(who).strip("{}").lower()) or repo.ensure_annotator(str(who)).uid
            if values and not repo.article_variables(stored.uid, annotator):
                repo.set_article_variables(stored.uid, values, annotator)
        for a in art["annotations"]:
            if repo.get_annotation(a["uid"]) is not None:
                report.annotations_skipped += 1
                continue
            annotator = users.get(a["user"]) or repo.annotator.uid
            kind = check.kind(a["kind"], p.qde, a["line"])
            attributes = check.values(kind, a.get("attributes"), p.qde, a["line"])
            ann = Annotation(
                a["uid"], stored.uid, annotator, kind, a["start"], a["end"], a["quote"],
                attributes=attributes,
                actor_uid=a.get("actor"), date_value=a.get("date_value"),
                date_granularity=a.get("date_granularity"), holder_uid=a.get("holder"),
                target_topic_uid=a.get("target_topic"), target_actor_uid=a.get("target_actor"),
                polarity=a.get("polarity"), stance_date=a.get("stance_date"),
                note=a.get("note") or "", meta=a.get("meta") or {},
                created_at=a["created_at"], updated_at=a["updated_at"])
            try:
                repo.add_annotation(ann)
            except IntegrityError as exc:
                raise InputError(f"selection {a['uid']}: {exc}", p.qde, a["line"]) from None
            report.annotations_added += 1
    if p.skipped:
        report.notes.append(f"{p.where}: {p.skipped} selection(s) coded outside the "
                            "Stancemark code system were not imported")

