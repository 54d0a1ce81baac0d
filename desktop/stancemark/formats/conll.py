"""CoNLL-2003 style IOB2 token files (.conll).

One token per line, columns separated by one space; a blank line ends a sentence; each
article starts with `-DOCSTART- -X- -X- O`. Columns:

    "conll"          token  entity-tag                 (B-ACTOR, I-ACTOR, B-DATE, I-DATE, O)
    "conll-stance"   token  entity-tag  stance-tag     (B-SUPPORT, I-OPPOSE, ... , O)
    then, in both, a column per custom span kind of the codebook  (B-frame, I-frame, O)

Tokens come from core.tokenize (a documented regex tokenizer), cut further at every
exported span boundary so every span is a whole number of tokens. Sentences end at a
line break or after a token . ! ? (never inside a span).

After each -DOCSTART- line, comment lines keep what tokens cannot:

    # doc_id = <article uid>
    # title = ..., # published = YYYY-MM-DD
    # text = "<the article text as a JSON string>"
    # spans = {"<start>-<end>-<TAG>": {"actor": "China"} | {"date_value": ...} | {"holder": ...}}
    # columns = ["entity", "stance", "frame"]     with custom kinds: each tag column's kind
    # variables = {"<annotator>": {"genre": "opinion"}}   article variables, if any

Codebook: a custom kind's column is named by the kind's name in `# columns` and tagged
with that name (white space as "_"); a span's attribute values (any kind) go in its
`# spans` entry under "attributes", by name and typed as formats.span_attributes says;
article variables by annotator name in `# variables` (the spans go to one annotator).
Without `# columns` the columns are read by their number as before. A kind, attribute or
value the codebook lacks is refused naming file and line unless `extend_codebook`.

Readers that do not know comments should drop lines starting with "# " (a token "#" is
written as "# O", without " = "). Offsets in the comments are Unicode code points into the
text. With `# text` the import recovers exact offsets; without it the text is rebuilt from
the tokens (one space between tokens, a line break between sentences), so offsets refer
to that text, not to the original. Without `# spans` an ACTOR span is linked to the
register actor whose name or alias is its text (or a new actor of that name) and a DATE
is normalised from its text and `# published`; a date that cannot be normalised is an error.

Loses: white space at the edges of a span (the span shrinks to its tokens), overlapping
spans in the same column (the longer, then the earlier, span wins;
the rest are left out of the file, e.g. "State Department" inside "The State
Department"), annotators (the import goes to one annotator), actor kinds and aliases,
stance targets' register entries (names only), statuses and timestamps.
"""

from __future__ import annotations

import bisect
import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancemark.core.errors import InputError
from stancemark.core.model import POLARITIES
from stancemark.core.tokenize import tokenize
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
    Names,
    SpanRecord,
    details,
    read_span_files,
    resolve_register_actors,
    validate,
    write_records,
)

if TYPE_CHECKING:
    from stancemark.store.repository import Repository

SUFFIXES = (".conll", ".iob", ".iob2")
DOCSTART = "-DOCSTART- -X- -X- O"
_COMMENT = re.compile(r"^# (doc_id|title|published|text|spans|columns|variables) = (.*)$")


def column_tag(kind_name: str) -> str:
    """A custom kind's tag label (tags are space-separated columns)."""
    return "_".join(kind_name.split()) or "_"


def _tag(a: Any, names: Names) -> str:
    if a.kind == "stance":
        return str(a.polarity).upper()
    if a.kind in ("actor", "date"):
        return str(a.kind).upper()
    return column_tag(names.book.name(a.kind))


def _non_overlapping(anns: list) -> list:
    """Longest first, then earliest: keep each span that overlaps none kept so far.
    Kept spans are disjoint, so one binary search finds the only two that could clash."""
    starts: list[int] = []
    kept: list = []
    for a in sorted(anns, key=lambda a: (-(a.end - a.start), a.start, a.uid)):
        i = bisect.bisect_left(starts, a.start)
        if i > 0 and kept[i - 1].end > a.start:
            continue
        if i < len(kept) and kept[i].start < a.end:
            continue
        starts.insert(i, a.start)
        kept.insert(i, a)
    return kept


