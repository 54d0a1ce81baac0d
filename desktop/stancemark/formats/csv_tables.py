"""CSV tables: one row per thing, uids that join, for pandas, R and spreadsheets.

Export: a folder (or, when OUT ends in .zip, a zip archive) holding

    articles.csv       uid, title, published, source, url, author, language, added_at, sha256, text
    annotators.csv     uid, name, colour, is_gold
    actors.csv         uid, name, kind, country, description
    actor_aliases.csv  actor_uid, alias
    topics.csv         uid, name, description
    annotations.csv    uid, article_uid, annotator_uid, annotator, kind, start, end, quote,
                       actor_uid, actor, date_value, date_granularity, note, created_at, updated_at
    stances.csv        annotation_uid, article_uid, annotator_uid, holder_uid, holder,
                       target_topic_uid, target_topic, target_actor_uid, target_actor,
                       polarity, stance_date

Codebook: annotations.csv has a column per span attribute of the codebook after the
columns above, headed by the attribute's name ("attribute:<name>" when the name is one of
the columns above); a row's cell holds that attribute's value for the row's kind, as text
(`Attribute.show`: value names, several separated by ";", "yes"/"no", numbers, ISO dates,
references as uids), empty when unset. `kind` is a custom kind's name (the built-in kinds'
uids as before). With article variables in the codebook, article_variables.csv holds
article_uid, annotator_uid, annotator and a column per variable, a row per article and
annotator that set any. On import the names are checked against the codebook: a kind,
attribute or value it lacks is refused naming file and line, unless `extend_codebook`.

RFC 4180: UTF-8 (no BOM), CRLF row ends, fields quoted when they hold a comma, quote or
line break (article text keeps its LF line breaks inside quotes). Offsets: Unicode code
points, end-exclusive: `text[start:end] == quote` in Python and pandas. Every annotation has
a row in annotations.csv; stances.csv adds the stance attributes (join on annotation_uid).
Names beside uids (actor, holder, ...) are for reading; import uses the uids.

Formula injection: a text cell starting with = + - @ TAB or CR gets a leading apostrophe
(formats.common.safe_cell); a value already starting with apostrophes before such a character
gets one more, so import removes exactly the added apostrophe and every text round-trips.
pandas users strip it themselves (`s.str.replace(r"^'(?='*[=+\\-@\\t\\r])", "", regex=True)`).

Import reads the folder, the .zip or any one of its files (the tables beside it), creating
annotators, actors and topics with their uids. Loses: statuses, the trash (only live
annotations are exported), article metadata beyond the columns above.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancemark.core.builtin_kinds import is_builtin
from stancemark.core.codebook import Attribute
from stancemark.core.errors import InputError
from stancemark.core.model import ACTOR_KINDS, POLARITIES
from stancemark.core.newlines import NewlineMap
from stancemark.core.text import check_span
from stancemark.formats.common import (
    ExportReport,
    ImportReport,
    Progress,
    Scope,
    atomic_dir,
    atomic_write,
    csv_writer,
    safe_cell,
    tick,
    unsafe_cell,
)
from stancemark.formats.span_attributes import all_variables, text_value
from stancemark.formats.span_records import (
    ArticleRecord,
    Names,
    SpanRecord,
    validate,
    write_records,
)

if TYPE_CHECKING:
    from stancemark.store.repository import Repository

SUFFIXES = (".csv", ".zip")
COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": ("uid", "title", "published", "source", "url", "author", "language", "added_at",
                 "sha256", "text"),
    "annotators": ("uid", "name", "colour", "is_gold"),
    "actors": ("uid", "name", "kind", "country", "description"),
    "actor_aliases": ("actor_uid", "alias"),
    "topics": ("uid", "name", "description"),
    "annotations": ("uid", "article_uid", "annotator_uid", "annotator", "kind", "start", "end",
                    "quote", "actor_uid", "actor", "date_value", "date_granularity", "note",
                    "created_at", "updated_at"),
    "stances": ("annotation_uid", "article_uid", "annotator_uid", "holder_uid", "holder",
                "target_topic_uid", "target_topic", "target_actor_uid", "target_actor",
                "polarity", "stance_date"),
}
# Written only when the codebook has article variables (then a column per variable).
OPTIONAL: dict[str, tuple[str, ...]] = {"article_variables": ("article_uid", "annotator_uid",
                                                              "annotator")}
ATTRIBUTE_PREFIX = "attribute:"


def attribute_columns(attributes: tuple[Attribute, ...], fixed: tuple[str, ...]) -> list[str]:
    """The header of each attribute column (one per name: a row has one kind)."""
    names = list(dict.fromkeys(a.name for a in attributes))
    return [ATTRIBUTE_PREFIX + n if n in fixed or n.startswith(ATTRIBUTE_PREFIX) else n
            for n in names]


def _cells(attrs: tuple[Attribute, ...], values: dict[str, Any], headers: list[str]) -> list[str]:
    """A row's attribute cells, in header order."""
    by_name = {a.name: a for a in attrs if a.uid in values}
    out = []
    for h in headers:
        name = h[len(ATTRIBUTE_PREFIX):] if h.startswith(ATTRIBUTE_PREFIX) and \
            h[len(ATTRIBUTE_PREFIX):] in by_name else h
        a = by_name.get(name)
        out.append(text_value(a, values[a.uid]) if a is not None else "")
    return out


