"""Article tables (`.csv`, `.tsv`, `.jsonl`): many articles in one file, import only.

One row (CSV/TSV) or one JSON object per line (JSONL) = one article. Fields: `text`
(required), `title`, `date` (or `published`), `source`, `url`, `author`, `language`;
every other column is kept in the article's `meta`. Column names match ignoring case and
surrounding spaces. The option `column_map` (CLI `--map text=body,title=headline`, or a
dict) says which column holds a field when the names differ.

CSV: RFC 4180 with a header row; the delimiter is sniffed among `, ; tab |` (TSV files
use tab); quoted cells may span lines (their CRLF become LF). Encodings: BOM, UTF-8, then
detection (formats.common.decode_bytes). Dates must be readable (ISO, or forms like
"January 9, 2021"); a table exported from a spreadsheet with `'=...` guarded cells keeps
the quote (we do not guess). Every row is checked before anything is stored; a bad row
names the file and its line (the physical line where the row starts).

Offsets: none (articles only). Loses: nothing of the columns (unmapped ones go to meta),
but column types (all values are text).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancemark.core.errors import InputError
from stancemark.core.text import file_name_text
from stancemark.formats.article_import import (
    article_fields,
    import_article_files,
    iso_date,
)
from stancemark.formats.common import ImportReport, Progress, decode_bytes

if TYPE_CHECKING:
    from stancemark.store.repository import Repository

SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson")
FIELDS = ("text", "title", "date", "source", "url", "author", "language")
_ALIASES = {"published": "date"}
MAX_BYTES = 200 * 1024 * 1024


def parse_column_map(value: str | dict[str, str] | None, where: str = "--map") -> dict[str, str]:
    """`text=body,title=headline` -> {"text": "body", "title": "headline"}."""
    if not value:
        return {}
    if isinstance(value, dict):
        pairs = list(value.items())
    else:
        pairs = []
        for part in value.split(","):
            if not part.strip():
                continue
            if "=" not in part:
                raise InputError(f"column map item {part.strip()!r} is not FIELD=COLUMN", where)
            field, column = part.split("=", 1)
            pairs.append((field, column))
    out: dict[str, str] = {}
    for field, column in pairs:
        field = _ALIASES.get(field.strip().lower(), field.strip().lower())
        if field not in FIELDS:
            raise InputError(f"unknown field {field!r} in the column map (fields: "
                             f"{', '.join(FIELDS)})", where)
        out[field] = str(column).strip()
    return out


def _resolve(columns: list[str], mapping: dict[str, str], where: str, line: int) -> dict[str, str]:
    """field -> actual column name in this file."""
    by_lower = {c.strip().lower(): c for c in columns}
    resolved: dict[str, str] = {}
    for field in FIELDS:
        wanted = mapping.get(field)
        if wanted is not None:
            col = by_lower.get(wanted.lower())
            if col is None:
                raise InputError(f"no column {wanted!r} (mapped to {field}); columns: "
                                 f"{', '.join(columns)[:200]}", where, line)
            resolved[field] = col
        else:
            for name in (field, *[k for k, v in _ALIASES.items() if v == field]):
                if name in by_lower:
                    resolved[field] = by_lower[name]
                    break
    if "text" not in resolved:
        raise InputError("no text column (name one with --map text=COLUMN); columns: "
                         f"{', '.join(columns)[:200]}", where, line)
    return resolved


def _row_fields(row: dict[str, Any], cols: dict[str, str], where: str, line: int) -> dict[str, Any]:
    def cell(field: str) -> str:
        value = row.get(cols[field]) if field in cols else None
        if value is None:
            return ""
        if not isinstance(value, str | int | float):
            raise InputError(f"{field} must be text, not {type(value).__name__}", where, line)
        return str(value)

    text = cell("text")
    if not text.strip():
        raise InputError("empty text", where, line)
    used = set(cols.values())
    meta = {k: v for k, v in row.items() if k not in used and k is not None and v not in ("", None)}
    return article_fields(text, where, line, title=cell("title"),
                          published=iso_date(cell("date"), where, line),
                          source=cell("source"), url=cell("url"), author=cell("author"),
                          language=cell("language"), meta=meta)


def read_csv(text: str, where: str, mapping: dict[str, str], tab: bool = False) -> list[dict]:
    sample = text[:8192]
    if tab:
        delimiter = "\t"
    else:
        try:
            delimiter = csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("no header row", where, 1) from None
    except csv.Error as exc:
        raise InputError(f"bad CSV ({exc})", where, 1) from None
    if len(set(header)) != len(header):
        raise InputError("duplicate column names in the header", where, 1)
    cols = _resolve(header, mapping, where, 1)
    out = []
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(f"bad CSV ({exc})", where, line) from None
        if not any(c.strip() for c in cells):
            line = reader.line_num + 1
            continue  # blank lines between rows
        if len(cells) != len(header):
            raise InputError(f"{len(cells)} cells, the header has {len(header)}", where, line)
        out.append(_row_fields(dict(zip(header, cells, strict=True)), cols, where, line))
        line = reader.line_num + 1
    return out


def read_jsonl(path: Path, where: str, mapping: dict[str, str]) -> list[dict]:
    """Rows of a JSON Lines table, read a line at a time (formats.lines: one line over
    the record limit is refused without reading it whole); JSON text is UTF-8."""
    from stancemark.formats.lines import json_lines

    out = []
    cols: dict[str, str] | None = None
    for n, rec in json_lines(path, where, objects=True):
        # Keys may differ from line to line: resolve against this line's keys.
        cols = _resolve(list(rec), mapping, where, n)
        out.append(_row_fields(rec, cols, where, n))
    return out


def read_table(path: Path, column_map: str | dict[str, str] | None = None) -> list[dict]:
    where = str(path)
    size = path.stat().st_size
    if size == 0:
        raise InputError("empty file", where)
    if size > MAX_BYTES:
        raise InputError(f"file too large ({size // (1024 * 1024)} MB)", where)
    mapping = parse_column_map(column_map)
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        rows = read_jsonl(path, where, mapping)
    else:
        rows = read_csv(decode_bytes(path.read_bytes(), where), where, mapping,
                        tab=suffix == ".tsv")
    if not rows:
        raise InputError("no articles in the table", where)
    for r in rows:
        r["meta"]["imported_from"] = file_name_text(path.name)
    return rows


def import_paths(repo: Repository, paths: list[Path], progress: Progress | None = None,
                 column_map: str | dict[str, str] | None = None, **_: Any) -> ImportReport:
    return import_article_files(repo, paths, SUFFIXES,
                                lambda f: read_table(f, column_map), progress)