def document_lines(art: Any, anns: list, names: Names, stances: bool,
                   custom: tuple[str, ...] = (), variables: dict | None = None
                   ) -> tuple[list[str], int]:
    """The lines of one document and how many annotations they carry; `custom`: the
    custom kinds with a column each."""
    columns = [_non_overlapping([a for a in anns if a.kind in ("actor", "date")])]
    if stances:
        columns.append(_non_overlapping([a for a in anns if a.kind == "stance"]))
    columns += [_non_overlapping([a for a in anns if a.kind == k]) for k in custom]
    tokens = tokenize(art.text, {x for col in columns for a in col for x in (a.start, a.end)})
    tags = [["O"] * len(tokens) for _ in columns]
    token_starts = [s for s, _ in tokens]
    spans = {}
    carried = 0
    aligned: list[list[tuple[int, int]]] = [[] for _ in columns]  # spans as their tokens cover
    for c, col in enumerate(columns):
        for a in col:
            # White space at a span's edges has no token: the span shrinks to its tokens.
            first = i = bisect.bisect_left(token_starts, a.start)
            while i < len(tokens) and tokens[i][1] <= a.end:
                tags[c][i] = ("B-" if i == first else "I-") + _tag(a, names)
                i += 1
            if i == first:
                continue  # only white space: nothing to tag
            carried += 1
            aligned[c].append((tokens[first][0], tokens[i - 1][1]))
            d = details(a, names)
            if a.kind == "actor":
                d["actor"] = names.actor(a.actor_uid)
            if a.attributes:
                d["attributes"] = names.attributes(a)
            spans[f"{tokens[first][0]}-{tokens[i - 1][1]}-{_tag(a, names)}"] = d
    out = [DOCSTART, f"# doc_id = {art.uid}", f"# title = {_one_line(art.title)}",
           f"# published = {art.published}", f"# text = {json.dumps(art.text, ensure_ascii=False)}",
           f"# spans = {json.dumps(spans, ensure_ascii=False, sort_keys=True)}"]
    if custom:  # only then: files without custom kinds stay as before
        kinds = ["entity", *(["stance"] if stances else []), *(names.book.name(k) for k in custom)]
        out.append(f"# columns = {json.dumps(kinds, ensure_ascii=False)}")
    if variables:
        out.append(f"# variables = {json.dumps(variables, ensure_ascii=False, sort_keys=True)}")
    out.append("")
    for i, (s, e) in enumerate(tokens):
        out.append(" ".join([art.text[s:e], *(t[i] for t in tags)]))
        gap = art.text[e:tokens[i + 1][0]] if i + 1 < len(tokens) else ""
        if i + 1 < len(tokens) and not _inside(aligned, e) and (
                "\n" in gap or (art.text[s:e] in (".", "!", "?") and gap)):
            out.append("")
    out.append("")
    return out, carried


def _inside(columns: list[list[tuple[int, int]]], offset: int) -> bool:
    """True when `offset` falls strictly inside a tagged span (each column sorted, disjoint)."""
    for col in columns:
        i = bisect.bisect_left(col, (offset, offset)) - 1
        if i >= 0 and col[i][0] < offset < col[i][1]:
            return True
    return False


def _one_line(text: str) -> str:
    return " ".join(text.split())


def export(repo: Repository, out: Path, scope: Scope | None = None, progress: Progress | None = None,
           *, stances: bool = False) -> ExportReport:
    scope = scope or Scope()
    names = Names(repo)
    report = ExportReport(Path(out))
    custom = tuple(k.uid for k in names.book.custom_kinds()
                   if scope.kinds is None or k.uid in scope.kinds)
    annotators = {a.uid: a.name for a in repo.list_annotators()}
    variables = all_variables(repo, scope.articles(repo), scope.annotator_uids(repo))
    with atomic_write(Path(out), newline="\n") as fh:
        for art, anns in scope.iter(repo, progress):
            mine = {annotators.get(w, w): named_values(names.book, v)
                    for w, v in variables.get(art.uid, {}).items()}
            lines, carried = document_lines(art, anns, names, stances, custom, mine)
            fh.write("\n".join(lines) + "\n")
            report.articles += 1
            report.annotations += carried
    return report


# ---------------------------------------------------------------------- import

