"""Guessing the importer of a path: files by suffix, folders by what they hold (brat
.ann files, the CSV tables pair, else the commonest importable suffix); the CLI imports
a brat folder or a CSV tables folder without --format."""

from __future__ import annotations

from stancemark.cli import main
from stancemark.formats import brat, csv_tables, guess_path_format
from stancemark.formats.common import Scope


def test_files_and_folders(seeded, tmp_path):
    brat.export(seeded, tmp_path / "bratdir", Scope(), None)
    assert guess_path_format(tmp_path / "bratdir") == "brat"
    csv_tables.export(seeded, tmp_path / "tables", Scope(), None)
    assert guess_path_format(tmp_path / "tables") == "csv"
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.html").write_text("<p>x</p>")
    (pages / "b.htm").write_text("<p>y</p>")
    (pages / "notes.txt").write_text("z")
    assert guess_path_format(pages) == "html"
    hidden = tmp_path / "texts"
    (hidden / ".cache").mkdir(parents=True)
    (hidden / ".cache" / "x.ann").write_text("")  # hidden folders say nothing
    assert guess_path_format(hidden) == "text"
    assert guess_path_format(tmp_path / "a.qdpx") == "qdpx"
    assert guess_path_format(tmp_path / "a.unknown") is None


def test_cli_imports_a_folder_in_its_guessed_format(seeded, tmp_path):
    brat.export(seeded, tmp_path / "bratdir", Scope(), None)
    csv_tables.export(seeded, tmp_path / "tables", Scope(), None)
    n = seeded.count_articles()
    for folder in ("bratdir", "tables"):
        store = str(tmp_path / f"{folder}.sqlite")
        assert main(["--store", store, "import", str(tmp_path / folder)]) == 0
        from stancemark.store import Repository, open_store

        other = Repository(open_store(store), "ana")
        assert other.count_articles() == n
        other.close()
