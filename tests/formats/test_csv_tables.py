"""CSV tables: RFC 4180 output read by pandas, joins, formula neutralising, round trip, errors."""

from __future__ import annotations

import csv
import io
import zipfile

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stancemark.cli import main
from stancemark.core.errors import InputError
from stancemark.formats import csv_tables
from stancemark.formats.common import unsafe_cell
from stancemark.store import Repository, open_store


@pytest.fixture
def importer_repo(tmp_path):
    """An empty store whose user is nobody in the export, so annotator uids travel."""
    r = Repository(open_store(tmp_path / "importer.sqlite"), "importer")
    yield r
    r.close()


def _read(folder, name):
    return pd.read_csv(folder / f"{name}.csv", keep_default_na=False, dtype=str, encoding="utf-8")


def test_pandas_reads_tables_that_join(annotated, tmp_path):
    repo, p = annotated
    out = tmp_path / "tables"
    csv_tables.export(repo, out)
    arts, anns, stances = _read(out, "articles"), _read(out, "annotations"), _read(out, "stances")
    actors = _read(out, "actors")
    assert len(arts) == 3 and len(anns) == 20 and len(stances) == 5
    joined = anns.merge(arts[["uid", "text"]].rename(columns={"uid": "article_uid"}), on="article_uid")
    assert len(joined) == 20
    for _, row in joined.iterrows():
        # code-point offsets: pandas strings slice like Python's
        assert row["text"][int(row["start"]):int(row["end"])] == unsafe_cell(row["quote"])
    with_holder = stances.merge(actors, left_on="holder_uid", right_on="uid")
    assert set(with_holder["name"]) == {"China", "United States", "Tsai Ing-wen"}
    assert set(stances.merge(anns, left_on="annotation_uid", right_on="uid")["kind"]) == {"stance"}
    # the empty article is a row of its own with no annotations
    empty = arts[arts["title"] == "Nothing here"]
    assert len(empty) == 1 and empty.iloc[0]["uid"] not in set(anns["article_uid"])
    assert "\n" in arts[arts["title"] == "Beijing warns Washington"].iloc[0]["text"]


