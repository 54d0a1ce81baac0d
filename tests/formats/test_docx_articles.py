"""DOCX article import (python-docx)."""

from __future__ import annotations

import zipfile

import pytest

docx = pytest.importorskip("docx", reason="python-docx not installed (pip install 'stancemark[docs]')")

from stancemark.core.errors import InputError  # noqa: E402
from stancemark.formats import get_format  # noqa: E402

docx_fmt = get_format("docx").load()


def _make(path, paragraphs, title=None, table=None):
    d = docx.Document()
    if title:
        d.core_properties.title = title
    d.core_properties.author = "Reporter"
    for p in paragraphs:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    d.save(str(path))
    return path


def test_text_metadata_lines_and_properties(repo, tmp_path):
    path = _make(tmp_path / "story.docx",
                 ["Date: 2021-01-10", "Source: Wire", "", "Beijing 😀 warned Taipei.", "",
                  "北京反对。"],
                 title="Beijing warns", table=[["Who", "Said"], ["Xi", "no"]])
    report = docx_fmt.import_paths(repo, [path])
    assert report.articles_added == 1
    art = repo.get_article(repo.list_articles()[0].uid)
    assert art.text == "Beijing 😀 warned Taipei.\n\n北京反对。\n\nWho\tSaid\n\nXi\tno"
    assert (art.title, art.published, art.source, art.author) == (
        "Beijing warns", "2021-01-10", "Wire", "Reporter")
    assert art.meta["imported_from"] == "story.docx"


def test_empty_document_is_refused(repo, tmp_path, digest, store_path):
    good = _make(tmp_path / "a.docx", ["Some text."])
    empty = _make(tmp_path / "b.docx", ["", "   "])
    before = digest(store_path)
    with pytest.raises(InputError) as err:
        docx_fmt.import_paths(repo, [good, empty])
    assert str(err.value) == f"{empty}: the document holds no text"
    assert digest(store_path) == before


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04broken"])
def test_malformed_file(repo, tmp_path, content):
    path = tmp_path / "bad.docx"
    path.write_bytes(content)
    with pytest.raises(InputError, match="not a readable .docx"):
        docx_fmt.import_paths(repo, [path])


def test_zip_without_document_part(repo, tmp_path):
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="not a Word document"):
        docx_fmt.import_paths(repo, [path])
