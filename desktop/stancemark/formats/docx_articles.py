"""News articles from Word documents (`.docx`): import only, behind the optional extra
`docs` (python-docx).

One file = one article. The text is the body's paragraphs in document order, joined by
a blank line, with each table row as one paragraph (cells joined by a tab); empty
paragraphs are dropped. Leading `Title:` / `Date:` / `Source:` lines, a leading
`date 2021-01-10` marker and a closing copyright line are read as metadata exactly as
for plain-text articles (plain_text.parse_article). The document's core properties
fill in what the text does not say: title, author, language; never the date (a file's
creation date is not the article's). The file name goes to `meta.imported_from`.

Offsets: none (articles only). Loses: formatting, headers and footers, footnotes,
comments, tracked changes (the accepted text is taken as python-docx sees it), images.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancemark.core.errors import InputError, StancemarkError
from stancemark.core.text import file_name_text
from stancemark.formats.article_import import article_fields, import_article_files
from stancemark.formats.common import ImportReport, Progress
from stancemark.formats.plain_text import parse_article

if TYPE_CHECKING:
    from stancemark.store.repository import Repository

SUFFIXES = (".docx",)
MAX_UNPACKED = 200 * 1024 * 1024


def _docx() -> Any:
    try:
        import docx
    except ImportError:
        raise StancemarkError("the DOCX import needs the optional extra: "
                              "pip install 'stancemark[docs]'") from None
    return docx


def _paragraphs(document: Any) -> list[str]:
    from docx.table import Table

    out: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = [c.text.strip() for c in row.cells]
                # merged cells repeat: keep each distinct neighbour once
                cells = [c for i, c in enumerate(cells) if c and (i == 0 or c != cells[i - 1])]
                if cells:
                    out.append("\t".join(cells))
        else:  # empty paragraphs stay (as "") so a metadata block ends at a blank line
            out.append(block.text.strip())
    return out


def read_docx(path: Path) -> dict[str, Any]:
    docx = _docx()
    where = str(path)
    try:
        with zipfile.ZipFile(path) as zf:
            if sum(i.file_size for i in zf.infolist()) > MAX_UNPACKED:
                raise InputError("document unpacks to more than 200 MB", where)
            if "word/document.xml" not in zf.namelist():
                raise InputError("not a Word document (no word/document.xml)", where)
        document = docx.Document(str(path))
    except InputError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(f"not a readable .docx file ({type(exc).__name__})", where) from None
    except Exception as exc:  # python-docx/lxml raise their own types for broken parts
        raise InputError(f"not a readable .docx file ({type(exc).__name__}: "
                         f"{str(exc)[:80]})", where) from None
    paras = _paragraphs(document)
    if not any(paras):
        raise InputError("the document holds no text", where)
    stem = file_name_text(path.stem)
    fields = parse_article("\n".join(paras), stem)
    props = document.core_properties
    # Paragraphs were joined by single newlines so the metadata lines parse; the body
    # gets blank lines between paragraphs.
    text = "\n\n".join(line for line in fields.pop("text").split("\n") if line.strip())
    title = fields.get("title") or ""
    if props.title and (not title or title == stem):
        title = props.title
    out = article_fields(text, where, None, title=title, published=fields.get("published", ""),
                         source=fields.get("source", ""), url=fields.get("url", ""),
                         author=fields.get("author") or props.author or "",
                         language=fields.get("language") or (props.language or "").split("-")[0])
    out["meta"]["imported_from"] = file_name_text(path.name)
    return out


def import_paths(repo: Repository, paths: list[Path], progress: Progress | None = None,
                 **_: Any) -> ImportReport:
    return import_article_files(repo, paths, SUFFIXES, read_docx, progress)