def _parse_tag(tag: str, column: str, where: str, n: int) -> tuple[str, str] | None:
    """(B or I, label) of a tag in a column of `column` ("entity", "stance" or a custom
    kind's name); None for O."""
    if tag == "O":
        return None
    prefix, _, label = tag.partition("-")
    allowed = ({p.upper() for p in POLARITIES} if column == "stance"
               else {"ACTOR", "DATE"} if column == "entity" else {column_tag(column)})
    if prefix not in ("B", "I") or label not in allowed:
        raise InputError(f"unknown tag {tag!r} (O, B-/I- with {', '.join(sorted(allowed))})", where, n)
    return prefix, label


def read_file(path: Path) -> Iterator[ArticleRecord]:
    """One document (-DOCSTART- to the next) at a time, read line by line: memory holds
    one document, never the file; a document over formats.lines.MAX_RECORD_BYTES is
    refused (span_records.Records reads the file twice: check, then write)."""
    from stancemark.formats.lines import MAX_RECORD_BYTES, MB, iter_lines

    where = str(path)
    doc: list[tuple[int, str]] | None = None
    size = 0
    found = False
    for n, line in iter_lines(path):
        if line.startswith("-DOCSTART-"):
            if doc is not None and any(x.strip() for _, x in doc):
                found = True
                yield _parse_document(doc, where)
            doc, size = [], 0
            continue
        if doc is None:
            if not line.strip():
                continue
            doc = []  # a file without -DOCSTART- is one document
        size += len(line) + 1
        if size > MAX_RECORD_BYTES:
            raise InputError(f"a document longer than {MAX_RECORD_BYTES // MB} MB (the limit "
                             "for one record: split it with -DOCSTART- lines)", where, n)
        doc.append((n, line))
    if doc is not None and any(x.strip() for _, x in doc):
        found = True
        yield _parse_document(doc, where)
    if not found:
        raise InputError("no documents", where)


def _parse_document(lines: list[tuple[int, str]], where: str) -> ArticleRecord:
    meta: dict[str, str] = {}
    tokens: list[tuple[int, str, list[str]]] = []
    breaks: set[int] = set()  # token indices that start a sentence
    ncols = None
    for n, line in lines:
        m = _COMMENT.match(line)
        if m:
            meta[m.group(1)] = m.group(2)
            meta[m.group(1) + "@"] = str(n)
            continue
        if not line.strip():
            breaks.add(len(tokens))
            continue
        cols = line.split()
        if ncols is None:
            ncols = len(cols)
            if ncols < 2:
                raise InputError("a token line needs a token and a tag", where, n)
        if len(cols) != ncols:
            raise InputError(f"{len(cols)} columns where the document started with {ncols}", where, n)
        tokens.append((n, cols[0], cols[1:]))
    first = lines[0][0]
    if not tokens:
        raise InputError("document without tokens", where, first)
    text, offsets = _locate(tokens, breaks, meta, where)
    art = ArticleRecord(text, where, first, title=meta.get("title", ""),
                        published=meta.get("published", ""))
    try:
        art.uid = str(uuid.UUID(meta.get("doc_id", "")))
    except ValueError:
        art.uid = None
    try:
        extra = json.loads(meta["spans"]) if "spans" in meta else {}
    except (ValueError, RecursionError):  # RecursionError: hostile deep nesting
        raise InputError("# spans is not valid JSON", where, int(meta["spans@"])) from None
    if not isinstance(extra, dict):
        raise InputError("# spans must be a JSON object", where, int(meta["spans@"]))
    columns = _columns(meta, len(tokens[0][2]), where, tokens[0][0])
    tag_of: dict[int, str] = {}  # id(span) -> its tag, the key of its # spans entry
    for col, column in columns:
        open_span: SpanRecord | None = None
        for i, (n, _, tags) in enumerate(tokens):
            parsed = _parse_tag(tags[col], column, where, n)
            if parsed and parsed[0] == "I" and open_span is not None \
                    and tag_of[id(open_span)] == parsed[1]:
                open_span.end = offsets[i][1]
                continue
            if open_span is not None:
                art.spans.append(open_span)
                open_span = None
            if parsed:  # B-, or an I- that starts a span (IOB1 style)
                kind = ("stance" if column == "stance" else parsed[1].lower() if column == "entity"
                        else column)
                open_span = SpanRecord(kind, offsets[i][0], offsets[i][1], n)
                tag_of[id(open_span)] = parsed[1]
                if column == "stance":
                    open_span.polarity = parsed[1].lower()
        if open_span is not None:
            art.spans.append(open_span)
    for s in art.spans:
        d = extra.get(f"{s.start}-{s.end}-{tag_of[id(s)]}")
        if isinstance(d, dict):
            for key, value in d.items():
                if key in ("actor", "date_value", "date_granularity", "holder", "target_topic",
                           "target_actor", "stance_date", "note") and isinstance(value, str):
                    setattr(s, key, value)
                elif key == "attributes" and isinstance(value, dict):
                    s.attributes = value
        if s.kind == "actor" and not s.actor:
            s.actor = text[s.start:s.end]  # resolved against the register on import
            s.actor_from_text = True
    art.variables = _variables(meta, where)
    validate(art)
    return art


