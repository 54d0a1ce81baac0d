"""Exchange formats: one module per format, each documenting its field mapping and
offset unit at its top. The registry below is what the CLI and the window list.

Every exporter has the signature
    export(repo, out: Path, scope: Scope, progress: Progress | None) -> ExportReport
and every importer
    import_paths(repo, paths: list[Path], progress: Progress | None, **options) -> ImportReport
An importer validates everything before writing and writes inside one transaction.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType


@dataclass(frozen=True)
class FormatInfo:
    name: str
    module: str
    label: str
    can_export: bool
    can_import: bool
    suffixes: tuple[str, ...] = ()
    extra: str = ""  # optional dependency extra needed, if any
    files: str = ""  # what PATH is, where the suffixes do not say it (folders, pairs)

    def load(self) -> ModuleType:
        return importlib.import_module(f"stancemark.formats.{self.module}")

    @property
    def direction(self) -> str:
        return ", ".join(d for d, ok in (("export", self.can_export),
                                         ("import", self.can_import)) if ok)

    def help_line(self) -> str:
        """One line of `stancemark export --help` / `import --help`."""
        files = self.files or " ".join(self.suffixes)
        extra = f" (extra: {self.extra})" if self.extra else ""
        return f"  {self.name:<13} {self.direction:<15} {files:<28} {self.label}{extra}"


# Order is the order menus show. Other format modules register here as they land.
FORMATS: dict[str, FormatInfo] = {
    "jsonl": FormatInfo("jsonl", "native_jsonl", "Stancemark JSONL (lossless)", True, True,
                        (".jsonl",)),
    "text": FormatInfo("text", "plain_text", "Plain text / Markdown articles", False, True,
                       (".txt", ".md", ".markdown", ".text")),
    "doccano": FormatInfo("doccano", "doccano", "doccano JSONL (label layout)", True, True,
                          (".jsonl",)),
    "doccano-rel": FormatInfo("doccano-rel", "doccano_rel", "doccano JSONL (entities and relations)",
                              True, True, (".jsonl",)),
    "labelstudio": FormatInfo("labelstudio", "labelstudio", "Label Studio JSON tasks (+ labeling config)",
                              True, True, (".json",), files=".json (+ .config.xml)"),
    "csv": FormatInfo("csv", "csv_tables", "CSV tables (folder or .zip; pandas, R, spreadsheets)",
                      True, True, (".zip",), files="folder of .csv, or .zip"),
    "brat": FormatInfo("brat", "brat", "brat standoff (folder of .txt/.ann + annotation.conf)",
                       True, True, (".ann",), files="folder of .txt + .ann"),
    "conll": FormatInfo("conll", "conll", "CoNLL-2003 / IOB2 tokens (actor and date tags)",
                        True, True, (".conll", ".iob", ".iob2")),
    "conll-stance": FormatInfo("conll-stance", "conll_stance",
                               "CoNLL / IOB2 tokens with a stance column", True, True, (),
                               files=".conll"),
    "spacy": FormatInfo("spacy", "spacy_docbin", "spaCy DocBin (.spacy)", True, True,
                        (".spacy",), extra="spacy"),
    "graphml": FormatInfo("graphml", "network_graphml", "Stance network, GraphML (Gephi, R)",
                          True, False, (".graphml",)),
    "gexf": FormatInfo("gexf", "network_gexf", "Stance network, GEXF (Gephi)", True, False,
                       (".gexf",)),
    "network-csv": FormatInfo("network-csv", "network_csv",
                              "Stance network, edge list CSV (R, pandas, spreadsheets)", True,
                              False, (".csv",)),
    "qdpx": FormatInfo("qdpx", "refi_qda", "REFI-QDA project (NVivo, MAXQDA, ATLAS.ti)", True,
                       True, (".qdpx",)),
    "html": FormatInfo("html", "html_articles", "Web pages (HTML articles)", False, True,
                       (".html", ".htm", ".xhtml")),
    "docx": FormatInfo("docx", "docx_articles", "Word documents (DOCX articles)", False, True,
                       (".docx",), extra="docs"),
    "table": FormatInfo("table", "article_table", "Article table (CSV / TSV / JSONL rows)", False,
                        True, (".csv", ".tsv", ".ndjson"), files=".csv .tsv .jsonl .ndjson"),
}


# Formats that carry custom span kinds and attribute values: exported with every kind
# of the codebook by default. The others export the built-in kinds.
ALL_KINDS_FORMATS: frozenset[str] = frozenset({"jsonl", "doccano", "doccano-rel", "labelstudio", "brat", "conll", "conll-stance", "spacy", "csv", "qdpx"})


def default_kinds(fmt: str) -> tuple[str, ...] | None:
    """The span kinds an export in `fmt` covers unless told (None: every kind)."""
    from stancemark.core.builtin_kinds import BUILTIN_KIND_UIDS

    return None if fmt in ALL_KINDS_FORMATS else BUILTIN_KIND_UIDS


def formats_help(direction: str) -> str:
    """The formats that can `direction` ("export" or "import"), one line each with their
    direction and what PATH is: the epilog of `stancemark export --help` and `import`."""
    lines = [f"formats (--format), {direction}:",
             f"  {'name':<13} {'direction':<15} {'files':<28} what"]
    lines += [info.help_line() for info in FORMATS.values()
              if (info.can_export if direction == "export" else info.can_import)]
    return "\n".join(lines)


def get_format(name: str) -> FormatInfo:
    try:
        return FORMATS[name]
    except KeyError:
        from stancemark.core.errors import StancemarkError

        raise StancemarkError(f"unknown format {name!r} (known: {', '.join(FORMATS)})") from None


def guess_import_format(suffix: str) -> str | None:
    suffix = suffix.lower()
    for info in FORMATS.values():
        if info.can_import and suffix in info.suffixes:
            return info.name
    return None


FOLDER_SCAN_LIMIT = 5000  # entries looked at to guess a folder's format


def guess_folder_format(folder: Path) -> str:
    """The importer a folder most likely needs: .ann files mean brat, the articles.csv +
    annotations.csv pair means the CSV tables export, otherwise the most common
    importable suffix inside (plain text when nothing says more)."""
    from collections import Counter
    from itertools import islice

    names: set[str] = set()
    suffixes: Counter[str] = Counter()
    for p in islice(folder.rglob("*"), FOLDER_SCAN_LIMIT):
        if any(part.startswith(".") for part in p.relative_to(folder).parts):
            continue
        names.add(p.name.lower())
        if p.suffix.lower() == ".ann":
            return "brat"
        fmt = guess_import_format(p.suffix) if p.is_file() else None
        if fmt:
            suffixes[fmt] += 1
    if {"articles.csv", "annotations.csv"} <= names:
        return "csv"
    return suffixes.most_common(1)[0][0] if suffixes else "text"


def guess_path_format(path: Path) -> str | None:
    """Format of a file (from its suffix) or a folder (from its content); None if unknown."""
    path = Path(path)
    return guess_folder_format(path) if path.is_dir() else guess_import_format(path.suffix)
