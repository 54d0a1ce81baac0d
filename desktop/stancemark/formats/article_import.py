"""What the article importers (HTML, DOCX, article tables) share: field clean-up and the
one transaction that stores the articles once every file has been read and checked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancemark.core.errors import InputError
from stancemark.core.text import normalise_newlines
from stancemark.formats.common import ImportReport, Progress, iter_files, tick

if TYPE_CHECKING:
    from stancemark.store.repository import Repository

ARTICLE_FIELDS = ("title", "source", "url", "author", "published", "language")


def iso_date(value: str, where: str, line: int | None, strict: bool = True) -> str:
    """An ISO date (YYYY, YYYY-MM or YYYY-MM-DD) from what a page or a table holds:
    ISO timestamps keep their date part, other forms go through the date normaliser.
    Unreadable dates raise (strict) or give ""."""
    from stancemark.core.dates import is_iso_value, normalise_date

    value = (value or "").strip()
    if not value:
        return ""
    head = value[:10]
    if is_iso_value(head) and (len(value) == 10 or value[10:11] in ("T", " ", "")):
        return head
    if is_iso_value(value[:7]) and len(value) == 7:
        return value[:7]
    if is_iso_value(value[:4]) and len(value) == 4:
        return value[:4]
    parsed = normalise_date(value)
    if parsed and parsed[1] != "interval":
        return parsed[0]
    if strict:
        raise InputError(f"date {value[:40]!r} is not a date", where, line)
    return ""


def article_fields(text: str, where: str, line: int | None = None, **fields: Any) -> dict[str, Any]:
    """Fields for Repository.add_article, checked: text not empty, strings only."""
    text = normalise_newlines(text).strip("\n")
    if not text.strip():
        raise InputError("no article text", where, line)
    if "\x00" in text:  # a JSON or CSV escape can carry what the file readers refuse
        raise InputError("article text holds NUL characters", where, line)
    out: dict[str, Any] = {"text": text}
    for key in ARTICLE_FIELDS:
        value = fields.get(key)
        if value is not None:
            out[key] = " ".join(str(value).split()) if key != "url" else str(value).strip()
    out["meta"] = dict(fields.get("meta") or {})
    return out


def store_articles(repo: Repository, parsed: list[dict[str, Any]], report: ImportReport,
                   progress: Progress | None = None) -> ImportReport:
    """Add every parsed article in one transaction; texts already in the store (same
    hash) are skipped and counted."""
    from stancemark.store.bulk import add_articles

    # In batches (one executemany each) with the checks and audit entries of add_article;
    # a text twice in `parsed` comes back added once.
    tick(progress, 0, len(parsed), "storing")
    results = add_articles(repo, parsed, progress=lambda done: tick(
        progress, done, len(parsed), "storing"))
    for _, added in results:
        if added:
            report.articles_added += 1
        else:
            report.articles_skipped += 1
    tick(progress, len(parsed), len(parsed), "done")
    return report


def import_article_files(repo: Repository, paths: list[Path], suffixes: tuple[str, ...],
                         read_one: Callable[[Path], dict[str, Any] | list[dict[str, Any]]],
                         progress: Progress | None = None) -> ImportReport:
    """Read and check every file first (`read_one` gives one article's fields, or a
    list of them), then store them all in one transaction (store_articles)."""
    files = iter_files(paths, suffixes)
    parsed: list[dict[str, Any]] = []
    for i, f in enumerate(files):
        tick(progress, i, len(files), f"reading {f.name}")
        got = read_one(f)
        parsed += got if isinstance(got, list) else [got]
    return store_articles(repo, parsed, ImportReport(files=len(files)), progress)
