"""What every format shares: scope of an export, progress/cancel, reports, atomic writes."""

from __future__ import annotations

import csv
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from stancemark.core.errors import Cancelled, InputError, StancemarkError
from stancemark.core.model import GOLD_ANNOTATOR, Annotation, Article

# Re-exported: every exporter imports them from here.
from stancemark.formats.atomic import atomic_dir as atomic_dir
from stancemark.formats.atomic import atomic_write as atomic_write

if TYPE_CHECKING:
    from stancemark.store.repository import Repository

# progress(done, total, message) -> False to cancel.
Progress = Callable[[int, int, str], bool | None]


def tick(progress: Progress | None, done: int, total: int, message: str = "") -> None:
    if progress is not None and progress(done, total, message) is False:
        raise Cancelled("cancelled; nothing was changed")


@dataclass(frozen=True)
class Scope:
    """Which part of the store an export covers.

    annotators: "me", "all", "gold", or a tuple of annotator names.
    annotation_uids: only these annotations (the stance table's filtered rows); give
    article_uids too, the articles holding them (store.stance_query.filter_scope).
    """

    query: str | None = None
    status: str | None = None
    article_uids: tuple[str, ...] | None = None
    annotators: str | tuple[str, ...] = "all"
    # Span kind uids to export; None: every kind of the codebook (every span format
    # maps custom kinds: formats.span_attributes).
    kinds: tuple[str, ...] | None = None
    include_trash: bool = False
    annotation_uids: frozenset[str] | None = None

    def annotator_uids(self, repo: Repository) -> list[str] | None:
        """None means every annotator."""
        if self.annotators == "all":
            return None
        if self.annotators == "me":
            return [repo.annotator.uid]
        names = (GOLD_ANNOTATOR,) if self.annotators == "gold" else tuple(self.annotators)
        uids = []
        for name in names:
            ann = repo.annotator_by_name(name)
            if ann is None:
                raise StancemarkError(f"no annotator called {name!r} in this store")
            uids.append(ann.uid)
        return uids

    def articles(self, repo: Repository) -> list[str]:
        if self.article_uids is not None:
            return list(self.article_uids)
        return repo.article_uids(self.query, self.status)

    def iter(self, repo: Repository, progress: Progress | None = None
             ) -> Iterator[tuple[Article, list[Annotation]]]:
        """Each article in scope with its annotations in scope, with progress ticks."""
        uids = self.articles(repo)
        ann_uids = self.annotator_uids(repo)
        for i, uid in enumerate(uids):
            tick(progress, i, len(uids), "exporting")
            art = repo.get_article(uid)
            if art is None:
                continue
            anns = repo.list_annotations(uid, ann_uids, kinds=self.kinds,
                                         include_deleted=self.include_trash)
            if self.annotation_uids is not None:
                anns = [a for a in anns if a.uid in self.annotation_uids]
            yield art, anns
        tick(progress, len(uids), len(uids), "done")


@dataclass
class ImportReport:
    articles_added: int = 0
    articles_skipped: int = 0  # duplicates (same text hash)
    annotations_added: int = 0
    annotations_skipped: int = 0
    actors_added: int = 0
    topics_added: int = 0
    annotators_added: int = 0
    decisions_added: int = 0  # decisions on suggestions and review decisions (native JSONL)
    files: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{self.files} file(s) read", f"{self.articles_added} article(s) added"]
        if self.articles_skipped:
            parts.append(f"{self.articles_skipped} duplicate(s) skipped")
        if self.annotations_added or self.annotations_skipped:
            parts.append(f"{self.annotations_added} annotation(s) added")
        if self.annotations_skipped:
            parts.append(f"{self.annotations_skipped} annotation(s) already present")
        for name in ("actors", "topics", "annotators"):
            n = getattr(self, f"{name}_added")
            if n:
                parts.append(f"{n} {name[:-1]}(s) added")
        if self.decisions_added:
            parts.append(f"{self.decisions_added} decision(s) on suggestions or review added")
        # Notes (a codebook extended or in conflict) each on a line of their own.
        return "\n".join([", ".join(parts), *self.notes])


@dataclass
class ExportReport:
    path: Path
    articles: int = 0
    annotations: int = 0
    files: int = 1

    def summary(self) -> str:
        return (f"wrote {self.path}: {self.articles} article(s), "
                f"{self.annotations} annotation(s)" + (f", {self.files} files" if self.files > 1 else ""))


