"""The stance and mention tables as files: CSV, JSON, or tab-separated text for the
clipboard. What `stancemark stances --format csv|json`, `stancemark mentions` and the
window's Copy and Export CSV write, from the same filter (core/stance_filter.py).

Columns (stances): uid, article_uid, title, published, start, end (code points,
end-exclusive), quote, holder, holder_uid, target, target_uid, target_kind (topic or
actor), polarity, stance_date (its own), date (its own, else its article's),
annotator, note, then one column per codebook attribute of stances (values as names,
yes/no, numbers and dates, as the codebook shows them). Mentions:
uid, article_uid, title, published, start, end, quote, actor, actor_uid, actor_kind,
annotator. CSV is RFC 4180, UTF-8, CRLF, formula cells neutralised (formats.common);
JSON is one array of objects, stances with an `attributes` object {name: value}.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any

from stancemark.formats.common import csv_writer, safe_cell
from stancemark.store.stance_query import stance_attributes

if TYPE_CHECKING:
    from stancemark.store.repository import Repository

BLOCK = 2_000  # rows read per query while writing

STANCE_COLUMNS = ("uid", "article_uid", "title", "published", "start", "end", "quote",
                  "holder", "holder_uid", "target", "target_uid", "target_kind", "polarity",
                  "stance_date", "date", "annotator", "note")
MENTION_COLUMNS = ("uid", "article_uid", "title", "published", "start", "end", "quote",
                   "actor", "actor_uid", "actor_kind", "annotator")
# (column, width) of the readable text table
STANCE_TEXT = (("date", 10), ("holder", 22), ("polarity", 8), ("target", 28),
               ("annotator", 10), ("quote", 34), ("title", 30))
MENTION_TEXT = (("published", 10), ("actor", 24), ("quote", 30), ("annotator", 10),
                ("title", 40))


def rows(repo: Repository, ids: Sequence[int], kind: str = "stance") -> Iterator[list[Any]]:
    """The rows of these ids, a block at a time."""
    from stancemark.store.stance_query import mention_rows, stance_rows

    fetch = stance_rows if kind == "stance" else mention_rows
    for i in range(0, len(ids), BLOCK):
        yield fetch(repo, ids[i:i + BLOCK])


def write(repo: Repository, ids: Sequence[int], fh: IO[str], fmt: str,
          kind: str = "stance") -> int:
    """Write the rows of `ids` (in that order) as "csv", "json", "tsv" (tab-separated,
    for a spreadsheet's paste) or "text" (aligned, long cells cut); returns the count.
    Stances get a column per codebook attribute of stances, values as people write
    them (vocabulary names, yes/no)."""
    columns = STANCE_COLUMNS if kind == "stance" else MENTION_COLUMNS
    blocks = rows(repo, ids, kind)
    if fmt == "text":
        layout = STANCE_TEXT if kind == "stance" else MENTION_TEXT
        fh.write("  ".join(f"{c:<{w}}" for c, w in layout).rstrip() + "\n")
        for block in blocks:
            for r in block:
                fh.write("  ".join(f"{_cut(getattr(r, c), w):<{w}}" for c, w in layout)
                         .rstrip() + "\n")
        return len(ids)
    first = next(blocks, [])
    attrs = stance_attributes(repo) if kind == "stance" else ()
    extra = [a.name for a in attrs]
    if fmt in ("csv", "tsv"):
        if fmt == "csv":
            w = csv_writer(fh)
        else:
            import csv

            w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow([*columns, *extra])
        for block in (first, *blocks):
            for r in block:
                held = getattr(r, "attributes", {})
                values = [*(getattr(r, c) for c in columns),
                          *(a.show(held[a.uid]) if a.uid in held else "" for a in attrs)]
                w.writerow([safe_cell(v) for v in values] if fmt == "csv" else
                           [" ".join(str(v).split()) for v in values])
        return len(ids)
    fh.write("[")
    sep = "\n"
    for block in (first, *blocks):
        for r in block:
            rec = {c: getattr(r, c) for c in columns}
            if kind == "stance":
                rec["attributes"] = {a.name: a.show(r.attributes[a.uid]) for a in attrs
                                     if a.uid in r.attributes}
            fh.write(sep + json.dumps(rec, ensure_ascii=False))
            sep = ",\n"
    fh.write("\n]\n")
    return len(ids)


def _cut(value: Any, width: int) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[:width - 1] + "…"
