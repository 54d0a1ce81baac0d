"""Article tables (CSV, TSV, JSONL) with a column mapping."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stancemark.core.errors import InputError
from stancemark.formats import get_format
from stancemark.formats.article_table import parse_column_map, read_csv

table = get_format("table").load()


def _articles(repo):
    return [repo.get_article(r.uid) for r in repo.list_articles()]


def test_csv_with_standard_columns(repo, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(("text,title,date,source,url,section\r\n"
                      '"Beijing 😀 warned\r\nTaipei.",Warning,"January 9, 2021",Wire,https://x.org/1,world\r\n'
                      "北京反对。,中文,2020-06-01,,,\r\n").encode())
    report = table.import_paths(repo, [path])
    assert report.articles_added == 2
    a, b = _articles(repo)
    assert a.text == "Beijing 😀 warned\nTaipei."
    assert (a.title, a.published, a.source, a.url) == ("Warning", "2021-01-09", "Wire", "https://x.org/1")
    assert a.meta == {"section": "world", "imported_from": "a.csv"}
    assert (b.text, b.published) == ("北京反对。", "2020-06-01")


def test_column_map_and_semicolons_in_legacy_encoding(repo, tmp_path):
    path = tmp_path / "b.csv"
    path.write_bytes("Body;Headline;When\nCaf\u00e9 \u201cnews\u201d;T\u00eatu;2019-05\n".encode("cp1252"))
    table.import_paths(repo, [path], column_map="text=body, title=Headline,date=when")
    (art,) = _articles(repo)
    assert (art.text, art.title, art.published) == ("Caf\u00e9 \u201cnews\u201d", "T\u00eatu", "2019-05")


def test_jsonl_rows(repo, tmp_path):
    path = tmp_path / "c.jsonl"
    rows = [{"body": "First 😀 text", "headline": "One", "published": "2021-02-03T10:00:00Z",
             "tags": ["a", "b"]},
            {"body": "Second text", "headline": "Two"}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    table.import_paths(repo, [path], column_map={"text": "body", "title": "headline"})
    a, b = _articles(repo)
    assert (a.text, a.title, a.published, a.meta["tags"]) == ("First 😀 text", "One", "2021-02-03",
                                                              ["a", "b"])
    assert b.published == ""


def test_tsv(repo, tmp_path):
    path = tmp_path / "d.tsv"
    path.write_text("title\ttext\nA, with comma\tSome text, with commas\n", encoding="utf-8")
    table.import_paths(repo, [path])
    (art,) = _articles(repo)
    assert (art.title, art.text) == ("A, with comma", "Some text, with commas")


@pytest.mark.parametrize(("content", "line", "reason"), [
    ("text,title\nok,One\n,Empty\n", 3, "empty text"),
    ("text,date\nok,2020-01-01\nfine,not a date at all\n", 3, "is not a date"),
    ("text,title\nok,One\n\"unterminated,Two\n", 3, "bad CSV"),
    ("title,date\nA,2020\n", 1, "no text column"),
    ("text,title\nok,One,extra\n", 2, "3 cells"),
])
def test_bad_rows_name_file_and_line(repo, tmp_path, digest, store_path, content, line, reason):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    before = digest(store_path)
    with pytest.raises(InputError, match=reason) as err:
        table.import_paths(repo, [path])
    assert str(err.value).startswith(f"{path}:{line}: ")
    assert digest(store_path) == before


def test_bad_jsonl_line(repo, tmp_path):
    path = tmp_path / "e.jsonl"
    path.write_text('{"text": "ok"}\n{"text": \n', encoding="utf-8")
    with pytest.raises(InputError, match=f"{path}:2: not valid JSON"):
        table.import_paths(repo, [path])


def test_bad_column_map():
    with pytest.raises(InputError, match="unknown field"):
        parse_column_map("body=text")
    with pytest.raises(InputError, match="FIELD=COLUMN"):
        parse_column_map("text")


def test_mapped_column_missing(repo, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("text\nhello\n", encoding="utf-8")
    with pytest.raises(InputError, match="no column 'body'"):
        table.import_paths(repo, [path], column_map="text=body")


def test_cli_import_with_map(repo, store_path, tmp_path):
    from stancemark.cli import main

    repo.close()
    path = tmp_path / "g.csv"
    path.write_text("headline,content\nHello,Body text here\n", encoding="utf-8")
    assert main(["--store", str(store_path), "import", str(path), "--format", "table",
                 "--map", "text=content,title=headline"]) == 0
    from stancemark.store import Repository, open_store

    r = Repository(open_store(store_path), "ana")
    try:
        (row,) = r.list_articles()
        assert row.title == "Hello"
    finally:
        r.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list('ab,;"\n\r\t text=1-') + ["😀"]), max_size=200))
def test_fuzz_csv_rows_parse_or_fail_cleanly(body):
    try:
        rows = read_csv("text,title\n" + body, "fuzz.csv", {})
    except InputError as exc:
        assert exc.path == "fuzz.csv" and exc.line is not None
        return
    assert all(r["text"].strip() and "\r" not in r["text"] for r in rows)