# C0 control characters other than tab, LF, form feed and CR: many mean binary data.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20)])

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formula injection: prefix a quote to text cells that a
    spreadsheet would evaluate (OWASP CSV injection guidance).

    A value that already starts with apostrophes before a formula character gets one
    more too, so `unsafe_cell` can undo exactly what was added: the escape is reversible.
    """
    if isinstance(value, str) and value.lstrip("'").startswith(_FORMULA_START):
        return "'" + value
    return value


def unsafe_cell(value: str) -> str:
    """Undo safe_cell: drop the one apostrophe it added."""
    if value.startswith("'") and value.lstrip("'").startswith(_FORMULA_START):
        return value[1:]
    return value


def csv_writer(fh: IO[str]) -> Any:
    return csv.writer(fh, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)


def read_text_file(path: Path, max_bytes: int = 50 * 1024 * 1024) -> str:
    """Read a text file in whatever encoding it is in; refuse binary and empty files.

    BOMs (UTF-8, UTF-16) are honoured; otherwise strict UTF-8 is tried first and
    charset-normalizer detects legacy encodings (cp1252, latin-1, ...).
    """
    from stancemark.core.text import normalise_newlines

    size = path.stat().st_size
    if size == 0:
        raise InputError("empty file", str(path))
    if size > max_bytes:
        raise InputError(f"file too large ({size // (1024 * 1024)} MB; limit "
                         f"{max_bytes // (1024 * 1024)} MB)", str(path))
    raw = path.read_bytes()
    return normalise_newlines(decode_bytes(raw, str(path)))


def decode_bytes(raw: bytes, where: str) -> str:
    import codecs

    if raw.startswith(codecs.BOM_UTF8):
        return _strict(raw[3:], "utf-8", where)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(raw, "utf-16", where)
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return _strict(raw, "utf-32", where)
    decoded_utf8: str | None = None
    try:
        text = decoded_utf8 = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None:
        # Binary files are refused before guessing: NUL bytes without a UTF-16 BOM,
        # or a large share of control bytes.
        if b"\x00" in raw:
            raise InputError("binary file (NUL bytes), not text", where)
        from charset_normalizer import from_bytes

        matches = list(from_bytes(raw))
        if not matches:
            raise InputError("binary file or unknown encoding, not text", where)
        # Ties between single-byte code pages are common on short texts; among the
        # equally good guesses prefer Windows-1252, the usual legacy encoding of news copy.
        best = matches[0]
        tied = [m for m in matches if (m.chaos, -m.coherence) == (best.chaos, -best.coherence)]
        best = next((m for m in tied if m.encoding == "cp1252"), best)
        text = str(best)
    if "\x00" in text:
        raise InputError("binary file (NUL characters), not text", where)
    # A regex, not a Python loop over the characters: that loop was a fifth of the
    # time of importing 10,000 text files (measured by the benchmark). Plain UTF-8
    # without a control byte in the bytes behind the first 4,096 characters (at most
    # 4 bytes each) has none in those characters: a C-level byte delete tells, and
    # the usual news file skips the regex.
    head = raw[:4 * 4096]
    if (text is not decoded_utf8
            or len(head.translate(None, _CONTROL_BYTES)) != len(head)):
        controls = len(_CONTROL_CHARS.findall(text, 0, 4096))
        if controls > max(8, len(text[:4096]) // 50):
            raise InputError("binary file (control characters), not text", where)
    if not text or text.isspace():  # as `not text.strip()`, without copying the text
        raise InputError("file holds only white space", where)
    return text


def _strict(raw: bytes, encoding: str, where: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"invalid {encoding} at byte {exc.start}", where) from None


# POSIX paths order by their parts (what Path.__lt__ compares there), without a Python
# comparison call per pair; elsewhere (case-insensitive) Path's own ordering.
_PATH_ORDER = (lambda f: f.parts) if os.name == "posix" else None


def iter_files(paths: list[Path], suffixes: tuple[str, ...]) -> list[Path]:
    """Expand folders (recursively, sorted) into files with one of `suffixes`."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            # f.parts[n:] is f.relative_to(p).parts (rglob's paths start with p's parts)
            # without parsing a new path per file.
            n = len(p.parts)
            out += sorted((f for f in p.rglob("*") if f.suffix.lower() in suffixes and f.is_file()
                           and not any(part.startswith(".") for part in f.parts[n:])),
                          key=_PATH_ORDER)
        elif p.exists():
            out.append(p)
        else:
            raise InputError("no such file or folder", str(p))
    return out


def parse_xml(data: bytes, where: str) -> tuple[ET.Element, dict[int, int]]:
    """Parse untrusted XML with defusedxml (no DTD, no entities), remembering each
    element's line (keyed by id of the element) for one-line errors naming it."""
    from defusedxml.ElementTree import DefusedXMLParser, ParseError

    lines: dict[int, int] = {}

    class _Builder(ET.TreeBuilder):
        def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
            el = super().start(tag, attrs)
            lines[id(el)] = parser.parser.CurrentLineNumber
            return el

    parser = DefusedXMLParser(target=_Builder(), forbid_dtd=True)
    try:
        parser.feed(data)
        return parser.close(), lines
    except ParseError as exc:
        raise InputError(f"not well-formed XML ({exc})", where, exc.position[0]) from None
    except Exception as exc:  # defusedxml refuses DTDs and entities with its own errors
        raise InputError(f"refused XML ({type(exc).__name__}: no DTD or entities allowed)",
                         where, parser.parser.CurrentLineNumber) from None
