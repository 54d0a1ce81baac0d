"""Importing .txt / .md articles: encodings, metadata, refusals, one transaction."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stancemark.core.errors import InputError
from stancemark.formats.plain_text import import_paths, parse_article

BODY = "Taiwan’s president said “no” to Beijing — 台湾 😀.\nSecond line."



@pytest.mark.parametrize("encoding, prefix", [
    ("utf-8", b""),
    ("utf-8", codecs.BOM_UTF8),
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE),
])
def test_unicode_encodings(repo, tmp_path, encoding, prefix):
    f = tmp_path / "a.txt"
    f.write_bytes(prefix + BODY.encode(encoding))
    report = import_paths(repo, [f])
    assert report.articles_added == 1
    assert next(repo.iter_articles()).text == BODY


def test_cp1252_is_detected(repo, tmp_path):
    text = ("The minister’s “firm” reply — café, naïve, Zürich, façade. " * 4).strip()
    f = tmp_path / "legacy.txt"
    f.write_bytes(text.encode("cp1252"))
    import_paths(repo, [f])
    assert next(repo.iter_articles()).text == text


def test_crlf_is_normalised(repo, tmp_path):
    f = tmp_path / "crlf.txt"
    f.write_bytes(b"one\r\ntwo\rthree\r\n")
    import_paths(repo, [f])
    assert next(repo.iter_articles()).text == "one\ntwo\nthree"


def test_metadata_block_and_marker():
    fields = parse_article("Title: Talks\nDate: 2021-01-10\nSource: Reuters\n\nBody text.")
    assert (fields["title"], fields["published"], fields["source"], fields["text"]) == \
        ("Talks", "2021-01-10", "Reuters", "Body text.")
    fields = parse_article(" date 2021-01-10 Outgoing US Secretary said.", "f")
    assert fields["published"] == "2021-01-10" and fields["text"] == "Outgoing US Secretary said."
    fields = parse_article("---\ntitle: \"Front\"\ndate: January 9, 2021\n---\n# Heading\nText")
    assert fields["title"] == "Front" and fields["published"] == "2021-01-09"
    fields = parse_article("Body.\n© 2025 Newsmax. All rights reserved.", "x")
    assert fields["source"] == "Newsmax" and fields["published"] == "2025"
    assert fields["text"].endswith("All rights reserved.")  # the line stays in the text
    assert parse_article("# Heading\nbody", "file")["title"] == "Heading"


def test_folder_import_and_duplicates_are_counted(repo, tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("First article.")
    (tmp_path / "d" / "b.md").write_text("Second article.")
    (tmp_path / "d" / "c.txt").write_text("First article.")  # same text as a.txt
    (tmp_path / "d" / "ignored.pdf").write_bytes(b"%PDF")
    report = import_paths(repo, [tmp_path / "d"])
    assert (report.articles_added, report.articles_skipped) == (2, 1)
    again = import_paths(repo, [tmp_path / "d"])
    assert (again.articles_added, again.articles_skipped) == (0, 3)


@pytest.mark.parametrize("content, message", [
    (b"", "empty file"),
    (b"   \n\n  ", "only white space"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    (b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)), "binary"),
    (codecs.BOM_UTF8 + b"ok \xff\xfe bad", "invalid utf-8"),
])
def test_bad_files_are_refused_and_nothing_is_imported(repo, tmp_path, content, message):
    good = tmp_path / "a_good.txt"
    good.write_text("A perfectly good article.")
    bad = tmp_path / "b_bad.txt"
    bad.write_bytes(content)
    with pytest.raises(InputError, match=message) as err:
        import_paths(repo, [good, bad])
    assert str(bad) in str(err.value) and "\n" not in str(err.value)
    assert repo.stats()["articles"] == 0


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_parse_article_never_crashes(text):
    fields = parse_article(text, "name")
    assert isinstance(fields["text"], str) and "title" in fields


def test_folders_skip_hidden_files_and_folders_below_the_given_one(tmp_path, monkeypatch):
    """Only the parts below the folder given count: a hidden folder can be imported
    by naming it, a hidden file or folder inside it is skipped; relative paths too."""
    from stancemark.formats.common import iter_files

    top = tmp_path / ".drafts"
    for rel in ("a.txt", "sub/b.TXT", ".hid/c.txt", "sub/.d.txt", "sub/deeper/e.md",
                "sub/deeper/f.csv"):
        (top / rel).parent.mkdir(parents=True, exist_ok=True)
        (top / rel).write_text("x", encoding="utf-8")
    want = ["a.txt", "sub/b.TXT", "sub/deeper/e.md"]
    got = iter_files([top], (".txt", ".md"))
    assert sorted(f.relative_to(top).as_posix() for f in got) == want
    monkeypatch.chdir(top)
    assert sorted(f.as_posix() for f in iter_files([Path(".")], (".txt", ".md"))) == want
    monkeypatch.chdir(tmp_path)
    assert sorted(f.as_posix() for f in iter_files([Path(".drafts")], (".txt", ".md"))) == [
        f".drafts/{w}" for w in want]
