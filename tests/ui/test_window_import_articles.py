"""File > Import in the real window with the article importers (HTML, DOCX, table) and a
REFI-QDA project: formats come from the file extensions, one job, one transaction."""

from __future__ import annotations

import pytest
from window_fixtures import make_window

from stancemark.formats.common import Scope
from stancemark.ui.dialogs import exchange as io

PAGE = ("<html><head><title>Window page 😀</title></head><body><article>"
        "<p>Beijing warned Taipei from the window.</p></article></body></html>")


def _run(qtbot, runner):
    results = []
    runner.finished.connect(lambda *r: results.append(r))
    qtbot.waitUntil(lambda: bool(results), timeout=30_000)
    assert runner.wait()
    return results[0]


def test_import_html_docx_table_and_qdpx_from_the_window(qtbot, seeded, store_path, tmp_path,
                                                         monkeypatch):
    from stancemark.formats import refi_qda
    from stancemark.ui.window import main_window

    monkeypatch.setattr(main_window.QMessageBox, "warning",
                        lambda *a: pytest.fail(f"warning shown: {a[-1]}"))
    win = make_window(qtbot, seeded, tmp_path, store_path)
    html = tmp_path / "page.html"
    html.write_text(PAGE, encoding="utf-8")
    table = tmp_path / "rows.csv"
    table.write_text("title,text,date\nRow one,First row text,2021-03-04\n", encoding="utf-8")
    paths = [html, table]
    try:
        import docx
    except ImportError:
        docx = None
    if docx is not None:
        d = docx.Document()
        d.add_paragraph("A Word document about Taipei.")
        d.save(str(tmp_path / "doc.docx"))
        paths.append(tmp_path / "doc.docx")
    # a project exported from another store
    from stancemark.store import Repository, open_store

    other = Repository(open_store(tmp_path / "other.sqlite"), "colleague")
    other.add_article("A colleague's article 北京.", "From QDA")
    refi_qda.export(other, tmp_path / "p.qdpx", Scope(), None)
    other.close()
    paths.append(tmp_path / "p.qdpx")
    assert io.group_by_format(paths).keys() == {"html", "table", "qdpx"} | (
        {"docx"} if docx else set())

    before = seeded.count_articles()
    result, error, cancelled = _run(qtbot, win.exchange.import_files(paths))
    assert (error, cancelled) == ("", False)
    titles = {r.title for r in seeded.list_articles()}
    assert {"Window page 😀", "Row one", "From QDA"} <= titles
    assert seeded.count_articles() == before + len(paths)
    assert win.list.model.total == before + len(paths)


def test_bad_table_imports_nothing_and_reports_the_line(qtbot, seeded, store_path, tmp_path,
                                                       monkeypatch):
    from stancemark.ui.window import main_window

    shown: list[str] = []
    monkeypatch.setattr(main_window.QMessageBox, "warning", lambda *a: shown.append(a[-1]))
    win = make_window(qtbot, seeded, tmp_path, store_path)
    html = tmp_path / "ok.html"
    html.write_text(PAGE, encoding="utf-8")
    table = tmp_path / "bad.csv"
    table.write_text("text,date\nfine,2020-01-01\nbad,someday maybe\n", encoding="utf-8")
    before = seeded.count_articles()
    _, error, _ = _run(qtbot, win.exchange.import_files([html, table]))
    assert error.startswith(f"{table}:3: ")
    assert seeded.count_articles() == before
    assert shown and "Nothing was imported" in shown[0]
