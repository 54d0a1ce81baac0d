"""HTML article import: main text, metadata, encodings, malformed pages."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stancemark.core.errors import InputError
from stancemark.formats import get_format
from stancemark.formats.html_articles import parse_page

html_fmt = get_format("html").load()

PAGE = """<!doctype html>
<html lang="en-GB"><head>
<meta charset="utf-8">
<title>Site | Beijing warns Taipei</title>
<meta property="og:title" content="Beijing warns Taipei 😀">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2021-01-10T08:30:00+00:00">
<meta name="author" content="A. Writer">
<link rel="canonical" href="https://example.org/a">
<script>var ads = "Buy now";</script>
</head><body>
<nav>Home | World | Sport</nav>
<header>Subscribe today</header>
<article>
  <h1>Beijing warns Taipei 😀</h1>
  <p>Beijing   warned <b>Taipei</b> on
     January 9.</p>
  <aside>Related: something else</aside>
  <p>北京反对 &amp; “independence”.</p>
  <div hidden>tracking text</div>
</article>
<footer>© Example News</footer>
</body></html>"""


def test_main_text_and_metadata(repo, tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    report = html_fmt.import_paths(repo, [path])
    assert report.articles_added == 1
    (row,) = repo.list_articles()
    art = repo.get_article(row.uid)
    assert art.text == ("Beijing warns Taipei 😀\n\nBeijing warned Taipei on January 9.\n\n"
                        "北京反对 & “independence”.")
    assert (art.title, art.published, art.source, art.url, art.author, art.language) == (
        "Beijing warns Taipei 😀", "2021-01-10", "Example News", "https://example.org/a",
        "A. Writer", "en")
    assert art.meta["imported_from"] == "page.html"


def test_fallbacks_title_tag_time_element_and_body():
    page = ("<html><head><title> Plain   title </title></head><body>"
            "<p>Posted <time datetime=\"2020-06-01\">June 1</time></p><p>Second para</p>"
            "<script>x()</script></body></html>")
    fields = parse_page(page)
    assert fields["title"] == "Plain title"
    assert fields["published"] == "2020-06-01"
    assert fields["text"] == "Posted June 1\n\nSecond para"


def test_main_element_is_preferred_over_body():
    page = "<body><div>menu junk</div><main><p>Real story</p></main></body>"
    assert parse_page(page)["text"] == "Real story"


def test_pre_keeps_white_space_and_crlf_becomes_lf():
    page = "<body><pre>line  one\r\nline two</pre></body>"
    assert parse_page(page)["text"] == "line  one\nline two"


def test_declared_legacy_charset(repo, tmp_path):
    path = tmp_path / "latin.htm"
    path.write_bytes('<html><head><meta charset="windows-1252"><title>Caf\u00e9</title></head>'
                     '<body><p>Na\u00efve caf\u00e9 \u201cquote\u201d</p></body></html>'
                     .encode("cp1252"))
    html_fmt.import_paths(repo, [path])
    art = repo.get_article(repo.list_articles()[0].uid)
    assert art.text == "Na\u00efve caf\u00e9 \u201cquote\u201d" and art.title == "Caf\u00e9"


def test_page_without_text_imports_nothing(repo, tmp_path, digest, store_path):
    good = tmp_path / "a.html"
    good.write_text(PAGE, encoding="utf-8")
    bad = tmp_path / "b.html"
    bad.write_text("<html><head><title>x</title></head><body><script>1</script></body></html>")
    before = digest(store_path)
    with pytest.raises(InputError) as err:
        html_fmt.import_paths(repo, [good, bad])
    assert str(err.value).startswith(f"{bad}: ") and "\n" not in str(err.value)
    assert digest(store_path) == before


def test_binary_file_is_refused(repo, tmp_path):
    path = tmp_path / "x.html"
    path.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(InputError, match="binary"):
        html_fmt.import_paths(repo, [path])


def test_duplicate_page_is_skipped(repo, tmp_path):
    for name in ("a.html", "b.html"):
        (tmp_path / name).write_text(PAGE, encoding="utf-8")
    report = html_fmt.import_paths(repo, [tmp_path])
    assert (report.articles_added, report.articles_skipped) == (1, 1)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abpdivtml!-&;#\n\r😀北")), max_size=300))
def test_fuzz_parser_returns_fields_or_input_error(page):
    try:
        fields = parse_page(page)
    except InputError:
        return
    assert fields["text"].strip() and "\r" not in fields["text"]


def test_the_article_with_most_text_wins_over_teasers():
    page = ("<body><article><p>Teaser one</p></article>"
            "<article><h2>Main</h2><p>The long main story text.</p><p>More.</p></article>"
            "<article><p>Teaser two</p></article></body>")
    assert parse_page(page)["text"] == "Main\n\nThe long main story text.\n\nMore."