def _rows(repo: Repository, scope: Scope, progress: Progress | None
          ) -> tuple[dict[str, list], dict[str, tuple[str, ...]], int, int]:
    names = Names(repo)
    book = names.book
    annotators = {a.uid: a for a in repo.list_annotators()}
    tables: dict[str, list] = {name: [] for name in COLUMNS}
    span_attrs = tuple(a for a in book.attributes if a.kind_uid is not None)
    headers = attribute_columns(span_attrs, COLUMNS["annotations"])
    columns = dict(COLUMNS)
    columns["annotations"] = (*COLUMNS["annotations"], *headers)
    variables = book.article_variables()
    set_vars: dict[str, dict[str, dict[str, Any]]] = {}
    var_headers = attribute_columns(variables, OPTIONAL["article_variables"])
    if variables:
        columns["article_variables"] = (*OPTIONAL["article_variables"], *var_headers)
        tables["article_variables"] = []
        set_vars = all_variables(repo, scope.articles(repo), scope.annotator_uids(repo))
    used: set[str] = set()
    n_articles = n_annotations = 0
    for art, anns in scope.iter(repo, progress):
        n_articles += 1
        tables["articles"].append([art.uid, art.title, art.published, art.source, art.url, art.author,
                                   art.language, art.added_at, art.sha256, art.text])
        if variables:
            for who, values in sorted(set_vars.get(art.uid, {}).items()):
                tables["article_variables"].append(
                    [art.uid, who, annotators[who].name, *_cells(variables, values, var_headers)])
        for a in sorted(anns, key=lambda a: (a.start, a.end, a.kind, a.uid)):
            n_annotations += 1
            used.add(a.annotator_uid)
            who = annotators[a.annotator_uid].name
            tables["annotations"].append([
                a.uid, art.uid, a.annotator_uid, who, a.kind if is_builtin(a.kind) else book.name(a.kind),
                a.start, a.end, a.quote, a.actor_uid,
                names.actor(a.actor_uid), a.date_value, a.date_granularity, a.note, a.created_at,
                a.updated_at, *_cells(book.attributes_of(a.kind), a.attributes, headers)])
            if a.kind == "stance":
                tables["stances"].append([
                    a.uid, art.uid, a.annotator_uid, a.holder_uid, names.actor(a.holder_uid),
                    a.target_topic_uid, names.topic(a.target_topic_uid), a.target_actor_uid,
                    names.actor(a.target_actor_uid), a.polarity, a.stance_date])
    for uid in sorted(used):
        ann = annotators[uid]
        tables["annotators"].append([ann.uid, ann.name, ann.colour, int(ann.is_gold)])
    # The live register, plus trashed entries an exported annotation still names, so every
    # uid in annotations.csv and stances.csv joins.
    named = {uid for row in tables["annotations"] for uid in (row[8],) if uid}
    named |= {uid for row in tables["stances"] for uid in (row[3], row[5], row[7]) if uid}
    for actor in sorted(repo.list_actors(include_deleted=True), key=lambda a: a.uid):
        if actor.deleted_at is None or actor.uid in named:
            tables["actors"].append([actor.uid, actor.name, actor.kind, actor.country,
                                     actor.description])
            tables["actor_aliases"] += [[actor.uid, alias] for alias in actor.aliases]
    for t in sorted(repo.list_topics(include_deleted=True), key=lambda t: t.uid):
        if t.deleted_at is None or t.uid in named:
            tables["topics"].append([t.uid, t.name, t.description])
    return tables, columns, n_articles, n_annotations