def _columns(meta: dict[str, str], ntags: int, where: str, line: int) -> list[tuple[int, str]]:
    """(tag column index, "entity" | "stance" | a custom kind's name) of each column read."""
    if "columns" not in meta:
        # 1 tag = entities; 2 = entities + stances; 3 = CoNLL-2003 (POS, chunk, NER).
        columns = {1: [(0, "entity")], 2: [(0, "entity"), (1, "stance")],
                   3: [(2, "entity")]}.get(ntags)
        if columns is None:
            raise InputError(f"{ntags + 1} columns: expected 2 to 4", where, line)
        return columns
    at = int(meta["columns@"])
    try:
        kinds = json.loads(meta["columns"])
    except (ValueError, RecursionError):
        raise InputError("# columns is not valid JSON", where, at) from None
    if not isinstance(kinds, list) or not all(isinstance(k, str) and k.strip() for k in kinds):
        raise InputError("# columns must be a list of kind names", where, at)
    if len(kinds) != ntags or len(set(kinds)) != len(kinds):
        raise InputError(f"# columns names {len(kinds)} columns for {ntags} tag columns", where, at)
    return list(enumerate(kinds))


def _variables(meta: dict[str, str], where: str) -> dict[str | None, dict[str, Any]]:
    if "variables" not in meta:
        return {}
    at = int(meta["variables@"])
    try:
        found = json.loads(meta["variables"])
    except (ValueError, RecursionError):
        raise InputError("# variables is not valid JSON", where, at) from None
    if not isinstance(found, dict) or not all(isinstance(v, dict) for v in found.values()):
        raise InputError("# variables must be {annotator name: {variable: value}}", where, at)
    return {str(k): v for k, v in found.items()}


def _locate(tokens: list, breaks: set[int], meta: dict[str, str], where: str
            ) -> tuple[str, list[tuple[int, int]]]:
    """The document text and each token's offsets in it."""
    if "text" in meta:
        try:
            text = json.loads(meta["text"])
        except (ValueError, RecursionError):  # RecursionError: hostile deep nesting
            text = None
        if not isinstance(text, str):
            raise InputError("# text must be a JSON string", where, int(meta["text@"]))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        offsets, pos = [], 0
        for n, tok, _ in tokens:
            start = pos
            while start < len(text) and text[start].isspace():
                start += 1
            if text[start:start + len(tok)] != tok:
                raise InputError(f"token {tok!r} is not next in the # text (at {start})", where, n)
            offsets.append((start, start + len(tok)))
            pos = start + len(tok)
        return text, offsets
    parts: list[str] = []
    offsets = []
    pos = 0
    for i, (_, tok, _) in enumerate(tokens):
        if i:
            sep = "\n" if i in breaks else " "
            parts.append(sep)
            pos += 1
        parts.append(tok)
        offsets.append((pos, pos + len(tok)))
        pos += len(tok)
    return "".join(parts), offsets


def import_paths(repo: Repository, paths: list[Path], progress: Progress | None = None,
                 annotator_name: str | None = None, extend_codebook: bool = False,
                 **_: Any) -> ImportReport:
    count, records = read_span_files(paths, SUFFIXES, read_file, progress)
    report = ImportReport(files=count)
    # Mentions without a name in # spans: the register actor with that name or alias.
    write_records(repo, records, report, annotator_name, progress,
                  prepare=lambda rec: resolve_register_actors(repo, rec),
                  extend_codebook=extend_codebook)
    return report
