"""News articles from saved web pages (`.html`, `.htm`): import only.

Parser: the standard library's `html.parser`, on purpose. It is forgiving with broken
markup, needs no install and cannot fetch anything; readability-style libraries
(trafilatura, readability-lxml) extract better from cluttered pages but pull in a dozen
packages. Our rule for the main text:

- text inside `<article>` if the page has one (the one with the most text when there are
  several, as on pages with teasers of related stories), else inside `<main>`, else the
  `<body>`;
- never from `script style noscript template svg iframe nav header footer aside form
  button select`, nor from elements marked `hidden` or `aria-hidden="true"`;
- block elements (p, div, h1-h6, li, blockquote, pre, tr, section, br ...) end a
  paragraph; white space inside a paragraph collapses to one space (kept in `<pre>`);
  paragraphs are joined by a blank line.

Metadata: title from `og:title`, else `<title>`, else the first `<h1>`; date from
`article:published_time`, else the first `<time datetime>`, else `<meta name="date">`
(`pubdate`, `dc.date`, `parsely-pub-date`), kept as an ISO date; source from
`og:site_name`; url from `og:url`, else `<link rel="canonical">`; author from
`<meta name="author">`; language from `<html lang>`. The file name goes to
`meta.imported_from`.

Encodings: a BOM, then the page's declared `<meta charset>`, then UTF-8, then detection.
Offsets: none (articles only). Loses: markup, links, images, captions outside the chosen
container, and anything a script would have loaded.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancemark.core.errors import InputError
from stancemark.core.text import file_name_text
from stancemark.formats.article_import import (
    article_fields,
    import_article_files,
    iso_date,
)
from stancemark.formats.common import ImportReport, Progress, decode_bytes

if TYPE_CHECKING:
    from stancemark.store.repository import Repository

SUFFIXES = (".html", ".htm", ".xhtml")
MAX_BYTES = 20 * 1024 * 1024
_SKIP = {"script", "style", "noscript", "template", "svg", "iframe", "nav", "header", "footer",
         "aside", "form", "button", "select", "head", "object", "canvas"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "pre",
          "tr", "table", "section", "article", "main", "br", "hr", "figure", "figcaption", "dd",
          "dt", "dl", "body", "address", "td", "th"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source",
         "track", "wbr", "param"}
_DATE_META = ("article:published_time", "date", "pubdate", "dc.date", "dc.date.issued",
              "parsely-pub-date", "publishdate", "og:published_time")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


class _PageParser(HTMLParser):
    """Collects paragraphs with the containers they sit in, and the page's metadata."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.skip_depth = 0
        self.pre_depth = 0
        self.in_title = False
        self.title = ""
        self.h1 = ""
        self.in_h1 = False
        self.meta: dict[str, str] = {}
        self.canonical = ""
        self.lang = ""
        self.time_datetime = ""
        # (paragraph text, number of the outermost <article> it is in or 0, inside <main>)
        self.blocks: list[tuple[str, int, bool]] = []
        self.current: list[str] = []
        self.article_depth = 0
        self.article_no = 0
        self.main_depth = 0

    def _flush(self) -> None:
        text = "".join(self.current)
        if not self.pre_depth:
            text = " ".join(text.split())
        text = text.strip("\n")
        if text.strip():
            self.blocks.append((text, self.article_no if self.article_depth else 0,
                                self.main_depth > 0))
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and "content" in a:
                self.meta.setdefault(key, a["content"])
            return
        if tag == "link" and "canonical" in a.get("rel", "").lower().split():
            self.canonical = self.canonical or a.get("href", "")
            return
        if tag == "html":
            self.lang = a.get("lang", "") or a.get("xml:lang", "")
        if tag == "time" and a.get("datetime") and not self.time_datetime:
            self.time_datetime = a["datetime"]
        if tag == "title":
            self.in_title = True
        if tag in _VOID:
            if tag in ("br", "hr") and not self.skip_depth:
                self._flush()
            return
        self.stack.append(tag)
        hidden = "hidden" in a or a.get("aria-hidden", "").lower() == "true"
        if self.skip_depth or tag in _SKIP or hidden:
            self.skip_depth += 1
            return
        if tag in _BLOCK:
            self._flush()
        if tag == "pre":
            self.pre_depth += 1
        if tag == "article":
            if not self.article_depth:
                self.article_no += 1
            self.article_depth += 1
        if tag == "main":
            self.main_depth += 1
        if tag == "h1":
            self.in_h1 = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _VOID or tag not in self.stack:
            return  # stray end tag: html.parser lets pages be broken, so do we
        while self.stack:
            open_tag = self.stack.pop()
            if self.skip_depth:
                self.skip_depth -= 1
                if open_tag == tag:
                    return
                continue
            if open_tag in _BLOCK:
                self._flush()
            if open_tag == "pre":
                self.pre_depth -= 1
            if open_tag == "article":
                self.article_depth -= 1
            if open_tag == "main":
                self.main_depth -= 1
            if open_tag == "h1":
                self.in_h1 = False
            if open_tag == tag:
                return

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
            return
        if self.skip_depth:
            return
        if self.in_h1 and not self.h1:
            self.h1 = " ".join(data.split())
        self.current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def decode_page(raw: bytes, where: str) -> str:
    """Decode with the BOM, then the declared charset, then UTF-8 / detection."""
    import codecs

    if not raw.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        m = _CHARSET.search(raw[:4096])
        if m:
            try:
                return raw.decode(m.group(1).decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                pass  # a wrong declaration: fall back to detection
    return decode_bytes(raw, where)


def parse_page(html: str, where: str = "page") -> dict[str, Any]:
    """Article fields from one page (see the module docstring for the rules)."""
    p = _PageParser()
    p.feed(html)
    p.close()
    sizes: dict[int, int] = {}
    for text, article, _ in p.blocks:
        if article:
            sizes[article] = sizes.get(article, 0) + len(text)
    if sizes:
        best = max(sizes, key=lambda k: (sizes[k], -k))  # most text; the first on a tie
        blocks = [b for b in p.blocks if b[1] == best]
    else:
        blocks = [b for b in p.blocks if b[2]] or p.blocks
    text = "\n\n".join(b[0] for b in blocks)
    meta = p.meta
    title = meta.get("og:title") or " ".join(p.title.split()) or p.h1
    date = ""
    for key in _DATE_META:
        if meta.get(key):
            date = iso_date(meta[key], where, None, strict=False)
            if date:
                break
    if not date and p.time_datetime:
        date = iso_date(p.time_datetime, where, None, strict=False)
    return article_fields(text, where, None, title=title, published=date,
                          source=meta.get("og:site_name", ""),
                          url=meta.get("og:url") or p.canonical,
                          author=meta.get("author") or meta.get("article:author", ""),
                          language=p.lang.split("-")[0].lower() if p.lang else "")


def read_page(path: Path) -> dict[str, Any]:
    where = str(path)
    size = path.stat().st_size
    if size == 0:
        raise InputError("empty file", where)
    if size > MAX_BYTES:
        raise InputError(f"page too large ({size // (1024 * 1024)} MB)", where)
    html = decode_page(path.read_bytes(), where)
    if "<" not in html:
        raise InputError("not an HTML page (no tags)", where, 1)
    fields = parse_page(html, where)
    fields["meta"]["imported_from"] = file_name_text(path.name)
    return fields


def import_paths(repo: Repository, paths: list[Path], progress: Progress | None = None,
                 **_: Any) -> ImportReport:
    return import_article_files(repo, paths, SUFFIXES, read_page, progress)