# What `out` names, for a user interface choosing it: a folder of CSV files, or one
# .zip file when the name ends in .zip.
EXPORT_TARGET = "folder_or_zip"


def _csv_text(header: tuple[str, ...], rows: list) -> str:
    buf = io.StringIO(newline="")
    w = csv_writer(buf)
    w.writerow([safe_cell(h) for h in header])
    for row in rows:
        w.writerow([safe_cell("" if v is None else v) for v in row])
    return buf.getvalue()


def export(repo: Repository, out: Path, scope: Scope | None = None,
           progress: Progress | None = None) -> ExportReport:
    scope = scope or Scope()
    out = Path(out)
    tables, columns, n_art, n_ann = _rows(repo, scope, progress)
    report = ExportReport(out, n_art, n_ann, files=len(tables))
    if out.suffix.lower() == ".zip":
        with atomic_write(out, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, rows in tables.items():
                # A fixed timestamp keeps the archive identical from one export to the next.
                info = zipfile.ZipInfo(f"{name}.csv", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, _csv_text(columns[name], rows).encode("utf-8"))
        return report
    with atomic_dir(out) as tmp:
        for name, rows in tables.items():
            (tmp / f"{name}.csv").write_bytes(_csv_text(columns[name], rows).encode("utf-8"))
    return report


# ---------------------------------------------------------------------- import




MAX_UNPACKED = 512 * 1024 * 1024  # what the tables of one archive may unpack to

# One table as read: its file (for messages) and its rows, each with its line number.
Table = tuple[str, list[tuple[int, dict[str, str]]]]


def _tables_from(path: Path) -> tuple[dict[str, tuple[str, bytes]], str]:
    """{table name: (where, raw bytes)} from a folder, a zip, or one table file."""
    path = Path(path)
    if not path.exists():
        raise InputError("no such file or folder", str(path))
    out: dict[str, tuple[str, bytes]] = {}
    if path.is_file() and path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as zf:
                wanted = [n for n in (*COLUMNS, *OPTIONAL) if f"{n}.csv" in zf.namelist()]
                # Zip bombs: refuse by the declared sizes, and read no further than the
                # limit in case the declared sizes lie.
                budget = MAX_UNPACKED
                if sum(zf.getinfo(f"{n}.csv").file_size for n in wanted) > budget:
                    raise InputError(f"archive unpacks to more than {MAX_UNPACKED >> 20} MB",
                                     str(path))
                for name in wanted:
                    with zf.open(f"{name}.csv") as fh:
                        raw = fh.read(budget + 1)
                    if len(raw) > budget:
                        raise InputError(f"archive unpacks to more than {MAX_UNPACKED >> 20} MB",
                                         str(path))
                    budget -= len(raw)
                    out[name] = (f"{path}!{name}.csv", raw)
        except (zipfile.BadZipFile, OSError) as exc:
            raise InputError(f"not a readable zip archive ({exc})", str(path)) from None
        return out, str(path)
    folder = path if path.is_dir() else path.parent
    for name in (*COLUMNS, *OPTIONAL):
        f = folder / f"{name}.csv"
        if f.is_file():
            out[name] = (str(f), f.read_bytes())
    return out, str(folder)


def _read_table(name: str, where: str, raw: bytes) -> list[tuple[int, dict[str, str]]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", where) from None
    # Article texts run to megabytes; the csv module's default field limit is 128 KiB.
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise InputError("empty table (no header row)", where, 1)
        missing = [c for c in {**COLUMNS, **OPTIONAL}[name] if c not in header]
        if missing:
            raise InputError(f"missing column(s) {', '.join(missing)}", where, 1)
        rows = []
        line = reader.line_num + 1
        for row in reader:
            if row and len(row) != len(header):
                raise InputError(f"{len(row)} fields where the header has {len(header)}", where, line)
            if row:
                rows.append((line, {k: unsafe_cell(v) for k, v in zip(header, row, strict=True)}))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"bad CSV ({exc})", where, reader.line_num) from None
    return rows


def read_tables(path: Path) -> tuple[dict[str, Table], list[ArticleRecord]]:
    """Parse and validate one export; returns the register tables and article records."""
    raw, where = _tables_from(path)
    for need in ("articles", "annotations"):
        if need not in raw:
            raise InputError(f"no {need}.csv here", where)
    t: dict[str, Table] = {name: (raw[name][0], _read_table(name, *raw[name])) for name in raw}
    arts: dict[str, ArticleRecord] = {}
    # Offsets count code points in the text as written; a spreadsheet may have saved CRLF.
    raw_text: dict[str, str] = {}
    maps: dict[str, NewlineMap] = {}
    a_where, a_rows = t["articles"]
    for n, r in a_rows:
        if not r["uid"] or r["uid"] in arts:
            raise InputError(f"article uid {r['uid']!r} is empty or repeated", a_where, n)
        raw_text[r["uid"]] = r["text"]
        nl = NewlineMap(r["text"])
        maps[r["uid"]] = nl
        arts[r["uid"]] = ArticleRecord(nl.text, a_where, n, r["uid"], r["title"], r["source"],
                                       r["url"], r["author"], r["published"], r["language"],
                                       r["added_at"] or None)
    by_uid: dict[str | None, SpanRecord] = {}  # uids checked non-empty below
    n_where, n_rows = t["annotations"]
    for n, r in n_rows:
        art = arts.get(r["article_uid"])
        if art is None:
            raise InputError(f"annotation names an article not in articles.csv ({r['article_uid']})",
                             n_where, n)
        try:
            start, end = int(r["start"]), int(r["end"])
        except ValueError:
            raise InputError(f"start/end {r['start']!r}/{r['end']!r} are not integers", n_where, n) from None
        problem = check_span(raw_text[r["article_uid"]], start, end, r["quote"])
        if problem:
            raise InputError(problem, n_where, n)
        start, end = maps[r["article_uid"]].to_normalised(start), maps[r["article_uid"]].to_normalised(end)
        if not r["annotator"].strip():
            raise InputError("annotator name is empty", n_where, n)
        if r["uid"] in by_uid or not r["uid"]:
            raise InputError(f"annotation uid {r['uid']!r} is empty or repeated", n_where, n)
        span = SpanRecord(r["kind"], start, end, n, r["uid"] or None, r["annotator"],
                          actor=r["actor"] or None, actor_uid=r["actor_uid"] or None,
                          date_value=r["date_value"] or None,
                          date_granularity=r["date_granularity"] or None, note=r["note"],
                          created_at=r["created_at"], updated_at=r["updated_at"],
                          attributes=_attribute_cells(r, COLUMNS["annotations"]), where=n_where)
        by_uid[span.uid] = span
        art.spans.append(span)
    s_where, s_rows = t.get("stances", ("", []))
    for n, r in s_rows:
        stance = by_uid.get(r["annotation_uid"])
        if stance is None or stance.kind != "stance":
            raise InputError(f"stance row for {r['annotation_uid']!r}, which is no stance in "
                             "annotations.csv", s_where, n)
        stance.polarity = r["polarity"] or None
        if stance.polarity not in POLARITIES:
            raise InputError(f"unknown polarity {r['polarity']!r} (support, oppose, neutral)", s_where, n)
        stance.stance_date = r["stance_date"] or None
        for key in ("holder", "target_topic", "target_actor"):
            setattr(stance, key, r[key] or None)
            setattr(stance, key + "_uid", r[key + "_uid"] or None)
    v_where, v_rows = t.get("article_variables", ("", []))
    for n, r in v_rows:
        art = arts.get(r["article_uid"])
        if art is None or not r["annotator"].strip():
            raise InputError(f"variables of an article not in articles.csv ({r['article_uid']}) "
                             "or without an annotator name", v_where, n)
        art.variables[r["annotator"]] = _attribute_cells(r, OPTIONAL["article_variables"])
        art.variables_where = v_where  # (one file: the first bad value names it, not its line)
    for art in arts.values():
        validate(ArticleRecord(art.text, a_where, art.line))
        # Span errors name annotations.csv and the span's own line.
        validate(ArticleRecord(art.text, n_where, None, published=art.published, spans=art.spans))
    register: dict[str, Table] = {name: t[name] for name in ("annotators", "actors", "actor_aliases", "topics") if name in t}
    _validate_register(register)
    return register, list(arts.values())


def _attribute_cells(row: dict[str, str], fixed: tuple[str, ...]) -> dict[str, str]:
    """{attribute name: text} of a row's non-empty attribute columns."""
    out = {}
    for header, value in row.items():
        if header in fixed or value == "":
            continue
        name = header[len(ATTRIBUTE_PREFIX):] if header.startswith(ATTRIBUTE_PREFIX) else header
        out[name] = value
    return out


def _validate_register(register: dict[str, Table]) -> None:
    for name in ("annotators", "actors", "topics"):
        where, rows = register.get(name, ("", []))
        for n, r in rows:
            if not r["uid"] or not r["name"].strip():
                raise InputError(f"{name[:-1]} row needs a uid and a name", where, n)
            if name == "actors" and r["kind"] not in ACTOR_KINDS:
                raise InputError(f"unknown actor kind {r['kind']!r}", where, n)


def _write_register(repo: Repository, register: dict[str, Table], report: ImportReport) -> None:
    aliases: dict[str, list[str]] = {}
    for _, r in register.get("actor_aliases", ("", []))[1]:
        aliases.setdefault(r["actor_uid"], []).append(r["alias"])
    for _, r in register.get("annotators", ("", []))[1]:
        if repo.annotator_by_name(r["name"]) is None:
            repo.ensure_annotator(r["name"], uid=r["uid"], colour=r["colour"] or None,
                                  is_gold=r["is_gold"] == "1")
            report.annotators_added += 1
    for _, r in register.get("actors", ("", []))[1]:
        if repo.get_actor(r["uid"]) is None:
            repo.add_actor(r["name"], r["kind"], country=r["country"], description=r["description"],
                           aliases=aliases.get(r["uid"], []), uid=r["uid"], check_aliases=False)
            report.actors_added += 1
    for _, r in register.get("topics", ("", []))[1]:
        if repo.get_topic(r["uid"]) is None:
            repo.add_topic(r["name"], r["description"], uid=r["uid"])
            report.topics_added += 1


def import_paths(repo: Repository, paths: list[Path], progress: Progress | None = None,
                 extend_codebook: bool = False, **_: Any) -> ImportReport:
    # Several paths inside one export folder name the same export once.
    sources = list(dict.fromkeys(
        p if (p.is_dir() or p.suffix.lower() == ".zip") else p.parent for p in map(Path, paths)))
    report = ImportReport(files=len(sources))
    parsed = []
    for i, src in enumerate(sources):
        tick(progress, i, len(sources), f"reading {src.name}")
        parsed.append(read_tables(src))
    with repo.tx():
        for register, records in parsed:
            _write_register(repo, register, report)
            write_records(repo, records, report, None, progress, extend_codebook=extend_codebook)
    return report