def test_rfc4180_crlf_utf8_and_formula_cells_neutralised(annotated, tmp_path):
    repo, p = annotated
    out = tmp_path / "tables"
    csv_tables.export(repo, out)
    raw = (out / "articles.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    header, rest = raw.split(b"\r\n", 1)
    assert header == b"uid,title,published,source,url,author,language,added_at,sha256,text"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert {r["source"] for r in rows} >= {"'=HYPERLINK(\"x\")"}
    assert "台湾新闻 😀" in {r["title"] for r in rows}
    notes = _read(out, "annotations")["note"]
    assert "warning, not = a formula" in set(notes)  # "=" inside a cell is harmless


@pytest.mark.parametrize("name", ["tables", "tables.zip"])
def test_round_trip_is_identical(annotated, importer_repo, tmp_path, tree_bytes, name):
    repo, _ = annotated
    first, second = tmp_path / "1" / name, tmp_path / "2" / name
    csv_tables.export(repo, first)
    report = csv_tables.import_paths(importer_repo, [first])
    assert report.annotations_added == 20 and report.actors_added == 5
    csv_tables.export(importer_repo, second)
    assert tree_bytes(first) == tree_bytes(second)
    src = importer_repo.get_article(importer_repo.article_uids()[1])
    assert src.source == '=HYPERLINK("x")'  # the apostrophe is removed again on import
    assert importer_repo.actors_by_alias("北京")[0].name == "China"


def test_zip_holds_every_table(annotated, tmp_path):
    repo, _ = annotated
    out = tmp_path / "t.zip"
    csv_tables.export(repo, out)
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == sorted(f"{n}.csv" for n in csv_tables.COLUMNS)
        assert pd.read_csv(zf.open("annotations.csv"), keep_default_na=False).shape == (20, 15)


def test_crlf_saved_tables_import_with_spans_on_their_words(annotated, importer_repo, tmp_path):
    repo, p = annotated
    out = tmp_path / "tables"
    csv_tables.export(repo, out)
    # a spreadsheet saves the article text with CRLF, offsets counted in that text
    arts = list(csv.DictReader(io.StringIO((out / "articles.csv").read_text("utf-8"), newline="")))
    anns = list(csv.DictReader(io.StringIO((out / "annotations.csv").read_text("utf-8"), newline="")))
    texts = {}
    for a in arts:
        texts[a["uid"]] = a["text"]
        a["text"] = a["text"].replace("\n", "\r\n")
    for a in anns:
        shift = texts[a["article_uid"]][:int(a["start"])].count("\n")
        a["start"], a["end"] = int(a["start"]) + shift, int(a["end"]) + shift
    for name, rows in (("articles", arts), ("annotations", anns)):
        buf = io.StringIO(newline="")
        w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\r\n")
        w.writeheader()
        w.writerows(rows)
        (out / f"{name}.csv").write_text(buf.getvalue(), encoding="utf-8", newline="")
    csv_tables.import_paths(importer_repo, [out / "annotations.csv"])
    en = p["articles"]["en"]
    got = importer_repo.list_annotations(en.uid)
    assert importer_repo.get_article(en.uid).text == en.text
    assert [a.quote for a in got] == [a.quote for a in repo.list_annotations(en.uid)]


def _corrupt(folder, name, old, new) -> int:
    """Replace the first `old` in a table; returns the line it is on."""
    f = folder / f"{name}.csv"
    raw = f.read_bytes()
    f.write_bytes(raw.replace(old.encode(), new.encode(), 1))
    return raw[:raw.index(old.encode())].count(b"\n") + 1


@pytest.mark.parametrize("table, old, new, message", [
    ("annotations", ",0,7,Beijing,", ",0,9,Beijing,", "does not match"),
    ("annotations", ",0,7,Beijing,", ",x,7,Beijing,", "not integers"),
    ("stances", ",oppose,", ",hate,", "unknown polarity"),
    ("actors", ",state,", ",planet,", "unknown actor kind"),
    ("articles", "uid,title", "uid,titel", "missing column"),
])
def test_malformed_table_names_file_and_line_and_changes_nothing(
        annotated, store_path, digest, tmp_path, table, old, new, message):
    repo, _ = annotated
    out = tmp_path / "tables"
    csv_tables.export(repo, out)
    line = _corrupt(out, table, old, new)
    before = digest(store_path)
    with pytest.raises(InputError) as err:
        csv_tables.import_paths(repo, [out])
    text = str(err.value)
    assert text.startswith(f"{out / (table + '.csv')}:{line}: ") and message in text
    assert digest(store_path) == before


def test_cli_export_and_import(annotated, store_path, tmp_path, capsys):
    out = tmp_path / "cli.zip"
    assert main(["--store", str(store_path), "export", "--format", "csv", "--out", str(out)]) == 0
    assert main(["--store", str(tmp_path / "o.sqlite"), "import", str(out)]) == 0  # .zip -> csv
    assert "20 annotation(s) added" in capsys.readouterr().out


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(articles=st.text(max_size=80), annotations=st.text(max_size=120))
def test_reader_fuzz_raises_only_input_error(articles, annotations, tmp_path_factory):
    folder = tmp_path_factory.mktemp("fz")
    head_a = ",".join(csv_tables.COLUMNS["articles"])
    head_n = ",".join(csv_tables.COLUMNS["annotations"])
    (folder / "articles.csv").write_bytes((head_a + "\r\n" + articles).encode("utf-8", "surrogatepass"))
    (folder / "annotations.csv").write_bytes((head_n + "\r\n" + annotations).encode("utf-8", "surrogatepass"))
    try:
        csv_tables.read_tables(folder)
    except InputError:
        pass


def test_broken_zip_is_refused_and_changes_nothing(annotated, store_path, digest, tmp_path):
    repo, _ = annotated
    bad = tmp_path / "tables.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    before = digest(store_path)
    with pytest.raises(InputError, match="zip"):
        csv_tables.import_paths(repo, [bad])
    assert digest(store_path) == before


def test_a_trashed_actor_still_named_by_an_annotation_is_in_actors_csv(annotated, tmp_path):
    repo, p = annotated
    repo.delete_actor(p["actors"]["tsai"].uid)
    repo.delete_topic(p["topics"]["deal"].uid)
    out = tmp_path / "tables"
    csv_tables.export(repo, out)
    anns, actors, topics = _read(out, "annotations"), _read(out, "actors"), _read(out, "topics")
    assert set(anns["actor_uid"]) - {""} <= set(actors["uid"])
    assert p["actors"]["tsai"].uid in set(actors["uid"])
    assert p["topics"]["deal"].uid in set(topics["uid"])


def test_formula_escape_is_reversible():
    from stancemark.formats.common import safe_cell

    for value in ("=SUM(A1)", "'=x", "''-9", "'plain", "plain", "-", "'"):
        assert unsafe_cell(safe_cell(value)) == value
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("'-9") == "''-9"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised_tab_and_cr_too(start):
    """OWASP lists tab and carriage return with = + - @: a spreadsheet that trims the
    leading white space then evaluates what follows."""
    from stancemark.formats.common import safe_cell

    value = start + "=HYPERLINK(\"http://x\")"
    assert safe_cell(value) == "'" + value
    assert unsafe_cell(safe_cell(value)) == value
