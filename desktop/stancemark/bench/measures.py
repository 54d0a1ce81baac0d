"""The measured side of each figure: Stancemark's own code paths, as a user runs them.

Each function sets up outside the clock, then times the operation `runs` times and
returns {"times": [...seconds], "info": {...}}. Their yardsticks live in yardsticks.py.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from pathlib import Path

from stancemark.bench.corpus import Corpus
from stancemark.core.model import Article
from stancemark.store import Repository, open_store

# Article numbers for import runs start here, far from the cached stores' articles.
IMPORT_FIRST = 50_000_000
SEARCH_QUERIES = ("taiwan", "trade war", "beijing congress", "independ")
SEARCH_PAGE = 100


def import_articles(n: int) -> list[Article]:
    """The articles every import figure inserts (same rows for subject and yardstick)."""
    corpus = Corpus()
    return [corpus.article(IMPORT_FIRST + i) for i in range(n)]


def fresh_repo(folder: Path, name: str) -> Repository:
    return Repository(open_store(folder / f"{name}.sqlite"), "ana")


def import_repo(params: dict, runs: int) -> dict:
    """Repository.add_article for each article, in one transaction (as every importer does)."""
    arts = import_articles(params["articles"])
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            repo = fresh_repo(Path(tmp), f"run{run}")
            t0 = time.perf_counter()
            with repo.tx():
                for a in arts:
                    repo.add_article(a.text, a.title, source=a.source, url=a.url, author=a.author,
                                     published=a.published, language=a.language, meta=a.meta,
                                     uid=a.uid, added_at=a.added_at)
            times.append(time.perf_counter() - t0)
            count = repo.stats()["articles"]
            repo.close()
    return {"times": times, "info": {"articles": count}}


def import_bulk(params: dict, runs: int) -> dict:
    """store.bulk.add_articles, the batched path the text importer takes."""
    from stancemark.store.bulk import add_articles

    arts = import_articles(params["articles"])
    items = [{"text": a.text, "title": a.title, "source": a.source, "url": a.url,
              "author": a.author, "published": a.published, "language": a.language,
              "meta": a.meta, "uid": a.uid, "added_at": a.added_at} for a in arts]
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            repo = fresh_repo(Path(tmp), f"run{run}")
            t0 = time.perf_counter()
            add_articles(repo, items)
            times.append(time.perf_counter() - t0)
            count = repo.stats()["articles"]
            repo.close()
    return {"times": times, "info": {"articles": count}}


def import_text(params: dict, runs: int) -> dict:
    """The plain-text importer on a folder of .txt files (read, decode, parse, insert)."""
    from stancemark.formats import plain_text

    arts = import_articles(params["articles"])
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for i, a in enumerate(arts):
            (folder / f"{i:07d}.txt").write_text(
                f"Title: {a.title}\nDate: {a.published}\nSource: {a.source}\nURL: {a.url}\n\n"
                f"{a.text}\n", encoding="utf-8")
        for run in range(runs):
            repo = fresh_repo(Path(tmp), f"run{run}")
            t0 = time.perf_counter()
            report = plain_text.import_paths(repo, [folder])
            times.append(time.perf_counter() - t0)
            repo.close()
    return {"times": times, "info": {"articles": report.articles_added}}


def first_article_uids(repo: Repository, n: int) -> list[str]:
    return repo.article_uids()[:n]


def export_native(params: dict, runs: int) -> dict:
    """formats.native_jsonl.export of the first N articles' annotations."""
    from stancemark.formats import native_jsonl
    from stancemark.formats.common import Scope

    repo = Repository(open_store(params["store"]), "ana")
    scope = Scope(article_uids=tuple(first_article_uids(repo, params["articles"])),
                  include_trash=True, kinds=None)  # every kind, as the command line does
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            out = Path(tmp) / f"export{run}.jsonl"
            t0 = time.perf_counter()
            report = native_jsonl.export(repo, out, scope)
            times.append(time.perf_counter() - t0)
            size = out.stat().st_size
            out.unlink()
    repo.close()
    return {"times": times, "info": {"annotations": report.annotations, "bytes": size}}


def search(params: dict, runs: int) -> dict:
    """First page of the article list for a full-text query, rotating through queries."""
    repo = Repository(open_store(params["store"]), "ana")
    repo.list_articles(query="warm", limit=SEARCH_PAGE)  # open the file, load the schema
    times, hits = [], {}
    for run in range(runs * len(SEARCH_QUERIES)):
        q = SEARCH_QUERIES[run % len(SEARCH_QUERIES)]
        t0 = time.perf_counter()
        rows = repo.list_articles(query=q, limit=SEARCH_PAGE)
        times.append(time.perf_counter() - t0)
        hits[q] = len(rows)
    repo.close()
    return {"times": times, "info": {"rows": hits}}


def merge(params: dict, runs: int) -> dict:
    """store.merge.merge_store of the colleague's store into a fresh copy of mine, with
    the safety backup a user's merge takes first."""
    from stancemark.bench.stores import copy_store
    from stancemark.store.merge import merge_store

    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            mine = copy_store(Path(params["ours"]), Path(tmp) / f"mine{run}" / "store.sqlite")
            repo = Repository(open_store(mine), "ana")
            t0 = time.perf_counter()
            report = merge_store(repo, params["theirs"])
            times.append(time.perf_counter() - t0)
            stats = repo.stats()
            repo.close()
    return {"times": times, "info": {"annotations_after": stats["annotations"],
                                     "articles_after": stats["articles"],
                                     "summary": str(getattr(report, "summary", lambda: "")())}}


def agreement(params: dict, runs: int) -> dict:
    """Agreement between the store's two coders, the way `stancemark agreement` does it:
    their annotations read as columns in one query, text lengths, then every figure
    (P/R/F1, kappa, nominal and unitizing alpha) for the corpus."""
    from stancemark.core.agreement import compute_agreement
    from stancemark.store.review import ReviewStore

    repo = Repository(open_store(params["store"]), "ana")
    review = ReviewStore(repo)
    kinds = repo.codebook().kind_uids()
    times, reading = [], []
    attribute_figures: list = []
    for _ in range(runs):
        t0 = time.perf_counter()
        uids = [a.uid for a in review.annotators_with_annotations()]
        book = repo.codebook()
        # as `stancemark agreement` does: the attribute values read beside the span figures
        reader = (review.attribute_reader(uids, book, figures=True) if params.get("attributes")
                  else None)
        spans = review.span_table(uids, kinds)
        lengths = review.lengths(spans.article_uids())
        t1 = time.perf_counter()
        report = compute_agreement(spans, uids, lengths, by="corpus", kinds=kinds)
        if reader is not None:  # as `stancemark agreement` adds them
            attribute_figures = reader.figures()
        times.append(time.perf_counter() - t0)
        reading.append(t1 - t0)
    repo.close()
    # the figures' exact values, to compare runs of different code on the same store
    digest = hashlib.sha256(repr((report.figures, attribute_figures)).encode()).hexdigest()
    return {"times": times, "series": {"reading": reading},
            "info": {"spans": len(spans), "figures": len(report.figures) + len(attribute_figures),
                     "figures_sha256": digest[:16], "reading_s": [round(r, 3) for r in reading]}}
