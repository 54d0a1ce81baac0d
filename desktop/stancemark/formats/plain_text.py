"""Plain text and Markdown articles (.txt, .md): import only.

Mapping: one file = one article. The text is the file's content with newlines
normalised to LF; a leading metadata block is parsed and removed:

- YAML-style front matter between `---` lines (title, date, source, url, author, language);
- leading `Key: value` lines (Title:, Date:, Source:, URL:, Author:, Language:) ended by a blank line;
- a leading marker such as `date 2021-01-10` (as newswire dumps write it).

A trailing copyright line (`© 2025 Newsmax. All rights reserved.`) stays in the text
and gives the source (and year) when none was given. Without a title, the first
line of Markdown heading or the file name is used. A sidecar `NAME.meta.json`
beside the file, if present, overrides all of these.
Encodings: UTF-8 with or without BOM, UTF-16 with BOM, legacy single-byte (detected).
Offsets: none (articles only).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancemark.core.errors import InputError
from stancemark.core.text import file_name_text
from stancemark.formats.common import ImportReport, Progress, iter_files, read_text_file, tick

if TYPE_CHECKING:
    from stancemark.store.repository import Repository

SUFFIXES = (".txt", ".md", ".markdown", ".text")
_KEYS = {"title": "title", "date": "published", "published": "published", "source": "source",
         "url": "url", "link": "url", "author": "author", "by": "author", "language": "language",
         "lang": "language"}
_KV = re.compile(r"^\s*([A-Za-z]+)\s*:\s*(.*?)\s*$")
_MARKER = re.compile(r"^\s*date[\s:]+(\d{4}-\d{2}-\d{2})\b[ \t]*")
_COPYRIGHT = re.compile(r"^\s*(?:©|\(c\)|copyright)\s*(\d{4})?\s*(.+?)[.,]?\s*(?:all rights reserved\.?)?\s*$",
                        re.IGNORECASE)


def parse_article(text: str, name: str = "") -> dict[str, Any]:
    """Split metadata from body. Returns fields for Repository.add_article."""
    meta: dict[str, Any] = {}
    body = text
    # Only the head can hold metadata (front matter ends within 60 lines): split that
    # far, the rest stays one piece instead of a list of every line of the article.
    lines = text.split("\n", 60)
    if lines and lines[0].strip() == "---":
        try:
            end = next(i for i in range(1, min(len(lines), 60)) if lines[i].strip() == "---")
        except StopIteration:
            end = None
        if end:
            for line in lines[1:end]:
                m = _KV.match(line)
                if m and m.group(1).lower() in _KEYS:
                    meta[_KEYS[m.group(1).lower()]] = m.group(2).strip("\"'")
            body = "\n".join(lines[end + 1:])
    else:
        i = 0
        found: dict[str, str] = {}
        while i < len(lines) and i < 20:
            m = _KV.match(lines[i])
            if not m or m.group(1).lower() not in _KEYS:
                break
            found[_KEYS[m.group(1).lower()]] = m.group(2)
            i += 1
        if found and (i == len(lines) or not lines[i].strip()):
            meta.update(found)
            body = "\n".join(lines[i + 1:])
    m = _MARKER.match(body)
    if m:
        meta.setdefault("published", m.group(1))
        body = body[m.end():]
    body = body.strip("\n")
    for line in _last_lines(body, 2):
        c = _COPYRIGHT.match(line)
        if c and len(line) < 120:
            meta.setdefault("source", c.group(2).strip())
            if c.group(1):
                meta.setdefault("published", c.group(1))
            break
    if "title" not in meta:
        first = body.lstrip().split("\n", 1)[0]
        if first.startswith("#"):
            meta["title"] = first.lstrip("#").strip()
        else:
            meta["title"] = name
    pub = meta.get("published", "")
    if pub:
        from stancemark.core.dates import is_iso_value, normalise_date

        if not is_iso_value(pub):
            parsed = normalise_date(pub)
            meta["published"] = parsed[0] if parsed and parsed[1] != "interval" else ""
    return {"text": body, **meta}


def _last_lines(body: str, n: int) -> list[str]:
    """The last `n` non-blank lines, last first, found from the end of the text."""
    out: list[str] = []
    end = len(body)
    while len(out) < n:
        start = body.rfind("\n", 0, end)
        line = body[start + 1:end]
        if line.strip():
            out.append(line)
        if start < 0:
            break
        end = start
    return out


def read_article_file(path: Path, sidecars: set[str] | None = None) -> dict[str, Any]:
    """One file's article fields. `sidecars`: the names of the .meta.json files in the
    file's folder when the caller listed it (saves a failed stat per file)."""
    text = read_text_file(path)
    stem = path.stem
    fields = parse_article(text, file_name_text(stem))
    sidecar_name = stem + ".meta.json"
    if ((sidecars is None or sidecar_name in sidecars)
            and (sidecar := path.with_name(sidecar_name)).exists()):
        try:
            extra = json.loads(sidecar.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # RecursionError: deep nesting
            raise InputError(f"bad metadata sidecar: {exc}", str(sidecar)) from None
        if not isinstance(extra, dict):
            raise InputError("metadata sidecar must hold a JSON object", str(sidecar), 1)
        fields.update({k: v for k, v in extra.items()
                       if k in ("title", "source", "url", "author", "published", "language")})
        if "meta" in extra and isinstance(extra["meta"], dict):
            fields["meta"] = extra["meta"]
    if not fields["text"].strip():
        raise InputError("no article text after the metadata block", str(path))
    fields.setdefault("meta", {})
    fields["meta"] = {**fields["meta"], "imported_from": file_name_text(path.name)}
    return fields


def import_paths(repo: Repository, paths: list[Path], progress: Progress | None = None,
                 **_: Any) -> ImportReport:
    files = iter_files(paths, SUFFIXES)
    report = ImportReport(files=len(files))
    parsed = []
    listed: dict[Path, set[str]] = {}  # folder -> its sidecar names, listed once
    for i, f in enumerate(files):  # read and validate everything before writing anything
        tick(progress, i, 2 * len(files), f"reading {f.name}")
        folder = f.parent
        if folder not in listed:
            listed[folder] = {n for n in os.listdir(folder) if n.endswith(".meta.json")}
        parsed.append(read_article_file(f, listed[folder]))
    from stancemark.store.bulk import add_articles

    # In batches (one savepoint and executemany each), not add_article per file: the
    # same checks and audit entries, about 15% faster on a large import.
    results = add_articles(repo, parsed, progress=lambda done: tick(
        progress, len(files) + done, 2 * len(files), "storing"))
    for _article, added in results:  # a text twice in the batch is added once
        if added:
            report.articles_added += 1
        else:
            report.articles_skipped += 1
    tick(progress, 2 * len(files), 2 * len(files), "done")
    return report
